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
