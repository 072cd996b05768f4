"""Demo data for 창의제안: resident proposals from every channel, staff proposals through the
board, a theme round, benchmarking cases and the 2014–2015 history. Idempotent."""

from datetime import date, datetime, time, timedelta
from typing import TextIO

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from org.models import Department

from . import services
from .calculations import Status
from .consent import CURRENT_VERSION
from .models import BenchmarkCase, Channel, LinkKind, Proposal, ThemeRound

# title, name, phone, email, dong, channel, days ago, steps [(status, reason)]
RESIDENTS = [
    ("신당동 골목길 가로등 밝기 개선", "김민수", "010-2345-6789", "minsu@example.kr", "신당동",
     Channel.WEB, 70, [(Status.REVIEWING, ""), (Status.RECOMMENDED, "실무평가단 추천")]),
    ("명동 관광객 쓰레기통 확충", "이영희", "010-3456-7890", "", "명동",
     Channel.EPEOPLE, 50, [(Status.REVIEWING, "")]),
    ("어르신 무료 스마트폰 교실 운영", "박철수", "02-2260-1234", "", "약수동",
     Channel.MAIL, 40, []),
    ("주민센터 민원 대기 번호표 문자 알림", "최지영", "010-5678-1234", "jy@example.kr", "황학동",
     Channel.VISIT_DONG, 20, [(Status.REVIEWING, ""), (Status.SUPPLEMENT, "설치 위치를 구체적으로 알려 주세요.")]),
    ("구청 주차장 주말 개방", "정대호", "010-9876-5432", "", "중구 외",
     Channel.VISIT_OFFICE, 25, [(Status.REVIEWING, ""), (Status.REJECTED, "보안 문제로 주말 개방이 어렵습니다.")]),
    ("골목길 가로등 조도 높이기", "김민수", "010-2345-6789", "minsu@example.kr", "신당동",
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


def _at(days_ago: int) -> datetime:
    day = timezone.localdate() - timedelta(days=days_ago)
    return timezone.make_aware(datetime.combine(day, time(10, 0)))


@transaction.atomic
def seed(stdout: TextIO | None = None) -> None:
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
        at = _at(days)
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
                at=at + timedelta(days=3 * i), notify=False,
            )  # fmt: skip
        created += 1
    first = Proposal.objects.filter(title=RESIDENTS[0][0]).first()
    again = Proposal.objects.filter(title=RESIDENTS[-1][0]).first()
    if first and again and not again.linked_to_id:
        services.proposal_link(proposal=again, primary=first, kind=LinkKind.SAME_IDEA, actor=admin)

    for username, title, problem, content, effect, dept, days in STAFF:
        author = _user(username)
        if author is None or Proposal.objects.filter(title=title).exists():
            continue
        services.staff_proposal_submit(
            author=author, title=title, current_problem=problem, content=content,
            expected_effect=effect, department=Department.objects.filter(name=dept).first(),
            at=_at(days),
        )  # fmt: skip
        created += 1

    year = timezone.localdate().year
    round_title = f"{year}년 10월 맞춤형 테마제안"
    round_ = ThemeRound.objects.filter(title=round_title).first()
    if round_ is None:
        round_ = services.theme_round_create(
            title=round_title, opens_on=date(year, 10, 1), closes_on=date(year, 10, 31), actor=admin
        )
        for dept_name, task in [
            ("교통행정과", "불법 주정차 줄이기"),
            ("청소행정과", "명동 관광특구 쓰레기 무단투기 줄이기"),
        ]:
            task_dept = Department.objects.filter(name=dept_name).first()
            if task_dept:
                services.theme_task_create(
                    round=round_, department=task_dept, title=task, actor=admin,
                    at=_at(0).replace(year=year, month=10, day=1),
                )  # fmt: skip
        theme_task = round_.tasks.first()
        author = _user("staff2")
        if theme_task and author:
            services.staff_proposal_submit(
                author=author, title="공유 주차장 안내 앱 연계",
                current_problem="주차 공간 정보를 몰라 불법 주정차가 생깁니다.",
                content="공영·공유 주차장의 빈자리를 지도 앱에 실시간으로 알립니다.",
                expected_effect="불법 주정차 민원 감소", theme_task=theme_task,
                at=datetime(year, 10, 15, 10, 0, tzinfo=timezone.get_current_timezone()),
            )  # fmt: skip
    for title, origin, summary, source, dept_name, case_steps in BENCHMARKS:
        if BenchmarkCase.objects.filter(title=title).exists():
            continue
        case_dept = Department.objects.filter(name=dept_name).first()
        if case_dept is None:
            continue
        case = services.benchmark_case_register(
            title=title, origin=origin, summary=summary, source=source,
            source_date=timezone.localdate() - timedelta(days=30), department=case_dept,
            registered_by=_user("staff4") or admin, link="https://www.example.kr/news/1",
        )  # fmt: skip
        for state, reason in case_steps:
            case = services.benchmark_case_advance(
                case=case, state=state, actor=admin, reason=reason
            )
    if stdout:
        stdout.write(f"proposals: 제안 {created}건 추가 (전체 {Proposal.objects.count()}건)")
