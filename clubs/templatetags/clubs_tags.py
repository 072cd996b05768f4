from decimal import Decimal

from django import forms, template
from django.contrib.auth.models import User
from django.db.models import Model
from django.forms import BoundField
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from org.models import display_name
from org.people import department_name

from .. import calculations as calc

register = template.Library()


@register.filter
def person(user: User | None) -> str:
    return display_name(user) if user else ""


@register.filter
def hours(value: Decimal | None) -> str:
    return calc.format_hours(value) if value is not None else "0"


@register.filter
def won(value: int | None) -> str:
    return _("%(amount)s원") % {"amount": f"{value or 0:,}"}


# A pk no row has, reversed into a URL once per page and replaced per row (``with_pk``):
# the club page links ~90 rows, and a ``{% url %}`` per row was ~10 % of its time (cProfile).
PK_SLOT = "2147483647"


@register.simple_tag
def pk_url(name: str) -> str:
    """The URL of ``name`` (one ``<int:pk>`` argument) for ``with_pk`` to fill in."""
    return reverse(name, args=[PK_SLOT])


@register.filter
def with_pk(pattern: str, pk: int) -> str:
    """``pattern`` (from ``pk_url``) for this row's pk: what ``{% url name pk %}`` gives."""
    return pattern.replace(PK_SLOT, str(int(pk)), 1)


# (model, field, language) -> {value: label}. ``get_FOO_display`` builds a dict of the
# field's choices on every call, hashing (so translating) each lazy label: ~300 translations
# a club page (cProfile). Labels only change with the language.
_LABELS: dict[tuple[str, str, str | None], dict[object, str]] = {}


@register.filter
def shown(obj: Model, field_name: str) -> str:
    """What ``obj.get_<field_name>_display()`` gives, each label translated once a language."""
    key = (obj._meta.label, field_name, get_language())
    labels = _LABELS.get(key)
    if labels is None:
        field = obj._meta.get_field(field_name)
        choices = getattr(field, "flatchoices", None) or ()
        labels = {value: str(label) for value, label in choices}
        _LABELS[key] = labels
    value = getattr(obj, field_name)
    return labels.get(value, "" if value is None else str(value))


@register.filter
def dept(user: User) -> str:
    return department_name(user)


@register.filter
def bootstrap_widget(field: BoundField) -> str:
    """The field's widget with Bootstrap's classes (as crispy-bootstrap5 gives them:
    ``form-select`` for a select, ``form-control`` otherwise, ``is-invalid`` with errors)."""
    widget = field.field.widget
    classes = ["form-select" if isinstance(widget, forms.Select) else "form-control"]
    if field.errors:
        classes.append("is-invalid")
    existing = widget.attrs.get("class", "")
    return field.as_widget(attrs={"class": " ".join([existing, *classes]).strip()})
