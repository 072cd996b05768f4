"""Load the demo data of every app; running it twice changes nothing.

Each app that has demo content keeps it in ``<app>/demo.py`` with ``seed(stdout, now=)``.
The programme sits at the top of the arrows, so this command names them all by plain import
and runs them bottom-up: an app's demo can rely on the apps it depends on.

Every seed takes the same ``now`` and writes nothing after it (issue 13 #8): its dates count
back from ``now``, whatever day ``make run`` runs. ``--now`` seeds as on another day.
"""

from collections.abc import Callable
from datetime import datetime

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.test.utils import override_settings
from django.utils import timezone

from board import demo as board_demo
from clubs import demo as clubs_demo
from contests import demo as contests_demo
from org import demo as org_demo
from org.demo import DEMO_LOGINS, DEMO_PASSWORD
from programme import demo as programme_demo
from proposals import demo as proposals_demo
from scoring import demo as scoring_demo

# Bottom-up, in the order of the arrows (INSTALLED_APPS order).
DEMOS: list[Callable[..., None]] = [  # seed(stdout, now=)
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
        parser.add_argument(
            "--now",
            help="이 시각에 실행한 것처럼 만듭니다 (ISO 8601, 예: 2027-01-01T00:05+09:00)",
        )

    def handle(self, *args: object, **options: object) -> None:
        now = _now(options["now"])
        # Demo events notify demo users; keep those emails out of the console.
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
            for seed in DEMOS:
                seed(stdout=self.stdout, now=now)
        if not options["quiet_logins"]:
            self.stdout.write(self.style.SUCCESS(f"\n데모 계정 (비밀번호는 모두 {DEMO_PASSWORD})"))
            for username, role in DEMO_LOGINS:
                self.stdout.write(f"  {username:<10} {role}")


def _now(value: object) -> datetime:
    if not value:
        return timezone.now()
    try:
        now = datetime.fromisoformat(str(value))
    except ValueError as error:
        raise CommandError(f"--now: {error}") from error
    return now if timezone.is_aware(now) else timezone.make_aware(now)
