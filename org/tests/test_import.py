"""Import of the org chart and staff from the HR system's file (issue 16)."""

import io
import zipfile
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from common.errors import ServiceError
from org.models import Assignment, Bureau, Department, EmploymentStatus, StaffProfile, Team
from org.roles import Role
from org.selectors import assignment_history, department_at
from org.staff_import import staff_import
from org.staff_import.checks import name_split
from org.tests.factories import BureauFactory, DepartmentFactory, UserFactory
from org.tests.staff_files import Upload, csv_bytes, person, xlsx_bytes

User = get_user_model()
pytestmark = pytest.mark.django_db

BASE = [
    person("10001", "김민수", "전산정보과", team="정보화팀", email="minsu@junggu.example.kr"),
    person("10002", "이서연", "총무과", bureau="행정관리국", team="인사팀"),
    person("10003", "박지훈", "신당동", bureau="행정관리국", position="동장", grade="행정5급"),
]


def run(rows, *, fmt="xlsx", **kw):
    content = xlsx_bytes(rows) if fmt == "xlsx" else csv_bytes(rows)
    upload = Upload(content, f"인사.{fmt}")
    return staff_import(**upload.args(), **kw)


def seeded():
    return run(BASE, create_departments=True)


def snapshot():
    return (
        sorted(User.objects.values_list("username", "last_name", "first_name", "email", "is_active", "password")),
        sorted(StaffProfile.objects.values_list("employee_number", "department_id", "team_id", "position", "grade", "employment_status")),
        sorted(Assignment.objects.values_list("user_id", "department_id", "team_id", "started_at", "ended_at")),
        sorted(Department.objects.values_list("name", "bureau_id")),
        sorted(Team.objects.values_list("department_id", "name")),
    )  # fmt: skip


# --- Creating -------------------------------------------------------------------------------


def test_it_creates_the_org_chart_and_staff_when_allowed():
    result = seeded()
    assert result.run is not None and result.run.created == 3
    assert set(Bureau.objects.values_list("name", flat=True)) == {"기획재정국", "행정관리국"}
    assert Department.objects.get(name="신당동").kind == Department.Kind.DONG
    assert Department.objects.get(name="총무과").kind == Department.Kind.OFFICE
    profile = StaffProfile.objects.select_related("user", "department", "team").get(
        employee_number="10001"
    )
    assert (profile.user.last_name, profile.user.first_name) == ("김", "민수")
    assert profile.user.email == "minsu@junggu.example.kr"
    assert profile.department.name == "전산정보과" and profile.team.name == "정보화팀"
    assert profile.grade == "행정6급"
    assert StaffProfile.objects.get(employee_number="10003").position == "dong_head"


def test_new_accounts_have_no_usable_password_and_the_staff_role():
    seeded()
    user = User.objects.get(staff_profile__employee_number="10002")
    assert not user.has_usable_password()
    assert user.groups.filter(name=Role.STAFF).exists()
    assert user.is_active and not user.is_staff


def test_reimporting_the_same_file_changes_nothing():
    seeded()
    before = snapshot()
    again = seeded()
    assert (again.plan.creates, again.plan.changes, again.plan.deactivations) == ([], [], [])
    assert again.plan.unchanged == 3 and not again.plan.writes_anything
    assert snapshot() == before


def test_csv_in_utf8_with_and_without_bom_and_cp949_reads_the_same():
    for encoding in ("utf-8-sig", "utf-8", "cp949"):
        upload = Upload(csv_bytes(BASE, encoding=encoding), "인사.csv")
        plan = staff_import(**upload.args(), create_departments=True, dry_run=True).plan
        assert [r.name for r in plan.creates] == ["김민수", "이서연", "박지훈"], encoding
        assert plan.issues == []


def test_headers_as_people_type_them_are_understood():
    header = ["직원번호", "성명", "국ㆍ소", "부서", "팀", "직급", "직위", "전자우편", "재직상태"]
    upload = Upload(xlsx_bytes(BASE, header=header), "인사.xlsx")
    plan = staff_import(**upload.args(), create_departments=True, dry_run=True).plan
    assert len(plan.creates) == 3 and plan.issues == []


def test_korean_names_split_family_name_first():
    assert name_split("김민수") == ("김", "민수")
    assert name_split("남궁민수") == ("남궁", "민수")
    assert name_split("선우") == ("선", "우")


# --- The dry run ----------------------------------------------------------------------------


