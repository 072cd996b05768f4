"""Demo org chart of Seoul Jung-gu and demo accounts for each role. Idempotent."""

from typing import TextIO

from django.db import transaction

from .models import Bureau, Department, StaffProfile, Team
from .roles import Role
from .services import staff_create

DEMO_PASSWORD = "jisik2016!"  # noqa: S105 - demo data only, printed by `make run`

BUREAUS: dict[str, list[str]] = {
    "기획재정국": ["기획예산과", "재무과", "세무1과", "세무2과", "전산정보과"],
    "행정관리국": ["총무과", "자치행정과", "민원여권과", "문화관광과", "교육체육과"],
    "복지환경국": ["복지정책과", "어르신장애인과", "여성가족과", "청소행정과", "환경과"],
    "도시관리국": ["도시계획과", "건축과", "주택과", "교통행정과", "주차관리과"],
    "안전건설국": ["안전치수과", "건설관리과", "도로관리과", "공원녹지과"],
    "보건소": ["보건행정과", "건강증진과", "의약과"],
}
# The 15 동 주민센터 of Jung-gu; in the org chart they sit under 행정관리국 (자치행정과).
DONGS = [
    "소공동", "회현동", "명동", "필동", "장충동", "광희동", "을지로동", "신당동",
    "다산동", "약수동", "청구동", "신당5동", "동화동", "황학동", "중림동",
]  # fmt: skip
TEAMS = {
    "기획예산과": ["혁신평가팀", "예산팀", "기획팀"],
    "전산정보과": ["정보화팀"],
    "총무과": ["인사팀"],
}

P = StaffProfile.Position
# username, last, first, department, team, position, roles, superuser
ACCOUNTS: list[tuple[str, str, str, str | None, str | None, str, tuple[Role, ...], bool]] = [
    ("admin", "관", "리자", "기획예산과", "혁신평가팀", P.OFFICER, (Role.PORTAL_ADMIN, Role.STAFF), True),
    ("innov", "한", "지혜", "기획예산과", "혁신평가팀", P.TEAM_LEADER, (Role.PORTAL_ADMIN, Role.STAFF), False),
    ("staff1", "김", "민수", "전산정보과", "정보화팀", P.OFFICER, (Role.STAFF,), False),
    ("staff2", "이", "서연", "총무과", "인사팀", P.OFFICER, (Role.STAFF,), False),
    ("staff3", "박", "지훈", "신당동", None, P.OFFICER, (Role.STAFF,), False),
    ("staff4", "최", "유진", "환경과", None, P.OFFICER, (Role.STAFF,), False),
    ("staff5", "정", "하늘", "건축과", None, P.OFFICER, (Role.STAFF,), False),
    ("deputy", "오", "세훈", "기획예산과", None, P.DEPUTY_HEAD,
     (Role.PROMOTION_BOARD, Role.REVIEW_COMMITTEE, Role.STAFF), False),
]  # fmt: skip
BUREAU_HEADS = {
    "기획재정국": ("head_plan", "윤", "재석"),
    "행정관리국": ("head_admin", "강", "호동"),
    "복지환경국": ("head_welfare", "신", "동엽"),
    "도시관리국": ("head_city", "조", "세호"),
    "안전건설국": ("head_safety", "송", "은이"),
    "보건소": ("head_health", "김", "숙"),
}
# 실무평가단: 5 team leaders + 5 officers from different departments.
PANEL = [
    ("panel01", "임", "도현", "재무과", P.TEAM_LEADER), ("panel02", "배", "수진", "자치행정과", P.TEAM_LEADER),
    ("panel03", "홍", "성민", "복지정책과", P.TEAM_LEADER), ("panel04", "문", "가영", "도시계획과", P.TEAM_LEADER),
    ("panel05", "양", "태준", "건설관리과", P.TEAM_LEADER), ("panel06", "서", "지은", "민원여권과", P.OFFICER),
    ("panel07", "노", "현우", "여성가족과", P.OFFICER), ("panel08", "하", "은비", "교통행정과", P.OFFICER),
    ("panel09", "곽", "민재", "보건행정과", P.OFFICER), ("panel10", "유", "다인", "세무1과", P.OFFICER),
]  # fmt: skip
# Appointed members of 구민창안심사위원회 (council members, outside experts): no department.
APPOINTED = [
    ("expert1", "장", "민호"), ("expert2", "백", "지영"), ("expert3", "류", "승우"), ("expert4", "남", "궁연"),
]  # fmt: skip

