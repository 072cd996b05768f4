"""Zip bombs (issue 12 #1): refused from the central directory, and never decompressed whole.

The attack: a 1 MB ``.hwpx`` whose ``mimetype`` member holds 1 GiB of zeros made a worker grow
by 1 GiB; a plain ``.zip`` with a 50 MiB member of zeros was stored.
"""

import io
import struct
import time
import tracemalloc
import zipfile
import zlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from common.errors import ServiceError
from common.tables import XlsxWorkbook
from org.files import check_upload, detect_kind, upload_check

pytestmark = pytest.mark.smoke

MiB = 1024 * 1024
HWPX_MIMETYPE = b"application/hwp+zip"


def deflated_zeros(prefix: bytes, *, chunks: int, chunk_size: int = 16 * MiB) -> tuple:
    """A raw deflate stream of ``prefix`` and ``chunks * chunk_size`` zeros, made without
    compressing a gigabyte: after a full flush the compressor's state is reset, so one
    compressed chunk repeated is the stream of the chunk repeated."""
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    head = c.compress(prefix) + c.flush(zlib.Z_FULL_FLUSH)
    chunk = bytes(chunk_size)
    body = c.compress(chunk) + c.flush(zlib.Z_FULL_FLUSH)
    tail = c.flush()
    crc = zlib.crc32(prefix)
    for _ in range(chunks):
        crc = zlib.crc32(chunk, crc)
    return head + body * chunks + tail, crc, len(prefix) + chunks * chunk_size


def raw_zip(members: list[tuple[str, bytes, int, int]]) -> bytes:
    """A zip of already deflated members (name, data, crc, declared size)."""
    out = io.BytesIO()
    central = b""
    for name, data, crc, size in members:
        encoded = name.encode()
        offset = out.tell()
        out.write(
            struct.pack(
                "<4s5H3L2H", b"PK\x03\x04", 20, 0, 8, 0, 0, crc, len(data), size, len(encoded), 0
            )
            + encoded
            + data
        )
        central += (
            struct.pack(
                "<4s6H3L5H2L",
                b"PK\x01\x02", 20, 20, 0, 8, 0, 0, crc, len(data), size, len(encoded),
                0, 0, 0, 0, 0, offset,
            )
            + encoded
        )  # fmt: skip
    start = out.tell()
    out.write(central)
    out.write(
        struct.pack(
            "<4s4H2LH", b"PK\x05\x06", 0, 0, len(members), len(members), len(central), start, 0
        )
    )
    return out.getvalue()


def hwpx_bomb(*, declared_size: int | None = None) -> bytes:
    """About 1 MB on the wire, 1 GiB of ``mimetype`` once unpacked."""
    data, crc, size = deflated_zeros(HWPX_MIMETYPE, chunks=64)
    return raw_zip([("mimetype", data, crc, size if declared_size is None else declared_size)])


@pytest.fixture(scope="module")
def bomb() -> bytes:
    return hwpx_bomb()


def test_the_bomb_is_what_the_audit_sent(bomb: bytes) -> None:
    assert 900 * 1024 < len(bomb) < 1100 * 1024
    (member,) = zipfile.ZipFile(io.BytesIO(bomb)).infolist()
    assert member.file_size > 1000 * MiB


def test_a_one_megabyte_hwpx_bomb_is_refused_without_unpacking_it(bomb: bytes) -> None:
    upload = SimpleUploadedFile("제안서.hwpx", bomb)
    tracemalloc.start()
    started = time.perf_counter()
    try:
        with pytest.raises(ValidationError, match="압축을 풀면 지나치게 커지는"):
            check_upload(upload, upload.name, upload.size)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert time.perf_counter() - started < 0.5
    assert peak < 4 * MiB


def test_a_bomb_whose_header_lies_about_its_size_is_refused_too() -> None:
    liar = hwpx_bomb(declared_size=len(HWPX_MIMETYPE))
    with pytest.raises(ValidationError, match="압축을 풀면"):
        check_upload(SimpleUploadedFile("a.hwpx", liar), "a.hwpx", len(liar))


def test_even_an_unchecked_read_of_a_lying_member_stays_bounded() -> None:
    """The one member ever opened is read a hundred bytes at most, whatever it declares."""
    from org.files import _read_at_most

    liar = hwpx_bomb(declared_size=2**31)
    tracemalloc.start()
    try:
        with zipfile.ZipFile(io.BytesIO(liar)) as archive:
            head = _read_at_most(archive, "mimetype", 100)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert head.startswith(HWPX_MIMETYPE)
    assert len(head) == 100
    assert peak < 2 * MiB


def test_a_plain_zip_with_fifty_mebibytes_of_zeros_is_refused() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("자료.txt", bytes(50 * MiB))
    content = buffer.getvalue()
    assert len(content) < 1 * MiB
    with pytest.raises(ValidationError, match="압축을 풀면"):
        check_upload(SimpleUploadedFile("자료.zip", content), "자료.zip", len(content))


def test_too_many_members_are_refused() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        for i in range(5001):
            archive.writestr(f"{i}.txt", b"")
    content = buffer.getvalue()
    with pytest.raises(ValidationError, match="압축을 풀면"):
        check_upload(SimpleUploadedFile("많다.zip", content), "많다.zip", len(content))


def test_real_documents_and_archives_still_pass() -> None:
    book = XlsxWorkbook()
    sheet = book.sheet("제안")
    sheet.header(["번호", "제목"])
    for i in range(2000):
        sheet.row([i, "골목길 가로등 밝기 개선 " * 5])
    xlsx = book.save()
    assert (
        check_upload(SimpleUploadedFile("목록.xlsx", xlsx), "목록.xlsx", len(xlsx)).kind == "xlsx"
    )

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("mimetype", HWPX_MIMETYPE)
        archive.writestr("Contents/section0.xml", "<p>주민 제안</p>" * 20000)
    hwpx = buffer.getvalue()
    assert detect_kind(io.BytesIO(hwpx)) == "hwpx"

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("사진설명.txt", "회현동 골목 사진 설명입니다.\n" * 1000)
    plain = buffer.getvalue()
    assert check_upload(SimpleUploadedFile("자료.zip", plain), "자료.zip", len(plain)).kind == "zip"


def test_services_check_with_a_service_error(bomb: bytes) -> None:
    with pytest.raises(ServiceError) as caught:
        upload_check(SimpleUploadedFile("제안서.hwpx", bomb))
    assert caught.value.code == "upload"
    assert "압축을 풀면" in str(caught.value)
    fake = SimpleUploadedFile("보고서.pdf", b"MZ\x90\x00" + b"\x00" * 100)
    with pytest.raises(ServiceError, match="확장자"):
        upload_check(fake, kinds=("pdf",))
    png = SimpleUploadedFile("../../사진.png", b"\x89PNG\r\n\x1a\n" + b"0" * 100)
    assert upload_check(png).kind == "png"
