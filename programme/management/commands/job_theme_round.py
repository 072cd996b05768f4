from ._job import JobCommand


class Command(JobCommand):
    help = "맞춤형 테마제안 회차 (예약 작업 theme_round; 기간마다 한 번만 실행)"
    job = "theme_round"
