from ._job import JobCommand


class Command(JobCommand):
    help = "테마제안 심사 회부 (예약 작업 theme_evaluation; 기간마다 한 번만 실행)"
    job = "theme_evaluation"
