from ._job import JobCommand


class Command(JobCommand):
    help = "지식등록의 날 안내 (예약 작업 knowledge_day; 기간마다 한 번만 실행)"
    job = "knowledge_day"