def test_the_dry_run_writes_nothing_and_says_what_would_change():
    seeded()
    before = snapshot()
    rows = [
        person("10001", "김민수", "총무과", bureau="행정관리국", email="minsu@junggu.example.kr"),
        person("10002", "이서연", "총무과", bureau="행정관리국", team="인사팀", position="팀장"),
        person("10004", "최유진", "총무과", bureau="행정관리국"),
    ]
    plan = run(rows, dry_run=True).plan
    assert snapshot() == before
    assert [r.name for r in plan.creates] == ["최유진"]
    assert [str(c) for c in plan.changes] == [
        "김민수: 전산정보과(정보화팀) → 총무과",
        "이서연: 직위 주무관 → 팀장",
    ]
    assert [c.name for c in plan.deactivations] == ["박지훈"]
    assert plan.issues == []


def test_a_transfer_without_teams_reads_old_to_new():
    run(
        [person("10001", "김민수", "전산정보과"), person("9", "x", "총무과")],
        create_departments=True,
    )
    plan = run([person("10001", "김민수", "총무과"), person("9", "x", "총무과")], dry_run=True).plan
    assert [str(c) for c in plan.changes] == ["김민수: 전산정보과 → 총무과"]


# --- Transfers and history ----------------------------------------------------------------


def test_a_transfer_keeps_the_department_of_the_time():
    first = timezone.now() - timedelta(days=200)
    run(BASE, create_departments=True, at=first)
    user = User.objects.get(staff_profile__employee_number="10001")
    before_transfer = timezone.now() - timedelta(days=100)
    moved_at = timezone.now() - timedelta(days=10)
    rows = [person("10001", "김민수", "총무과", bureau="행정관리국", team="인사팀"), *BASE[1:]]
    run(rows, at=moved_at)
    assert department_at(user, before_transfer).name == "전산정보과"
    assert department_at(user, first - timedelta(days=365)).name == "전산정보과"
    assert department_at(user, moved_at).name == "총무과"
    assert department_at(user, timezone.now()).name == "총무과"
    assert department_at(user).name == "총무과"
    history = [(a.department.name, a.team.name) for a in assignment_history(user)]
    assert history == [("전산정보과", "정보화팀"), ("총무과", "인사팀")]
    assert Assignment.objects.filter(user=user, ended_at__isnull=True).count() == 1


def test_a_person_made_before_the_history_keeps_their_old_department_for_the_past():
    old = DepartmentFactory(name="옛과")
    BureauFactory(name="기획재정국")
    user = UserFactory(username="legacy")
    StaffProfile.objects.create(user=user, department=old, employee_number="777")
    moved_at = timezone.now() - timedelta(days=1)
    run([person("777", "김직원0", "전산정보과")], create_departments=True, at=moved_at)
    assert department_at(user, moved_at - timedelta(days=30)) == old
    assert department_at(user, timezone.now()).name == "전산정보과"


# --- Deactivation -------------------------------------------------------------------------


def test_a_person_missing_from_the_file_is_deactivated_never_deleted():
    seeded()
    run(BASE[:2])
    user = User.objects.get(staff_profile__employee_number="10003")
    assert user.is_active is False
    assert StaffProfile.objects.filter(employee_number="10003").exists()
    assert department_at(user).name == "신당동"
    # back in a later file: active again
    plan = run(BASE).plan
    assert [str(c) for c in plan.changes] == ["박지훈: 다시 사용"]
    user.refresh_from_db()
    assert user.is_active is True


def test_retired_and_on_leave_cannot_sign_in():
    seeded()
    rows = [BASE[0][:8] + ["퇴직"], BASE[1][:8] + ["휴직"], BASE[2]]
    plan = run(rows).plan
    assert [str(c) for c in plan.changes] == [
        "김민수: 재직 상태 재직 → 퇴직",
        "이서연: 재직 상태 재직 → 휴직",
    ]
    statuses = dict(User.objects.values_list("staff_profile__employee_number", "is_active"))
    assert statuses == {"10001": False, "10002": False, "10003": True}
    assert StaffProfile.objects.get(employee_number="10001").employment_status == (
        EmploymentStatus.RETIRED
    )


def test_superusers_and_accounts_without_employee_number_are_left_alone():
    seeded()
    root = UserFactory(username="root", is_superuser=True)
    StaffProfile.objects.create(user=root, employee_number="1")
    expert = UserFactory(username="expert")
    run(BASE[:1])
    root.refresh_from_db()
    expert.refresh_from_db()
    assert root.is_active and expert.is_active


