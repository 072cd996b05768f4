from django.core.management.base import CommandParser

from programme.schedule import JOB_SPECS

from ._job import JobCommand


class Command(JobCommand):
    help = "예약 작업 하나를 실행합니다 (기간마다 한 번만). --list 로 작업 목록을 봅니다."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("job", nargs="?", choices=[s.name for s in JOB_SPECS])
        parser.add_argument("--list", action="store_true", help="작업 목록")
        super().add_arguments(parser)

    def handle(self, *args: object, **options: object) -> None:
        if options["list"] or not options["job"]:
            for spec in JOB_SPECS:
                self.stdout.write(f"{spec.name:<24} {spec.label}  (job_{spec.name})")
            return
        self.run(str(options["job"]), options)
