from ._job import JobCommand


class Command(JobCommand):
    help = (
        "동아리 월별 활동보고 미제출 알림 (예약 작업 club_report_reminders; 기간마다 한 번만 실행)"
    )
    job = "club_report_reminders"
