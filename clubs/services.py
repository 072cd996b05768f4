"""Every write of the learning clubs. Views, admin, tasks, commands and demo data call these.

A refused write raises ``common.errors.ServiceError`` with a translated Korean message and a
stable code; views put it on the form (``add_to_form``) or show it (``message_error``)."""

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from board.services import submit_post
from common import periods
from common.access import allowed
from common.errors import ServiceError
from contests.services import entry_create, round_create
from notifications.services import notify
from org.models import Bureau, StaffProfile, display_name
from org.roles import Role

from . import calculations as calc
from . import selectors
from .models import (
    CLUB_AREA,
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
    ResearchReport,
    StudyGroup,
    SupportExpense,
    Topic,
)
from .topic_lists import PLEDGES, VISION_2018


@dataclass(frozen=True)
class TopicChoice:
    """A club topic: a listed one, or free text."""

    topic: Topic | None = None
    free_text: str = ""


def _today(at: datetime | None) -> date:
    return periods.local_date(at or timezone.now())


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


# --- Memberships -----------------------------------------------------------------------------


def _role_holder(group: StudyGroup, role: str) -> Membership | None:
    return group.memberships.select_related("user").filter(role=role, end_date__isnull=True).first()


def _check_role_free(group: StudyGroup, role: str, *, exclude: Membership | None = None) -> None:
    if role == Membership.Role.MEMBER:
        return
    holder = _role_holder(group, role)
    if holder and holder != exclude:
        raise ServiceError(
            _(
                "%(group)s에는 이미 %(role)s(%(name)s)이(가) 있습니다. "
                "한 분임에 %(role)s은(는) 한 명뿐입니다. 먼저 기존 %(role)s의 역할을 바꾸세요."
            ),
            code="role_taken",
            field="role",
            params={
                "group": group.name,
                "role": Membership.Role(role).label,
                "name": display_name(holder.user),
            },
        )


def _create_membership(**kwargs: Any) -> Membership:
    try:
        with transaction.atomic():
            return Membership.objects.create(**kwargs)
    except IntegrityError as exc:  # a concurrent request took the role or the seat first
        raise ServiceError(
            _("다른 사용자가 방금 같은 역할이나 회원 정보를 바꾸었습니다. 다시 확인하세요."),
            code="conflict",
        ) from exc


@transaction.atomic
def membership_add(
    *,
    group: StudyGroup,
    user: User,
    start_date: date,
    role: str = Membership.Role.MEMBER,
    at: datetime | None = None,
) -> Membership:
    """Add a person to a group from ``start_date`` with a role (분임장, 총무 or 회원)."""
    club = group.club
    start, end = calc.club_period(club.year)
    if not start <= start_date <= end:
        raise ServiceError(
            _("시작일은 %(year)d년 동아리 운영 기간(%(start)s~%(end)s) 안이어야 합니다."),
            code="period",
            field="start_date",
            params={"year": club.year, "start": f"{start:%Y-%m-%d}", "end": f"{end:%Y-%m-%d}"},
        )
    current = (
        Membership.objects.select_related("group")
        .filter(club=club, user=user, end_date__isnull=True)
        .first()
    )
    if current:
        raise ServiceError(
            _(
                "%(name)s님은 이미 %(group)s 회원입니다. "
                "분임을 옮기려면 먼저 기존 활동을 종료하세요."
            ),
            code="duplicate",
            field="user",
            params={"name": display_name(user), "group": current.group.name},
        )
    # Periods of the same person in the same club must not overlap (history stays readable).
    if Membership.objects.filter(club=club, user=user, end_date__gte=start_date).exists():
        raise ServiceError(
            _(
                "%(name)s님의 이전 활동 기간과 겹칩니다. "
                "시작일을 이전 종료일 다음 날 이후로 하세요."
            ),
            code="overlap",
            field="start_date",
            params={"name": display_name(user)},
        )
    _check_role_free(group, role)
    return _create_membership(club=club, group=group, user=user, role=role, start_date=start_date)


