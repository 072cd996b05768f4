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
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils import timezone

from board import selectors as board_selectors
from board.models import Area, Post
from clubs import selectors as clubs_selectors
from clubs.selectors import ReportDue
from common.access import allowed
from contests import selectors as contests_selectors
from contests.models import Round, Stage
from programme import selectors as programme_selectors
from programme.selectors import HomeRow, KnowledgeDay
from proposals import selectors as proposals_selectors
from proposals.models import ThemeRound
from proposals.selectors import OverdueSummary

LATEST_PER_AREA = 3
WAITING_SHOWN = 5
# The knowledge-day banner's month counts change slowly and cost a scan of the month's posts:
# kept this long in the cache (a new post shows in the banner's count within a minute).
KNOWLEDGE_COUNT_SECONDS = 60
# The rounds open now (맞춤형 테마제안, contest rounds with an open stage) change a few times a
# year and are the same for everyone: cached this long, dropped when a round or stage is saved.
ROUNDS_SECONDS = 60


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
    score: HomeRow
    waiting: list[Post]  # my posts waiting for approval (the newest few)
    waiting_count: int
    admin: AdminToday | None
    reviews: list[Stage]  # open stages of committees I sit on
    reports_due: list[ReportDue]  # as a group's 총무
    latest: list[AreaPosts]
    contests_open: list[Round]
    theme_rounds: list[ThemeRound]
    knowledge_day: KnowledgeDay | None


def _admin_today(user: User, today: date, queue: int | None) -> AdminToday | None:
    if queue is None:
        return None
    overdue = (
        proposals_selectors.overdue_summary(today=today, limit=3)
        if allowed(user, "proposals.manage_proposals")
        else None
    )
    cap = board_selectors.HOME_COUNT_CAP
    return AdminToday(min(queue, cap), queue > cap, overdue)


def _knowledge_day(row: HomeRow, today: date) -> KnowledgeDay | None:
    if today.month not in row.knowledge_months:
        return None
    key = f"portal:home:knowledge:{today:%Y-%m}"
    day = cache.get(key)
    if day is None:
        counts = programme_selectors.knowledge_registered(year=today.year, month=today.month)
        day = KnowledgeDay(today.year, today.month, counts.registered, counts.approved)
        cache.set(key, day, KNOWLEDGE_COUNT_SECONDS)
    return day


def _rounds_key(today: date) -> str:
    return f"portal:home:rounds:{today.isoformat()}"


def _rounds_open(today: date) -> tuple[list[Round], list[ThemeRound]]:
    key = _rounds_key(today)
    rounds = cache.get(key)
    if rounds is None:
        rounds = (
            contests_selectors.rounds_in_progress(),
            proposals_selectors.theme_rounds_open(today=today),
        )
        cache.set(key, rounds, ROUNDS_SECONDS)
    return rounds


@receiver([post_save, post_delete], sender=Round, dispatch_uid="home_rounds_round")
@receiver([post_save, post_delete], sender=Stage, dispatch_uid="home_rounds_stage")
@receiver([post_save, post_delete], sender=ThemeRound, dispatch_uid="home_rounds_theme")
def _forget_rounds(**_kwargs: object) -> None:
    """A round or stage changed: the next home page reads the rounds again (now, and after
    the transaction commits, since a page in between may have cached the old ones). Changes
    made by queryset.update() or from a process that never loaded this module are seen
    within ROUNDS_SECONDS."""
    key = _rounds_key(timezone.localdate())
    cache.delete(key)
    transaction.on_commit(lambda: cache.delete(key))


def today_for(*, user: User, at: datetime | None = None) -> Today:
    """Statements, whatever the data: one board UNION (my waiting posts, the latest of every
    area, the queue's count), one row of the person (points, caps, rank, knowledge-day
    months, seat and 총무 flags), the rounds open now (cached), and only for those who have
    them: the open review stages, the reports due, the overdue proposals (admins)."""
    at = at or timezone.now()
    today = timezone.localdate(at)
    row = programme_selectors.home_row(user=user, at=at)
    posts = board_selectors.home_posts(
        user=user,
        latest_limit=LATEST_PER_AREA,
        waiting_limit=WAITING_SHOWN,
        with_queue=allowed(user, "board.review_queue"),
    )
    cap = board_selectors.HOME_COUNT_CAP
    contests_open, theme_rounds = _rounds_open(today)
    return Today(
        today=today,
        score=row,
        waiting=posts.waiting,
        waiting_count=min(posts.waiting_count, cap),
        admin=_admin_today(user, today, posts.queue),
        reviews=contests_selectors.open_stages_for(user) if row.has_seat else [],
        reports_due=(
            clubs_selectors.reports_due_of_secretary(user=user, today=today)
            if row.is_secretary
            else []
        ),
        latest=[AreaPosts(area.value, str(area.label), posts.latest[area.value]) for area in Area],
        contests_open=contests_open,
        theme_rounds=theme_rounds,
        knowledge_day=_knowledge_day(row, today),
    )
