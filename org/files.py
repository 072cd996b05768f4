"""Uploaded files, for every app: checked by content, not by name, and served safely.

A file is accepted when its bytes are one of the allowed kinds and its name's extension agrees
with what the bytes are (a Windows program renamed .pdf is refused, and so is a PDF renamed
.exe). Office Open XML and HWPX are zip files; HWP 5 is an OLE compound document.

A zip is judged by its central directory before any member is opened: an archive whose members
claim far more bytes than a document holds, or far more than their compressed size explains, is
refused (a zip bomb). The one member ever read (HWPX's ``mimetype``) is read a few bytes at a
time, so a header that lies about its size still costs nothing.

Forms call ``check_upload`` (a ``ValidationError`` on the field); services call
``upload_check`` (a ``ServiceError``), so no service stores a file nobody checked.
"""

import zipfile
from dataclasses import dataclass
from pathlib import PurePath
from typing import IO

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.http import FileResponse, HttpResponse
from django.template.defaultfilters import filesizeformat
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _

from common.errors import ServiceError

# kind -> (content type served, extensions the name may have)
ALLOWED_KINDS: dict[str, tuple[str, tuple[str, ...]]] = {
    "pdf": ("application/pdf", ("pdf",)),
    "hwp": ("application/x-hwp", ("hwp",)),
    "hwpx": ("application/hwp+zip", ("hwpx",)),
    "docx": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ("docx",),
    ),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ("xlsx",)),
    "pptx": (
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        ("pptx",),
    ),
    "png": ("image/png", ("png",)),
    "jpg": ("image/jpeg", ("jpg", "jpeg")),
    "zip": ("application/zip", ("zip",)),
}
ALLOWED_EXTENSIONS_LABEL = "pdf, hwp, hwpx, docx, xlsx, pptx, png, jpg, zip"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
HWP_SIGNATURE = b"HWP Document File"
_OOXML_PREFIX = {"docx": "word/", "xlsx": "xl/", "pptx": "ppt/"}

# Zip limits. Office XML compresses about 5-20 times and rarely past 100; a run of zeros
# compresses about 1000 times. Members smaller than RATIO_FREE_BYTES may compress as they like.
ZIP_MAX_MEMBERS = 5000
ZIP_MAX_UNCOMPRESSED_BYTES = 512 * 1024 * 1024
ZIP_MAX_RATIO = 100
ZIP_RATIO_FREE_BYTES = 1024 * 1024
MIMETYPE_READ_BYTES = 100


class ZipBombError(Exception):
    """An archive whose declared sizes no real document has."""


@dataclass(frozen=True)
class CheckedFile:
    kind: str
    content_type: str
    size: int


def max_bytes() -> int:
    return int(getattr(settings, "ATTACHMENT_MAX_BYTES", 20 * 1024 * 1024))


def _zip_refuse_bombs(archive: zipfile.ZipFile, archive_size: int) -> None:
    """Raise ZipBombError when the central directory declares an absurd archive: too many
    members, too many bytes in all, a member that compresses past the ratio, or members whose
    compressed bytes together exceed the archive (overlapping members share one stream), or a
    member whose declared size is smaller than its compressed bytes could hold."""
    members = archive.infolist()
    if len(members) > ZIP_MAX_MEMBERS:
        raise ZipBombError("too many members")
    total = sum(m.file_size for m in members)
    if total > ZIP_MAX_UNCOMPRESSED_BYTES:
        raise ZipBombError("too large uncompressed")
    if sum(m.compress_size for m in members) > archive_size:
        raise ZipBombError("overlapping members")
    for member in members:
        # Deflate never grows data by more than a few bytes per block: a member whose
        # compressed bytes exceed that declares a false (small) size.
        if member.compress_size > member.file_size + member.file_size // 100 + 1024:
            raise ZipBombError("false declared size")
        if member.file_size > ZIP_RATIO_FREE_BYTES and (
            member.file_size > ZIP_MAX_RATIO * max(member.compress_size, 1)
        ):
            raise ZipBombError("compression ratio")


def _read_at_most(archive: zipfile.ZipFile, name: str, limit: int) -> bytes:
    """At most ``limit`` bytes of one member: decompressed a little at a time, never whole."""
    with archive.open(name) as member:
        return member.read(limit)


