"""Load the demo data of every app; running it twice changes nothing.

Each app that has demo content keeps it in ``<app>/demo.py`` with ``seed(stdout)``. The
programme sits at the top of the arrows, so this command names them all by plain import and
runs them bottom-up: an app's demo can rely on the apps it depends on.
"""

from collections.abc import Callable

from django.core.management.base import BaseCommand, CommandParser
from django.test.utils import override_settings

from board import demo as board_demo
from clubs import demo as clubs_demo
from contests import demo as contests_demo
from org import demo as org_demo
from org.demo import DEMO_LOGINS, DEMO_PASSWORD
from programme import demo as programme_demo
from proposals import demo as proposals_demo
from scoring import demo as scoring_demo

# Bottom-up, in the order of the arrows (INSTALLED_APPS order).
DEMOS: list[Callable[..., None]] = [  # seed(stdout)
    org_demo.seed,
    scoring_demo.seed,
    board_demo.seed,
    contests_demo.seed,
    proposals_demo.seed,
    clubs_demo.seed,
    programme_demo.seed,
]


class Command(BaseCommand):
    help = "데모 데이터(중구 조직도, 역할별 계정, 게시글 등)를 만듭니다. 두 번 실행해도 같습니다."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--quiet-logins", action="store_true", help="로그인 안내를 생략")

    def handle(self, *args: object, **options: object) -> None:
        # Demo events notify demo users; keep those emails out of the console.
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
            for seed in DEMOS:
                seed(stdout=self.stdout)
        if not options["quiet_logins"]:
            self.stdout.write(self.style.SUCCESS(f"\n데모 계정 (비밀번호는 모두 {DEMO_PASSWORD})"))
            for username, role in DEMO_LOGINS:
                self.stdout.write(f"  {username:<10} {role}")
