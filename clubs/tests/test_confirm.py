"""Irreversible club actions take two steps: a page that says what will happen, in numbers,
then the same POST with ``confirm=yes``. Plain forms: it works without JavaScript."""

import pytest
from django.test import Client
from django.urls import reverse

from clubs import services
from clubs.models import ClubReview, Incentive, Membership
from org.tests.factories import portal_admin

from .factories import ClubFactory, group_with_members

pytestmark = [pytest.mark.django_db, pytest.mark.smoke]


def _client(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def _confirm_page(response) -> str:
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="confirm"' in html and 'name="confirm" value="yes"' in html
    return html


def test_ending_a_membership_asks_first_and_keeps_everything_until_confirmed() -> None:
    group, leader, secretary, plain = group_with_members(members=1)
    client = _client(group.club.chair)
    url = reverse("clubs:membership_end", args=[leader.pk])
    data = {"end_date": "2026-05-31", "reason": "transfer"}
    html = _confirm_page(client.post(url, data))
    assert "2026-05-31" in html and "되돌릴 수 없습니다" in html and "전보" in html
    # the typed values ride along in the confirmation form
    assert 'name="end_date" value="2026-05-31"' in html
    assert reverse("clubs:club_detail", args=[group.club_id]) in html  # the way back
    leader.refresh_from_db()
    assert leader.end_date is None
    assert client.post(url, {**data, "confirm": "yes"}).status_code == 302
    leader.refresh_from_db()
    assert str(leader.end_date) == "2026-05-31"


def test_a_role_change_asks_first() -> None:
    group, leader, secretary, plain = group_with_members(members=1)
    client = _client(group.club.chair)
    url = reverse("clubs:membership_role", args=[leader.pk])
    data = {"role": "member", "on_date": "2026-06-01"}
    html = _confirm_page(client.post(url, data))
    assert "분임장에서 회원" in html
    assert Membership.objects.filter(group=group).count() == 3
    client.post(url, {**data, "confirm": "yes"})
    assert Membership.objects.filter(group=group).count() == 4


def test_an_invalid_form_is_shown_again_not_confirmed() -> None:
    group, leader, *_ = group_with_members(members=0)
    response = _client(group.club.chair).post(
        reverse("clubs:membership_end", args=[leader.pk]), {"end_date": "", "reason": "transfer"}
    )
    assert response.status_code == 200
    assert 'data-testid="confirm"' not in response.content.decode()


def test_opening_the_review_says_how_many_clubs_go_in() -> None:
    ClubFactory()
    ClubFactory()
    client = _client(portal_admin())
    url = reverse("clubs:review_open")
    html = _confirm_page(client.post(url, {"year": 2026}))
    assert "동아리 2개" in html
    assert not ClubReview.objects.exists()
    assert client.post(url, {"year": 2026, "confirm": "yes"}).status_code == 302
    assert ClubReview.objects.filter(year=2026).exists()


def test_the_overseas_trip_and_a_withdrawal_ask_first() -> None:
    group, leader, secretary, plain = group_with_members(members=1)
    club = group.club
    client = _client(club.chair)
    url = reverse("clubs:incentives", args=[club.pk])
    grade = "grand"
    # the grade comes from the confirmed review; without one the service refuses
    html = _confirm_page(client.post(url, {"action": "overseas"}))
    assert "구성원 3명" in html
    assert not Incentive.objects.exists()
    incentive = services.top_contributor_recommend(
        club=club, user=leader.user, recommended_by=club.chair, grade=grade
    )
    html = _confirm_page(client.post(url, {"action": "withdraw", "incentive": incentive.pk}))
    assert "추천을 취소합니다" in html
    assert Incentive.objects.filter(pk=incentive.pk).exists()
    client.post(url, {"action": "withdraw", "incentive": incentive.pk, "confirm": "yes"})
    assert not Incentive.objects.filter(pk=incentive.pk).exists()


def test_a_withdrawal_of_something_that_is_not_there_is_a_message_not_an_error() -> None:
    group, *_ = group_with_members(members=0)
    client = _client(group.club.chair)
    url = reverse("clubs:incentives", args=[group.club.pk])
    for bad in ("abc", "", "99999999999999999999999", "-1", "1e5"):
        response = client.post(url, {"action": "withdraw", "incentive": bad, "confirm": "yes"})
        assert response.status_code == 302, bad