def _zip_kind(fileobj: IO[bytes]) -> str | None:
    """Which zip-based format this is: hwpx, docx, xlsx, pptx or a plain zip.

    Raises ZipBombError for an archive no document is."""
    fileobj.seek(0, 2)
    archive_size = fileobj.tell()
    fileobj.seek(0)
    try:
        with zipfile.ZipFile(fileobj) as archive:
            _zip_refuse_bombs(archive, archive_size)
            names = archive.namelist()
            if "mimetype" in names:
                mimetype = _read_at_most(archive, "mimetype", MIMETYPE_READ_BYTES)
                if mimetype.startswith(b"application/hwp+zip"):
                    return "hwpx"
            if "[Content_Types].xml" in names:
                for kind, prefix in _OOXML_PREFIX.items():
                    if any(n.startswith(prefix) for n in names):
                        return kind
            return "zip"
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, KeyError, ValueError, EOFError):
        return None
    except NotImplementedError:  # a compression method zipfile cannot read
        return None


def detect_kind(fileobj: IO[bytes]) -> str | None:
    """The allowed kind the bytes are, or None. Raises ZipBombError for a zip bomb."""
    fileobj.seek(0)
    head = fileobj.read(8192)
    fileobj.seek(0)
    if head.startswith(OLE_MAGIC):
        # HWP 5 names its FileHeader stream and starts it with the signature; look near the
        # start (the header sector sits early in real files) rather than read it all.
        sample = head + fileobj.read(2 * 1024 * 1024)
        fileobj.seek(0)
        return "hwp" if HWP_SIGNATURE in sample else None
    if head.startswith(b"PK\x03\x04"):
        kind = _zip_kind(fileobj)
        fileobj.seek(0)
        return kind
    guessed = filetype.guess(head)
    if guessed is None:
        return None
    return {"pdf": "pdf", "png": "png", "jpg": "jpg"}.get(guessed.extension)


def check_upload(
    fileobj: IO[bytes], name: str, size: int, *, kinds: tuple[str, ...] | None = None
) -> CheckedFile:
    """Validate an uploaded file; raise ValidationError with a Korean message.

    ``kinds`` narrows the allowlist for one use (e.g. documents only)."""
    allowed = kinds or tuple(ALLOWED_KINDS)
    label = ", ".join(allowed) if kinds else ALLOWED_EXTENSIONS_LABEL
    if size <= 0:
        raise ValidationError(_("빈 파일은 첨부할 수 없습니다: %(name)s") % {"name": name})
    if size > max_bytes():
        raise ValidationError(
            _("파일이 너무 큽니다(최대 %(max)s): %(name)s")
            % {"max": filesizeformat(max_bytes()), "name": name}
        )
    extension = PurePath(name).suffix.lower().lstrip(".")
    if not any(extension in ALLOWED_KINDS[k][1] for k in allowed):
        raise ValidationError(
            _("첨부할 수 없는 파일 형식입니다: %(name)s. 올릴 수 있는 형식: %(kinds)s")
            % {"name": name, "kinds": label}
        )
    try:
        kind = detect_kind(fileobj)
    except ZipBombError:
        fileobj.seek(0)
        raise ValidationError(
            _(
                "첨부할 수 없는 압축 파일입니다: %(name)s. 압축을 풀면 지나치게 커지는 파일은 "
                "올릴 수 없습니다."
            )
            % {"name": name}
        ) from None
    if kind is None or kind not in allowed or extension not in ALLOWED_KINDS[kind][1]:
        raise ValidationError(
            _("첨부할 수 없는 파일입니다: %(name)s. 파일 내용이 확장자(.%(ext)s)와 맞지 않습니다.")
            % {"name": name, "ext": extension}
        )
    return CheckedFile(kind=kind, content_type=ALLOWED_KINDS[kind][0], size=size)


def upload_check(file: File, *, kinds: tuple[str, ...] | None = None) -> CheckedFile:
    """THE check a service runs on a file before it stores it (the same as a form's
    ``check_upload``, raised as a ServiceError with code ``upload``), so a service called
    without a form still never stores an unchecked file or a zip bomb."""
    name = safe_original_name(file.name or "")
    try:
        return check_upload(file, name, file.size or 0, kinds=kinds)
    except ValidationError as exc:
        raise ServiceError(" ".join(exc.messages), code="upload") from None


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def generated_download(content: bytes, *, filename: str, content_type: str = XLSX) -> HttpResponse:
    """An export made in memory (Excel, PDF) as a download; a Korean name is kept (RFC 5987)."""
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


def protected_download(
    handle: IO[bytes], *, filename: str, content_type: str | None = None
) -> FileResponse:
    """A stored upload as a download, after the caller's permission check: the Korean file
    name kept (RFC 5987 ``filename*``), no content sniffing, never cached by a proxy."""
    response = FileResponse(
        handle, as_attachment=True, filename=filename or "file", content_type=content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


def safe_original_name(name: str) -> str:
    """The user's file name without any directory part or control characters."""
    base = PurePath(name.replace("\\", "/")).name
    base = "".join(ch for ch in base if ch.isprintable() and ch not in '"\r\n')
    return base[:255] or "file"
