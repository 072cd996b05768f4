"""Clubs, their topics and groups 분임 (and who chairs a bureau's club)."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from common.errors import ServiceError
from org.models import Bureau, StaffProfile

from .. import calculations as calc
from ..models import (
    Club,
    ClubTopic,
    StudyGroup,
    Topic,
)
from ..topic_lists import PLEDGES, VISION_2018


@dataclass(frozen=True)
class TopicChoice:
    """A club topic: a listed one, or free text."""

    topic: Topic | None = None
    free_text: str = ""


def bureau_head_of(bureau: Bureau) -> User | None:
    """The bureau head 국·소장: a staff profile with the bureau-head position in the bureau."""
    profile = (
        StaffProfile.objects.select_related("user")
        .filter(position=StaffProfile.Position.BUREAU_HEAD, department__bureau=bureau)
        .order_by("id")
        .first()
    )
    return profile.user if profile else None


# --- Clubs, topics, groups -------------------------------------------------------------------


@transaction.atomic
def topics_ensure() -> int:
    """Make sure the topic lists exist (the migration seeds them; a flushed test database or
    a fresh demo may not have them). Existing rows, possibly edited by admins, are kept."""
    created = 0
    for source, titles in ((Topic.Source.VISION_2018, VISION_2018), (Topic.Source.PLEDGE, PLEDGES)):
        for number, title in enumerate(titles, start=1):
            _topic, new = Topic.objects.get_or_create(
                source=source, number=number, defaults={"title": title, "is_sample": True}
            )
            created += new
    return created


@transaction.atomic
def club_create(
    *,
    bureau: Bureau,
    year: int,
    topics: Sequence[TopicChoice],
    chair: User | None = None,
    name: str = "",
    at: datetime | None = None,
) -> Club:
    """Form a bureau's club for a year, chaired by the bureau head, with its two topics."""
    if Club.objects.filter(bureau=bureau, year=year).exists():
        raise ServiceError(
            _("%(bureau)s에는 이미 %(year)d년 학습동아리가 있습니다."),
            code="duplicate",
            params={"bureau": bureau.name, "year": year},
        )
    chair = chair or bureau_head_of(bureau)
    if chair is None:
        raise ServiceError(
            _("%(bureau)s의 국·소장(회장)을 찾을 수 없습니다. 회장을 지정하세요."),
            code="no_chair",
            params={"bureau": bureau.name},
        )
    club = Club.objects.create(
        bureau=bureau,
        year=year,
        name=name.strip() or _("%(bureau)s 학습동아리") % {"bureau": bureau.name},
        chair=chair,
        created_at=at or timezone.now(),
    )
    club_topics_set(club=club, topics=topics)
    return club


@transaction.atomic
def club_topics_set(*, club: Club, topics: Sequence[TopicChoice]) -> list[ClubTopic]:
    """Replace the club's two topics (each from a list, or written freely)."""
    if len(topics) != 2:
        raise ServiceError(_("동아리 과제는 2개를 정해야 합니다."), code="topics")
    cleaned: list[TopicChoice] = []
    for slot, choice in enumerate(topics, start=1):
        text = choice.free_text.strip()
        if choice.topic is None and not text:
            raise ServiceError(
                _("과제 %(slot)d: 목록에서 고르거나 직접 적어 주세요."),
                code="topics",
                params={"slot": slot},
            )
        if choice.topic is not None and text:
            raise ServiceError(
                _("과제 %(slot)d: 목록 과제와 자유 과제 중 하나만 정하세요."),
                code="topics",
                params={"slot": slot},
            )
        cleaned.append(TopicChoice(topic=choice.topic, free_text=text))
    if cleaned[0].topic and cleaned[0].topic == cleaned[1].topic:
        raise ServiceError(_("두 과제가 같습니다. 서로 다른 과제를 고르세요."), code="topics")
    club.topics.all().delete()
    return [
        ClubTopic.objects.create(club=club, slot=slot, topic=c.topic, free_text=c.free_text)
        for slot, c in enumerate(cleaned, start=1)
    ]


@transaction.atomic
def group_create(*, club: Club, name: str, at: datetime | None = None) -> StudyGroup:
    name = name.strip()
    if not name:
        raise ServiceError(_("분임명을 적어 주세요."), code="required", field="name")
    # Lock the club so two admins adding groups at once cannot exceed the limit.
    Club.objects.select_for_update().get(pk=club.pk)
    count = club.groups.count()
    if count >= calc.MAX_GROUPS_PER_CLUB:
        raise ServiceError(
            _("동아리마다 분임은 %(n)d개까지 둘 수 있습니다."),
            code="limit",
            params={"n": calc.MAX_GROUPS_PER_CLUB},
        )
    if club.groups.filter(name=name).exists():
        raise ServiceError(
            _("'%(name)s' 분임이 이미 있습니다."),
            code="duplicate",
            field="name",
            params={"name": name},
        )
    return StudyGroup.objects.create(club=club, name=name, order=count + 1)
