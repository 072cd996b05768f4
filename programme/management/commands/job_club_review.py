from ._job import JobCommand


class Command(JobCommand):
    help = "동아리 연구성과 심사 (예약 작업 club_review; 기간마다 한 번만 실행)"
    job = "club_review"
