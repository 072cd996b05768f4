"""Best-practice cases: one per department per round, with its file; filed by the department's
head or designated person, replaceable until screening starts; stored under a random name."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from common.errors import ServiceError
from contests import services
from contests.models import AuditEntry, CaseContact, Entry
from contests.tests.factories import committee, member
from org.models import Department, StaffProfile
from org.tests.factories import DepartmentFactory, portal_admin, staff_user

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings: object, tmp_path: object) -> None:
    settings.MEDIA_ROOT = tmp_path  # type: ignore[attr-defined]


def _contest():
    return services.round_create(kind="best_practice", year=2016, title="2016 우수사례 경진대회")


def _filer(department: Department | None = None):
    """A staff member the department designated for its case (우수사례 담당자)."""
    user = staff_user(department=department)
    CaseContact.objects.create(department=user.staff_profile.department, user=user)
    return user


def _head(department: Department | None = None):
    user = staff_user(department=department)
    StaffProfile.objects.filter(user=user).update(position=StaffProfile.Position.DIVISION_HEAD)
    user.refresh_from_db()
    return user


def _client(user: object) -> Client:
    c = Client()
    c.force_login(user)  # type: ignore[arg-type]
    return c


def test_a_department_files_one_case_with_its_file() -> None:
    rnd = _contest()
    dept = DepartmentFactory(name="주차관리과")
    client = _client(_filer(dept))
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
    with pytest.raises(ServiceError, match="부서당 한 건만"):
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
    client = _client(_head())
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
    with pytest.raises(ServiceError, match="접수가 끝난"):
        services.case_submit(round=rnd, department=DepartmentFactory(), title="늦은 사례")
    other = services.round_create(kind="club_review", year=2016, title="동아리 심사")
    with pytest.raises(ServiceError, match="우수사례 경진대회 회차에만"):
        services.case_submit(round=other, department=DepartmentFactory(), title="사례")


def test_only_the_departments_head_or_designated_person_files_its_case() -> None:
    rnd = _contest()
    dept = DepartmentFactory(name="문화체육과")
    url = reverse("contests:case_submit", args=[rnd.pk])
    colleague = _client(staff_user(department=dept))
    page = colleague.get(url)
    assert page.status_code == 403
    pdf = SimpleUploadedFile("사례.pdf", b"%PDF-1.4 case", content_type="application/pdf")
    assert colleague.post(url, {"title": "사례", "summary": "요지", "file": pdf}).status_code == 403
    assert not Entry.objects.exists()
    assert _client(_head(dept)).get(url).status_code == 200
    assert _client(_filer(dept)).get(url).status_code == 200


def test_a_filing_is_replaced_before_the_deadline_and_not_after() -> None:
    rnd = _contest()
    dept = DepartmentFactory(name="청소행정과")
    client = _client(_filer(dept))
    url = reverse("contests:case_submit", args=[rnd.pk])
    first = SimpleUploadedFile("홍길동_사례.pdf", b"%PDF-1.4 first", content_type="application/pdf")
    client.post(url, {"title": "첫 사례", "summary": "요지", "file": first})
    entry = Entry.objects.get(round=rnd)
    old_name = entry.file.name
    second = SimpleUploadedFile("새 사례.pdf", b"%PDF-1.4 second", content_type="application/pdf")
    response = client.post(url, {"title": "고친 사례", "summary": "새 요지", "file": second})
    assert response.status_code == 302
    entry.refresh_from_db()
    assert (entry.title, entry.summary, entry.file_name) == ("고친 사례", "새 요지", "새 사례.pdf")
    assert entry.file.read() == b"%PDF-1.4 second" and entry.file.name != old_name
    assert Entry.objects.filter(round=rnd).count() == 1
    assert AuditEntry.objects.get(action="case_replaced").before["title"] == "첫 사례"
    # Without a new file the old one stays.
    client.post(url, {"title": "제목만 고침", "summary": "새 요지"})
    entry.refresh_from_db()
    assert entry.title == "제목만 고침" and entry.file_name == "새 사례.pdf"
    member(committee())
    for i in range(5):
        services.case_submit(round=rnd, department=DepartmentFactory(), title=f"사례 {i}")
    services.stage_open(stage=rnd.stages.order_by("order").first())
    response = client.post(url, {"title": "늦은 교체", "summary": "요지"})
    assert "사례 접수가 끝난 회차입니다." in response.content.decode()
    entry.refresh_from_db()
    assert entry.title == "제목만 고침"


def test_uploads_are_stored_under_a_random_name_and_downloaded_under_the_users() -> None:
    rnd = _contest()
    dept = DepartmentFactory(name="세무과")
    pdf = SimpleUploadedFile("정민서_신분증.pdf", b"%PDF-1.4 x", content_type="application/pdf")
    entry = services.case_submit(round=rnd, department=dept, title="사례", file=pdf)
    assert "정민서" not in entry.file.name and entry.file.name.endswith(".pdf")
    assert entry.file_name == "정민서_신분증.pdf"
    response = _client(portal_admin()).get(reverse("contests:entry_file", args=[entry.pk]))
    assert "filename*=utf-8''%EC%A0%95%EB%AF%BC%EC%84%9C" in response["Content-Disposition"]


def test_the_service_checks_the_file_whoever_calls_it() -> None:
    rnd = _contest()
    exe = SimpleUploadedFile("사례.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    with pytest.raises(ServiceError) as exc:
        services.case_submit(round=rnd, department=DepartmentFactory(), title="사례", file=exe)
    assert exc.value.field == "file" and "사례.pdf" in str(exc.value)
    assert not Entry.objects.exists()
