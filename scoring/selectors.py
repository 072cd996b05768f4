"""Reads: quarter rankings, the leaderboard, 내 점수. They read the roll-ups (one row per
person per month / quarter), never a GROUP BY over the raw ledger, so they stay fast at city
scale; the rules themselves are applied by ``calculations``."""

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.db import DEFAULT_DB_ALIAS
from django.db.models import Q, QuerySet
from django.db.models.base import ModelState
from django.utils import timezone

from . import calculations as calc
from .models import Activity, QuarterRound, RoundEntry, RoundWinner, UserMonth, UserQuarter
from .services import rules_for_year

User = get_user_model()


@dataclass(slots=True)
class RankingRow:
    """One line of a ranking: ``user`` (name fields loaded; None with ``with_users=False``),
    points (comment and view capped per month), eligibility and rank (None if ineligible),
    the department's name ("" for 미지정)."""

    user_id: int
    total: Decimal
    approval: Decimal
    comment: Decimal
    view: Decimal
    eligible: bool
    rank: int | None = None
    department: str = ""
    winner: bool = False
    loaded_user: AbstractBaseUser | None = None
    # (id, username, first_name, last_name): the user object is built on first access, so a
    # full ranking of 50,000 people doesn't pay for 50,000 model instances it may not use.
    user_values: tuple | None = None

    @property
    def user(self) -> AbstractBaseUser | None:
        if self.loaded_user is None and self.user_values is not None:
            self.loaded_user = _user(self.user_values)
        return self.loaded_user


def _listed(qs: QuerySet) -> QuerySet:
    return qs.filter(Q(total__gt=0) | Q(proposals__gt=0))


# The database orders exactly as calculations.order_key (index scoring_uq_order), so the rows
# come back best first and calculations.assign_ranks numbers them in one pass.
ORDER = ("-total", "-approval_points", "user_id")
USER_FIELDS = ("id", "username", "first_name", "last_name")


def quarter_ranking(*, year: int, quarter: int, with_users: bool = True) -> list[RankingRow]:
    """The live ranking of a quarter, best first, read from the quarter roll-up (one row per
    person). ``with_users`` loads each user's name fields and department in one more query
    (the round and the export only need ids and departments)."""
    rows = [
        RankingRow(u, t, a, c, v, p > 0)
        for u, t, a, c, v, p in _listed(UserQuarter.objects.filter(year=year, quarter=quarter))
        .order_by(*ORDER)
        .values_list(
            "user_id", "total", "approval_points", "comment_points", "view_points", "proposals"
        )
    ]
    calc.assign_ranks(rows)
    if with_users:
        people = User.objects.filter(
            pk__in=UserQuarter.objects.filter(year=year, quarter=quarter).values("user_id")
        ).values_list(*USER_FIELDS, "staff_profile__department__name")
        users = {values[0]: (values[:4], values[4] or "") for values in people}
        for r in rows:
            r.user_values, r.department = users[r.user_id]
    return rows


def _user(values: tuple) -> AbstractBaseUser:
    """A user instance with the name fields loaded and the rest deferred (read on access), as
    Model.from_db would build it, minus the per-instance __init__ and signals: for 50,000
    people that is the difference between ~0.5 s and ~0.05 s (bench/scoring.py)."""
    user = User.__new__(User)
    user.__dict__.update(zip(USER_FIELDS, values, strict=True))
    user._state = ModelState()
    user._state.adding, user._state.db = False, DEFAULT_DB_ALIAS
    return user


def _department(user: AbstractBaseUser) -> str:
    from org.selectors import department_of

    dept = department_of(user)
    return dept.name if dept else ""


@dataclass
class Leaderboard:
    year: int
    quarter: int
    rows: list[RankingRow]
    round: QuarterRound | None  # the frozen official record, when the round has run
    listed: int = 0


def leaderboard(*, year: int, quarter: int, limit: int = 50) -> Leaderboard:
    """Top ``limit`` of a quarter: the frozen snapshot if the round ran, else live. Three
    queries whatever the size (index scan of the top rows, a count, the round)."""
    rnd = QuarterRound.objects.filter(year=year, quarter=quarter).first()
    if rnd is not None:
        winners = set(rnd.winners.filter(active=True).values_list("user_id", flat=True))
        entries = RoundEntry.objects.filter(round=rnd).select_related("user").order_by("position")
        rows = [
            RankingRow(
                e.user_id,
                e.total,
                e.approval_points,
                e.comment_points,
                e.view_points,
                e.eligible,
                e.rank,
                department=e.department,
                winner=e.user_id in winners,
                loaded_user=e.user,
            )
            for e in entries[:limit]
        ]
        return Leaderboard(year, quarter, rows, rnd, RoundEntry.objects.filter(round=rnd).count())
    qs = _listed(UserQuarter.objects.filter(year=year, quarter=quarter))
    top = qs.select_related("user__staff_profile__department").order_by(
        "-total", "-approval_points", "user_id"
    )[:limit]
    rows = [
        RankingRow(
            q.user_id,
            q.total,
            q.approval_points,
            q.comment_points,
            q.view_points,
            q.proposals > 0,
            department=_department(q.user),
            loaded_user=q.user,
        )
        for q in top
    ]
    # The top rows are a prefix of the full order, so their ranks are the full list's ranks.
    calc.assign_ranks(rows)
    return Leaderboard(year, quarter, rows, None, qs.count())


