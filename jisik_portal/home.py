"""The home page: what is each person's today, read through the apps' selectors.

Loaded once into :class:`Today` (a fixed number of queries, whatever the data size: every
list is limited, every count is capped or kept by a counter); the template only shows it.
Sections appear by what the person does: everyone has their points, their waiting posts,
the latest knowledge and the rounds open now; admins the approval queue and overdue
proposals; committee members their open review stages; a group's 총무 the reports due.
"""

from dataclasses import dataclass
from datetime import date, datetime

from django.contrib.auth.models import User
from django.utils import timezone

from board import selectors as board_selectors
from board.models import Area, Post
from clubs import selectors as clubs_selectors
from clubs.selectors import ReportDue
from common.access import allowed
from contests import selectors as contests_selectors
from contests.models import Round, Stage
from proposals import selectors as proposals_selectors
from proposals.models import ThemeRound
from proposals.selectors import OverdueSummary
from scoring import selectors as scoring_selectors
from scoring.selectors import MyScore

LATEST_PER_AREA = 3
WAITING_SHOWN = 5


@dataclass(frozen=True)
class AreaPosts:
    area: str
    label: str
    posts: list[Post]


@dataclass(frozen=True)
class AdminToday:
    """What waits for the portal's admins."""

    queue: int  # posts waiting for approval, counted up to the cap
    queue_capped: bool
    overdue: OverdueSummary | None  # None for an admin who doesn't manage proposals


@dataclass(frozen=True)
class Today:
    today: date
    score: MyScore
    waiting: list[Post]  # my posts waiting for approval (the newest few)
    waiting_count: int
    admin: AdminToday | None
    reviews: list[Stage]  # open stages of committees I sit on
    reports_due: list[ReportDue]  # as a group's 총무
    latest: list[AreaPosts]
    contests_open: list[Round]
    theme_rounds: list[ThemeRound]


def _admin_today(user: User, today: date) -> AdminToday | None:
    if not allowed(user, "board.review_queue"):
        return None
    queue = board_selectors.review_queue_count()
    overdue = (
        proposals_selectors.overdue_summary(today=today, limit=3)
        if allowed(user, "proposals.manage_proposals")
        else None
    )
    cap = board_selectors.HOME_COUNT_CAP
    return AdminToday(min(queue, cap), queue > cap, overdue)


def today_for(*, user: User, at: datetime | None = None) -> Today:
    at = at or timezone.now()
    today = timezone.localdate(at)
    waiting, waiting_count = board_selectors.waiting_posts_of(user=user, limit=WAITING_SHOWN)
    return Today(
        today=today,
        score=scoring_selectors.my_score(user=user, at=at),
        waiting=waiting,
        waiting_count=waiting_count,
        admin=_admin_today(user, today),
        reviews=contests_selectors.open_stages_for(user),
        reports_due=clubs_selectors.reports_due_of_secretary(user=user, today=today),
        latest=[
            AreaPosts(
                area.value,
                str(area.label),
                board_selectors.latest_approved(area=area.value, limit=LATEST_PER_AREA),
            )
            for area in Area
        ],
        contests_open=contests_selectors.rounds_in_progress(),
        theme_rounds=proposals_selectors.theme_rounds_open(today=today),
    )
