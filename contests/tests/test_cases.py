"""Best-practice cases: one per department per round, with its file."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from contests import services
from contests.models import Entry
from contests.tests.factories import committee, member
from org.tests.factories import DepartmentFactory, portal_admin, staff_user

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings: object, tmp_path: object) -> None:
    settings.MEDIA_ROOT = tmp_path  # type: ignore[attr-defined]


def _contest():
    return services.round_create(kind="best_practice", year=2016, title="2016 우수사례 경진대회")


def _client(user: object) -> Client:
    c = Client()
    c.force_login(user)  # type: ignore[arg-type]
    return c


def test_a_department_files_one_case_with_its_file() -> None:
    rnd = _contest()
    dept = DepartmentFactory(name="주차관리과")
    client = _client(staff_user(department=dept))
    url = reverse("contests:case_submit", args=[rnd.pk])
    pdf = SimpleUploadedFile("사례.pdf", b"%PDF-1.4 case", content_type="application/pdf")
    response = client.post(
        url, {"title": "거주자 우선주차 공유", "summary": "빈 시간 공유", "file": pdf}
    )
    assert response.status_code == 302
    entry = Entry.objects.get(round=rnd)
    assert (entry.department, entry.owner_name, entry.source_id) == (dept, "주차관리과", dept.pk)
    assert entry.file.read() == b"%PDF-1.4 case"
    # A colleague of the same department cannot file a second case.
    with pytest.raises(ValidationError, match="부서당 한 건만"):
        services.case_submit(round=rnd, department=dept, title="두 번째")
    assert Entry.objects.filter(round=rnd).count() == 1
    # The admin downloads the file; a staff member of another department may not.
    assert (
        _client(portal_admin()).get(reverse("contests:entry_file", args=[entry.pk])).status_code
        == 200
    )
    assert (
        _client(staff_user()).get(reverse("contests:entry_file", args=[entry.pk])).status_code
        == 403
    )


def test_a_case_file_of_another_type_is_refused_with_a_korean_message() -> None:
    rnd = _contest()
    client = _client(staff_user())
    exe = SimpleUploadedFile("virus.exe", b"MZ", content_type="application/octet-stream")
    response = client.post(
        reverse("contests:case_submit", args=[rnd.pk]),
        {"title": "사례", "summary": "요지", "file": exe},
    )
    assert "첨부할 수 없는 파일 형식입니다: virus.exe" in response.content.decode()
    assert not Entry.objects.exists()


def test_cases_are_refused_once_screening_started_or_for_other_rounds() -> None:
    rnd = _contest()
    member(committee())
    for i in range(6):
        services.case_submit(round=rnd, department=DepartmentFactory(), title=f"사례 {i}")
    services.stage_open(stage=rnd.stages.order_by("order").first())
    with pytest.raises(ValidationError, match="접수가 끝난"):
        services.case_submit(round=rnd, department=DepartmentFactory(), title="늦은 사례")
    other = services.round_create(kind="club_review", year=2016, title="동아리 심사")
    with pytest.raises(ValidationError, match="우수사례 경진대회 회차에만"):
        services.case_submit(round=other, department=DepartmentFactory(), title="사례")