@transaction.atomic
def membership_end(
    *, membership: Membership, end_date: date, reason: str, at: datetime | None = None
) -> Membership:
    """End a membership (승진·전보·탈퇴...). The row stays as history."""
    if membership.end_date is not None:
        raise ServiceError(_("이미 종료된 활동입니다."), code="state")
    if end_date < membership.start_date:
        raise ServiceError(_("종료일이 시작일보다 빠릅니다."), code="invalid", field="end_date")
    if reason not in Membership.EndReason.values:
        raise ServiceError(_("종료 사유를 고르세요."), code="required", field="reason")
    if Attendance.objects.filter(
        user_id=membership.user_id, meeting__group_id=membership.group_id, held_on__gt=end_date
    ).exists():
        raise ServiceError(
            _("종료일 이후 모임에 출석 기록이 있습니다. 종료일을 마지막 출석일 이후로 하세요."),
            code="attended",
            field="end_date",
        )
    membership.end_date = end_date
    membership.end_reason = reason
    membership.save(update_fields=["end_date", "end_reason"])
    return membership


@transaction.atomic
def membership_change_role(
    *, membership: Membership, role: str, on_date: date, at: datetime | None = None
) -> Membership:
    """Give a member a new role from ``on_date``: the old row ends the day before."""
    if membership.end_date is not None:
        raise ServiceError(_("종료된 활동의 역할은 바꿀 수 없습니다."), code="state")
    if role == membership.role:
        raise ServiceError(_("지금과 같은 역할입니다."), code="unchanged", field="role")
    if on_date <= membership.start_date:
        raise ServiceError(
            _("역할 변경일은 현재 역할 시작일 다음 날 이후여야 합니다."),
            code="invalid",
            field="on_date",
        )
    _check_role_free(membership.group, role, exclude=membership)
    membership.end_date = on_date - timedelta(days=1)
    membership.end_reason = Membership.EndReason.ROLE_CHANGE
    membership.save(update_fields=["end_date", "end_reason"])
    return _create_membership(
        club=membership.club,
        group=membership.group,
        user=membership.user,
        role=role,
        start_date=on_date,
    )


# --- Meetings and attendance -----------------------------------------------------------------


@dataclass
class MeetingRecorded:
    meeting: Meeting
    # Korean notes for attendees whose half-year cap cut this meeting's credit.
    cap_notes: list[str] = field(default_factory=list)


def _meeting_problems(
    *,
    group: StudyGroup,
    held_on: date,
    today: date,
    place: str,
    kind: str,
    hours: Decimal,
    minutes: str,
    ids: list[int],
) -> list[str]:
    """Every reason a meeting record is refused, in Korean (reads, never writes)."""
    problems: list[str] = []
    if problem := calc.meeting_date_problem(
        held_on=held_on, today=today, club_year=group.club.year
    ):
        problems.append(problem)
    if problem := calc.meeting_hours_problem(hours):
        problems.append(problem)
    if kind not in Meeting.Kind.values:
        problems.append(_("모임 종류를 고르세요."))
    if not place.strip():
        problems.append(_("장소를 적어 주세요."))
    if not minutes.strip():
        problems.append(_("회의록을 적어 주세요."))
    if not ids:
        problems.append(_("참석자를 한 명 이상 고르세요."))
    members_on_date = set(
        group.memberships.filter(user_id__in=ids, start_date__lte=held_on)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=held_on))
        .values_list("user_id", flat=True)
    )
    outsiders = [i for i in ids if i not in members_on_date]
    if outsiders:
        names = ", ".join(
            display_name(u) for u in User.objects.filter(pk__in=outsiders).order_by("last_name")
        )
        problems.append(
            _("%(day)s에 %(group)s 회원이 아닌 참석자가 있습니다: %(names)s")
            % {"day": f"{held_on:%Y-%m-%d}", "group": group.name, "names": names}
        )
    return problems


