from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from html import escape as _escape

from django import forms, template
from django.contrib.auth.models import User
from django.db.models import Model
from django.forms import BoundField, Form
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from org.models import display_name
from org.people import department_name

from .. import calculations as calc
from ..models import Meeting, StudyGroup, SupportExpense
from ..selectors import MemberHours, ReportCell

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


# The club page's tables, each row written here in one pass (every value escaped) instead
# of through the template engine per cell: the member, meeting, report-grid and hours tables
# were ~40 % of the page's rendering (cProfile: ~1,300 variable lookups a page, now ~120).
# Each gives the markup the loops gave (tests/test_club_page_markup.py compares them).


def escape(value: object) -> str:
    """What ``django.utils.html.escape`` gives, without its lazy-argument check per call
    (``keep_lazy``: ~15 % of member_rows, cProfile)."""
    return _escape(str(value))


def _ymd(value: date | None) -> str:
    """What ``|date:"Y.m.d"`` gives for a date (and "" for None)."""
    return f"{value.year:04d}.{value.month:02d}.{value.day:02d}" if value else ""


@register.simple_tag
def member_rows(
    group: StudyGroup, can_members: bool, role_url: str, end_url: str, role_word: str,
    end_word: str,
) -> SafeString:  # fmt: skip
    """The ``<tr>`` of each membership of ``group`` (its ``memberships.all()``)."""
    role_word, end_word = escape(role_word), escape(end_word)
    rows = []
    for m in group.memberships.all():
        name = escape(person(m.user))
        period = f"{_ymd(m.start_date)} ~ {_ymd(m.end_date)}"
        if m.end_reason:
            period += f" ({escape(shown(m, 'end_reason'))})"
        cells = (
            f"<td>{name}</td><td>{escape(dept(m.user))}</td>"
            f"<td>{escape(shown(m, 'role'))}</td><td>{period}</td>"
        )
        if can_members:
            links = ""
            if not m.end_date:
                hidden = f'<span class="visually-hidden"> {name}</span>'
                links = (
                    f'<a href="{escape(with_pk(role_url, m.pk))}">{role_word}{hidden}</a> · '
                    f'<a href="{escape(with_pk(end_url, m.pk))}">{end_word}{hidden}</a>'
                )
            cells += f"<td>{links}</td>"
        muted = ' class="text-muted"' if m.end_date else ""
        rows.append(f"<tr{muted}>{cells}</tr>")
    return mark_safe("\n".join(rows))  # noqa: S308 - every value above is escaped


@register.simple_tag
def meeting_rows(meetings: Iterable[Meeting], meeting_url: str) -> SafeString:
    """The ``<tr>`` of each meeting of the page (with ``attendee_count``)."""
    rows = [
        f'<tr><td><a href="{escape(with_pk(meeting_url, m.pk))}">{_ymd(m.held_on)}</a></td>'
        f"<td>{escape(m.group.name)}</td><td>{escape(shown(m, 'kind'))}</td>"
        f'<td>{escape(m.place)}</td><td class="text-end">{hours(m.hours)}</td>'
        f'<td class="text-end">{int(m.attendee_count)}</td></tr>'  # type: ignore[attr-defined]
        for m in meetings
    ]
    return mark_safe("\n".join(rows))  # noqa: S308 - every value above is escaped


@register.simple_tag
def grid_months(cells: list[ReportCell], month_word: str) -> SafeString:
    """The report grid's month headers (``<th>``), from one row's cells."""
    word = escape(month_word)
    return mark_safe(  # noqa: S308 - escaped
        "".join(f'<th scope="col">{c.month.month}{word}</th>' for c in cells)
    )


