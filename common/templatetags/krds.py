"""Form fields in the government design system's markup (KRDS) for the residents' pages.

``{{ field|krds_widget }}`` renders a bound field's widget with the KRDS class for its kind
and the ARIA links to its hint and error (``{id}-hint``, ``{id}-error``); the markup around it
is ``templates/krds/field.html``.
"""

from django import forms, template
from django.utils.safestring import SafeString

register = template.Library()

CLASSES = {
    "select": "krds-form-select",
    "selectmultiple": "krds-form-select",
}
CHOICE_KINDS = {"checkbox", "radioselect", "checkboxselectmultiple"}


@register.filter
def krds_widget(field: forms.BoundField) -> SafeString:
    kind = field.widget_type
    attrs: dict[str, str | bool] = {}
    if kind not in CHOICE_KINDS and kind not in {"clearablefile", "file", "hidden"}:
        attrs["class"] = CLASSES.get(kind, "krds-input")
    described = []
    if field.help_text:
        described.append(f"{field.auto_id}-hint")
    if field.errors:
        described.append(f"{field.auto_id}-error")
        attrs["aria-invalid"] = "true"
    if described:
        attrs["aria-describedby"] = " ".join(described)
    if field.field.required and kind not in CHOICE_KINDS:
        attrs["required"] = "required"
    return field.as_widget(attrs=attrs)


@register.filter
def krds_kind(field: forms.BoundField) -> str:
    """``choice`` for checkboxes and radio groups, ``hidden``, else ``input``."""
    kind = field.widget_type
    if kind in CHOICE_KINDS:
        return "choice"
    if kind == "hidden":
        return "hidden"
    return "input"
