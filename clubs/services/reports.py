"""Monthly and research reports (board posts in the club area) and the missing-report flags."""

from datetime import date, datetime

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from board.services import post_submit
from common import periods
from common.access import allowed
from common.errors import ServiceError
from notifications.services import notification_send
from org.models import display_name
from org.roles import Role

from .. import calculations as calc
from ..models import (
    CLUB_AREA,
    Club,
    Membership,
    MissingReportFlag,
    MonthlyReport,
    ResearchReport,
    StudyGroup,
)
from ._base import local_today

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
def monthly_report_submit(
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
    if month > local_today(at).replace(day=1):
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
    post = post_submit(
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
def research_report_submit(
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
    if calc.half_year_of(local_today(at)) != periods.half(club.year, calc.RESEARCH_REPORT_HALF):
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
    post = post_submit(
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
def monthly_report_flag_missing(*, at: datetime | None = None) -> int:
    """Flag every overdue monthly report (past its due day, not filed) to the group's current
    분임장 and 총무 and to the portal admins, once per group and month.
    Idempotent: returns how many group-months were newly flagged."""
    at = at or timezone.now()
    today = local_today(at)
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
                notification_send(
                    recipient=person, verb="clubs.report_missing", title=title, url=url, at=at
                )
    return flagged
