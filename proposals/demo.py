"""Demo data for 창의제안: resident proposals from every channel, staff proposals through the
board, a theme round open now, benchmarking cases and the 2014–2015 history. Idempotent.
Every date counts back from ``now`` and none is after it (issue 13 #8)."""

from datetime import datetime, time, timedelta
from typing import TextIO

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from org.demo import RESIDENT_NAMES, demo_name
from org.models import Department

from . import services
from .calculations import Status
from .consent import CURRENT_VERSION
from .models import BenchmarkCase, Channel, LinkKind, Proposal, ThemeRound


def _resident(n: int) -> str:
    """A fictional resident's name (org's demo names)."""
    return "".join(demo_name(RESIDENT_NAMES, n))


# title, name, phone, email, dong, channel, days ago, steps [(status, reason)]
RESIDENTS = [
    ("신당동 골목길 가로등 밝기 개선", _resident(0), "010-2345-6789", "resident1@example.kr", "신당동",
     Channel.WEB, 70, [(Status.REVIEWING, ""), (Status.RECOMMENDED, "실무평가단 추천")]),
    ("명동 관광객 쓰레기통 확충", _resident(1), "010-3456-7890", "", "명동",
     Channel.EPEOPLE, 50, [(Status.REVIEWING, "")]),
    ("어르신 무료 스마트폰 교실 운영", _resident(2), "02-2260-1234", "", "약수동",
     Channel.MAIL, 40, []),
    ("주민센터 민원 대기 번호표 문자 알림", _resident(3), "010-5678-1234", "resident4@example.kr", "황학동",
     Channel.VISIT_DONG, 20, [(Status.REVIEWING, ""), (Status.SUPPLEMENT, "설치 위치를 구체적으로 알려 주세요.")]),
    ("구청 주차장 주말 개방", _resident(4), "010-9876-5432", "", "중구 외",
     Channel.VISIT_OFFICE, 25, [(Status.REVIEWING, ""), (Status.REJECTED, "보안 문제로 주말 개방이 어렵습니다.")]),
    ("골목길 가로등 조도 높이기", _resident(0), "010-2345-6789", "resident1@example.kr", "신당동",
     Channel.MAIL, 65, []),
]  # fmt: skip
STAFF = [
    ("staff1", "민원 서류 전자 발급 안내 강화", "방문 민원인이 전자 발급을 모릅니다.",
     "민원실 대기 화면에 전자 발급 안내를 띄웁니다.", "방문 민원 10% 감소", "민원여권과", 30),
    ("staff3", "동 주민센터 공유 회의실 예약 온라인화", "전화로만 예약을 받아 불편합니다.",
     "지식나눔 포털에서 예약을 받습니다.", "예약 업무 시간 절감", "자치행정과", 12),
]  # fmt: skip
BENCHMARKS = [
    ("스마트 횡단보도", "서초구", "보행 신호와 바닥 신호등을 연동한 스마트 횡단보도", "press",
     "교통행정과", [(BenchmarkCase.State.APPLICABLE, "중구 주요 교차로 5곳에 적용 가능")]),
    ("무인 민원 발급기 야간 운영", "일본 요코하마시", "역사 내 무인 발급기 24시간 운영", "study_trip",
     "민원여권과", [(BenchmarkCase.State.NOT_APPLICABLE, "역사 공간 협의 불가")]),
    ("폐의약품 수거함 우체통 연계", "세종시", "우체통으로 폐의약품을 수거", "press",
     "환경과", [(BenchmarkCase.State.APPLICABLE, "우체국 협의 가능"),
              (BenchmarkCase.State.ADOPTED, "")]),
]  # fmt: skip


def _user(username: str) -> User | None:
    return User.objects.filter(username=username).first()


def _at(days_ago: int, now: datetime) -> datetime:
    """10 o'clock ``days_ago`` days before ``now`` (``now`` itself when that is later)."""
    day = timezone.localdate(now) - timedelta(days=days_ago)
    return min(timezone.make_aware(datetime.combine(day, time(10, 0))), now)


THEME_OPENED_DAYS_AGO = 10  # the theme round open now: opened ten days ago,
THEME_DAYS = 30  # for a month


