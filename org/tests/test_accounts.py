"""Account flows of local accounts: first password by a one-time link, change, reset, and the
forced change at first sign-in for an account an admin created (issues 12 #10 and 16)."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from org.models import StaffProfile
from org.services import account_invite_send
from org.tests.factories import TEST_PASSWORD, portal_admin, staff_user

User = get_user_model()
pytestmark = pytest.mark.django_db
NEW_PASSWORD = "Hwanghak-Sonamu#58"


def _link(message) -> str:
    return re.search(r"https?://\S+/accounts/reset/\S+/", message.body).group(0)


def _new_account(**kw):
    user = staff_user(**kw)
    user.set_unusable_password()
    user.save()
    return user


def test_an_invited_account_sets_its_first_password_through_the_link_once(client):
    user = _new_account(username="10001")
    assert account_invite_send(user=user, base_url="http://testserver") is True
    [message] = mail.outbox
    assert message.to == [user.email] and "비밀번호를 정해 주세요" in message.subject
    link = _link(message)
    page = client.get(link, follow=True)
    assert "새 비밀번호를 두 번 넣어 주세요" in page.content.decode()
    done = client.post(
        page.redirect_chain[-1][0], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )
    assert done.status_code == 302 and done.url == reverse("password_reset_complete")
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    # the link is one-time
    again = client.get(link, follow=True)
    assert "링크가 만료되었거나 이미 사용되었습니다" in again.content.decode()


def test_an_account_without_email_gets_no_invitation():
    user = _new_account(email="")
    assert account_invite_send(user=user, base_url="http://testserver") is False
    assert mail.outbox == []


def test_a_new_account_can_ask_for_its_first_password_link_itself(client):
    user = _new_account(username="10002")
    response = client.post(reverse("password_reset"), {"email": user.email})
    assert response.status_code == 302
    [message] = mail.outbox
    assert "/accounts/reset/" in message.body and "10002" in message.body


def test_a_directory_account_that_signed_in_gets_no_local_reset(client):
    user = _new_account()
    User.objects.filter(pk=user.pk).update(last_login=timezone.now())
    client.post(reverse("password_reset"), {"email": user.email})
    assert mail.outbox == []


def test_a_local_account_resets_a_forgotten_password(client):
    user = staff_user()
    client.post(reverse("password_reset"), {"email": user.email.upper()})
    [message] = mail.outbox
    page = client.get(_link(message), follow=True)
    client.post(
        page.redirect_chain[-1][0], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)


def test_the_reset_form_does_not_say_whether_an_address_exists(client):
    response = client.post(reverse("password_reset"), {"email": "nobody@junggu.example.kr"})
    assert response.status_code == 302 and response.url == reverse("password_reset_done")
    assert mail.outbox == []


def test_a_weak_new_password_is_refused_in_korean(client):
    user = staff_user()
    client.force_login(user)
    response = client.post(
        reverse("password_change"),
        {"old_password": TEST_PASSWORD, "new_password1": "12345678", "new_password2": "12345678"},
    )
    assert response.status_code == 200
    user.refresh_from_db()
    assert user.check_password(TEST_PASSWORD)


def test_staff_change_their_own_password(client):
    user = staff_user()
    client.force_login(user)
    page = client.get(reverse("password_change"))
    assert "비밀번호 변경" in page.content.decode()
    response = client.post(
        reverse("password_change"),
        {
            "old_password": TEST_PASSWORD,
            "new_password1": NEW_PASSWORD,
            "new_password2": NEW_PASSWORD,
        },
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)


def test_an_account_an_admin_created_must_change_its_password_at_first_login(client):
    admin = portal_admin(is_superuser=True)
    client.force_login(admin)
    response = client.post(
        reverse("admin:auth_user_add"),
        {
            "username": "newcomer", "usable_password": "true",
            "password1": "Admin-Given-2016!", "password2": "Admin-Given-2016!",
            "staff_profile-TOTAL_FORMS": "1", "staff_profile-INITIAL_FORMS": "0",
            "staff_profile-MIN_NUM_FORMS": "0", "staff_profile-MAX_NUM_FORMS": "1",
            "staff_profile-0-position": "officer", "staff_profile-0-employment_status": "active",
            "assignments-TOTAL_FORMS": "0", "assignments-INITIAL_FORMS": "0",
            "assignments-MIN_NUM_FORMS": "0", "assignments-MAX_NUM_FORMS": "0",
        },
    )  # fmt: skip
    assert response.status_code == 302, response.content.decode()[:3000]
    newcomer = User.objects.get(username="newcomer")
    assert StaffProfile.objects.get(user=newcomer).must_change_password is True
    client.logout()

    login = client.post(reverse("login"), {"username": "newcomer", "password": "Admin-Given-2016!"})
    assert login.status_code == 302 and login.url == reverse("password_change")
    # every other page sends them back until they have chosen their own
    elsewhere = client.get(reverse("home"))
    assert elsewhere.status_code == 302 and elsewhere.url == reverse("password_change")
    page = client.get(reverse("password_change"))
    assert "본인만 아는 새 비밀번호로 바꿔 주세요" in page.content.decode()
    changed = client.post(
        reverse("password_change"),
        {"old_password": "Admin-Given-2016!", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )  # fmt: skip
    assert changed.status_code == 302
    assert StaffProfile.objects.get(user=newcomer).must_change_password is False
    assert client.get(reverse("home")).status_code == 200


def test_an_admin_resetting_someones_password_makes_them_choose_again(client):
    admin = portal_admin(is_superuser=True)
    user = staff_user()
    client.force_login(admin)
    response = client.post(
        reverse("admin:auth_user_password_change", args=[user.pk]),
        {
            "password1": "Admin-Given-2016!",
            "password2": "Admin-Given-2016!",
            "usable_password": "true",
        },
    )
    assert response.status_code == 302
    assert StaffProfile.objects.get(user=user).must_change_password is True


def test_an_ordinary_login_goes_where_it_was_going(client):
    user = staff_user()
    login = client.post(reverse("login"), {"username": user.username, "password": TEST_PASSWORD})
    assert login.status_code == 302 and login.url == reverse("home")
