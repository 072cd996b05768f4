"""Rounds 심사 회차: creating one with its kind's stages, rubric and award quotas."""

from collections.abc import Sequence
from datetime import date, datetime

from django.contrib.auth.models import AnonymousUser, User
from django.db import transaction
from django.utils.translation import gettext as _

from common.errors import ServiceError

from .. import calculations as calc
from ..calculations import QuotaSpec, StageSpec
from ..models import DEFAULT_CRITERIA, AwardQuota, Criterion, Round, RoundKind, Stage
from .audit import now_or
from .committees import committee_for_kind


@transaction.atomic
def round_create(
    *,
    kind: str,
    year: int,
    title: str,
    starts_on: date | None = None,
    ends_on: date | None = None,
    blind: bool = False,
    drop_extremes: bool = False,
    stages: Sequence[StageSpec] | None = None,
    quotas: Sequence[QuotaSpec] | None = None,
    criteria: Sequence[tuple[str, int, int]] = DEFAULT_CRITERIA,
    at: datetime | None = None,
) -> Round:
    """Create a round with its stages (each with the default rubric ``DEFAULT_CRITERIA``
    unless ``criteria`` is given) and award quotas. Without ``stages`` / ``quotas`` the kind's
    defaults apply (``calc.DEFAULT_STAGES``, ``calc.DEFAULT_QUOTAS``). Each stage is scored by
    the committee of its kind (created empty if missing)."""
    if kind not in RoundKind.values:
        raise ServiceError(_("알 수 없는 심사 구분입니다."), code="invalid", field="kind")
    if starts_on and ends_on and ends_on < starts_on:
        raise ServiceError(
            _("종료일이 시작일보다 빠를 수 없습니다."), code="invalid", field="ends_on"
        )
    if not title.strip():
        raise ServiceError(_("회차 제목을 입력하세요."), code="invalid", field="title")
    rnd = Round.objects.create(
        kind=kind,
        year=year,
        title=title.strip(),
        starts_on=starts_on,
        ends_on=ends_on,
        blind=blind,
        drop_extremes=drop_extremes,
        created_at=now_or(at),
    )
    for order, spec in enumerate(stages or calc.DEFAULT_STAGES[kind], start=1):
        stage = Stage.objects.create(
            round=rnd,
            order=order,
            name=spec.name,
            committee=committee_for_kind(spec.committee_kind),
            advance_count=spec.advance_count,
        )
        Criterion.objects.bulk_create(
            Criterion(stage=stage, order=i, name=n, weight=w, max_score=m)
            for i, (n, w, m) in enumerate(criteria, start=1)
        )
    _quotas_write(rnd, quotas or calc.DEFAULT_QUOTAS[kind])
    return rnd


def _quotas_write(rnd: Round, quotas: Sequence[QuotaSpec]) -> None:
    for q in quotas:
        if q.count < 0 or not isinstance(q.prize_won, int) or q.prize_won < 0:
            raise ServiceError(
                _("시상 인원과 상금은 0 이상의 정수(원)여야 합니다."), code="invalid"
            )
        AwardQuota.objects.update_or_create(
            round=rnd,
            grade=q.grade,
            defaults={
                "count": q.count,
                "prize_won": q.prize_won,
                "performance_points": q.performance_points,
            },
        )


@transaction.atomic
def round_quotas_set(
    *,
    round: Round,
    quotas: Sequence[QuotaSpec],
    by: User | AnonymousUser | None = None,
) -> Round:
    """Replace the award quotas. Once entries exist, the awards cannot outnumber them; once
    the awards are confirmed, the quotas are fixed."""
    rnd = Round.objects.select_for_update().get(pk=round.pk)
    if rnd.confirmed_at:
        raise ServiceError(
            _("수상이 확정된 회차의 시상 기준은 바꿀 수 없습니다."), code="confirmed"
        )
    entries = rnd.entries.count()
    problem = calc.quota_problem([(q.grade, q.count) for q in quotas], entries) if entries else None
    if problem:
        raise ServiceError(problem + " " + _("시상 인원을 줄이세요."), code="quota")
    _quotas_write(rnd, quotas)
    return rnd
