"""Reads of the learning clubs: lists, a club's page, learning hours and the HR lists."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import User
from django.db import connection
from django.db.models import (
    Case,
    Count,
    DecimalField,
    F,
    Field,
    FilteredRelation,
    Func,
    IntegerField,
    Model,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce, ExtractMonth
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common import periods
from common.periods import Period
from contests.models import Award
from contests.selectors import awards_for_source

from . import calculations as calc
from .models import (
    CLUB_SOURCE,
    Attendance,
    Club,
    ClubReview,
    ClubTopic,
    Incentive,
    Meeting,
    Membership,
    MissingReportFlag,
    MonthlyReport,
    StudyGroup,
    SupportExpense,
    Topic,
)


def _count(qs: QuerySet[Any]) -> Coalesce:
    """A correlated COUNT subquery (several joined Counts would multiply each other)."""
    # COUNT as a plain function (not an aggregate) so Django adds no GROUP BY.
    counted = qs.order_by().annotate(c=Func(F("pk"), function="COUNT")).values("c")
    return Coalesce(Subquery(counted[:1], output_field=IntegerField()), 0)


def club_years() -> list[int]:
    years = set(Club.objects.values_list("year", flat=True).distinct())
    years.add(timezone.localdate().year)
    return sorted(years, reverse=True)


def clubs_for_year(*, year: int) -> QuerySet[Club]:
    """The year's clubs with their counts, in bureau order (one query)."""
    return (
        Club.objects.filter(year=year)
        .select_related("bureau", "chair")
        .annotate(
            group_count=_count(StudyGroup.objects.filter(club=OuterRef("pk"))),
            member_count=_count(
                Membership.objects.filter(club=OuterRef("pk"), end_date__isnull=True)
            ),
            meeting_count=_count(Meeting.objects.filter(group__club=OuterRef("pk"))),
            report_count=_count(MonthlyReport.objects.filter(group__club=OuterRef("pk"))),
        )
        .order_by("bureau__order", "bureau__name")
    )


def meetings_for_club(*, club: Club) -> QuerySet[Meeting]:
    """The club's meetings, newest first, with their group and ``attendee_count`` (what the
    club page lists: not who recorded them, whose columns were half the statement and its
    GROUP BY)."""
    return (
        Meeting.objects.filter(group__club=club)
        .select_related("group")
        .annotate(attendee_count=Count("attendances"))
        .order_by("-held_on", "-id")
    )


def meeting_detail_queryset() -> QuerySet[Meeting]:
    return Meeting.objects.select_related("group__club", "recorded_by").prefetch_related(
        Prefetch(
            "attendances",
            queryset=Attendance.objects.select_related("user__staff_profile__department").order_by(
                "user__last_name", "user__first_name"
            ),
        )
    )


@dataclass(frozen=True)
class ReportCell:
    month: date
    report: MonthlyReport | None
    overdue: bool
    flagged: bool

    @property
    def status_label(self) -> str:
        if self.report:
            return self.report.post.get_status_display()
        if self.overdue:
            return str(_("미제출"))
        return "-"


def report_grid(
    *, club: Club, today: date | None = None
) -> list[tuple[StudyGroup, list[ReportCell]]]:
    """For each group, each month Feb–Nov: the report (with its post's status), or whether it
    is overdue and was flagged (two queries)."""
    today = today or timezone.localdate()
    reports: dict[tuple[int, date], MonthlyReport] = {
        (r.group_id, r.month): r
        for r in MonthlyReport.objects.filter(group__club=club).select_related("post")
    }
    groups = list(club.groups.prefetch_related("missing_flags").order_by("order", "name"))
    grid = []
    for group in groups:
        flagged = {f.month for f in group.missing_flags.all()}
        cells = [
            ReportCell(
                month=m,
                report=reports.get((group.pk, m)),
                overdue=calc.report_due_date(m) < today,
                flagged=m in flagged,
            )
            for m in calc.report_months(club.year)
        ]
        grid.append((group, cells))
    return grid


def reports_due_for(*, group: StudyGroup, today: date | None = None) -> list[date]:
    """Months the group's 총무 can still file: past or current months of the club year with no
    report yet."""
    today = today or timezone.localdate()
    filed = set(group.reports.values_list("month", flat=True))
    return [
        m
        for m in calc.report_months(group.club.year)
        if m <= today.replace(day=1) and m not in filed
    ]


