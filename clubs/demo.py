"""Demo learning clubs for the current year: one club per bureau, two groups each, members
(demo users plus extra demo staff without a password), monthly meetings with attendance,
monthly reports (board posts) and some support spending. Idempotent: a bureau that already
has this year's club is left alone.

Demo logins: staff1 is 총무 of 기획재정국 1분임 (records meetings, files reports); panel01 is
its 분임장; head_plan chairs the club.

Everything happened before ``now`` (issue 13 #8): before a club year begins (January) the demo
clubs are last year's; meetings, reports and spending only on days already past."""

from datetime import date, datetime, time
from decimal import Decimal
from typing import TextIO

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from board.services import post_approve
from common import periods
from org.demo import CLUB_NAMES, demo_name
from org.models import Bureau
from org.roles import Role
from org.services import staff_create

from . import calculations as calc
from . import services
from .models import Club, Membership, StudyGroup, Topic

# Extra demo members (no password: they exist to be listed, not to log in): fictional names
# from org's demo, up to this many per bureau.
EXTRAS_PER_BUREAU = 20
MEMBERS_PER_GROUP = 5  # plus a 분임장 and a 총무
# 기획재정국's officers are demo logins; other bureaus' officers are extra demo staff.
OFFICERS = {"기획재정국": [("panel01", "staff1"), ("panel10", None)]}


def _at(day: date, hour: int = 19) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=periods.KST)


def club_year(now: datetime) -> int:
    """The year of the demo clubs: this year's once its club year has begun, else last year's."""
    today = timezone.localdate(now)
    return today.year if calc.club_period(today.year)[0] <= today else today.year - 1


def _extra_staff(bureau: Bureau, bureau_index: int, count: int) -> list:
    departments = list(bureau.departments.filter(kind="office"))
    people = []
    for n in range(count):
        last, first = demo_name(CLUB_NAMES, bureau_index * EXTRAS_PER_BUREAU + n)
        people.append(
            staff_create(
                username=f"club{bureau_index}_{n + 1:02d}",
                password=None,
                last_name=last,
                first_name=first,
                department=departments[n % len(departments)] if departments else None,
                roles=(Role.STAFF,),
            )
        )
    return people


@transaction.atomic
def seed(stdout: TextIO | None = None, *, now: datetime | None = None) -> None:
    now = now or timezone.now()
    year = club_year(now)
    start, _end = calc.club_period(year)
    began = min(_at(start, 10), now)
    services.topics_ensure()
    vision = list(Topic.objects.filter(source=Topic.Source.VISION_2018).order_by("number"))
    pledges = list(Topic.objects.filter(source=Topic.Source.PLEDGE).order_by("number"))
    admin = User.objects.filter(username="admin").first()
    created = 0
    for index, bureau in enumerate(Bureau.objects.order_by("order", "name")):
        if Club.objects.filter(bureau=bureau, year=year).exists():
            continue
        chair = services.bureau_head_of(bureau)
        if chair is None:
            continue
        topics = [
            services.TopicChoice(topic=vision[index % len(vision)]) if vision else
            services.TopicChoice(free_text="업무개선"),
            services.TopicChoice(topic=pledges[index % len(pledges)]) if index % 3 else
            services.TopicChoice(free_text="예산 절감과 세입 증대 방안"),
        ]  # fmt: skip
        club = services.club_create(bureau=bureau, year=year, chair=chair, topics=topics, at=began)
        created += 1
        extras = iter(_extra_staff(bureau, index, 2 * (MEMBERS_PER_GROUP + 2)))
        officers = OFFICERS.get(bureau.name, [(None, None), (None, None)])
        for g, (leader_name, secretary_name) in enumerate(officers, start=1):
            group = services.group_create(club=club, name=f"{g}분임", at=began)
            leader = User.objects.filter(username=leader_name).first() or next(extras)
            secretary = User.objects.filter(username=secretary_name).first() or next(extras)
            services.membership_add(
                group=group, user=leader, role="leader", start_date=start, at=began
            )
            services.membership_add(
                group=group, user=secretary, role="secretary", start_date=start, at=began
            )
            for _n in range(MEMBERS_PER_GROUP):
                services.membership_add(group=group, user=next(extras), start_date=start, at=began)
            if index == 0 and g == 1:
                _transfer_one(group, now)
            _meetings(group, now, admin, file_all=index == 0)
        if index == 0:
            _spending(club, now, admin)
    if stdout:
        stdout.write(
            _("학습동아리: %(year)d년 동아리 %(n)d개 (새로 %(new)d개)")
            % {"year": year, "n": Club.objects.filter(year=year).count(), "new": created}
            + "\n"
        )