@register.simple_tag
def grid_rows(
    grid: list[tuple[StudyGroup, list[ReportCell]]], post_url: str, month_word: str
) -> SafeString:
    """The report grid's ``<tr>`` per group: a filed month links to its report's post (with
    its status), an overdue one is marked, the others show ``-``."""
    word = escape(month_word)
    rows = []
    for group, cells in grid:
        name = escape(group.name)
        tds = []
        for cell in cells:
            if cell.report:
                href = escape(with_pk(post_url, cell.report.post_id))
                label = escape(shown(cell.report.post, "status"))
                hidden = f'<span class="visually-hidden"> {name} {cell.month.month}{word}</span>'
                tds.append(f'<td><a href="{href}">{label}{hidden}</a></td>')
            elif cell.overdue:
                tds.append(f'<td><span class="text-danger">{escape(cell.status_label)}</span></td>')
            else:
                tds.append(f"<td>{escape(cell.status_label)}</td>")
        rows.append(f'<tr><th scope="row">{name}</th>{"".join(tds)}</tr>')
    return mark_safe("\n".join(rows))  # noqa: S308 - every value above is escaped


@register.simple_tag
def hours_rows(rows: list[MemberHours], cap_word: str) -> SafeString:
    """The learning-hours ``<tr>`` per person: both half-years attended and credited, with
    the cap badge where the cap cut the hours."""
    badge = f' <span class="badge text-bg-warning">{escape(cap_word)}</span>'
    out = []
    for row in rows:
        cells = [
            f'<th scope="row">{escape(person(row.user))}</th><td>{escape(row.group.name)}</td>'
        ]
        for half in (row.first_half, row.second_half):
            cells.append(
                f'<td class="text-end">{hours(half.attended)}</td>'
                f'<td class="text-end">{hours(half.credited)}{badge if half.over_cap else ""}</td>'
            )
        out.append(f"<tr>{''.join(cells)}</tr>")
    return mark_safe("\n".join(out))  # noqa: S308 - every value above is escaped


@register.simple_tag
def expense_rows(expenses: Iterable[SupportExpense]) -> SafeString:
    """The ``<tr>`` of each support expense."""
    rows = [
        f"<tr><td>{_ymd(e.spent_on)}</td><td>{escape(shown(e, 'category'))}</td>"
        f'<td>{escape(e.description)}</td><td class="text-end">{escape(won(e.amount))}</td></tr>'
        for e in expenses
    ]
    return mark_safe("\n".join(rows))  # noqa: S308 - every value above is escaped


# The markup of an unbound form (_form_fields_plain.html) depends only on what ``_form_key``
# reads: rendered once per process and language, not through the widgets' templates on every
# club page (its three forms were ~a quarter of the page's rendering, cProfile).
_FORM_HTML: dict[tuple[object, ...], SafeString] = {}
_FORM_HTML_MAX = 512  # distinct keys kept (the member form's key has the club's groups)


def _form_key(form: Form) -> tuple[object, ...] | None:
    """What an unbound form's markup is made of, or None when it can't be told (bound, or a
    widget whose choices are a lazy query)."""
    if form.is_bound:
        return None
    fields = []
    for bound in form:
        widget = bound.field.widget
        choices = getattr(widget, "choices", ())
        if not isinstance(choices, list | tuple):
            return None
        fields.append(
            (
                bound.name, type(bound.field), type(widget), str(bound.value()), str(bound.label),
                str(bound.help_text), bound.field.required,
                tuple((str(value), str(label)) for value, label in choices),
                tuple(sorted((k, str(v)) for k, v in widget.attrs.items())),
            )
        )  # fmt: skip
    return (type(form), form.prefix, form.auto_id, get_language(), tuple(fields))


@register.simple_tag
def plain_fields(form: Form) -> SafeString:
    """``{% include "clubs/_form_fields_plain.html" with form=form %}``, an unbound form's
    markup rendered once (see ``_form_key``)."""
    key = _form_key(form)
    html = _FORM_HTML.get(key) if key is not None else None
    if html is None:
        html = mark_safe(render_to_string("clubs/_form_fields_plain.html", {"form": form}))  # noqa: S308 - a template's output
        if key is not None:
            if len(_FORM_HTML) >= _FORM_HTML_MAX:
                _FORM_HTML.clear()
            _FORM_HTML[key] = html
    return html