# Shown by `make run`: one login per role.
DEMO_LOGINS = [
    ("admin", "시스템 관리자 + 지식나눔 관리자 (Django 관리자 화면 /admin/)"),
    ("innov", "지식나눔 관리자 (기획예산과 혁신평가팀)"),
    ("staff1", "직원 (전산정보과)"),
    ("staff2", "직원 (총무과)"),
    ("panel01", "실무평가단 (재무과 팀장)"),
    ("deputy", "부구청장: 창의구정추진단장, 구민창안심사위원장"),
    ("head_plan", "기획재정국장: 구민창안심사위원회 부위원장"),
    ("expert1", "구민창안심사위원회 위촉위원 (외부 전문가)"),
]


@transaction.atomic
def seed(stdout: TextIO | None = None) -> None:
    depts: dict[str, Department] = {}
    for b_order, (bureau_name, dept_names) in enumerate(BUREAUS.items(), start=1):
        bureau, _ = Bureau.objects.get_or_create(name=bureau_name, defaults={"order": b_order})
        for d_order, name in enumerate(dept_names, start=1):
            depts[name], _ = Department.objects.get_or_create(
                name=name, defaults={"bureau": bureau, "order": d_order}
            )
    admin_bureau = Bureau.objects.get(name="행정관리국")
    for d_order, dong in enumerate(DONGS, start=100):
        depts[dong], _ = Department.objects.get_or_create(
            name=dong,
            defaults={"bureau": admin_bureau, "kind": Department.Kind.DONG, "order": d_order},
        )
    teams = {
        (dept, name): Team.objects.get_or_create(department=depts[dept], name=name)[0]
        for dept, names in TEAMS.items()
        for name in names
    }

    n = 0
    for username, last, first, dept, team, position, roles, superuser in ACCOUNTS:
        n += 1
        staff_create(
            username=username, password=DEMO_PASSWORD, last_name=last, first_name=first,
            department=depts[dept] if dept else None,
            team=teams[(dept, team)] if team else None, position=position,
            employee_number=f"2016{n:04d}", roles=roles, is_superuser=superuser,
            email=f"{username}@junggu.example.kr",
        )  # fmt: skip
    for bureau_name, (username, last, first) in BUREAU_HEADS.items():
        n += 1
        roles = [Role.PROMOTION_BOARD, Role.REVIEW_COMMITTEE, Role.STAFF]
        staff_create(
            username=username, password=DEMO_PASSWORD, last_name=last, first_name=first,
            department=depts[BUREAUS[bureau_name][0]], position=P.BUREAU_HEAD,
            employee_number=f"2016{n:04d}", roles=roles, email=f"{username}@junggu.example.kr",
        )  # fmt: skip
    for username, last, first, dept, position in PANEL:
        n += 1
        staff_create(
            username=username, password=DEMO_PASSWORD, last_name=last, first_name=first,
            department=depts[dept], position=position, employee_number=f"2016{n:04d}",
            roles=(Role.WORKING_PANEL, Role.STAFF), email=f"{username}@junggu.example.kr",
        )  # fmt: skip
    for username, last, first in APPOINTED:
        staff_create(
            username=username, password=DEMO_PASSWORD, last_name=last, first_name=first,
            roles=(Role.REVIEW_COMMITTEE,), email=f"{username}@example.kr",
        )  # fmt: skip
    if stdout:
        stdout.write(f"조직: 국·소 {Bureau.objects.count()}, 부서 {Department.objects.count()}\n")