def hours_by_user(
    *, half: Period, user_ids: list[int] | None = None
) -> dict[int, calc.LearningHours]:
    """Attended hours per person in a half-year (one SQL aggregate), capped by
    :func:`calculations.summarize`: the SQL only sums, the rule lives in one place."""
    rows = Attendance.objects.filter(held_on__gte=half.start, held_on__lt=half.end)
    if user_ids is not None:
        rows = rows.filter(user_id__in=user_ids)
    totals = rows.values("user_id").annotate(total=Coalesce(Sum("hours"), Decimal("0")))
    return {r["user_id"]: calc.summarize(r["total"]) for r in totals}


@dataclass(frozen=True)
class MemberHours:
    user: User
    group: StudyGroup
    first_half: calc.LearningHours
    second_half: calc.LearningHours


ZERO = calc.LearningHours(attended=Decimal("0"), credited=Decimal("0"))


def learning_hours_for_club(*, club: Club) -> list[MemberHours]:
    """Every person who was a member during the year, with both half-years' hours (counting
    all their attendance, in any club: the cap is per person)."""
    latest = year_members(club=club, people=True)
    ids = list(latest)
    first = hours_by_user(half=periods.half(club.year, 1), user_ids=ids)
    second = hours_by_user(half=periods.half(club.year, 2), user_ids=ids)
    rows = [
        MemberHours(
            user=m.user,
            group=m.group,
            first_half=first.get(uid, ZERO),
            second_half=second.get(uid, ZERO),
        )
        for uid, m in latest.items()
    ]
    rows.sort(key=lambda r: (r.group.order, r.group.name, r.user.last_name, r.user.first_name))
    return rows


@dataclass(frozen=True)
class HrHoursRow:
    user: User
    clubs: str
    hours: calc.LearningHours


def hr_learning_hours(*, half: Period) -> list[HrHoursRow]:
    """Per person for 총무과: credited learning hours in a half-year (three queries)."""
    hours = hours_by_user(half=half)
    users = {
        u.pk: u
        for u in User.objects.filter(pk__in=list(hours)).select_related("staff_profile__department")
    }
    club_names: dict[int, set[str]] = defaultdict(set)
    for user_id, name in (
        Attendance.objects.filter(held_on__gte=half.start, held_on__lt=half.end)
        .values_list("user_id", "meeting__group__club__name")
        .distinct()
    ):
        club_names[user_id].add(name)
    rows = [
        HrHoursRow(user=users[uid], clubs=", ".join(sorted(club_names[uid])), hours=h)
        for uid, h in hours.items()
    ]
    rows.sort(key=lambda r: (r.user.last_name, r.user.first_name, r.user.pk))
    return rows


def club_grade(*, club: Club) -> str | None:
    """The club's confirmed review grade (a ``contests.models.Grade`` value), or None."""
    award = (
        awards_for_source(source_type=CLUB_SOURCE, source_id=club.pk)
        .filter(round__year=club.year, round__kind="club_review")
        .first()
    )
    return award.grade if award else None


def review_for(*, year: int) -> ClubReview | None:
    return ClubReview.objects.select_related("round").filter(year=year).first()


def incentives_for_club(*, club: Club) -> QuerySet[Incentive]:
    return (
        Incentive.objects.filter(club=club)
        .select_related("user__staff_profile__department", "group", "recommended_by")
        .order_by("kind", "group__order", "user__last_name")
    )


def incentives_for_year(*, year: int) -> QuerySet[Incentive]:
    """Every incentive of the year for 총무과, with person, department, club and group."""
    return (
        Incentive.objects.filter(club__year=year)
        .select_related("user__staff_profile__department", "club__bureau", "group")
        .order_by("club__bureau__order", "kind", "group__order", "user__last_name")
    )


def expenses_for_club(*, club: Club) -> tuple[list[SupportExpense], int]:
    rows = list(club.expenses.select_related("recorded_by").order_by("spent_on", "id"))
    return rows, sum(r.amount for r in rows)