@transaction.atomic
def meeting_record(
    *,
    group: StudyGroup,
    recorded_by: User,
    held_on: date,
    place: str,
    kind: str,
    hours: Decimal,
    minutes: str,
    attendee_ids: Sequence[int],
    at: datetime | None = None,
) -> MeetingRecorded:
    """Record a held meeting and who attended. Every attendee must be a member of the group
    on that date; the learning hours it gives are capped per half-year."""
    at = at or timezone.now()
    try:
        hours = Decimal(hours)
        ids = list(dict.fromkeys(int(i) for i in attendee_ids))
    except (InvalidOperation, TypeError, ValueError) as exc:
        raise ServiceError(_("학습 시간과 참석자를 확인하세요."), code="invalid") from exc
    problems = _meeting_problems(
        group=group, held_on=held_on, today=_today(at), place=place, kind=kind,
        hours=hours, minutes=minutes, ids=ids,
    )  # fmt: skip
    if problems:
        raise ServiceError(" ".join(problems), code="invalid")

    meeting = Meeting.objects.create(
        group=group,
        held_on=held_on,
        place=place.strip(),
        kind=kind,
        hours=hours,
        minutes=minutes.strip(),
        recorded_by=recorded_by,
        recorded_at=at,
    )
    half = calc.half_year_of(held_on)
    before = selectors.hours_by_user(half=half, user_ids=ids)
    Attendance.objects.bulk_create(
        [Attendance(meeting=meeting, user_id=i, held_on=held_on, hours=hours) for i in ids]
    )
    notes: list[str] = []
    users = {u.pk: u for u in User.objects.filter(pk__in=ids)}
    for user_id in ids:
        already = before[user_id].attended if user_id in before else Decimal("0")
        credited = calc.credit_for_meeting(already=already, hours=hours)
        if credited < hours:
            notes.append(
                _(
                    "%(name)s님은 %(half)s 상시학습 인정 한도(%(cap)s시간)에 이르러 이번 모임 "
                    "%(hours)s시간 중 %(credited)s시간만 인정됩니다."
                )
                % {
                    "name": display_name(users[user_id]),
                    "half": calc.half_label(half),
                    "cap": calc.format_hours(calc.LEARNING_HOURS_CAP),
                    "hours": calc.format_hours(hours),
                    "credited": calc.format_hours(credited),
                }
            )
    return MeetingRecorded(meeting=meeting, cap_notes=notes)


# --- Support spending ------------------------------------------------------------------------


@transaction.atomic
def expense_record(
    *,
    club: Club,
    spent_on: date,
    category: str,
    amount: int,
    description: str,
    recorded_by: User,
    at: datetime | None = None,
) -> SupportExpense:
    """Record support spending (자문수당, 도서구입) for a club, in whole won."""
    if not isinstance(amount, int) or not 0 < amount <= calc.MAX_EXPENSE_WON:
        raise ServiceError(
            _("금액은 1원 이상의 정수(원 단위)로 적어 주세요."), code="invalid", field="amount"
        )
    if spent_on.year != club.year:
        raise ServiceError(
            _("지출일은 %(year)d년 안이어야 합니다."),
            code="period",
            field="spent_on",
            params={"year": club.year},
        )
    if spent_on > _today(at):
        raise ServiceError(_("지출일이 오늘 이후입니다."), code="future", field="spent_on")
    if category not in SupportExpense.Category.values:
        raise ServiceError(_("지출 항목을 고르세요."), code="required", field="category")
    if not description.strip():
        raise ServiceError(_("지출 내용을 적어 주세요."), code="required", field="description")
    return SupportExpense.objects.create(
        club=club,
        spent_on=spent_on,
        category=category,
        amount=amount,
        description=description.strip(),
        recorded_by=recorded_by,
        recorded_at=at or timezone.now(),
    )


# --- Incentives ------------------------------------------------------------------------------


@transaction.atomic
def top_contributor_recommend(
    *,
    club: Club,
    user: User,
    recommended_by: User,
    grade: str | None,
    at: datetime | None = None,
) -> Incentive:
    """The chair recommends one of a group's top contributors (특별휴가, 전보 희망부서 추천).
    ``grade`` is the club's review grade (read from the contests round by the caller)."""
    membership = (
        Membership.objects.select_related("group")
        .filter(club=club, user=user)
        .order_by("-start_date")
        .first()
    )
    if membership is None:
        raise ServiceError(
            _("%(name)s님은 이 동아리 회원이 아닙니다."),
            code="not_member",
            field="user",
            params={"name": display_name(user)},
        )
    group = membership.group
    Club.objects.select_for_update().get(pk=club.pk)
    already = Incentive.objects.filter(club=club, group=group, kind=Incentive.Kind.TOP_CONTRIBUTOR)
    if already.filter(user=user).exists():
        raise ServiceError(
            _("%(name)s님은 이미 추천되었습니다."),
            code="duplicate",
            field="user",
            params={"name": display_name(user)},
        )
    if problem := calc.top_contributor_problem(grade=grade, already_in_group=already.count()):
        raise ServiceError(problem, code="limit")
    return Incentive.objects.create(
        club=club,
        group=group,
        user=user,
        kind=Incentive.Kind.TOP_CONTRIBUTOR,
        grade=grade or "",
        recommended_by=recommended_by,
        recommended_at=at or timezone.now(),
    )


