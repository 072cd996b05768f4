from ._job import JobCommand


class Command(JobCommand):
    help = "반기 제안 심사 회차 (예약 작업 proposals_half_year; 기간마다 한 번만 실행)"
    job = "proposals_half_year"
