"""Writes of the learning clubs: clubs, groups, memberships, meetings, spending, incentives."""

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.db import IntegrityError, transaction

from clubs import selectors, services
from clubs.models import Attendance, Club, Incentive, Membership, SupportExpense
from clubs.services import TopicChoice
from common import periods
from common.errors import ServiceError
from org.models import StaffProfile
from org.tests.factories import BureauFactory, DepartmentFactory, staff_user

from .factories import (
    ClubFactory,
    MembershipFactory,
    StudyGroupFactory,
    TopicFactory,
    group_with_members,
)

pytestmark = [pytest.mark.django_db, pytest.mark.smoke]
SEOUL = ZoneInfo("Asia/Seoul")
JUNE_30 = datetime(2026, 6, 30, 18, 0, tzinfo=SEOUL)


def _meeting(group, by, ids, held_on=date(2026, 3, 10), hours="2", at=JUNE_30):
    return services.meeting_record(
        group=group, recorded_by=by, held_on=held_on, place="구청 5층 회의실",
        kind="regular", hours=Decimal(hours), minutes="과제 토론", attendee_ids=ids, at=at,
    )  # fmt: skip


# --- clubs and groups ---


def test_it_creates_a_club_chaired_by_the_bureau_head_with_two_topics() -> None:
    bureau = BureauFactory(name="복지환경국")
    head = staff_user(department=DepartmentFactory(bureau=bureau))
    StaffProfile.objects.filter(user=head).update(position=StaffProfile.Position.BUREAU_HEAD)
    listed = TopicFactory()
    club = services.club_create(
        bureau=bureau,
        year=2026,
        topics=[TopicChoice(topic=listed), TopicChoice(free_text="예산 절감")],
    )
    assert club.chair == head
    assert club.name == "복지환경국 학습동아리"
    assert [str(t) for t in club.topics.all()] == [listed.title, "예산 절감"]
    assert (club.starts_on, club.ends_on) == (date(2026, 2, 1), date(2026, 11, 30))


def test_a_bureau_has_one_club_a_year() -> None:
    club = ClubFactory()
    with pytest.raises(ServiceError, match="이미 2026년"):
        services.club_create(
            bureau=club.bureau, year=2026, chair=club.chair,
            topics=[TopicChoice(free_text="가"), TopicChoice(free_text="나")],
        )  # fmt: skip
    with pytest.raises(IntegrityError), transaction.atomic():
        Club.objects.create(
            bureau=club.bureau, year=2026, name="x", chair=club.chair, created_at=club.created_at
        )


@pytest.mark.parametrize(
    ("topics", "message"),
    [
        ([TopicChoice(free_text="가")], "2개"),
        ([TopicChoice(), TopicChoice(free_text="나")], "과제 1"),
    ],
)
def test_a_club_needs_two_topics(topics: list[TopicChoice], message: str) -> None:
    bureau = BureauFactory()
    with pytest.raises(ServiceError, match=message):
        services.club_create(bureau=bureau, year=2026, chair=staff_user(), topics=topics)


def test_a_topic_is_listed_or_free_never_both_in_the_database() -> None:
    club = ClubFactory()
    from clubs.models import ClubTopic

    with pytest.raises(IntegrityError), transaction.atomic():
        ClubTopic.objects.create(club=club, slot=1, topic=TopicFactory(), free_text="둘 다")


def test_a_club_has_at_most_two_groups() -> None:
    club = ClubFactory()
    services.group_create(club=club, name="1분임")
    services.group_create(club=club, name="2분임")
    with pytest.raises(ServiceError, match="2개까지"):
        services.group_create(club=club, name="3분임")


# --- memberships ---


def test_a_second_leader_is_refused_with_a_korean_message() -> None:
    group, leader, _, plain = group_with_members(members=1)
    newcomer = staff_user()
    with pytest.raises(ServiceError, match="이미 분임장"):
        services.membership_add(
            group=group, user=newcomer, start_date=date(2026, 3, 1), role="leader"
        )
    with pytest.raises(ServiceError, match="이미 총무"):
        services.membership_change_role(
            membership=plain[0], role="secretary", on_date=date(2026, 4, 1)
        )


def test_the_database_holds_one_current_leader_per_group() -> None:
    group, leader, _, _ = group_with_members(members=0)
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(
            club=group.club,
            group=group,
            user=staff_user(),
            role="leader",
            start_date=date(2026, 3, 1),
        )


def test_a_leader_can_be_replaced_and_the_history_is_kept() -> None:
    group, leader, _, plain = group_with_members(members=1)
    services.membership_end(membership=leader, end_date=date(2026, 5, 31), reason="promotion")
    new_leader = services.membership_change_role(
        membership=plain[0], role="leader", on_date=date(2026, 6, 1)
    )
    assert new_leader.role == "leader" and new_leader.start_date == date(2026, 6, 1)
    old = Membership.objects.get(pk=plain[0].pk)
    assert (old.end_date, old.end_reason) == (date(2026, 5, 31), "role_change")
    leader.refresh_from_db()
    assert leader.get_end_reason_display() == "승진"
    assert Membership.objects.filter(user=plain[0].user).count() == 2


def test_a_person_sits_in_one_group_of_a_club_at_a_time() -> None:
    group, _, _, plain = group_with_members(members=1)
    other = StudyGroupFactory(club=group.club)
    with pytest.raises(ServiceError, match="이미"):
        services.membership_add(group=other, user=plain[0].user, start_date=date(2026, 4, 1))
    services.membership_end(membership=plain[0], end_date=date(2026, 3, 31), reason="transfer")
    moved = services.membership_add(group=other, user=plain[0].user, start_date=date(2026, 4, 1))
    assert moved.group == other