# --- Bad lines -----------------------------------------------------------------------------


def _issues(plan):
    return [(i.line, i.column, i.value) for i in plan.issues]


def test_a_duplicated_employee_number_is_a_bad_line():
    plan = run([BASE[0], BASE[1], person("10001", "김민지", "총무과")], create_departments=True, dry_run=True).plan  # fmt: skip
    assert _issues(plan) == [(4, "직원번호", "10001")]
    assert "2번째 줄과 겹칩니다" in str(plan.issues[0])


def test_an_empty_name_is_a_bad_line():
    plan = run([person("10001", "", "전산정보과")], create_departments=True, dry_run=True).plan
    assert _issues(plan) == [(2, "성명", "")]
    assert plan.issues[0].message == "성명이 비어 있습니다."


def test_a_department_that_does_not_exist_is_a_bad_line_unless_allowed():
    plan = run(BASE, dry_run=True).plan
    assert _issues(plan) == [
        (2, "부서", "전산정보과"),
        (3, "부서", "총무과"),
        (4, "부서", "신당동"),
    ]
    assert "없는 부서입니다" in str(plan.issues[0])
    assert not plan.creates


def test_a_team_that_does_not_exist_is_a_bad_line_unless_allowed():
    seeded()
    plan = run([person("10001", "김민수", "전산정보과", team="새팀"), *BASE[1:]], dry_run=True).plan
    assert _issues(plan) == [(2, "팀", "새팀")]


def test_nothing_is_written_while_any_line_is_bad():
    seeded()
    before = snapshot()
    rows = [
        person("10001", "김민수", "총무과", bureau="행정관리국"),
        person("10002", "", "총무과"),
        BASE[2],
    ]
    with pytest.raises(ServiceError) as error:
        run(rows)
    assert error.value.code == "bad_lines"
    assert "1개 줄에 문제가 있어 아무것도 바꾸지 않았습니다" in str(error.value)
    assert snapshot() == before


def test_skipping_bad_lines_writes_the_good_ones_and_deactivates_nobody_they_name():
    seeded()
    rows = [person("10001", "김민수", "총무과", bureau="행정관리국"), person("10002", "", "총무과")]
    result = run(rows, skip_bad_lines=True)
    assert result.run.skipped == 1 and result.run.changed == 1
    assert department_at(User.objects.get(username="10001")).name == "총무과"
    # 10002 was named on a bad line: untouched; 10003 is missing: deactivated
    active = dict(User.objects.values_list("username", "is_active"))
    assert active["10002"] is True and active["10003"] is False


def test_unknown_position_status_and_email_are_bad_lines():
    rows = [person("1", "김가", "전산정보과", position="대장", status="출장", email="nope")]
    plan = run(rows, create_departments=True, dry_run=True).plan
    assert _issues(plan) == [(2, "재직 상태", "출장"), (2, "전자우편", "nope"), (2, "직위", "대장")]


def test_a_formula_in_a_cell_is_a_bad_line():
    rows = [["=1+1", "김민수", "기획재정국", "전산정보과", "", "", "주무관", "", "재직"], BASE[1]]
    plan = run(rows, create_departments=True, dry_run=True).plan
    assert _issues(plan)[0] == (2, "직원번호", "=1+1")
    assert "수식은 받지 않습니다" in plan.issues[0].message
    assert [r.employee_number for r in plan.creates] == ["10002"]
    rows = [["10001", '=HYPERLINK("http://x","y")', "기획재정국", "전산정보과", "", "", "", "", ""]]
    plan = run(rows, fmt="csv", create_departments=True, dry_run=True).plan
    assert _issues(plan) == [(2, "성명", '=HYPERLINK("http://x","y")')]


# --- Files refused as a whole ----------------------------------------------------------------


def _refused(content: bytes, name: str, **kw) -> ServiceError:
    with pytest.raises(ServiceError) as error:
        staff_import(**Upload(content, name).args(), create_departments=True, **kw)
    assert User.objects.count() == 0 and Department.objects.count() == 0
    return error.value


def test_an_unknown_column_refuses_the_file():
    header = [
        *["직원번호", "성명", "국·소", "부서", "팀", "직급", "직위", "전자우편", "재직 상태"],
        "비고",
    ]
    error = _refused(xlsx_bytes([[*BASE[0], "메모"]], header=header), "인사.xlsx")
    assert error.code == "unknown_column"
    assert "알 수 없는 열입니다: '비고'(10번째 열)" in str(error)


