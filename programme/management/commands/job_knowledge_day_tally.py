from ._job import JobCommand


class Command(JobCommand):
    help = "지식등록의 날 집계 (예약 작업 knowledge_day_tally; 기간마다 한 번만 실행)"
    job = "knowledge_day_tally"
