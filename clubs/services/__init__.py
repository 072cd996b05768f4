"""Every write of the learning clubs, one module per sub-domain. Views, admin, the scheduled
jobs and demo data call these (import them from ``clubs.services``).

A refused write raises ``common.errors.ServiceError`` with a translated Korean message and a
stable code; views put it on the form (``add_to_form``) or show it (``message_error``)."""

from ..models import CLUB_AREA, CLUB_SOURCE
from .clubs import (
    TopicChoice,
    bureau_head_of,
    club_create,
    club_topics_set,
    group_create,
    topics_ensure,
)
from .incentives import (
    overseas_trip_recommend,
    top_contributor_recommend,
    top_contributor_withdraw,
)
from .meetings import MeetingRecorded, expense_record, meeting_record
from .memberships import membership_add, membership_change_role, membership_end
from .reports import monthly_report_flag_missing, monthly_report_submit, research_report_submit
from .review import review_open

__all__ = [
    "CLUB_AREA",
    "CLUB_SOURCE",
    "MeetingRecorded",
    "TopicChoice",
    "bureau_head_of",
    "club_create",
    "club_topics_set",
    "expense_record",
    "group_create",
    "meeting_record",
    "membership_add",
    "membership_change_role",
    "membership_end",
    "monthly_report_flag_missing",
    "monthly_report_submit",
    "overseas_trip_recommend",
    "research_report_submit",
    "review_open",
    "top_contributor_recommend",
    "top_contributor_withdraw",
    "topics_ensure",
]
