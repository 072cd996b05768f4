"""The resident's pages: the form, the receipt, the status lookup, and every bad input."""

import re
import time

import pytest
from django.core import signing
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from proposals.forms import FORM_STARTED_SALT
from proposals.models import PersonalDataAccess, Proposal

from .factories import resident_proposal

pytestmark = pytest.mark.django_db
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00"
    b"\x00\x00\x00IEND\xaeB`\x82"
)


def started(seconds_ago: float = 30) -> str:
    return signing.dumps(time.time() - seconds_ago, salt=FORM_STARTED_SALT)


def form_data(**over: object) -> dict:
    data = {
        "proposer_name": "김민수",
        "phone": "010-1234-5678",
        "email": "",
        "dong": "신당동",
        "title": "골목길 가로등 밝기 개선",
        "content": "신당동 골목길이 어둡습니다. 가로등을 LED로 바꿔 주세요.",
        "expected_effect": "밤길 안전",
        "consent": "on",
        "consent_version": "2016-1",
        "website": "",
        "started": started(),
    }
    data.update(over)
    return {k: v for k, v in data.items() if v is not None}


@pytest.mark.smoke
def test_a_resident_submits_and_gets_a_receipt_number(client: Client) -> None:
    response = client.post(reverse("propose:form"), form_data(), follow=True)
    p = Proposal.objects.get()
    assert re.fullmatch(r"\d{4}-R-00001", p.receipt_number)
    assert p.receipt_number in response.content.decode()
    assert (p.consent_version, p.channel, p.proposer_name) == ("2016-1", "web", "김민수")


@pytest.mark.smoke
def test_the_form_shows_the_four_consent_elements(client: Client) -> None:
    html = client.get(reverse("propose:form")).content.decode()
    for heading in ("수집·이용 목적", "수집 항목", "보유·이용 기간", "동의를 거부할 권리와 불이익"):
        assert heading in html
    assert "접수일로부터 3년" in html


@pytest.mark.parametrize(
    ("over", "message"),
    [
        ({"consent": None}, "개인정보 수집·이용에 동의해야"),
        ({"title": "가" * 201}, "제목은 200자 이내"),
        ({"content": "가" * 4001}, "제안 내용은 4000자 이내"),
        ({"phone": "", "email": ""}, "휴대전화나 전자우편 중 하나는"),
        ({"phone": "12345"}, "전화번호 형식이 올바르지 않습니다"),
        ({"started": "FAST"}, "너무 빨리 제출되었습니다"),
        ({"started": "forged"}, "양식이 올바르지 않습니다"),
        ({"website": "http://spam.example"}, "비워 두어야 할 칸"),
    ],
)
def test_bad_input_keeps_the_text_and_stores_nothing(
    client: Client, over: dict, message: str
) -> None:
    if over.get("started") == "FAST":  # made now, not when the tests were collected
        over = {"started": started(seconds_ago=1)}
    data = form_data(**over)
    response = client.post(reverse("propose:form"), data)
    html = response.content.decode()
    assert response.status_code == 200
    assert message in html
    kept = "신당동 골목길이 어둡습니다" if "content" not in over else "골목길 가로등 밝기 개선"
    assert kept in html  # typed text kept
    assert "김민수" in html
    assert not Proposal.objects.exists()


def test_a_file_that_is_not_what_it_claims_is_refused(client: Client) -> None:
    fake = SimpleUploadedFile(
        "report.pdf", b"MZ\x90\x00 this is an exe", content_type="application/pdf"
    )
    response = client.post(reverse("propose:form"), {**form_data(), "attachment": fake})
    assert "파일 내용이 확장자(.pdf)와 맞지 않습니다" in response.content.decode()
    assert "첨부파일은 다시 선택해 주세요" in response.content.decode()
    assert not Proposal.objects.exists()


def test_a_disallowed_extension_is_refused(client: Client) -> None:
    exe = SimpleUploadedFile("run.exe", b"MZ\x90\x00", content_type="application/octet-stream")
    response = client.post(reverse("propose:form"), {**form_data(), "attachment": exe})
    assert "첨부할 수 없는 파일 형식" in response.content.decode()
    assert not Proposal.objects.exists()


def test_a_real_image_is_stored_outside_static_and_served_only_to_admins(
    client: Client, settings: object, tmp_path: object
) -> None:
    settings.MEDIA_ROOT = tmp_path  # type: ignore[attr-defined]
    png = SimpleUploadedFile("photo.png", PNG, content_type="image/png")
    client.post(reverse("propose:form"), {**form_data(), "attachment": png})
    p = Proposal.objects.get()
    assert p.attachment_name == "photo.png"
    assert str(settings.STATIC_ROOT) not in p.attachment.path  # type: ignore[attr-defined]
    url = reverse("proposals:attachment", args=[p.pk])
    assert client.get(url).status_code == 302  # anonymous → login
    from org.tests.factories import portal_admin, staff_user

    staff = staff_user()
    client.force_login(staff)
    assert client.get(url).status_code == 403
    admin = portal_admin()
    client.force_login(admin)
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PNG
    assert PersonalDataAccess.objects.filter(actor=admin, action="attachment", proposal=p).exists()


def test_a_repeated_submission_is_stored_once(client: Client) -> None:
    client.post(reverse("propose:form"), form_data())
    response = client.post(reverse("propose:form"), form_data(), follow=True)
    assert Proposal.objects.count() == 1
    assert "이미 접수되어 있어" in response.content.decode()
    assert Proposal.objects.get().receipt_number in response.content.decode()


def test_the_rate_limit_says_clearly_when_to_come_back(client: Client, settings: object) -> None:
    settings.PROPOSAL_RATE_LIMIT = 2  # type: ignore[attr-defined]
    for i in range(2):
        client.post(reverse("propose:form"), form_data(title=f"제안 {i}"))
    response = client.post(reverse("propose:form"), form_data(title="세 번째 제안"))
    html = response.content.decode()
    assert "60분쯤 뒤에 다시 제출해 주세요" in html
    assert "세 번째 제안" in html
    assert Proposal.objects.count() == 2
    other = Client(REMOTE_ADDR="10.0.0.9")  # another address is not affected
    other.post(reverse("propose:form"), form_data(title="다른 집 제안"))
    assert Proposal.objects.count() == 3


@pytest.mark.smoke
def test_the_status_page_shows_only_the_matching_proposal(client: Client) -> None:
    p = resident_proposal(title="가로등 개선", phone="010-1234-5678")
    resident_proposal(title="남의 제안", phone="010-9999-9999")
    response = client.post(
        reverse("propose:status"), {"receipt_number": p.receipt_number, "contact": "01012345678"}
    )
    html = response.content.decode()
    assert "가로등 개선" in html and "접수" in html
    assert "남의 제안" not in html
    assert "김민수" not in html  # the page never repeats personal data


@pytest.mark.parametrize("receipt", ["2016-R-99999", "아무거나", ""])
def test_a_wrong_receipt_or_contact_gets_one_clear_message(client: Client, receipt: str) -> None:
    p = resident_proposal(phone="010-1234-5678")
    for number, contact in ((receipt, "010-1234-5678"), (p.receipt_number, "010-0000-0000")):
        response = client.post(
            reverse("propose:status"), {"receipt_number": number, "contact": contact}
        )
        html = response.content.decode()
        assert p.title not in html
        if number:
            assert "접수번호와 연락처가 일치하는 제안이 없습니다" in html
            assert number in html  # typed text kept
        else:
            assert "필수 항목" in html


def test_the_done_page_needs_a_submission(client: Client) -> None:
    assert client.get(reverse("propose:done")).status_code == 302
