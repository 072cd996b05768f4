"""Test data for proposals, built through the services as the app builds it."""

from datetime import date, datetime

import factory
from django.utils import timezone

from org.tests.factories import DepartmentFactory, UserFactory
from proposals import services
from proposals.consent import CURRENT_VERSION
from proposals.models import BenchmarkCase, Channel, Proposal, ThemeRound, ThemeTask

_seq = iter(range(1, 10**9))


def resident_proposal(
    *,
    title: str | None = None,
    content: str = "골목길 가로등을 밝게 바꿔 밤길을 안전하게 해 주세요.",
    proposer_name: str = "김민수",
    phone: str = "010-1234-5678",
    email: str = "",
    channel: str = Channel.WEB,
    at: datetime | None = None,
    registered_by: object | None = None,
    **kw: object,
) -> Proposal:
    if channel != Channel.WEB and registered_by is None:
        registered_by = UserFactory()
    return services.resident_proposal_submit(
        title=title or f"구민 제안 {next(_seq)}",
        content=content,
        proposer_name=proposer_name,
        phone=phone,
        email=email,
        dong="신당동",
        consent_version=CURRENT_VERSION,
        channel=channel,
        registered_by=registered_by,
        at=at,
        **kw,
    )


def staff_proposal(*, author: object | None = None, title: str | None = None,
                   at: datetime | None = None, **kw: object) -> Proposal:  # fmt: skip
    from org.tests.factories import staff_user

    return services.staff_proposal_submit(
        author=author or staff_user(),
        title=title or f"직원 제안 {next(_seq)}",
        current_problem=kw.pop("current_problem", "민원 서류 발급이 느립니다."),
        content=kw.pop("content", "무인 발급기를 늘립니다."),
        expected_effect=kw.pop("expected_effect", "대기 시간 단축"),
        at=at,
        **kw,
    )


class ThemeRoundFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ThemeRound

    title = factory.Sequence(lambda n: f"테마제안 {n}회")
    opens_on = factory.LazyFunction(lambda: timezone.localdate().replace(day=1))
    closes_on = factory.LazyFunction(lambda: timezone.localdate().replace(day=28))


class ThemeTaskFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ThemeTask

    round = factory.SubFactory(ThemeRoundFactory)
    department = factory.SubFactory(DepartmentFactory)
    title = factory.Sequence(lambda n: f"전략과제 {n}")


class BenchmarkCaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BenchmarkCase

    title = factory.Sequence(lambda n: f"우수 정책 {n}")
    origin = "성동구"
    summary = "스마트 횡단보도"
    source = BenchmarkCase.Source.PRESS
    source_date = date(2016, 3, 2)
    department = factory.SubFactory(DepartmentFactory)
    registered_by = factory.SubFactory(UserFactory)
    registered_at = factory.LazyFunction(timezone.now)
