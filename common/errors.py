"""The one error a service raises, and its two bridges: to a form and to a view.

A service refuses with ``ServiceError(_("Korean message"), code="...")``: the message is
translated (gettext, Korean message ids), the code is a stable English word tests and callers
may branch on, ``field`` names the form field the problem belongs to when there is one.
Django's ``ValidationError`` from model validation is turned into the same error at the
service boundary with ``ServiceError.from_validation``.
"""

from collections.abc import Mapping
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.functional import Promise

Message = str | Promise


class ServiceError(Exception):
    """A refused write, with a translated message and a machine-readable code."""

    def __init__(
        self,
        message: Message,
        *,
        code: str = "invalid",
        field: str | None = None,
        params: Mapping[str, Any] | None = None,
    ) -> None:
        self.message = message
        self.code = code
        self.field = field
        self.params = dict(params or {})
        super().__init__(str(message))

    def __str__(self) -> str:
        text = str(self.message)
        return text % self.params if self.params else text

    @classmethod
    def from_validation(cls, exc: ValidationError, *, code: str = "invalid") -> "ServiceError":
        """One ServiceError from a model ValidationError (its first field and messages)."""
        field = None
        if hasattr(exc, "error_dict"):
            field = next((name for name in exc.error_dict if name != "__all__"), None)
        return cls(" ".join(exc.messages), code=code, field=field)


def add_to_form(form: forms.BaseForm, exc: ServiceError) -> None:
    """Put a service's refusal on the form: on its field when the form has it, else on top."""
    field = exc.field if exc.field and exc.field in form.fields else None
    form.add_error(field, str(exc))