@transaction.atomic
def top_contributor_withdraw(*, incentive: Incentive) -> None:
    if incentive.kind != Incentive.Kind.TOP_CONTRIBUTOR:
        raise ServiceError(_("활동 최고 기여자 추천만 취소할 수 있습니다."), code="kind")
    incentive.delete()


@transaction.atomic
def overseas_trip_recommend_all(
    *,
    club: Club,
    recommended_by: User,
    grade: str | None,
    at: datetime | None = None,
) -> int:
    """Recommend every member of the 최우수 club for the overseas study trip. Idempotent:
    returns how many were newly recommended."""
    if "overseas_trip" not in calc.incentive_kinds_for_grade(grade):
        raise ServiceError(
            _("해외선진문화체험연수 추천은 최우수 동아리 구성원만 받을 수 있습니다."),
            code="grade",
        )
    at = at or timezone.now()
    latest = selectors.year_members(club=club)
    existing = set(
        Incentive.objects.filter(club=club, kind=Incentive.Kind.OVERSEAS_TRIP).values_list(
            "user_id", flat=True
        )
    )
    new = [
        Incentive(
            club=club,
            group_id=m.group_id,
            user_id=user_id,
            kind=Incentive.Kind.OVERSEAS_TRIP,
            grade=grade or "",
            recommended_by=recommended_by,
            recommended_at=at,
        )
        for user_id, m in latest.items()
        if user_id not in existing
    ]
    Incentive.objects.bulk_create(new)
    return len(new)


# --- Monthly and research reports (board posts in the club area) ----------------------------


def _attendance_table(group: StudyGroup, month: date) -> tuple[str, int, int]:
    """The month's meetings and attendance as a Markdown table, for the report post."""
    meetings = list(
        group.meetings.filter(held_on__gte=month, held_on__lt=periods.next_month(month))
        .prefetch_related("attendances__user")
        .order_by("held_on", "id")
    )
    lines = [
        "| {} | {} | {} | {} | {} |".format(
            _("날짜"), _("종류"), _("장소"), _("시간"), _("참석자")
        ),
        "| --- | --- | --- | --- | --- |",
    ]
    attendance = 0
    for m in meetings:
        names = sorted(display_name(a.user) for a in m.attendances.all())
        attendance += len(names)
        lines.append(
            f"| {m.held_on:%m.%d} | {m.get_kind_display()} | {m.place} | "
            + _("%(hours)s시간") % {"hours": calc.format_hours(m.hours)}
            + f" | {', '.join(names)} ("
            + _("%(n)d명") % {"n": len(names)}
            + ") |"
        )
    return "\n".join(lines), len(meetings), attendance


def _month_label(month: date) -> str:
    return _("%(year)d년 %(month)02d월") % {"year": month.year, "month": month.month}


@transaction.atomic
def monthly_report_file(
    *,
    group: StudyGroup,
    month: date,
    filed_by: User,
    title: str,
    body: str,
    at: datetime | None = None,
) -> MonthlyReport:
    """The group's 총무 files the month's activity report as a club-area board post, with that
    month's meetings and attendance appended. One report per group and month."""
    at = at or timezone.now()
    month = month.replace(day=1)
    label = _month_label(month)
    if month not in calc.report_months(group.club.year):
        raise ServiceError(
            _("보고 월은 %(year)d년 2월~11월 중에서 고르세요."),
            code="period",
            field="month",
            params={"year": group.club.year},
        )
    if month > _today(at).replace(day=1):
        raise ServiceError(
            _("아직 오지 않은 달의 활동보고서는 낼 수 없습니다."), code="future", field="month"
        )
    if not allowed(filed_by, "clubs.file_report", group):
        raise ServiceError(
            _("활동보고서는 %(group)s의 총무만 제출할 수 있습니다."),
            code="forbidden",
            params={"group": group.name},
        )
    duplicate = ServiceError(
        _("%(group)s의 %(month)s 활동보고서는 이미 제출되었습니다."),
        code="duplicate",
        field="month",
        params={"group": group.name, "month": label},
    )
    if MonthlyReport.objects.filter(group=group, month=month).exists():
        raise duplicate
    table, meeting_count, attendance = _attendance_table(group, month)
    if meeting_count == 0:
        raise ServiceError(
            _("%(month)s에 기록된 모임이 없습니다. 먼저 모임과 출석을 기록하세요."),
            code="no_meetings",
            params={"month": label},
        )
    heading = _("%(month)s 모임 및 출석") % {"month": label}
    full_body = f"{body.strip()}\n\n### {heading}\n\n{table}\n" if body.strip() else ""
    post = submit_post(
        author=filed_by,
        area=CLUB_AREA,
        title=title
        or _("[%(club)s %(group)s] %(month)s 활동보고")
        % {"club": group.club.name, "group": group.name, "month": label},
        body=full_body,
        at=at,
    )
    try:
        with transaction.atomic():
            return MonthlyReport.objects.create(
                group=group,
                month=month,
                post=post,
                meeting_count=meeting_count,
                attendance_count=attendance,
                filed_by=filed_by,
                filed_at=at,
            )
    except IntegrityError as exc:
        raise duplicate from exc


