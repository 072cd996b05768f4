from ._job import JobCommand


class Command(JobCommand):
    help = "창의왕 분기 선정 (예약 작업 scoring_quarter; 기간마다 한 번만 실행)"
    job = "scoring_quarter"
