"""In real headless Chromium: an admin uploads the HR file in Django admin, reads the dry run
(nothing written yet), then imports; a file with a bad line shows it and cannot be imported."""

from collections.abc import Callable
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model

from org.models import StaffProfile
from org.selectors import department_at
from org.staff_import import staff_import
from org.tests.factories import TEST_PASSWORD, portal_admin
from org.tests.staff_files import Upload, person, xlsx_bytes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
User = get_user_model()

JANUARY = [
    person("10001", "김민수", "전산정보과", team="정보화팀"),
    person("10002", "이서연", "총무과", bureau="행정관리국", team="인사팀"),
    person("10003", "박지훈", "신당동", bureau="행정관리국"),
]
JULY = [
    person("10001", "김민수", "총무과", bureau="행정관리국"),
    person("10002", "이서연", "총무과", bureau="행정관리국", team="인사팀", position="팀장"),
    person("10004", "최유진", "환경과", bureau="복지환경국"),
]


def _axe_both(page, axe) -> None:
    assert axe(page) == []
    page.set_viewport_size({"width": 390, "height": 844})
    assert axe(page) == []
    page.set_viewport_size({"width": 1280, "height": 900})


def test_an_admin_previews_then_imports_the_hr_file(
    page: object, login: Callable, axe: Callable, tmp_path: Path, settings: object
) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    staff_import(**Upload(xlsx_bytes(JANUARY), "1월.xlsx").args(), create_departments=True)
    portal_admin(username="boss", last_name="한", first_name="지혜", is_superuser=True)
    july = tmp_path / "2016년 7월 인사.xlsx"
    july.write_bytes(xlsx_bytes(JULY))
    bad = tmp_path / "잘못된 파일.xlsx"
    bad.write_bytes(xlsx_bytes([*JULY, person("10005", "", "총무과", bureau="행정관리국")]))

    login("boss", TEST_PASSWORD)
    page.goto("/admin/org/staffprofile/")
    page.get_by_role("link", name="인사 자료 가져오기", exact=True).click()
    assert page.get_by_role("heading", name="인사 자료 가져오기").is_visible()
    _axe_both(page, axe)

    # A file with a bad line: the line, column and reason, and no way to import it.
    page.get_by_label("직원 파일").set_input_files(str(bad))
    page.get_by_label("부서·팀 새로 만들기", exact=False).check()
    page.get_by_role("button", name="미리 보기").click()
    issues = page.locator("#import-issues").inner_text()
    assert "5" in issues and "성명" in issues and "성명이 비어 있습니다." in issues
    assert page.get_by_role("button", name="가져오기").count() == 0
    _axe_both(page, axe)

    # The good file: the dry run lists what will change, and nothing is written yet.
    page.get_by_role("link", name="파일 다시 올리기").click()
    page.get_by_label("직원 파일").set_input_files(str(july))
    page.get_by_label("부서·팀 새로 만들기", exact=False).check()
    page.get_by_role("button", name="미리 보기").click()
    changes = page.locator("#import-changes").inner_text()
    assert "김민수: 전산정보과(정보화팀) → 총무과" in changes
    assert "이서연: 직위 주무관 → 팀장" in changes
    assert "최유진" in page.locator("#import-creates").inner_text()
    assert "박지훈" in page.locator("#import-deactivations").inner_text()
    assert "부서 새로 만듦: 환경과 (복지환경국)" in page.locator("#import-org").inner_text()
    kim = User.objects.get(staff_profile__employee_number="10001")
    assert department_at(kim).name == "전산정보과"  # still: a dry run writes nothing
    assert not StaffProfile.objects.filter(employee_number="10004").exists()
    _axe_both(page, axe)

    page.get_by_role("button", name="가져오기").click()
    assert (
        "가져왔습니다: 새 직원 1명, 바뀜 2명, 사용 중지 1명"
        in page.locator(".messagelist").inner_text()
    )
    kim = User.objects.get(pk=kim.pk)
    assert department_at(kim).name == "총무과"
    assert StaffProfile.objects.filter(employee_number="10004").exists()
    assert User.objects.get(staff_profile__employee_number="10003").is_active is False
    _axe_both(page, axe)
