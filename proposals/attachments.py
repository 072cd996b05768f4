"""The one optional attachment of a proposal: checked by its content, not its name."""

from pathlib import PurePath

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

OLE_MAGIC = bytes.fromhex("D0CF11E0A1B11AE1")  # HWP 5 (and old Office) compound files
# extension -> the content types its bytes may show. Office Open XML and HWPX are zip files,
# so a plain zip signature is accepted for them when filetype cannot see deeper.
ALLOWED: dict[str, frozenset[str]] = {
    "pdf": frozenset({"application/pdf"}),
    "hwp": frozenset({"ole"}),
    "hwpx": frozenset({"application/zip"}),
    "docx": frozenset(
        {
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            "application/zip",
        }
    ),
    "xlsx": frozenset(
        {"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "application/zip"}
    ),
    "pptx": frozenset(
        {
            "application/vnd.openxmlformats-officedocument.presentationml.presentation",
            "application/zip",
        }
    ),
    "png": frozenset({"image/png"}),
    "jpg": frozenset({"image/jpeg"}),
    "jpeg": frozenset({"image/jpeg"}),
    "zip": frozenset({"application/zip"}),
}
ALLOWED_LABEL = "pdf, hwp, hwpx, docx, xlsx, pptx, png, jpg, zip"


def detected_type(head: bytes) -> str | None:
    if head.startswith(OLE_MAGIC):
        return "ole"
    kind = filetype.guess(head)
    return kind.mime if kind else None


def check_attachment(upload: UploadedFile) -> None:
    """Raise a Korean ValidationError unless the file is an allowed kind and small enough."""
    max_bytes: int = settings.ATTACHMENT_MAX_BYTES
    if upload.size is not None and upload.size > max_bytes:
        raise ValidationError(
            _("첨부파일은 %(mb)sMB 이하만 올릴 수 있습니다.") % {"mb": max_bytes // (1024 * 1024)}
        )
    ext = PurePath(upload.name or "").suffix.lower().lstrip(".")
    if ext not in ALLOWED:
        raise ValidationError(
            _("첨부할 수 없는 파일 형식입니다. 올릴 수 있는 형식: %(kinds)s")
            % {"kinds": ALLOWED_LABEL}
        )
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    if detected_type(head) not in ALLOWED[ext]:
        raise ValidationError(
            _("파일 내용이 확장자(.%(ext)s)와 맞지 않습니다. 파일을 확인해 주세요.") % {"ext": ext}
        )
