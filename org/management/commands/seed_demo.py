"""Load the demo data of every app; running it twice changes nothing.

Each app that has demo content keeps it in ``<app>/demo.py`` with ``seed(stdout)``; they run
in INSTALLED_APPS order, so an app's demo can rely on the apps it depends on.
"""

from importlib import import_module
from importlib.util import find_spec

from django.apps import apps
from django.core.management.base import BaseCommand
from django.test.utils import override_settings

from org.demo import DEMO_LOGINS, DEMO_PASSWORD


class Command(BaseCommand):
    help = "데모 데이터(중구 조직도, 역할별 계정, 게시글 등)를 만듭니다. 두 번 실행해도 같습니다."

    def add_arguments(self, parser: object) -> None:
        parser.add_argument("--quiet-logins", action="store_true", help="로그인 안내를 생략")

    def handle(self, *args: object, **options: object) -> None:
        # Demo events notify demo users; keep those emails out of the console.
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
            for config in apps.get_app_configs():
                module_name = f"{config.name}.demo"
                if config.path and find_spec(module_name) is not None:
                    import_module(module_name).seed(stdout=self.stdout)
        if not options["quiet_logins"]:
            self.stdout.write(self.style.SUCCESS(f"\n데모 계정 (비밀번호는 모두 {DEMO_PASSWORD})"))
            for username, role in DEMO_LOGINS:
                self.stdout.write(f"  {username:<10} {role}")