def rank_of(
    *, user: AbstractBaseUser, year: int, quarter: int, row: UserQuarter | None = None
) -> int | None:
    """One person's live rank in a quarter: 1 + eligible people strictly ahead (one count)."""
    uq = row or UserQuarter.objects.filter(user=user, year=year, quarter=quarter).first()
    if uq is None or uq.proposals <= 0:
        return None
    ahead = UserQuarter.objects.filter(year=year, quarter=quarter, proposals__gt=0).filter(
        Q(total__gt=uq.total) | Q(total=uq.total, approval_points__gt=uq.approval_points)
    )
    return ahead.count() + 1


@dataclass
class MonthLine:
    month: date
    comment: Decimal
    view: Decimal
    comment_capped: Decimal
    view_capped: Decimal
    approval: Decimal
    proposals: int


@dataclass
class MyScore:
    today: date
    month: date
    year: int
    quarter: int
    comment: Decimal  # this month, uncapped sum
    view: Decimal
    comment_cap: Decimal | None
    view_cap: Decimal | None
    comment_capped: Decimal
    view_capped: Decimal
    approval: Decimal  # this quarter
    quarter_comment: Decimal
    quarter_view: Decimal
    total: Decimal
    proposals: int
    eligible: bool
    rank: int | None
    months: list[MonthLine] = field(default_factory=list)
    wins: list[RoundWinner] = field(default_factory=list)


def my_score(*, user: AbstractBaseUser, at: datetime | None = None) -> MyScore:
    """내 점수: this month against the caps, this quarter's total and rank. A fixed number of
    queries; the ledger lines are a separate paginated query (my_lines)."""
    at = at or timezone.now()
    month = calc.month_of(at)
    year, quarter = calc.quarter_of(month)
    caps = rules_for_year(year).caps
    start, end = calc.quarter_span(year, quarter)
    months = {
        m.month: m for m in UserMonth.objects.filter(user=user, month__gte=start, month__lt=end)
    }
    lines = []
    for m in calc.quarter_months(year, quarter):
        um = months.get(m)
        if um is None:
            continue
        lines.append(
            MonthLine(
                m,
                um.comment_points,
                um.view_points,
                calc.capped(um.comment_points, caps.get(calc.COMMENT)),
                calc.capped(um.view_points, caps.get(calc.VIEW)),
                um.approval_points,
                um.proposals,
            )  # fmt: skip
        )
    this = months.get(month)
    comment = this.comment_points if this else calc.ZERO
    view = this.view_points if this else calc.ZERO
    uq = UserQuarter.objects.filter(user=user, year=year, quarter=quarter).first()
    return MyScore(
        today=at.astimezone(calc.KST).date(),
        month=month,
        year=year,
        quarter=quarter,
        comment=comment,
        view=view,
        comment_cap=caps.get(calc.COMMENT),
        view_cap=caps.get(calc.VIEW),
        comment_capped=calc.capped(comment, caps.get(calc.COMMENT)),
        view_capped=calc.capped(view, caps.get(calc.VIEW)),
        approval=uq.approval_points if uq else calc.ZERO,
        quarter_comment=uq.comment_points if uq else calc.ZERO,
        quarter_view=uq.view_points if uq else calc.ZERO,
        total=uq.total if uq else calc.ZERO,
        proposals=uq.proposals if uq else 0,
        eligible=bool(uq and uq.proposals > 0),
        rank=rank_of(user=user, year=year, quarter=quarter, row=uq) if uq else None,
        months=lines,
        wins=list(
            RoundWinner.objects.filter(user=user, active=True)
            .select_related("round")
            .order_by("-round__year", "-round__quarter")[:8]
        ),
    )


def my_lines(*, user: AbstractBaseUser, year: int, quarter: int) -> QuerySet[Activity]:
    """The ledger lines of one person's quarter, newest first (index on user, month)."""
    start, end = calc.quarter_span(year, quarter)
    return Activity.objects.filter(user=user, month__gte=start, month__lt=end).order_by(
        "-occurred_at", "-id"
    )


def round_entries(*, round: QuarterRound) -> QuerySet[RoundEntry]:
    return RoundEntry.objects.filter(round=round).select_related("user").order_by("position")


def rounds() -> QuerySet[QuarterRound]:
    return QuarterRound.objects.order_by("-year", "-quarter")
