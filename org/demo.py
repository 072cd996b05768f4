"""Demo org chart of Seoul Jung-gu and demo accounts for each role. Idempotent.

The org chart and the staff come from ``demo_data/staff.csv``, a file as the HR system
exports it, through the same import as Django admin's and ``import_staff``'s: ``make run``
exercises the import. Then the demo logins (one per role) get their usernames, the demo
password and their roles; the appointed committee members, who are not staff, are added.
"""

from pathlib import Path
from typing import TextIO

from django.contrib.auth import get_user_model
from django.db import transaction

from .models import Bureau, Department, StaffProfile
from .roles import Role
from .services import roles_ensure, staff_create
from .staff_import import staff_import

DEMO_PASSWORD = "jisik2016!"  # noqa: S105 - demo data only, printed by `make run`
STAFF_FILE = Path(__file__).parent / "demo_data" / "staff.csv"

User = get_user_model()

STAFF_ROLES = (Role.STAFF,)
ADMIN_ROLES = (Role.PORTAL_ADMIN, Role.STAFF)
HEAD_ROLES = (Role.PROMOTION_BOARD, Role.REVIEW_COMMITTEE, Role.STAFF)
PANEL_ROLES = (Role.WORKING_PANEL, Role.STAFF)
# The demo logins: username, 직원번호 in the staff file, roles, superuser.
LOGINS: list[tuple[str, str, tuple[Role, ...], bool]] = [
    ("admin", "20160001", ADMIN_ROLES, True),
    ("innov", "20160002", ADMIN_ROLES, False),
    ("staff1", "20160003", STAFF_ROLES, False),
    ("staff2", "20160004", STAFF_ROLES, False),
    ("staff3", "20160005", STAFF_ROLES, False),
    ("staff4", "20160006", STAFF_ROLES, False),
    ("staff5", "20160007", STAFF_ROLES, False),
    ("deputy", "20160008", HEAD_ROLES, False),
    ("head_plan", "20160009", HEAD_ROLES, False),
    ("head_admin", "20160010", HEAD_ROLES, False),
    ("head_welfare", "20160011", HEAD_ROLES, False),
    ("head_city", "20160012", HEAD_ROLES, False),
    ("head_safety", "20160013", HEAD_ROLES, False),
    ("head_health", "20160014", HEAD_ROLES, False),
    *((f"panel{i:02d}", f"2016{14 + i:04d}", PANEL_ROLES, False) for i in range(1, 11)),
]
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


def _logins_ensure() -> None:
    """The imported accounts of the demo logins get their username, password and roles."""
    groups = roles_ensure()
    profiles = {
        p.employee_number: p
        for p in StaffProfile.objects.select_related("user").filter(
            employee_number__in=[number for _u, number, _r, _s in LOGINS]
        )
    }
    for username, number, roles, superuser in LOGINS:
        user = profiles[number].user
        fields = []
        if user.username != username:
            user.username = username
            fields.append("username")
        if not user.has_usable_password():
            user.set_password(DEMO_PASSWORD)
            fields.append("password")
        is_staff = superuser or Role.PORTAL_ADMIN in roles  # Django admin access
        if (user.is_staff, user.is_superuser) != (is_staff, superuser):
            user.is_staff, user.is_superuser = is_staff, superuser
            fields += ["is_staff", "is_superuser"]
        if fields:
            user.save(update_fields=fields)
        user.groups.add(*(groups[r] for r in roles))


@transaction.atomic
def seed(stdout: TextIO | None = None) -> None:
    with STAFF_FILE.open("rb") as data:
        result = staff_import(
            data=data,
            filename=STAFF_FILE.name,
            size=STAFF_FILE.stat().st_size,
            create_departments=True,
        )
    _logins_ensure()
    for username, last, first in APPOINTED:
        staff_create(
            username=username, password=DEMO_PASSWORD, last_name=last, first_name=first,
            roles=(Role.REVIEW_COMMITTEE,), email=f"{username}@example.kr",
        )  # fmt: skip
    if stdout:
        plan = result.plan
        stdout.write(
            f"조직: 국·소 {Bureau.objects.count()}, 부서 {Department.objects.count()}; "
            f"인사 자료 {plan.lines}줄 가져옴 (새 직원 {len(plan.creates)}, "
            f"바뀜 {len(plan.changes)}, 그대로 {plan.unchanged})\n"
        )