def year_members(*, club: Club, people: bool = False) -> dict[int, Membership]:
    """Everyone who was a member during the club year, with the membership of the group they
    were last in (by user id)."""
    rows = Membership.objects.filter(club=club).order_by("start_date", "id")
    if people:
        rows = rows.select_related("user", "group")
    latest: dict[int, Membership] = {}
    for m in rows:
        latest[m.user_id] = m
    return latest


def overseas_trip_pending(*, club: Club) -> int:
    """How many members an overseas-trip recommendation would newly add (two queries)."""
    existing = set(
        Incentive.objects.filter(club=club, kind=Incentive.Kind.OVERSEAS_TRIP).values_list(
            "user_id", flat=True
        )
    )
    return len(set(year_members(club=club)) - existing)


def my_groups(*, user: User) -> QuerySet[Membership]:
    """The current memberships of ``user`` (for the index page's "내 분임")."""
    return (
        Membership.objects.filter(user_id=user.pk, end_date__isnull=True)
        .select_related("group__club__bureau")
        .order_by("-club__year")
    )


@dataclass(frozen=True)
class YearActivity:
    """A year of the learning clubs in numbers (the programme dashboard's club section)."""

    clubs: int
    meetings: int
    attendances: int  # 연인원: one per person per meeting
    hours: Decimal  # learned hours of all attendances, uncapped
    reports: int  # monthly reports filed


def year_activity(*, years: list[int]) -> dict[int, YearActivity]:
    """:class:`YearActivity` of each year, in one aggregate query per table. Dated tables are
    filtered by a date range (an index range: ``__year__in`` would be an EXTRACT on every
    row); attendance's people and hours come in one scan of its index alone
    (clubs_attend_date_hours: rows counted by their date, never null)."""

    def split(qs: QuerySet[Any], field: str, dated: bool, **sums: str) -> dict[str, dict[int, Any]]:
        def when(year: int) -> Q:
            return Q(**{f"{field}__year" if dated else field: year})

        aggs: dict[str, Any] = {f"n{y}": Count(field, filter=when(y)) for y in years}
        for name, column in sums.items():
            aggs |= {
                f"{name}{y}": Coalesce(Sum(column, filter=when(y)), Value(Decimal(0)))
                for y in years
            }
        scope = (
            Q(**{f"{field}__range": (date(min(years), 1, 1), date(max(years), 12, 31))})
            if dated
            else Q(**{f"{field}__in": years})
        )
        totals = qs.filter(scope).aggregate(**aggs)
        return {name: {y: totals[f"{name}{y}"] for y in years} for name in ("n", *sums)}

    clubs = split(Club.objects.all(), "year", False)["n"]
    meetings = split(Meeting.objects.all(), "held_on", True)["n"]
    attendance = split(Attendance.objects.all(), "held_on", True, hours="hours")
    people, hours = attendance["n"], attendance["hours"]
    reports = split(MonthlyReport.objects.all(), "month", True)["n"]
    return {y: YearActivity(clubs[y], meetings[y], people[y], hours[y], reports[y]) for y in years}


@dataclass(frozen=True)
class ReportDue:
    """A monthly report a group's 총무 still owes: the month, its due date, whether it's late."""

    group: StudyGroup
    month: date
    due_on: date
    overdue: bool


def reports_due_of_secretary(*, user: User, today: date | None = None) -> list[ReportDue]:
    """The monthly reports the person, as a group's current 총무, has still to file: months of
    the club year up to last month with no report. ONE statement (the home page's budget): the
    seats joined to their groups' filed months (a group files at most one report a month of its club
    year, so a few rows per seat)."""
    today = today or timezone.localdate()
    rows = (
        Membership.objects.filter(
            user_id=user.pk, end_date__isnull=True, role=Membership.Role.SECRETARY
        )
        .select_related("group__club")
        .annotate(filed_month=F("group__reports__month"))
    )
    seats: dict[int, Membership] = {}
    filed: dict[int, set[date]] = {}
    for row in rows:
        seats.setdefault(row.pk, row)
        months = filed.setdefault(row.pk, set())
        if row.filed_month is not None:
            months.add(row.filed_month)
    due = []
    for pk, seat in seats.items():
        for month in calc.report_months(seat.group.club.year):
            if month < today.replace(day=1) and month not in filed[pk]:
                on = calc.report_due_date(month)
                due.append(ReportDue(seat.group, month, on, on < today))
    return due


