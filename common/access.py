"""The one permission accessor: fetch an object and check a rule, at the top of a view.

Modelled on healthchecks' ``_get_check_for_user``: a view asks for the object it acts on
through ``get_for_user`` (or checks a rule on an object it already has with ``require``);
an object the user may not even see is "not found" (404) when ``hide=True``, otherwise a
refusal is a 403 that carries the Korean reason to the error page.

Rules are read from the django-rules registry (``rules.has_perm``), never through
``user.has_perm``: Django lets a superuser pass every ``has_perm``, but the portal's rules
decide for superusers too (e.g. nobody sees an open stage's scores).
"""

from typing import Any, TypeVar

import rules
from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _

from .errors import Message

M = TypeVar("M", bound=models.Model)

DEFAULT_REASON = _("이 작업을 할 권한이 없습니다.")


def allowed(user: Any, perm: str, obj: object = None) -> bool:
    """Whether the portal's rules let ``user`` do ``perm`` (on ``obj``)."""
    return bool(rules.has_perm(perm, user, obj))


def require(user: Any, perm: str, obj: object = None, *, reason: Message | None = None) -> None:
    """403 with a Korean reason unless the rule allows it."""
    if not allowed(user, perm, obj):
        raise PermissionDenied(str(reason or DEFAULT_REASON))


def get_for_user(
    user: Any,
    queryset: type[M] | models.QuerySet[M],
    perm: str,
    *,
    hide: bool = False,
    reason: Message | None = None,
    **lookup: Any,
) -> M:
    """The object ``lookup`` names, if ``user`` may ``perm`` it: 404 when missing, then 403
    (or 404 when ``hide``: an object the user may not see is simply not there)."""
    obj = get_object_or_404(queryset, **lookup)
    if not allowed(user, perm, obj):
        if hide:
            raise Http404
        raise PermissionDenied(str(reason or DEFAULT_REASON))
    return obj
