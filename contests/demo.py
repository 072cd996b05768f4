"""Demo committees, an open review round with entries and some scores, and the prize
budgets (2016 and the current year). Idempotent: runs after org.demo, reuses its users.
The open round started two weeks before ``now`` and nothing is dated after it (issue 13 #8)."""

from datetime import date, datetime, timedelta
from typing import Any, TextIO

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from org.demo import RESIDENT_NAMES, demo_name
from org.models import Department

from . import services
from .models import (
    Committee,
    CommitteeKind,
    CommitteeMember,
    Entry,
    MemberKind,
    MemberRole,
    Round,
    RoundKind,
    ScoreSheet,
    Stage,
)

User = get_user_model()
BUDGET_2016_WON = 31_945_000
DEMO_SOURCE = "demo.proposal"

HEADS = ["head_plan", "head_admin", "head_welfare", "head_city", "head_safety", "head_health"]
PANEL = [f"panel{i:02d}" for i in range(1, 11)]
EXPERTS = ["expert1", "expert2", "expert3", "expert4"]

# Two fictional residents (org's demo names, after the proposals demo's).
RESIDENTS = ["".join(demo_name(RESIDENT_NAMES, 20 + i)) for i in range(2)]
ENTRIES = [
    # title, owner username or None, resident name, summary
    (
        "민원서류 발급 알림 문자 서비스",
        "staff1",
        "",
        "민원서류가 준비되면 문자로 알려 대기 시간을 줄입니다.",
    ),
    ("인사 발령 안내 자동화", "staff2", "", "발령 통지와 인수인계 목록을 한 번에 보냅니다."),
    ("동 주민센터 무인 복사기", "staff3", "", "주민센터에 카드 결제 무인 복사기를 둡니다."),
    ("골목길 불법투기 지도", "staff4", "", "신고 자료로 투기 다발 지점을 지도에 표시합니다."),
    ("건축 인허가 사전 상담 예약제", "staff5", "", "온라인 예약으로 상담 대기를 없앱니다."),
    ("어르신 무더위 쉼터 안내판", None, RESIDENTS[0], "쉼터 위치를 버스정류장에 안내합니다."),
    ("남산 산책로 야간 조명", None, RESIDENTS[1], "야간 산책로에 저전력 조명을 답니다."),
    # Filed by 재무과: panel01 (재무과 팀장) recuses from it automatically.
    (
        "세외수입 체납 안내문 쉬운 말 쓰기",
        None,
        "재무과",
        "체납 안내문을 쉬운 말로 고쳐 납부율을 높입니다.",
    ),
]
DEPARTMENT_OF_RESIDENT_ENTRY = {RESIDENTS[0]: "명동", RESIDENTS[1]: "필동", "재무과": "재무과"}


def _user(username: str) -> Any:
    return User.objects.filter(username=username).first()


def _seat(committee: Committee, username: str, role: str, kind: str, start: date) -> None:
    user = _user(username)
    if user is None:
        return
    if not CommitteeMember.objects.filter(
        committee=committee, user=user, term_start=start
    ).exists():
        services.committee_member_add(
            committee=committee, user=user, role=role, kind=kind, term_start=start
        )


def _committees(year: int) -> None:
    start = date(2016, 1, 1)
    panel = services.committee_for_kind(CommitteeKind.WORKING_PANEL)
    for i, username in enumerate(PANEL):
        _seat(
            panel,
            username,
            MemberRole.CHAIR if i == 0 else MemberRole.MEMBER,
            MemberKind.EX_OFFICIO,
            start,
        )
    board = services.committee_for_kind(CommitteeKind.PROMOTION_BOARD)
    _seat(board, "deputy", MemberRole.CHAIR, MemberKind.EX_OFFICIO, start)
    for username in HEADS:
        _seat(board, username, MemberRole.MEMBER, MemberKind.EX_OFFICIO, start)
    review = services.committee_for_kind(CommitteeKind.REVIEW_COMMITTEE)
    _seat(review, "deputy", MemberRole.CHAIR, MemberKind.EX_OFFICIO, start)
    _seat(review, "head_plan", MemberRole.VICE_CHAIR, MemberKind.EX_OFFICIO, start)
    for username in HEADS[1:5]:
        _seat(review, username, MemberRole.MEMBER, MemberKind.EX_OFFICIO, start)
    # Appointed members (council, outside experts): 2-year terms. A term that ended in 2015
    # shows on the committee page as ended and does not count.
    _seat(review, "expert4", MemberRole.MEMBER, MemberKind.APPOINTED, date(2014, 1, 1))
    term = date(year - (year - 2016) % 2, 1, 1)  # terms renewed every two years since 2016
    for username in EXPERTS:
        _seat(review, username, MemberRole.MEMBER, MemberKind.APPOINTED, term)


ROUND_STARTED_DAYS_AGO = 14  # the open review round: started two weeks ago,
ROUND_DAYS = 45  # and runs for a month and a half (its deadline on the home page)


