"""No input to a club page gives a server error: whatever is typed or forged in a query
string or a form, the answer is a page, a form error, a redirect, 400, 403 or 404 (issue 12
#13). Hypothesis throws text, numbers of any size and odd Unicode at every parameter of every
clubs view."""

from datetime import date
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from clubs import services
from org.tests.factories import portal_admin

from .factories import group_with_members

pytestmark = [pytest.mark.django_db]

NASTY = st.one_of(
    st.text(max_size=30),
    st.integers().map(str),
    st.integers(min_value=10**15, max_value=10**40).map(str),
    st.decimals(allow_nan=True, allow_infinity=True).map(str),
    st.sampled_from(
        ["", " ", "abc", "-1", "0", "1e9", "²", "٣", "NaN", "2026-02-30", "\x00", "ａ"]
    ),
    st.dates().map(str),
)


@pytest.fixture
def site(django_db_blocker):
    group, leader, secretary, plain = group_with_members(members=1)
    services.meeting_record(
        group=group, recorded_by=secretary.user, held_on=date(2026, 3, 2), place="회의실",
        kind="regular", hours=Decimal("2"), minutes="토론",
        attendee_ids=[leader.user_id, secretary.user_id], at=None,
    )  # fmt: skip
    clients = []
    for person in (portal_admin(), group.club.chair, secretary.user, leader.user):
        client = Client(raise_request_exception=False)
        client.force_login(person)
        clients.append(client)
    club = group.club
    meeting = group.meetings.get()
    # (method, url, the parameters the view reads)
    views = [
        ("get", reverse("clubs:index"), ["year"]),
        ("post", reverse("clubs:club_create"), ["bureau", "year", "name", "topic_1", "topic_1_free", "topic_2", "topic_2_free"]),
        ("post", reverse("clubs:review_open"), ["year", "confirm"]),
        ("get", reverse("clubs:export_hours"), ["year", "half"]),
        ("get", reverse("clubs:export_incentives"), ["year"]),
        ("get", reverse("clubs:club_detail", args=[club.pk]), []),
        ("post", reverse("clubs:group_create", args=[club.pk]), ["name"]),
        ("post", reverse("clubs:membership_add", args=[club.pk]), ["group", "user", "user_query", "role", "start_date"]),
        ("post", reverse("clubs:research_report_create", args=[club.pk]), ["title", "summary", "body"]),
        ("post", reverse("clubs:expense_add", args=[club.pk]), ["spent_on", "category", "amount", "description"]),
        ("post", reverse("clubs:incentives", args=[club.pk]), ["action", "user", "incentive", "confirm"]),
        ("post", reverse("clubs:membership_end", args=[plain[0].pk]), ["end_date", "reason", "confirm"]),
        ("post", reverse("clubs:membership_role", args=[plain[0].pk]), ["role", "on_date", "confirm"]),
        ("post", reverse("clubs:meeting_create", args=[group.pk]), ["held_on", "kind", "place", "hours", "attendees", "minutes"]),
        ("post", reverse("clubs:report_create", args=[group.pk]), ["month", "title", "body"]),
        ("get", reverse("clubs:meeting_detail", args=[meeting.pk]), []),
    ]  # fmt: skip
    return clients, views


def test_the_two_reported_500s_are_form_errors_now(site) -> None:
    clients, views = site
    client = clients[0]  # an admin: the one who records spending
    urls = {url for _, url, _ in views}
    incentives = next(u for u in urls if u.endswith("/incentives/"))
    expenses = next(u for u in urls if u.endswith("/expenses/"))
    response = client.post(incentives, {"action": "withdraw", "incentive": "abc"})
    assert response.status_code == 302
    response = client.post(expenses, {
        "spent_on": "2026-03-02", "category": "books", "amount": "9" * 20, "description": "도서",
    })  # fmt: skip
    assert response.status_code == 200
    assert "이하" in response.content.decode()  # the form says the amount is too large


@settings(
    max_examples=120,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_no_parameter_of_any_clubs_view_gives_a_server_error(site, data) -> None:
    clients, views = site
    client = data.draw(st.sampled_from(clients), label="admin, chair, secretary or leader")
    method, url, params = data.draw(st.sampled_from(views))
    values = {p: data.draw(NASTY, label=p) for p in params}
    values = {k: v.replace("\x00", "") if method == "get" else v for k, v in values.items()}
    response = getattr(client, method)(url, values)
    assert response.status_code < 500, (method, url, values)
