import pytest
from django import forms
from django.template import Context, Template

pytestmark = pytest.mark.smoke


class _Form(forms.Form):
    name = forms.CharField(label="성명", help_text="실명을 적어 주세요.")
    dong = forms.ChoiceField(label="거주 동", choices=[("a", "소공동"), ("b", "회현동")])
    kind = forms.ChoiceField(
        label="분야", choices=[("x", "교통"), ("y", "환경")], widget=forms.RadioSelect
    )
    agree = forms.BooleanField(label="동의합니다")
    file = forms.FileField(label="첨부", required=False)


def _render(form: forms.Form) -> str:
    tpl = Template(
        "{% for field in form %}{% include 'krds/field.html' with field=field %}{% endfor %}"
    )
    return tpl.render(Context({"form": form}))


def test_inputs_get_krds_classes_labels_and_hints() -> None:
    html = _render(_Form())
    assert 'class="krds-input"' in html and 'class="krds-form-select"' in html
    assert '<label for="id_name">' in html
    assert 'id="id_name-hint"' in html and 'aria-describedby="id_name-hint"' in html
    assert "<legend" in html and "krds-form-check" in html  # the radio group is a fieldset


def test_errors_are_linked_and_marked_invalid() -> None:
    form = _Form(data={"name": "", "dong": "zz"})
    assert not form.is_valid()
    html = _render(form)
    assert 'aria-invalid="true"' in html
    assert 'id="id_name-error"' in html
    assert 'aria-describedby="id_name-hint id_name-error"' in html
    assert "form-hint-invalid" in html and "is-error" in html
