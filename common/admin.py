"""Admin actions that cannot be undone ask first (Django's own ``delete_selected`` pattern).

An action returns :func:`confirmation_page` until the page's 확인 button posts
``confirmed=yes`` (and its form, if any, is valid); 취소 is a plain link back to the list,
so cancelling changes nothing. The page says in numbers what will happen. After the work,
:func:`outcome_report` says how many were done and which were refused, with the service's
Korean reason.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.db.models import QuerySet
from django.http import HttpRequest
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

CONFIRM_FIELD = "confirmed"
CONFIRM_VALUE = "yes"
SHOWN_OBJECTS = 100  # listed by name on the page; the counts are always whole
SHOWN_REFUSALS = 20  # one message each, then a count of the rest


@dataclass
class Confirmation:
    """What the page says: a title, sentences with the numbers, the button's verb."""

    title: str
    summary: Sequence[str]
    button: str
    form: forms.Form | None = None
    rows: Sequence[str] = field(default_factory=list)  # one line per object (default: str)
    hints_title: str = ""  # e.g. 비슷한 기존 게시글, listed under the objects
    hints: Sequence[str] = field(default_factory=list)


def confirmed(request: HttpRequest, form: forms.Form | None = None) -> bool:
    """True when the confirmation page's 확인 was pressed (and its form is valid)."""
    if request.POST.get(CONFIRM_FIELD) != CONFIRM_VALUE:
        return False
    return form is None or form.is_valid()


def confirmation_page(
    modeladmin: "admin.ModelAdmin[Any]",
    request: HttpRequest,
    queryset: QuerySet[Any],
    *,
    action: str,
    confirmation: Confirmation,
) -> TemplateResponse:
    across = request.POST.get("select_across") == "1"
    objects = list(queryset[: SHOWN_OBJECTS + 1]) if not confirmation.rows else []
    rows = list(confirmation.rows) or [str(o) for o in objects]
    total = queryset.count()
    opts = modeladmin.model._meta
    context = {
        **modeladmin.admin_site.each_context(request),
        "title": confirmation.title,
        "opts": opts,
        "app_label": opts.app_label,
        "summary": confirmation.summary,
        "rows": rows[:SHOWN_OBJECTS],
        "more": max(total - SHOWN_OBJECTS, 0),
        "total": total,
        # "Select all N" is passed on as it came, so the page holds no list of every id.
        "select_across": across,
        # (Django routes the post to the action only when it names at least one object.)
        "selected": queryset.values_list("pk", flat=True)[: 1 if across else None],
        "action": action,
        "form": confirmation.form,
        "button": confirmation.button,
        "hints_title": confirmation.hints_title,
        "hints": confirmation.hints,
        "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        "confirm_field": CONFIRM_FIELD,
        "confirm_value": CONFIRM_VALUE,
        "cancel_url": request.get_full_path(),
    }
    request.current_app = modeladmin.admin_site.name
    return TemplateResponse(request, "admin/action_confirmation.html", context)


def outcome_report(
    modeladmin: "admin.ModelAdmin[Any]",
    request: HttpRequest,
    *,
    done: int,
    done_message: str,
    refused: Iterable[tuple[object, str]] = (),
) -> None:
    """'게시글 10건을 승인했습니다.' and one error per refused object with its reason."""
    refused = list(refused)
    modeladmin.message_user(request, done_message % {"n": done}, messages.SUCCESS)
    for obj, reason in refused[:SHOWN_REFUSALS]:
        modeladmin.message_user(
            request,
            _("처리하지 못함 — %(object)s: %(reason)s") % {"object": obj, "reason": reason},
            messages.ERROR,
        )
    if len(refused) > SHOWN_REFUSALS:
        modeladmin.message_user(
            request,
            _("그 밖에 %(n)d건을 처리하지 못했습니다.") % {"n": len(refused) - SHOWN_REFUSALS},
            messages.ERROR,
        )
