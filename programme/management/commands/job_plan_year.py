from ._job import JobCommand


class Command(JobCommand):
    help = "연간 추진 일정 준비 (예약 작업 plan_year; 기간마다 한 번만 실행)"
    job = "plan_year"
