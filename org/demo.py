"""Demo org chart of Seoul Jung-gu and demo accounts for each role. Idempotent.

The org chart and the staff come from ``demo_data/staff.csv``, a file as the HR system
exports it, through the same import as Django admin's and ``import_staff``'s: ``make run``
exercises the import. Then the demo logins (one per role) get their usernames, the demo
password and their roles; the appointed committee members, who are not staff, are added.

Every demo person is fictional (issue 13 #8): names come from :func:`demo_names`, a fixed
shuffle of syllable combinations chosen to be unlike well-known people's names (the staff
file's 성명 column was written from it; ``programme/tests/test_demo.py`` checks the names
against a list of public figures). Other apps' demos take their people from it too.
"""

import random
from datetime import datetime
from functools import cache
from itertools import product
from pathlib import Path
from typing import TextIO

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from .models import Bureau, Department, StaffProfile
from .roles import Role
from .services import roles_ensure, staff_create
from .staff_import import staff_import

# Surnames, then two syllables of a given name: common surnames, uncommon given names.
SURNAMES = "김이박최정강조윤장임한오서신권황안송류전홍고문양손배백허남심노하곽성차주우구민진나"
GIVEN_FIRST = "서도지채은소예주다시아태한온유라윤해가나"
GIVEN_SECOND = "담솔율온별슬결휘람설봄잎랑솜새누"
NAMES_SEED = 20160101  # fixed: the same names on every machine and every run

# Blocks of demo_names() per demo: the staff file, org's appointed members, the clubs' extra
# members, the residents of the proposals and contests demos (no two demo people share one).
STAFF_NAMES = range(0, 200)
APPOINTED_NAMES = range(200, 210)
CLUB_NAMES = range(210, 400)
RESIDENT_NAMES = range(400, 450)


@cache
def demo_names() -> list[tuple[str, str]]:
    """Every demo (surname, given name), fictional and distinct, in a fixed order."""
    combos = [(last, a + b) for last, a, b in product(SURNAMES, GIVEN_FIRST, GIVEN_SECOND)]
    random.Random(NAMES_SEED).shuffle(combos)  # noqa: S311 - demo names, not security
    return combos


def demo_name(block: range, n: int) -> tuple[str, str]:
    """The ``n``-th name of a block of :func:`demo_names`."""
    return demo_names()[block[n % len(block)]]


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
APPOINTED = [(f"expert{i}", *demo_name(APPOINTED_NAMES, i)) for i in range(1, 5)]

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
def seed(stdout: TextIO | None = None, *, now: datetime | None = None) -> None:
    now = now or timezone.now()
    with STAFF_FILE.open("rb") as data:
        result = staff_import(
            data=data,
            filename=STAFF_FILE.name,
            size=STAFF_FILE.stat().st_size,
            create_departments=True,
            at=now,
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
