"""The November review: a contests round with one entry per club."""

from datetime import datetime

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from common import periods
from common.errors import ServiceError
from contests.services import entry_create, round_create

from .. import calculations as calc
from ..models import (
    CLUB_SOURCE,
    Club,
    ClubReview,
)

# --- The November review ---------------------------------------------------------------------


@transaction.atomic
def review_open(*, year: int, opened_by: User, at: datetime | None = None) -> ClubReview:
    """Open the year's club review: a contests round of kind club_review (실무평가단 recommends,
    창의구정추진단 selects; its quotas and prizes are the round's) with one entry per club.
    Running it again adds clubs formed since and changes nothing else."""
    at = at or timezone.now()
    review = ClubReview.objects.select_related("round").filter(year=year).first()
    if review is None:
        if not Club.objects.filter(year=year).exists():
            raise ServiceError(
                _("%(year)d년 학습동아리가 없습니다."), code="no_clubs", params={"year": year}
            )
        month = periods.month(year, calc.REVIEW_MONTH)
        rnd = round_create(
            kind="club_review",
            year=year,
            title=_("%(year)d년 학습동아리 연구성과 심사") % {"year": year},
            starts_on=month.start,
            ends_on=month.last_day,
            at=at,
        )
        review = ClubReview.objects.create(year=year, round=rnd, opened_by=opened_by, opened_at=at)
    clubs = Club.objects.filter(year=year).select_related(
        "chair", "bureau", "research_report__post"
    )
    for club in clubs:
        report = getattr(club, "research_report", None)
        summary = report.summary if report else _("연구성과 보고서 미제출")
        topics = " / ".join(str(t) for t in club.topics.select_related("topic"))
        entry_create(
            round=review.round,
            title=club.name if report is None else f"{club.name}: {report.post.title}"[:200],
            summary=_("과제: %(topics)s") % {"topics": topics} + f"\n\n{summary}",
            owner=club.chair,
            source_type=CLUB_SOURCE,
            source_id=club.pk,
            at=at,
        )
    return review
