"""The club pages: who sees what, Korean errors kept with the typed input, query counts."""

from datetime import date
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from clubs import services
from clubs.models import Attendance, Meeting, MonthlyReport
from org.tests.factories import TEST_PASSWORD, portal_admin, staff_user

from .factories import ClubFactory, MembershipFactory, group_with_members

pytestmark = [pytest.mark.django_db, pytest.mark.smoke]


def _client(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def _club_with_data(meetings: int, members: int):
    group, leader, secretary, plain = group_with_members(members=members)
    ids = [leader.user_id, secretary.user_id] + [m.user_id for m in plain]
    for i in range(meetings):
        services.meeting_record(
            group=group, recorded_by=secretary.user, held_on=date(2026, 2 + i % 9, 1 + i % 27),
            place="회의실", kind="regular", hours=Decimal("1"), minutes="토론", attendee_ids=ids,
        )  # fmt: skip
    return group, leader, secretary, plain


def test_the_index_lists_the_years_clubs_with_counts() -> None:
    group, *_ = _club_with_data(meetings=2, members=2)
    response = _client(staff_user()).get(reverse("clubs:index"), {"year": 2026})
    assert response.status_code == 200
    html = response.content.decode()
    assert group.club.name in html
    row = response.context["clubs"][0]
    assert (row.group_count, row.member_count, row.meeting_count, row.report_count) == (1, 4, 2, 0)


def test_the_index_query_count_does_not_grow_with_clubs(django_assert_max_num_queries) -> None:
    user = portal_admin()
    _club_with_data(meetings=1, members=1)
    client = _client(user)
    with django_assert_max_num_queries(12) as small:
        client.get(reverse("clubs:index"), {"year": 2026})
    for _ in range(5):
        _club_with_data(meetings=3, members=4)
    with django_assert_max_num_queries(12) as large:
        client.get(reverse("clubs:index"), {"year": 2026})
    assert len(large.captured_queries) == len(small.captured_queries)


def test_the_club_page_query_count_does_not_grow_with_meetings_and_members(
    django_assert_max_num_queries,
) -> None:
    group, leader, secretary, plain = _club_with_data(meetings=1, members=1)
    client = _client(secretary.user)
    url = reverse("clubs:club_detail", args=[group.club_id])
    with django_assert_max_num_queries(40) as small:
        assert client.get(url).status_code == 200
    for _ in range(6):
        MembershipFactory(group=group)
    ids = list(group.memberships.values_list("user_id", flat=True))
    for i in range(8):
        services.meeting_record(
            group=group, recorded_by=secretary.user, held_on=date(2026, 3 + i % 6, 2 + i),
            place="회의실", kind="extra", hours=Decimal("2"), minutes="토론", attendee_ids=ids,
        )  # fmt: skip
    services.expense_record(
        club=group.club, spent_on=date(2026, 3, 1), category="books", amount=10_000,
        description="도서", recorded_by=secretary.user,
    )  # fmt: skip
    with django_assert_max_num_queries(40) as large:
        assert client.get(url).status_code == 200
    assert len(large.captured_queries) == len(small.captured_queries)


def test_the_meeting_page_query_count_does_not_grow_with_attendees(
    django_assert_max_num_queries,
) -> None:
    group, leader, secretary, plain = _club_with_data(meetings=1, members=1)
    client = _client(secretary.user)
    meeting = Meeting.objects.get()
    with django_assert_max_num_queries(12) as small:
        client.get(reverse("clubs:meeting_detail", args=[meeting.pk]))
    _, _, _, more = _club_with_data(meetings=0, members=0)
    bigger, *_ = _club_with_data(meetings=1, members=9)
    big_meeting = Meeting.objects.get(group=bigger)
    with django_assert_max_num_queries(12) as large:
        client.get(reverse("clubs:meeting_detail", args=[big_meeting.pk]))
    assert len(large.captured_queries) == len(small.captured_queries)


def test_a_secretary_records_a_meeting_through_the_form() -> None:
    group, leader, secretary, plain = group_with_members(members=1)
    client = _client(secretary.user)
    url = reverse("clubs:meeting_create", args=[group.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {
        "held_on": "2026-03-12", "kind": "regular", "place": "구청 소회의실", "hours": "2",
        "attendees": [leader.user_id, secretary.user_id], "minutes": "과제 토론",
    })  # fmt: skip
    meeting = Meeting.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/meetings/{meeting.pk}/")
    assert Attendance.objects.filter(meeting=meeting).count() == 2


def test_a_bad_meeting_shows_korean_errors_and_keeps_the_typed_input() -> None:
    group, leader, secretary, plain = group_with_members(members=1)
    MembershipFactory(group=group, start_date=date(2026, 6, 1))
    late = group.memberships.order_by("-start_date").first()
    client = _client(secretary.user)
    response = client.post(reverse("clubs:meeting_create", args=[group.pk]), {
        "held_on": "2026-03-12", "kind": "regular", "place": "입력한 장소", "hours": "2",
        "attendees": [secretary.user_id, late.user_id], "minutes": "입력한 회의록",
    })  # fmt: skip
    html = response.content.decode()
    assert response.status_code == 200
    assert "회원이 아닌 참석자" in html
    assert "입력한 장소" in html and "입력한 회의록" in html
    assert not Meeting.objects.exists()


def test_a_plain_member_cannot_record_meetings_or_file_reports() -> None:
    group, leader, secretary, plain = group_with_members(members=1)
    client = _client(plain[0].user)
    assert client.get(reverse("clubs:meeting_create", args=[group.pk])).status_code == 403
    assert client.get(reverse("clubs:report_create", args=[group.pk])).status_code == 403
    # the 분임장 records meetings but the 총무 files the report
    leader_client = _client(leader.user)
    assert leader_client.get(reverse("clubs:meeting_create", args=[group.pk])).status_code == 200
    assert leader_client.get(reverse("clubs:report_create", args=[group.pk])).status_code == 403


def test_the_secretary_files_the_monthly_report_through_the_form() -> None:
    group, leader, secretary, plain = _club_with_data(meetings=1, members=1)
    client = _client(secretary.user)
    response = client.post(reverse("clubs:report_create", args=[group.pk]), {
        "month": "2026-02-01", "title": "2월 활동보고", "body": "자료 검토",
    })  # fmt: skip
    assert response.status_code == 302
    report = MonthlyReport.objects.get()
    assert report.post.title == "2월 활동보고"


def test_a_second_leader_through_the_form_gets_a_korean_message() -> None:
    group, leader, secretary, plain = group_with_members(members=0)
    club = group.club
    newcomer = staff_user()
    response = _client(club.chair).post(reverse("clubs:membership_add", args=[club.pk]), {
        "group": group.pk, "user": newcomer.pk, "role": "leader", "start_date": "2026-03-01",
    })  # fmt: skip
    assert response.status_code == 200
    assert "이미 분임장" in response.content.decode()


def test_hr_exports_are_for_admins_and_the_hr_department() -> None:
    from org.tests.factories import DepartmentFactory

    ClubFactory()
    hr = staff_user(department=DepartmentFactory(name="총무과"))
    url = reverse("clubs:export_hours")
    assert _client(staff_user()).get(url, {"year": 2026, "half": 1}).status_code == 403
    response = _client(hr).get(url, {"year": 2026, "half": 1})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert (
        _client(portal_admin()).get(reverse("clubs:export_incentives"), {"year": 2026}).status_code
        == 200
    )


def test_only_admins_open_the_review_and_create_clubs() -> None:
    ClubFactory()
    assert (
        _client(staff_user()).post(reverse("clubs:review_open"), {"year": 2026}).status_code == 403
    )
    assert _client(staff_user()).get(reverse("clubs:club_create")).status_code == 403
    response = _client(portal_admin()).post(
        reverse("clubs:review_open"), {"year": 2026, "confirm": "yes"}
    )
    assert response.status_code == 302


def test_the_chair_sees_the_incentives_page() -> None:
    group, leader, *_ = group_with_members(members=0)
    club = group.club
    response = _client(club.chair).get(reverse("clubs:incentives", args=[club.pk]))
    assert response.status_code == 200
    assert "확정된 심사 결과가 없습니다" in response.content.decode()
    assert _client(leader.user).get(reverse("clubs:incentives", args=[club.pk])).status_code == 403


def test_anonymous_visitors_are_sent_to_login() -> None:
    response = Client().get(reverse("clubs:index"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert TEST_PASSWORD


def test_an_admin_creates_a_club_with_a_listed_and_a_free_topic() -> None:
    from clubs.models import Club
    from clubs.services import bureau_head_of, topics_ensure
    from org.models import StaffProfile
    from org.tests.factories import BureauFactory, DepartmentFactory

    topics_ensure()
    from clubs.models import Topic

    bureau = BureauFactory(name="도시관리국")
    head = staff_user(department=DepartmentFactory(bureau=bureau))
    StaffProfile.objects.filter(user=head).update(position="bureau_head")
    assert bureau_head_of(bureau) == head
    topic = Topic.objects.get(source="vision2018", number=1)
    client = _client(portal_admin())
    assert client.get(reverse("clubs:club_create")).status_code == 200
    response = client.post(reverse("clubs:club_create"), {
        "bureau": bureau.pk, "year": 2026, "topic_1": topic.pk, "topic_2_free": "주민 편익 증대",
    })  # fmt: skip
    club = Club.objects.get(bureau=bureau)
    assert response.status_code == 302 and club.chair == head
    again = client.post(reverse("clubs:club_create"), {
        "bureau": bureau.pk, "year": 2026, "topic_1_free": "가", "topic_2_free": "나",
    })  # fmt: skip
    assert "이미 2026년 학습동아리가 있습니다" in again.content.decode()


def test_the_chair_records_a_transfer_and_a_role_change() -> None:
    group, leader, secretary, plain = group_with_members(members=2)
    client = _client(group.club.chair)
    response = client.post(reverse("clubs:membership_end", args=[leader.pk]), {
        "end_date": "2026-05-31", "reason": "transfer", "confirm": "yes",
    })  # fmt: skip
    assert response.status_code == 302
    response = client.post(reverse("clubs:membership_role", args=[plain[0].pk]), {
        "role": "leader", "on_date": "2026-06-01", "confirm": "yes",
    })  # fmt: skip
    assert response.status_code == 302
    page = client.get(reverse("clubs:club_detail", args=[group.club_id])).content.decode()
    assert "전보" in page and "역할 변경" in page


def test_an_admin_records_support_spending_and_bad_amounts_are_refused() -> None:
    club = ClubFactory()
    client = _client(portal_admin())
    url = reverse("clubs:expense_add", args=[club.pk])
    ok = client.post(
        url,
        {
            "spent_on": "2026-04-01",
            "category": "advisory_fee",
            "amount": "150000",
            "description": "자문",
        },
    )
    assert ok.status_code == 302 and club.expenses.get().amount == 150_000
    bad = client.post(
        url,
        {"spent_on": "2026-04-01", "category": "books", "amount": "12.5", "description": "도서"},
    )
    assert bad.status_code == 200 and club.expenses.count() == 1
    assert _client(staff_user()).post(url, {}).status_code == 403


def test_the_chair_of_a_top_club_recommends_through_the_incentives_page() -> None:
    from contests.models import Award, Entry

    group, leader, secretary, plain = group_with_members(members=1)
    club = group.club
    services.review_open(year=2026, opened_by=portal_admin())
    entry = Entry.objects.get(source_type="clubs.club", source_id=club.pk)
    Award.objects.create(
        round=entry.round, entry=entry, grade="grand", prize_won=500_000,
        confirmed_by=club.chair, confirmed_at=entry.created_at,
    )  # fmt: skip
    client = _client(club.chair)
    url = reverse("clubs:incentives", args=[club.pk])
    assert "최우수" in client.get(url).content.decode()
    for m in (leader, secretary, plain[0]):
        client.post(url, {"action": "recommend", "user": m.user_id})
    assert club.incentives.filter(kind="top_contributor").count() == 2
    response = client.post(url, {"action": "recommend", "user": plain[0].user_id})
    assert "2명까지" in response.content.decode()
    client.post(url, {"action": "overseas", "confirm": "yes"})
    assert club.incentives.filter(kind="overseas_trip").count() == 3


def test_a_research_report_for_a_past_year_is_refused_with_a_korean_message() -> None:
    from django.utils import timezone

    from clubs.models import ResearchReport

    club = ClubFactory(year=timezone.localdate().year - 1)
    client = _client(club.chair)
    url = reverse("clubs:research_report_create", args=[club.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"title": "연구성과", "summary": "요약", "body": "본문"})
    assert response.status_code == 200
    assert "하반기(7월~12월)에 제출합니다" in response.content.decode()
    assert "연구성과" in response.content.decode()  # the typed title is kept
    assert not ResearchReport.objects.exists()


def test_the_incentives_page_query_count_does_not_grow_with_recommendations(
    django_assert_max_num_queries,
) -> None:
    group, leader, secretary, plain = group_with_members(members=1)
    club = group.club
    client = _client(club.chair)
    url = reverse("clubs:incentives", args=[club.pk])
    with django_assert_max_num_queries(20) as small:
        client.get(url)
    for _ in range(10):
        MembershipFactory(group=group)
    services.overseas_trip_recommend(club=club, recommended_by=club.chair, grade="grand")
    with django_assert_max_num_queries(20) as large:
        client.get(url)
    assert len(large.captured_queries) == len(small.captured_queries)