@transaction.atomic
def research_report_file(
    *,
    club: Club,
    filed_by: User,
    title: str,
    summary: str,
    body: str,
    at: datetime | None = None,
) -> ResearchReport:
    """File the club's second-half research performance report (연구성과 보고서), once."""
    at = at or timezone.now()
    if calc.half_year_of(_today(at)) != periods.half(club.year, calc.RESEARCH_REPORT_HALF):
        raise ServiceError(
            _("연구성과 보고서는 %(year)d년 하반기(7월~12월)에 제출합니다."),
            code="period",
            params={"year": club.year},
        )
    if ResearchReport.objects.filter(club=club).exists():
        raise ServiceError(
            _("이 동아리의 연구성과 보고서는 이미 제출되었습니다."), code="duplicate"
        )
    if not summary.strip():
        raise ServiceError(_("요약을 적어 주세요."), code="required", field="summary")
    post = submit_post(
        author=filed_by,
        area=CLUB_AREA,
        title=title
        or _("[%(club)s] %(year)d년 연구성과 보고서") % {"club": club.name, "year": club.year},
        body=body,
        at=at,
    )
    return ResearchReport.objects.create(
        club=club, post=post, summary=summary.strip(), filed_by=filed_by, filed_at=at
    )


# --- Missing reports -------------------------------------------------------------------------


def _portal_admins() -> list[User]:
    return list(
        User.objects.filter(
            Q(is_superuser=True) | Q(groups__name=Role.PORTAL_ADMIN), is_active=True
        )
        .distinct()
        .order_by("pk")
    )


@transaction.atomic
def missing_reports_flag(*, at: datetime | None = None) -> int:
    """Flag every overdue monthly report (past its due day, not filed) to the group's current
    분임장 and 총무 and to the portal admins, once per group and month.
    Idempotent: returns how many group-months were newly flagged."""
    at = at or timezone.now()
    today = _today(at)
    groups = list(
        StudyGroup.objects.filter(club__year__in=(today.year, today.year - 1))
        .select_related("club")
        .prefetch_related("reports", "missing_flags", "memberships__user")
    )
    admins = _portal_admins()
    flagged = 0
    for group in groups:
        starts = [m.start_date for m in group.memberships.all()]
        if not starts:
            continue  # an empty group has nothing to report yet
        filed = {r.month for r in group.reports.all()}
        done = {f.month for f in group.missing_flags.all()}
        months = calc.overdue_months(group.club.year, filed=filed, today=today, since=min(starts))
        officers = [
            m.user
            for m in group.memberships.all()
            if m.end_date is None and m.role != Membership.Role.MEMBER
        ]
        url = reverse("clubs:club_detail", args=[group.club_id])
        for month in months:
            if month in done:
                continue
            _flag, created = MissingReportFlag.objects.get_or_create(
                group=group, month=month, defaults={"flagged_at": at}
            )
            if not created:
                continue
            flagged += 1
            title = _(
                "[학습동아리] %(club)s %(group)s의 %(month)s 활동보고서가 제출되지 않았습니다."
            ) % {"club": group.club.name, "group": group.name, "month": _month_label(month)}
            for person in {u.pk: u for u in [*officers, *admins]}.values():
                notify(recipient=person, verb="clubs.report_missing", title=title, url=url, at=at)
    return flagged


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