@dataclass(frozen=True)
class ClubPage:
    """Everything the club page shows, loaded once (:func:`club_page`)."""

    club: Club
    groups: list[StudyGroup]  # each with ``memberships.all()`` loaded, in page order
    grid: list[tuple[StudyGroup, list[ReportCell]]]
    hours: list[MemberHours]
    expenses: list[SupportExpense]
    expense_total: int
    grade: str | None
    meeting_count: int


def _column(model: type[Model], name: str) -> str:
    """The quoted column of a model's concrete field."""
    field = model._meta.get_field(name)
    if not isinstance(field, Field) or not field.column:
        raise TypeError(f"{model.__name__}.{name} has no column")
    return connection.ops.quote_name(field.column)


def _hours_of(half: Period) -> RawSQL:
    """The attended hours of the membership row's person in ``half``: a correlated SUM on the
    ``clubs_attend_user_date`` index. Written as SQL: an ORM ``Subquery`` with an ``OuterRef``
    is copied and relabelled each time it is resolved, ~1 ms of the club page's two (cProfile),
    for the same statement."""
    q = connection.ops.quote_name
    user, held_on, hours = (_column(Attendance, n) for n in ("user", "held_on", "hours"))
    row_user = f"{q(Membership._meta.db_table)}.{_column(Membership, 'user')}"
    table = q(Attendance._meta.db_table)
    sql = (
        f"COALESCE((SELECT SUM(a.{hours}) FROM {table} a WHERE a.{user} = {row_user}"  # noqa: S608
        f" AND a.{held_on} >= %s AND a.{held_on} < %s), 0)"  # names from _meta, no input
    )
    # ISO dates: what the ORM sends for a DateField on SQLite; PostgreSQL casts them to date.
    params = (half.start.isoformat(), half.end.isoformat())
    return RawSQL(sql, params, output_field=DecimalField())  # noqa: S611 - no user input


def _summarized(row: Membership, name: str) -> calc.LearningHours:
    attended: Decimal = getattr(row, name)  # an annotation (see _hours_of)
    return calc.summarize(attended) if attended else ZERO