@transaction.atomic
def seed(stdout: TextIO | None = None, *, now: datetime | None = None) -> None:
    now = now or timezone.now()
    today = timezone.localdate(now)
    year = today.year
    _committees(year)
    services.budget_set(year=2016, amount_won=BUDGET_2016_WON)
    if year != 2016:
        services.budget_set(year=year, amount_won=BUDGET_2016_WON)

    _best_practice_2016()

    starts_on = today - timedelta(days=ROUND_STARTED_DAYS_AGO)
    half = _("상반기") if starts_on.month <= 6 else _("하반기")
    title = f"{starts_on.year}년 {half} 제안 심사"
    rnd = Round.objects.filter(kind=RoundKind.HALF_YEAR_PROPOSALS, title=title).first()
    if rnd is None:
        rnd = services.round_create(
            kind=RoundKind.HALF_YEAR_PROPOSALS,
            year=starts_on.year,
            title=title,
            starts_on=starts_on,
            ends_on=starts_on + timedelta(days=ROUND_DAYS),
            at=now,
        )
    for i, (entry_title, owner_name, resident, summary) in enumerate(ENTRIES, start=1):
        owner = _user(owner_name) if owner_name else None
        services.entry_create(
            round=rnd,
            title=entry_title,
            summary=summary,
            owner=owner,
            owner_name=resident,
            department=None
            if owner
            else Department.objects.filter(name=DEPARTMENT_OF_RESIDENT_ENTRY[resident]).first(),
            source_type=DEMO_SOURCE,
            source_id=i,
            at=now,
        )
    first = rnd.stages.order_by("order").first()
    if first and first.status == "pending" and first.committee.members.exists():
        first = services.stage_open(stage=first, at=now)
    if first and first.is_open:
        _demo_scores(rnd, first, now)
    if stdout:
        stdout.write(
            f"심사: 위원회 {Committee.objects.count()}, 회차 {Round.objects.count()}, "
            f"출품작 {Entry.objects.filter(round=rnd).count()}\n"
        )


CASES_2016 = [
    # department, title; ranked in this order by the demo scores (no ties)
    ("주차관리과", "거주자 우선주차 공유제"),
    ("환경과", "재활용 정거장 운영"),
    ("민원여권과", "여권 당일 발급 창구"),
    ("건축과", "건축 인허가 사전 컨설팅"),
    ("도로관리과", "보도 파손 사진 신고"),
    ("건강증진과", "찾아가는 금연 클리닉"),
    ("재무과", "세외수입 납부 알림"),
]


def _best_practice_2016() -> None:
    """A finished 2016 best-practice contest: cases, scores, awards, prizes in the ledger."""
    title = "2016 창의행정 우수사례 경진대회"
    if Round.objects.filter(title=title).exists():
        return
    members = list(
        CommitteeMember.objects.filter(
            committee__kind=CommitteeKind.PROMOTION_BOARD
        ).select_related("user")
    )
    depts = {d.name: d for d in Department.objects.filter(name__in=[c[0] for c in CASES_2016])}
    admin = _user("innov") or _user("admin")
    if len(members) < 3 or len(depts) < len(CASES_2016) or admin is None:
        return
    tz = timezone.get_current_timezone()
    at = datetime(2016, 9, 20, 14, 0, tzinfo=tz)
    rnd = services.round_create(
        kind=RoundKind.BEST_PRACTICE,
        year=2016,
        title=title,
        starts_on=date(2016, 9, 1),
        ends_on=date(2016, 9, 30),
        stages=[services.StageSpec("창의구정추진단 발표 심사", CommitteeKind.PROMOTION_BOARD)],
        at=at,
    )
    for name, case_title in CASES_2016:
        services.case_submit(
            round=rnd, department=depts[name], title=case_title, summary=f"{name}의 우수사례", at=at
        )
    stage = services.stage_open(stage=rnd.stages.get(), at=at)
    criteria = list(stage.criteria.order_by("order"))
    entries = {e.title: e for e in rnd.entries.all()}
    for rank, (_department, case_title) in enumerate(CASES_2016):
        for m in members:
            if stage.recusals.filter(entry=entries[case_title], member=m).exists():
                continue
            services.score_sheet_save(
                stage=stage,
                entry=entries[case_title],
                user=m.user,
                scores={c.pk: max(0, c.max_score - rank - (m.pk % 2)) for c in criteria},
                submit=True,
                at=at,
            )
    services.stage_close(stage=stage, by=admin, at=at)
    services.awards_confirm(round=rnd, by=admin, at=datetime(2016, 9, 30, 10, 0, tzinfo=tz))


def _demo_scores(rnd: Round, stage: Stage, now: datetime) -> None:
    criteria = list(stage.criteria.order_by("order"))
    entries = list(Entry.objects.filter(round=rnd).order_by("source_id"))
    for n, username in enumerate(("panel01", "panel02", "panel03")):
        user = _user(username)
        if user is None:
            continue
        for k, entry in enumerate(entries[:4]):
            if stage.recusals.filter(entry=entry, member__user=user).exists():
                continue
            if ScoreSheet.objects.filter(stage=stage, entry=entry, member__user=user).exists():
                continue
            scores = {
                c.pk: max(0, c.max_score - ((n + k + j) % 4) * 2) for j, c in enumerate(criteria)
            }
            services.score_sheet_save(
                stage=stage,
                entry=entry,
                user=user,
                scores=scores,
                submit=n < 2,  # panel03 leaves drafts
                at=now,
            )
