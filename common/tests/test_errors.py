import pytest
from django import forms
from django.core.exceptions import ValidationError

from common.errors import ServiceError, add_to_form

pytestmark = pytest.mark.smoke


class _Form(forms.Form):
    title = forms.CharField()


def test_it_puts_a_field_error_on_its_field() -> None:
    form = _Form(data={"title": "x"})
    assert form.is_valid()
    add_to_form(form, ServiceError("제목이 너무 깁니다.", code="too_long", field="title"))
    assert form.errors["title"] == ["제목이 너무 깁니다."]


def test_it_puts_an_unknown_field_on_top() -> None:
    form = _Form(data={"title": "x"})
    form.is_valid()
    add_to_form(form, ServiceError("마감되었습니다.", code="closed", field="nope"))
    assert form.non_field_errors() == ["마감되었습니다."]


def test_it_carries_a_validation_error() -> None:
    exc = ServiceError.from_validation(ValidationError({"title": ["비어 있습니다."]}))
    assert exc.field == "title" and str(exc) == "비어 있습니다." and exc.code == "invalid"
