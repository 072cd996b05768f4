"""django-axes' admin section in Korean (issue 13 #2): app, models, fields, columns."""

import re

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import get_user_model
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.fixture
def root(client):
    client.force_login(get_user_model().objects.create_superuser("root", "r@example.kr", "x"))
    return client


def _text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def test_the_admin_index_names_the_section_and_its_models_in_korean(root) -> None:
    html = _text(root.get(reverse("admin:index")))
    assert "로그인 잠금" in html and ">Axes<" not in html
    assert "로그인 시도" in html and "접속 기록" in html and "로그인 실패 기록" in html
    assert "Access attempts" not in html and "Access logs" not in html


def test_the_attempt_list_and_page_have_korean_labels(root) -> None:
    attempt = AccessAttempt.objects.create(
        username="staff1",
        ip_address="10.0.0.1",
        user_agent="Chromium",
        http_accept="text/html",
        path_info="/accounts/login/",
        get_data="",
        post_data="username=staff1",
        failures_since_start=2,
    )
    listing = _text(root.get(reverse("admin:axes_accessattempt_changelist")))
    for label in ("아이디", "IP 주소", "시도 시각", "실패 횟수", "경로", "상태"):
        assert label in listing, label
    assert "3회 남음" in listing  # the failure limit is 5
    assert "Attempt Remaining" not in listing and "만료된 로그인 시도 기록 정리" in listing
    page = _text(root.get(reverse("admin:axes_accessattempt_change", args=[attempt.pk])))
    assert "입력 내용" in page and "접속 정보" in page and "POST 데이터" in page
    assert "Form Data" not in page and "Meta Data" not in page


def _attempt(username: str, *, minutes_ago: int) -> AccessAttempt:
    from datetime import timedelta

    from django.utils import timezone

    attempt = AccessAttempt.objects.create(
        username=username, ip_address="10.0.0.2", user_agent="Chromium", http_accept="text/html",
        path_info="/accounts/login/", get_data="", post_data="", failures_since_start=1,
    )  # fmt: skip
    AccessAttempt.objects.filter(pk=attempt.pk).update(
        attempt_time=timezone.now() - timedelta(minutes=minutes_ago)
    )
    return attempt


def test_cleaning_expired_attempts_asks_first_then_deletes_only_the_expired(root) -> None:
    old = _attempt("old1", minutes_ago=31)  # past the 30-minute cool-off
    _attempt("old2", minutes_ago=120)
    recent = _attempt("recent", minutes_ago=5)  # still locks its account
    url = reverse("admin:axes_accessattempt_changelist")
    action = {"action": "cleanup_expired_attempts", "_selected_action": [recent.pk]}

    page = root.post(url, action)
    assert page.status_code == 200
    html = _text(page)
    assert "로그인 시도 기록 2건을 지웁니다" in html and "되돌릴 수 없습니다" in html
    assert AccessAttempt.objects.count() == 3  # asking deletes nothing

    done = root.post(url, {**action, "_selected_action": [old.pk], "confirmed": "yes"}, follow=True)
    assert "만료된 로그인 시도 2건을 정리했습니다." in _text(done)
    assert list(AccessAttempt.objects.values_list("username", flat=True)) == ["recent"]

    again = root.post(url, action, follow=True)
    assert "정리할 만료된 로그인 시도 기록이 없습니다." in _text(again)
    assert AccessAttempt.objects.count() == 1
