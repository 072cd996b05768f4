import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from org.files import check_upload, generated_download, protected_download

pytestmark = pytest.mark.smoke

PDF = b"%PDF-1.4\n" + b"0" * 200


def test_a_korean_export_name_is_kept_with_rfc_5987() -> None:
    response = generated_download(b"xlsx", filename="창의왕-2016-1분기.xlsx")
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert (
        "filename*=utf-8''%EC%B0%BD%EC%9D%98%EC%99%95-2016-1%EB%B6%84%EA%B8%B0.xlsx" in disposition
    )
    assert response["X-Content-Type-Options"] == "nosniff"


def test_a_stored_file_is_served_as_a_download_that_is_never_sniffed() -> None:
    response = protected_download(
        io.BytesIO(PDF), filename="계획.pdf", content_type="application/pdf"
    )
    assert "filename*=utf-8''%EA%B3%84%ED%9A%8D.pdf" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"


def test_a_use_can_narrow_the_allowed_kinds() -> None:
    upload = SimpleUploadedFile("사진.png", b"\x89PNG\r\n\x1a\n" + b"0" * 100)
    assert check_upload(upload, upload.name, upload.size).kind == "png"
    with pytest.raises(ValidationError, match="올릴 수 있는 형식: pdf, hwp"):
        check_upload(upload, upload.name, upload.size, kinds=("pdf", "hwp"))


def test_an_exe_renamed_pdf_is_refused_by_its_content() -> None:
    fake = SimpleUploadedFile("보고서.pdf", b"MZ\x90\x00" + b"\x00" * 100)
    with pytest.raises(ValidationError, match=r"파일 내용이 확장자\(\.pdf\)와 맞지 않습니다"):
        check_upload(fake, fake.name, fake.size)
