import pytest
from django.test import Client
from django.urls import reverse

from org.roles import Role
from org.tests.factories import TEST_PASSWORD, UserFactory, staff_user

pytestmark = pytest.mark.django_db


@pytest.mark.smoke
def test_home_answers_in_korean_for_a_resident(client: Client) -> None:
    response = client.get("/")
    assert response.status_code == 200
    body = response.content.decode()
    assert '<html lang="ko">' in body
    assert "구민 제안하기" in body and "본문 바로가기" in body


def test_home_greets_a_logged_in_staff_member(client: Client) -> None:
    user = staff_user(last_name="김", first_name="민수")
    client.force_login(user)
    body = client.get("/").content.decode()
    assert "김민수님" in body
    for label in ["창의제안", "학습동아리", "업무나눔터", "자료공유", "내 점수"]:
        assert label in body


@pytest.mark.smoke
def test_login_form_has_labels_and_a_password_toggle(client: Client) -> None:
    body = client.get(reverse("login")).content.decode()
    assert '<label for="id_username"' in body and "아이디" in body
    assert '<label for="id_password"' in body
    assert 'data-toggle-password="id_password"' in body
    assert "placeholder" not in body


def test_a_wrong_password_gives_a_korean_error_and_keeps_the_username(client: Client) -> None:
    UserFactory(username="kim")
    response = client.post(reverse("login"), {"username": "kim", "password": "wrong-one-1"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "아이디 또는 비밀번호가 올바르지 않습니다" in body
    assert 'value="kim"' in body


def test_the_right_password_logs_in(client: Client) -> None:
    UserFactory(username="kim")
    response = client.post(reverse("login"), {"username": "kim", "password": TEST_PASSWORD})
    assert response.status_code == 302 and response.url == reverse("home")


def test_five_failures_lock_the_account_with_a_korean_message(client: Client) -> None:
    UserFactory(username="lee")
    for _ in range(5):
        client.post(reverse("login"), {"username": "lee", "password": "nope-nope-1"})
    # Even the right password is refused now, with the lockout page.
    response = client.post(reverse("login"), {"username": "lee", "password": TEST_PASSWORD})
    assert response.status_code == 429
    assert "30분 동안 제한" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_pages_for_staff_need_a_login(client: Client) -> None:
    response = client.get(reverse("scoring:me"))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


@pytest.mark.parametrize(("roles", "status"), [([Role.STAFF], 302), ([Role.PORTAL_ADMIN], 200)])
def test_django_admin_is_for_admins_only(client: Client, roles: list[Role], status: int) -> None:
    client.force_login(staff_user(roles=roles))
    assert client.get("/admin/").status_code == status
