from ._job import JobCommand


class Command(JobCommand):
    help = "개인정보 보존기간 경과 처리 (예약 작업 retention; 기간마다 한 번만 실행)"
    job = "retention"
