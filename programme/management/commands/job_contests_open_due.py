from ._job import JobCommand


class Command(JobCommand):
    help = "시작일이 된 심사 회차 개시 (예약 작업 contests_open_due; 기간마다 한 번만 실행)"
    job = "contests_open_due"