def club_page(*, club_id: int, today: date | None = None) -> ClubPage:
    """The club page in a fixed number of queries, whatever the number of groups, members,
    meetings or reports: the club (with bureau, chair, both topic slots, research report,
    meeting count and review grade), its groups (with their flagged months), every
    membership (with person, department and both half-years' hours), the reports, the
    expenses. Six statements; the meetings page is the seventh (:func:`meetings_for_club`)."""
    today = today or timezone.localdate()
    grade = (
        Award.objects.filter(
            entry__source_type=CLUB_SOURCE,
            entry__source_id=OuterRef("pk"),
            round__year=OuterRef("year"),
            round__kind="club_review",
        )
        .order_by("-round__year", "round_id")
        .values("grade")[:1]
    )
    # The two topic slots joined (one row each at most: unique per club and slot), not ten
    # correlated subqueries: compiling those was a third of the selector's time (cProfile).
    slots = {f"slot_{n}": FilteredRelation("topics", condition=Q(topics__slot=n)) for n in (1, 2)}
    slot_fields = {
        f"t{n}_{name}": F(f"slot_{n}__{name}")
        for n in (1, 2)
        for name in ("topic_id", "free_text", "topic__title", "topic__source", "topic__is_sample")
    }
    club = (
        Club.objects.select_related("bureau", "chair", "research_report__post")
        .annotate(**slots)
        .annotate(
            meeting_count=_count(Meeting.objects.filter(group__club=OuterRef("pk"))),
            grade=Subquery(grade),
            **slot_fields,
        )
        .get(pk=club_id)
    )
    # The two topic slots (a CHECK constraint allows no others) as model instances, so the
    # template reads ``club.topics.all`` as before.
    topics = []
    for slot in (1, 2):
        row = {name: getattr(club, f"t{slot}_{name}") for name in ("topic_id", "free_text")}
        if row["topic_id"] is None and not row["free_text"]:
            continue
        topic = None
        if row["topic_id"] is not None:
            topic = Topic(
                pk=row["topic_id"],
                title=getattr(club, f"t{slot}_topic__title"),
                source=getattr(club, f"t{slot}_topic__source"),
                is_sample=getattr(club, f"t{slot}_topic__is_sample"),
            )
        topics.append(
            ClubTopic(club=club, slot=slot, topic=topic, free_text=row["free_text"] or "")
        )
    months = calc.report_months(club.year)
    # The flagged months of a group as one number (bit n: month n; a month is flagged once,
    # a UniqueConstraint), one subquery instead of one EXISTS per month.
    flag_bits = (
        MissingReportFlag.objects.filter(
            group=OuterRef("pk"), month__gte=months[0], month__lte=months[-1]
        )
        .order_by()
        .annotate(
            bits=Func(
                Func(Value(2), ExtractMonth("month"), function="POWER"),
                function="SUM",
                output_field=IntegerField(),
            )
        )
        .values("bits")[:1]
    )
    groups: list[StudyGroup] = list(
        StudyGroup.objects.filter(club_id=club.pk)
        .annotate(flag_bits=Coalesce(Subquery(flag_bits), Value(0), output_field=IntegerField()))
        .order_by("order", "name")
    )
    role_order = Case(
        When(role=Membership.Role.LEADER, then=Value(0)),
        When(role=Membership.Role.SECRETARY, then=Value(1)),
        default=Value(2),
    )
    first, second = periods.half(club.year, 1), periods.half(club.year, 2)
    memberships = list(
        Membership.objects.filter(group__club_id=club.pk)
        .select_related("user__staff_profile__department")
        .annotate(
            first_hours=_hours_of(first),
            second_hours=_hours_of(second),
        )
        .order_by(
            F("end_date").asc(nulls_first=True), role_order, "user__last_name", "user__first_name"
        )
    )
    by_group: dict[int, list[Membership]] = defaultdict(list)
    for m in memberships:
        by_group[m.group_id].append(m)
    by_pk = {g.pk: g for g in groups}
    for g in groups:
        g.club = club
        set_prefetched(g, "memberships", by_group[g.pk])
    # hours: everyone who was a member in the year, in the group they were last in
    latest: dict[int, Membership] = {}
    for m in sorted(memberships, key=lambda m: (m.start_date, m.pk)):
        latest[m.user_id] = m
    hours = [
        MemberHours(
            user=m.user,
            group=by_pk[m.group_id],
            first_half=_summarized(m, "first_hours"),
            second_half=_summarized(m, "second_hours"),
        )
        for m in latest.values()
    ]
    hours.sort(key=lambda r: (r.group.order, r.group.name, r.user.last_name, r.user.first_name))
    # The grid shows a report's status and links its post: not the post's texts (a report's
    # body, its HTML, text and search keys) for every report of the year.
    reports = {
        (r.group_id, r.month): r
        for r in MonthlyReport.objects.filter(group__club_id=club.pk)
        .select_related("post")
        .only("group_id", "month", "post", "post__status")
    }
    grid = [
        (
            g,
            [
                ReportCell(
                    month=m,
                    report=reports.get((g.pk, m)),
                    overdue=calc.report_due_date(m) < today,
                    flagged=bool(int(g.flag_bits) >> m.month & 1),  # type: ignore[attr-defined]
                )
                for m in months
            ],
        )
        for g in groups
    ]
    expenses, total = expenses_for_club(club=club)
    set_prefetched(club, "topics", topics)
    set_prefetched(club, "groups", groups)
    return ClubPage(
        club=club,
        groups=groups,
        grid=grid,
        hours=hours,
        expenses=expenses,
        expense_total=total,
        grade=club.grade,
        meeting_count=club.meeting_count,
    )


def set_prefetched(obj: Any, name: str, rows: list[Any]) -> None:
    """Give ``obj.<name>.all()`` the rows already loaded (as ``prefetch_related`` would)."""
    cache = obj.__dict__.setdefault("_prefetched_objects_cache", {})
    cache.pop(name, None)
    qs = getattr(obj, name).get_queryset()
    qs._result_cache = rows
    qs._prefetch_done = True
    cache[name] = qs
