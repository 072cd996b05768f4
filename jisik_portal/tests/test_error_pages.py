"""Korean error pages in the portal's layout (issue 13 #3), as production serves them
(DEBUG off): what happened, the reason where there is one, what to do."""

import pytest
from django.conf import LazySettings
from django.conf import settings as django_settings
from django.test import Client

from org.tests.factories import staff_user

pytestmark = [pytest.mark.django_db, pytest.mark.urls("jisik_portal.tests.error_urls")]


@pytest.fixture(autouse=True)
def production(settings: LazySettings) -> None:
    settings.DEBUG = False
    settings.ALLOWED_HOSTS = ["testserver"]


def _korean_page(body: str) -> None:
    assert '<html lang="ko">' in body
    assert 'data-testid="error-page"' in body
    assert "첫 화면으로" in body
    for english in ("Forbidden", "Not Found", "Bad Request", "Server Error", "Traceback"):
        assert english not in body


def test_404_is_the_korean_page_not_djangos_url_list(client: Client) -> None:
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    body = response.content.decode()
    _korean_page(body)
    assert "페이지를 찾을 수 없습니다" in body and "/no-such-page/" in body
    assert "URLconf" not in body and "urlpatterns" not in body
    assert "구민 제안하기" in body  # the portal's own header and menu


def test_403_shows_the_korean_reason_the_code_raised(client: Client) -> None:
    client.force_login(staff_user(last_name="김", first_name="민수"))
    response = client.get("/__errors__/403/")
    assert response.status_code == 403
    body = response.content.decode()
    _korean_page(body)
    assert "이 화면을 볼 권한이 없습니다" in body
    assert "총무만 월별 활동보고서를 제출할 수 있습니다." in body
    assert "권한을 요청해 주세요" in body
    assert "김민수" in body  # the layout, as the logged-in person sees it


def test_403_without_a_reason_tells_a_visitor_to_log_in(client: Client) -> None:
    response = client.get("/__errors__/403-plain/")
    assert response.status_code == 403
    body = response.content.decode()
    _korean_page(body)
    assert 'data-testid="error-reason"' not in body
    assert "로그인한 뒤에 이용할 수 있습니다" in body and "/accounts/login/?next=" in body


def test_400_says_what_to_do(client: Client) -> None:
    response = client.get("/__errors__/400/")
    assert response.status_code == 400
    body = response.content.decode()
    _korean_page(body)
    assert "잘못된 요청입니다" in body and "다시 시도해 주세요" in body
    assert "bad input" not in body


def test_500_is_plain_korean_and_needs_no_context() -> None:
    client = Client(raise_request_exception=False)
    response = client.get("/__errors__/500/")
    assert response.status_code == 500
    body = response.content.decode()
    _korean_page(body)
    assert "일시적인 오류가 발생했습니다" in body and "잠시 뒤 다시 시도해 주세요" in body
    assert "boom" not in body


def test_a_csrf_failure_is_the_korean_page(settings: LazySettings) -> None:
    settings.CSRF_FAILURE_VIEW = "jisik_portal.views.csrf_failure"
    client = Client(enforce_csrf_checks=True)
    client.force_login(staff_user())
    client.get("/")  # the CSRF cookie is set
    response = client.post("/accounts/logout/", {})
    assert response.status_code == 403
    body = response.content.decode()
    _korean_page(body)
    assert "보안 확인에 실패했습니다" in body and "새로 고친 뒤 다시 보내 주세요" in body
    assert "CSRF verification failed" not in body


def test_a_csrf_failure_without_the_cookie_says_to_allow_cookies(settings: LazySettings) -> None:
    settings.CSRF_FAILURE_VIEW = "jisik_portal.views.csrf_failure"
    client = Client(enforce_csrf_checks=True)
    response = client.post("/accounts/login/", {"username": "x", "password": "y"})
    assert response.status_code == 403
    assert "쿠키가 허용되어 있는지" in response.content.decode()


def test_the_settings_use_the_korean_csrf_page() -> None:
    assert django_settings.CSRF_FAILURE_VIEW == "jisik_portal.views.csrf_failure"