def test_membership_dates_stay_inside_the_club_year() -> None:
    group = StudyGroupFactory()
    with pytest.raises(ServiceError, match="운영 기간"):
        services.membership_add(group=group, user=staff_user(), start_date=date(2026, 12, 1))


# --- meetings and learning hours ---


def test_it_records_a_meeting_with_attendance() -> None:
    group, leader, secretary, plain = group_with_members(members=2)
    ids = [leader.user_id, secretary.user_id, plain[0].user_id]
    result = _meeting(group, secretary.user, ids)
    assert result.cap_notes == []
    assert set(result.meeting.attendees.values_list("pk", flat=True)) == set(ids)
    assert Attendance.objects.filter(meeting=result.meeting, hours=Decimal("2")).count() == 3


def test_a_meeting_in_the_future_is_refused() -> None:
    group, _, secretary, _ = group_with_members(members=0)
    with pytest.raises(ServiceError, match="오늘 이후"):
        _meeting(group, secretary.user, [secretary.user_id], held_on=date(2026, 7, 1))


def test_a_meeting_outside_the_club_year_is_refused() -> None:
    group, _, secretary, _ = group_with_members(members=0)
    with pytest.raises(ServiceError, match="운영 기간"):
        _meeting(group, secretary.user, [secretary.user_id], held_on=date(2026, 1, 15))


def test_an_attendee_who_was_not_a_member_on_that_date_is_refused() -> None:
    group, _, secretary, plain = group_with_members(members=1)
    late = MembershipFactory(group=group, start_date=date(2026, 4, 1))
    services.membership_end(membership=plain[0], end_date=date(2026, 2, 28), reason="transfer")
    stranger = staff_user(last_name="남", first_name="이웃")
    with pytest.raises(ServiceError) as err:
        _meeting(
            group, secretary.user, [secretary.user_id, late.user_id, plain[0].user_id, stranger.pk]
        )
    text = str(err.value)
    assert "회원이 아닌 참석자" in text and "남이웃" in text
    from org.models import display_name

    assert display_name(late.user) in text and display_name(plain[0].user) in text
    assert not Attendance.objects.exists()


def test_hours_beyond_the_cap_are_not_credited_and_the_secretary_is_told() -> None:
    group, _, secretary, plain = group_with_members(members=1)
    ids = [secretary.user_id, plain[0].user_id]
    for month in (2, 3, 4, 5, 6):
        _meeting(
            group,
            secretary.user,
            ids if month < 6 else [secretary.user_id],
            held_on=date(2026, month, 10),
        )
    result = _meeting(group, secretary.user, ids, held_on=date(2026, 6, 20), hours="3")
    assert len(result.cap_notes) == 1  # the member at 8 hours is credited in full
    assert "12시간" in result.cap_notes[0] and "3시간 중 2시간만" in result.cap_notes[0]
    hours = selectors.hours_by_user(user_ids=ids, half=periods.half(2026, 1))
    assert hours[secretary.user_id].attended == Decimal(
        "13"
    )  # attended; the cap applies when credited


# --- support spending ---


def test_it_records_support_spending_in_whole_won() -> None:
    club = ClubFactory()
    by = staff_user()
    spent = services.expense_record(
        club=club, spent_on=date(2026, 4, 2), category="books", amount=45_000,
        description="정책 연구 도서 3권", recorded_by=by, at=JUNE_30,
    )  # fmt: skip
    assert str(spent).endswith("도서구입 45,000원")
    with pytest.raises(ServiceError, match="1원 이상"):
        services.expense_record(
            club=club, spent_on=date(2026, 4, 2), category="books", amount=0,
            description="x", recorded_by=by, at=JUNE_30,
        )  # fmt: skip
    with pytest.raises(IntegrityError), transaction.atomic():
        SupportExpense.objects.create(
            club=club, spent_on=date(2026, 4, 2), category="books", amount=0, description="x",
            recorded_by=by, recorded_at=JUNE_30,
        )  # fmt: skip


# --- incentives ---


def test_the_chair_recommends_two_top_contributors_per_group_in_a_top_club() -> None:
    group, leader, secretary, plain = group_with_members(members=1)
    club = group.club
    for m in (leader, secretary):
        services.top_contributor_recommend(
            club=club, user=m.user, recommended_by=club.chair, grade="excellent"
        )
    with pytest.raises(ServiceError, match="2명까지"):
        services.top_contributor_recommend(
            club=club, user=plain[0].user, recommended_by=club.chair, grade="excellent"
        )
    assert Incentive.objects.filter(club=club, kind="top_contributor").count() == 2


def test_a_merit_club_gets_no_top_contributors() -> None:
    group, leader, _, _ = group_with_members(members=0)
    with pytest.raises(ServiceError, match="최우수 또는 우수"):
        services.top_contributor_recommend(
            club=group.club, user=leader.user, recommended_by=group.club.chair, grade="merit"
        )


def test_every_member_of_the_top_club_is_recommended_for_the_trip_once() -> None:
    group, leader, secretary, plain = group_with_members(members=2)
    club = group.club
    services.membership_end(membership=plain[1], end_date=date(2026, 5, 1), reason="transfer")
    assert (
        services.overseas_trip_recommend(club=club, recommended_by=club.chair, grade="grand") == 4
    )
    assert (
        services.overseas_trip_recommend(club=club, recommended_by=club.chair, grade="grand") == 0
    )
    with pytest.raises(ServiceError, match="최우수"):
        services.overseas_trip_recommend(club=club, recommended_by=club.chair, grade="excellent")
