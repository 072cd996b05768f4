"""Forms of the board. They validate input; the services do the writing."""

from collections.abc import Sequence
from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from common.once import OnceTokenField
from org.files import ALLOWED_EXTENSIONS_LABEL, check_upload, max_bytes, safe_original_name

from .models import Attachment
from .services import MAX_BODY_CHARS, MAX_COMMENT_CHARS, MAX_TITLE_CHARS

MAX_FILES_PER_POST = 10


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; each is checked by content (``org.files``)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[UploadedFile]:
        files = [f for f in (data if isinstance(data, list | tuple) else [data]) if f]
        if len(files) > MAX_FILES_PER_POST:
            raise ValidationError(
                _("첨부파일은 한 번에 %(max)d개까지 올릴 수 있습니다.")
                % {"max": MAX_FILES_PER_POST}
            )
        errors = []
        for upload in files:
            try:
                check_upload(upload, safe_original_name(upload.name or ""), upload.size or 0)
            except ValidationError as err:
                errors.extend(err.messages)
        if errors:
            raise ValidationError(errors)
        return files


def _limit_help() -> str:
    return _("허용 형식: %(kinds)s · 파일당 최대 %(mb)d MB · 최대 %(n)d개") % {
        "kinds": ALLOWED_EXTENSIONS_LABEL,
        "mb": max_bytes() // (1024 * 1024),
        "n": MAX_FILES_PER_POST,
    }


class PostForm(forms.Form):
    title = forms.CharField(
        label=_("제목"),
        max_length=MAX_TITLE_CHARS,
        error_messages={
            "required": _("제목을 입력해 주세요."),
            "max_length": _("제목은 200자 이내로 입력해 주세요."),
        },
    )
    body = forms.CharField(
        label=_("내용"),
        widget=forms.Textarea(attrs={"rows": 14}),
        strip=True,
        help_text=_(
            "마크다운(**굵게**, - 목록, ## 소제목)을 쓸 수 있습니다. 스크립트 등은 저장되지 않습니다."
        ),
        error_messages={"required": _("내용을 입력해 주세요.")},
    )
    attachments = MultipleFileField(label=_("첨부파일"), required=False)
    # One submission, one post: a double click or a replayed POST stores one (common.once).
    submission_token = OnceTokenField()
    remove_attachments = forms.ModelMultipleChoiceField(
        label=_("삭제할 첨부파일"),
        queryset=Attachment.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, attachments: Sequence[Attachment] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["attachments"].help_text = _limit_help()
        if attachments:
            remove = cast(forms.ModelMultipleChoiceField, self.fields["remove_attachments"])
            remove.queryset = Attachment.objects.filter(pk__in=[a.pk for a in attachments])
        else:
            del self.fields["remove_attachments"]

    def clean_body(self) -> str:
        body = self.cleaned_data["body"]
        if len(body) > MAX_BODY_CHARS:
            raise ValidationError(
                _("내용이 너무 깁니다. %(max)s자 이내로 줄이거나 파일로 첨부해 주세요.")
                % {"max": f"{MAX_BODY_CHARS:,}"}
            )
        return body


class CommentForm(forms.Form):
    body = forms.CharField(
        label=_("의견"),
        max_length=MAX_COMMENT_CHARS,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": _("의견 내용을 입력해 주세요."),
            "max_length": _("의견은 2,000자 이내로 입력해 주세요."),
        },
    )
    submission_token = OnceTokenField()


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=_("반려 사유"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("반려 사유를 입력해 주세요.")},
    )


class DuplicateForm(forms.Form):
    original = forms.IntegerField(
        label=_("원글 번호"),
        min_value=1,
        error_messages={"required": _("원글 번호를 입력해 주세요.")},
    )