@transaction.atomic
def seed(stdout: TextIO | None = None, *, now: datetime | None = None) -> None:
    now = now or timezone.now()
    today = timezone.localdate(now)
    services.history_seed()
    admin = _user("innov") or _user("admin")
    desk = _user("staff3") or admin
    if admin is None:
        if stdout:
            stdout.write("proposals: org 데모 계정이 없어 건너뜀")
        return
    created = 0
    for title, name, phone, email, dong, channel, days, steps in RESIDENTS:
        if Proposal.objects.filter(title=title).exists():
            continue
        at = _at(days, now)
        p = services.resident_proposal_submit(
            title=title,
            content=f"{title}을(를) 제안합니다. 주민 생활이 더 편리해집니다.",
            expected_effect="주민 만족도 향상",
            proposer_name=name,
            phone=phone,
            email=email,
            dong=dong,
            consent_version=CURRENT_VERSION,
            channel=channel,
            registered_by=None if channel == Channel.WEB else desk,
            at=at,
        )
        for i, (status, reason) in enumerate(steps, start=1):
            p = services.proposal_transition(
                proposal=p, to_status=status, actor=admin, reason=reason,
                at=min(at + timedelta(days=3 * i), now), notify=False,
            )  # fmt: skip
        created += 1
    first = Proposal.objects.filter(title=RESIDENTS[0][0]).first()
    again = Proposal.objects.filter(title=RESIDENTS[-1][0]).first()
    if first and again and not again.linked_to_id:
        services.proposal_link(
            proposal=again, primary=first, kind=LinkKind.SAME_IDEA, actor=admin, at=now
        )

    for username, title, problem, content, effect, dept, days in STAFF:
        author = _user(username)
        if author is None or Proposal.objects.filter(title=title).exists():
            continue
        services.staff_proposal_submit(
            author=author, title=title, current_problem=problem, content=content,
            expected_effect=effect, department=Department.objects.filter(name=dept).first(),
            at=_at(days, now),
        )  # fmt: skip
        created += 1

    opens_on = today - timedelta(days=THEME_OPENED_DAYS_AGO)
    round_title = f"{opens_on:%Y}년 {opens_on.month}월 맞춤형 테마제안"
    round_ = ThemeRound.objects.filter(title=round_title).first()
    if round_ is None:
        round_ = services.theme_round_create(
            title=round_title, opens_on=opens_on,
            closes_on=opens_on + timedelta(days=THEME_DAYS), actor=admin, at=now,
        )  # fmt: skip
        for dept_name, task in [
            ("교통행정과", "불법 주정차 줄이기"),
            ("청소행정과", "명동 관광특구 쓰레기 무단투기 줄이기"),
        ]:
            task_dept = Department.objects.filter(name=dept_name).first()
            if task_dept:
                services.theme_task_create(
                    round=round_, department=task_dept, title=task, actor=admin,
                    at=_at(THEME_OPENED_DAYS_AGO, now),
                )  # fmt: skip
        theme_task = round_.tasks.first()
        author = _user("staff2")
        if theme_task and author:
            services.staff_proposal_submit(
                author=author, title="공유 주차장 안내 앱 연계",
                current_problem="주차 공간 정보를 몰라 불법 주정차가 생깁니다.",
                content="공영·공유 주차장의 빈자리를 지도 앱에 실시간으로 알립니다.",
                expected_effect="불법 주정차 민원 감소", theme_task=theme_task,
                at=_at(THEME_OPENED_DAYS_AGO - 5, now),
            )  # fmt: skip
    for title, origin, summary, source, dept_name, case_steps in BENCHMARKS:
        if BenchmarkCase.objects.filter(title=title).exists():
            continue
        case_dept = Department.objects.filter(name=dept_name).first()
        if case_dept is None:
            continue
        case = services.benchmark_case_register(
            title=title, origin=origin, summary=summary, source=source,
            source_date=today - timedelta(days=30), department=case_dept,
            registered_by=_user("staff4") or admin, link="https://www.example.kr/news/1", at=now,
        )  # fmt: skip
        for state, reason in case_steps:
            case = services.benchmark_case_advance(
                case=case, state=state, actor=admin, reason=reason, at=now
            )
    if stdout:
        stdout.write(f"proposals: 제안 {created}건 추가 (전체 {Proposal.objects.count()}건)")