def test_a_missing_column_refuses_the_file():
    header = ["직원번호", "성명", "국·소", "부서", "팀", "직급", "직위", "전자우편"]
    error = _refused(csv_bytes([BASE[0][:8]], header=header), "인사.csv")
    assert error.code == "missing_column" and "재직 상태" in str(error)


def test_a_200_mb_file_is_refused_by_its_size_before_parsing(tmp_path):
    big = tmp_path / "인사.xlsx"
    with big.open("wb") as f:
        f.seek(200 * 1024 * 1024 - 1)
        f.write(b"\0")
    with big.open("rb") as f, pytest.raises(ServiceError) as error:
        staff_import(data=f, filename=big.name, size=big.stat().st_size)
        assert f.tell() == 0
    assert error.value.code == "file_too_large"
    assert "파일이 너무 큽니다" in str(error.value)


def test_a_macro_enabled_workbook_is_refused():
    content = xlsx_bytes(BASE)
    assert _refused(content, "인사.xlsm").code == "file_macro"
    # the same with vbaProject.bin inside, named .xlsx
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(content)) as src, zipfile.ZipFile(out, "w") as dst:
        for item in src.infolist():
            dst.writestr(item, src.read(item.filename))
        dst.writestr("xl/vbaProject.bin", b"\xd0\xcf\x11\xe0 macro")
    error = _refused(out.getvalue(), "인사.xlsx")
    assert error.code == "file_macro" and "매크로" in str(error)


def test_a_renamed_file_and_an_old_xls_are_refused():
    assert _refused(b"%PDF-1.4 not a sheet", "인사.xlsx").code == "file_kind"
    assert _refused(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "인사.xls").code == "file_kind"
    assert _refused(xlsx_bytes(BASE), "인사.csv").code == "file_kind"


def test_a_zip_bomb_is_refused():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/worksheets/sheet1.xml", b"\0" * (60 * 1024 * 1024))
    assert _refused(out.getvalue(), "인사.xlsx").code == "file_zip_bomb"


def test_a_csv_in_an_unknown_encoding_is_refused():
    content = "직원번호,성명\n".encode("utf-16")
    assert _refused(content, "인사.csv").code == "file_encoding"


# --- The command and the admin page ---------------------------------------------------------


def test_the_command_previews_then_imports(tmp_path):
    from io import StringIO

    from django.core.management import call_command

    path = tmp_path / "인사.xlsx"
    path.write_bytes(xlsx_bytes(BASE))
    out = StringIO()
    call_command(
        "import_staff", str(path), "--dry-run", "--create-departments", "--no-progress", stdout=out
    )
    assert "새 직원 (3)" in out.getvalue() and "김민수(10001) 전산정보과" in out.getvalue()
    assert User.objects.count() == 0
    out, err = StringIO(), StringIO()
    call_command("import_staff", str(path), "--create-departments", stdout=out, stderr=err)
    assert "가져왔습니다" in out.getvalue() and "새 직원 3" in out.getvalue()
    assert "3/3" in err.getvalue()  # the progress bar
    assert StaffProfile.objects.count() == 3


def test_the_command_refuses_a_file_with_bad_lines(tmp_path):
    from django.core.management import CommandError, call_command

    path = tmp_path / "인사.csv"
    path.write_bytes(csv_bytes([person("1", "", "전산정보과")]))
    with pytest.raises(CommandError, match="아무것도 바꾸지 않았습니다"):
        call_command(
            "import_staff", str(path), "--create-departments", "--no-progress", stdout=io.StringIO()
        )
    assert User.objects.count() == 0


def test_only_portal_admins_reach_the_import_page(client):
    from django.urls import reverse

    from org.tests.factories import portal_admin, staff_user

    url = reverse("admin:org_staffprofile_import")
    client.force_login(staff_user())
    assert client.get(url).status_code == 302  # not admin staff: to the admin login
    client.force_login(portal_admin())
    assert client.get(url).status_code == 200


def test_the_admin_form_refuses_a_200_mb_file_by_its_size():
    from django.core.files.uploadedfile import SimpleUploadedFile

    from org.forms import StaffImportForm

    upload = SimpleUploadedFile("인사.xlsx", b"PK")
    upload.size = 200 * 1024 * 1024
    form = StaffImportForm(data={}, files={"file": upload})
    assert not form.is_valid()
    assert "파일이 너무 큽니다" in form.errors["file"][0]
