"""Committee members are picked by search as you type (org.people), never from a <select> of
every member of staff: the pages stay small with 50,000 people."""

import re

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from contests.models import CommitteeMember, MemberKind
from contests.tests.factories import committee
from org.tests.factories import DepartmentFactory, portal_admin, staff_user

pytestmark = pytest.mark.django_db
STAFF = 50_000


def _city_staff() -> None:
    """50,000 active staff with profiles, in SQL (the ORM would take minutes)."""
    dept = DepartmentFactory(name="픽커시험과")
    with connection.cursor() as cur:
        cur.execute(
            "INSERT INTO auth_user (password, is_superuser, username, first_name, last_name,"
            " email, is_staff, is_active, date_joined) SELECT '!', false, 'pk_' || g, '직원' || g,"
            " '김', '', false, true, now() FROM generate_series(1, %s) g",
            [STAFF],
        )
        cur.execute(
            "INSERT INTO org_staffprofile (user_id, department_id, position, grade,"
            " employment_status, must_change_password) SELECT id, %s, 'officer', '', 'active',"
            " false FROM auth_user WHERE username LIKE 'pk\\_%%'",
            [dept.pk],
        )


def _client(user: object) -> Client:
    c = Client()
    c.force_login(user)  # type: ignore[arg-type]
    return c


def _largest_select(html: str) -> int:
    return max(
        (s.count("<option") for s in re.findall(r"<select.*?</select>", html, flags=re.S)),
        default=0,
    )


def test_the_member_pages_stay_small_with_50000_staff() -> None:
    _city_staff()
    wp = committee()
    admin = _client(portal_admin())
    for url in (
        reverse("contests:committee_member_new", args=[wp.pk]),
        reverse("contests:committees"),
    ):
        response = admin.get(url)
        assert response.status_code == 200
        html = response.content.decode()
        assert _largest_select(html) < 10, url
        assert len(response.content) < 40_000, (url, len(response.content))
    html = admin.get(reverse("contests:committee_member_new", args=[wp.pk])).content.decode()
    assert "data-person-picker" in html and "js/person-picker.js" in html


def test_an_admin_seats_a_member_found_by_search() -> None:
    wp = committee()
    person = staff_user(username="judge7", last_name="한", first_name="심사")
    admin = _client(portal_admin())
    url = reverse("contests:committee_member_new", args=[wp.pk])
    # What the picker's script sends: the chosen id in the hidden input, the label as typed.
    response = admin.post(
        url,
        {
            "user": str(person.pk),
            "user_query": "한심사",
            "role": "member",
            "kind": MemberKind.APPOINTED,
            "term_start": "2026-01-05",
        },
    )
    assert response.status_code == 302
    seat = CommitteeMember.objects.get(committee=wp, user=person)
    assert str(seat.term_end) == "2028-01-04"  # an appointed member's 2-year term
    # Without JavaScript only the typed 아이디 arrives: it is resolved too.
    other = staff_user(username="judge8")
    response = admin.post(
        url,
        {"user_query": "judge8", "role": "chair", "kind": "ex_officio", "term_start": "2026-01-05"},
    )
    assert response.status_code == 302
    assert CommitteeMember.objects.get(committee=wp, user=other).role == "chair"


def test_an_unknown_person_and_a_term_ending_before_it_starts_are_refused() -> None:
    wp = committee()
    person = staff_user(username="judge9")
    admin = _client(portal_admin())
    url = reverse("contests:committee_member_new", args=[wp.pk])
    page = admin.post(
        url,
        {
            "user_query": "nobody",
            "role": "member",
            "kind": "ex_officio",
            "term_start": "2026-01-05",
        },
    ).content.decode()
    assert "&#x27;nobody&#x27;에 맞는 직원이 없습니다" in page
    page = admin.post(
        url,
        {
            "user": str(person.pk),
            "role": "member",
            "kind": "ex_officio",
            "term_start": "2026-01-05",
            "term_end": "2025-12-31",
        },
    ).content.decode()
    assert "임기 종료일이 시작일보다 빠를 수 없습니다." in page
    assert not CommitteeMember.objects.filter(user=person).exists()


def test_only_admins_seat_members() -> None:
    wp = committee()
    url = reverse("contests:committee_member_new", args=[wp.pk])
    assert _client(staff_user()).get(url).status_code == 403