def _meetings(group: StudyGroup, now: datetime, admin: User | None, *, file_all: bool) -> None:
    """A monthly regular meeting on every past 15th (one member away in turn), a June field
    trip (so some members reach the 12-hour cap), and the monthly reports filed by then."""
    today = timezone.localdate(now)
    memberships = list(group.memberships.order_by("id"))
    secretary = next(m.user for m in memberships if m.role == Membership.Role.SECRETARY)
    months = [m for m in calc.report_months(group.club.year) if _at(m.replace(day=15)) <= now]
    for i, month in enumerate(months):
        held_on = month.replace(day=15)
        people = [m.user_id for m in memberships if m.covers(held_on)]
        away = people[2 + i % (len(people) - 2)] if len(people) > 2 else None
        services.meeting_record(
            group=group, recorded_by=secretary, held_on=held_on, place="구청 별관 3층 소회의실",
            kind="regular", hours=Decimal("2"), attendee_ids=[p for p in people if p != away],
            minutes=f"{month:%m}월 정기모임: 과제 자료 검토와 다음 달 현장견학 준비를 논의했습니다.",
            at=_at(held_on),
        )  # fmt: skip
        if month.month == 6 and _at(month.replace(day=24)) <= now:
            trip = month.replace(day=24)
            people = [m.user_id for m in memberships if m.covers(trip)]
            services.meeting_record(
                group=group, recorded_by=secretary, held_on=trip, place="서울시 정책박람회장",
                kind="field_trip", hours=Decimal("4"), attendee_ids=people[:4],
                minutes="우수 정책 현장견학: 타 자치단체 사례를 보고 적용 가능성을 토의했습니다.",
                at=_at(trip),
            )  # fmt: skip
        filed = _at(calc.report_due_date(month).replace(day=3), 10)
        if (file_all or month.month == calc.CLUB_FIRST_MONTH) and filed <= now:
            report = services.monthly_report_submit(
                group=group, month=month, filed_by=secretary,
                title=f"[{group.club.name} {group.name}] {month:%Y년 %m월} 활동보고",
                body=f"{month:%m}월에는 과제 관련 자료를 함께 읽고 개선 아이디어를 정리했습니다.",
                at=filed,
            )  # fmt: skip
            # Leave the latest report waiting, so an admin can try approving it.
            if admin and periods.next_month(month) < today.replace(day=1):
                post_approve(post=report.post, reviewer=admin, at=min(filed.replace(hour=16), now))


def _transfer_one(group: StudyGroup, now: datetime) -> None:
    """A member transferred (전보) at the end of August: the history stays on the page."""
    moved = group.memberships.filter(role=Membership.Role.MEMBER).order_by("id").last()
    transfer_day = date(group.club.year, 8, 31)
    if moved and _at(transfer_day) <= now:
        services.membership_end(
            membership=moved, end_date=transfer_day, reason="transfer", at=_at(transfer_day)
        )


def _spending(club: Club, now: datetime, admin: User | None) -> None:
    if admin is None:
        return
    for day, category, amount, text in [
        (date(club.year, 3, 20), "books", 87_000, "정책 연구 도서 5권 구입"),
        (date(club.year, 6, 12), "advisory_fee", 200_000, "외부 전문가 자문수당 (재정 분야)"),
    ]:
        if _at(day) <= now:
            services.expense_record(
                club=club, spent_on=day, category=category, amount=amount,
                description=text, recorded_by=admin, at=_at(day),
            )  # fmt: skip
