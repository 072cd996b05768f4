"""Uploaded files, for every app: checked by content, not by name, and served safely.

A file is accepted when its bytes are one of the allowed kinds and its name's extension agrees
with what the bytes are (a Windows program renamed .pdf is refused, and so is a PDF renamed
.exe). Office Open XML and HWPX are zip files; HWP 5 is an OLE compound document.
"""

import zipfile
from dataclasses import dataclass
from pathlib import PurePath
from typing import IO

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import FileResponse, HttpResponse
from django.template.defaultfilters import filesizeformat
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _

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


@dataclass(frozen=True)
class CheckedFile:
    kind: str
    content_type: str
    size: int


def max_bytes() -> int:
    return int(getattr(settings, "ATTACHMENT_MAX_BYTES", 20 * 1024 * 1024))


def _zip_kind(fileobj: IO[bytes]) -> str | None:
    """Which zip-based format this is: hwpx, docx, xlsx, pptx or a plain zip."""
    try:
        with zipfile.ZipFile(fileobj) as archive:
            names = archive.namelist()
            if "mimetype" in names:
                mimetype = archive.read("mimetype")[:100]
                if mimetype.startswith(b"application/hwp+zip"):
                    return "hwpx"
            if "[Content_Types].xml" in names:
                for kind, prefix in _OOXML_PREFIX.items():
                    if any(n.startswith(prefix) for n in names):
                        return kind
            return "zip"
    except (zipfile.BadZipFile, OSError, KeyError, ValueError):
        return None


def detect_kind(fileobj: IO[bytes]) -> str | None:
    """The allowed kind the bytes are, or None."""
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
    kind = detect_kind(fileobj)
    if kind is None or kind not in allowed or extension not in ALLOWED_KINDS[kind][1]:
        raise ValidationError(
            _("첨부할 수 없는 파일입니다: %(name)s. 파일 내용이 확장자(.%(ext)s)와 맞지 않습니다.")
            % {"name": name, "ext": extension}
        )
    return CheckedFile(kind=kind, content_type=ALLOWED_KINDS[kind][0], size=size)


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
