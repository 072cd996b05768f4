"""Person pickers: one search endpoint, one form field, one widget, for every app.

A picker never lists the staff: at city scale that is 50,000 ``<option>``s. It is a text
input where a person types an 직원 아이디 or 이름; ``static/js/person-picker.js`` (an ARIA
combobox) turns it into search-as-you-type against :func:`people_search` and puts the chosen
person's id in a hidden input. Without JavaScript the text input is all there is, and
:class:`PersonField` resolves what was typed (an 아이디, or a unique 이름) or says why not.

Use it in a form: ``user = PersonField(label=_("직원"))`` (optionally ``queryset=`` to narrow
who may be picked) and render ``{{ form.media }}`` in the page.
"""

import operator
import re
from collections.abc import Mapping
from functools import reduce
from itertools import product
from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import BooleanField, ExpressionWrapper, F, Func, Q, QuerySet, TextField, Value
from django.db.models.functions import Concat
from django.http import HttpRequest, JsonResponse
from django.urls import reverse
from django.utils.datastructures import MultiValueDict
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from .models import UNASSIGNED_LABEL, Department, display_name

MAX_RESULTS = 20  # one screen of suggestions; a person types more to narrow
MAX_QUERY_LENGTH = 100
MAX_AMBIGUOUS_SHOWN = 5
LABEL = re.compile(r"^(?P<name>[^()]+)\((?P<department>[^()]+)\)$")


def staff_people() -> QuerySet[User]:
    """Everyone a picker may offer: active users with a staff profile."""
    return User.objects.filter(is_active=True, staff_profile__isnull=False)


ORDER = ("last_name", "first_name", "username")
# A query's words that a department holds, expanded into branches (2 words: 4 branches); any
# further such word stays "by name or department" in every branch.
EXPANDED_WORDS = 2
# A word held by more departments than this is no way in to their members.
FEW_DEPARTMENTS = 5


# What a suggestion shows of a person (person_json): no password hash, no dates.
PERSON_FIELDS = (
    "id", "username", "first_name", "last_name", "staff_profile__id",
    "staff_profile__department_id", "staff_profile__department__name",
)  # fmt: skip


class _NameHasGrams(Func):
    """``org_person_grams(성, 이름, 아이디) @> org_word_grams(word)`` (PostgreSQL): the
    expression the GIN index ``auth_user_person_grams`` holds (org migration 0004), so a word
    in few names is found through the index instead of a scan of every staff row."""

    arg_joiner = " @> "
    template = "(%(expressions)s)"
    output_field = BooleanField()

    def __init__(self, word: str) -> None:
        super().__init__(
            Func(
                F("last_name"),
                F("first_name"),
                F("username"),
                function="org_person_grams",
                output_field=TextField(),
            ),
            Func(Value(word), function="org_word_grams", output_field=TextField()),
        )


def _departments_matching(words: list[str]) -> list[list[int]]:
    """For each word, the ids of the departments whose name holds it (one query, on the
    small departments table)."""
    holds = [Q(name__icontains=word) for word in words]
    flags = {
        f"w{i}": ExpressionWrapper(condition, output_field=BooleanField())
        for i, condition in enumerate(holds)
    }
    matched: list[list[int]] = [[] for _ in words]
    rows = Department.objects.filter(reduce(operator.or_, holds)).annotate(**flags)
    for row in rows.values("id", *flags):
        for i, ids in enumerate(matched):
            if row[f"w{i}"]:
                ids.append(row["id"])
    return matched


def people_matching(
    query: str, *, queryset: QuerySet[User] | None = None, limit: int = MAX_RESULTS
) -> list[User]:
    """Up to ``limit`` people whose 이름 (family name first, no space), 아이디 or 부서
    contains every word of ``query``, by name (two queries: the departments, then the people).

    The rows read do not grow with the staff. The departments that hold a word are found
    first, in their small table; each word is then a condition on the name and 아이디 that
    the indexes of org migration 0004 answer (the name-ordered index walked up to the
    twentieth match for a common word, the gram index for a rare one). A word a department
    holds matches by name *or* by department: on PostgreSQL the people are then read as a
    UNION of one branch per choice (for the first ``EXPANDED_WORDS`` such words), each a
    plain AND with its own order and limit, so the planner can start a "총무과 김" from the
    department's members instead of walking every 김 to find them."""
    words = query.split()[:5]
    if not words:
        return []
    base = (queryset if queryset is not None else staff_people()).annotate(
        full_name=Concat("last_name", "first_name")
    )
    postgres = connection.vendor == "postgresql"
    # Each word's ways to match, each (by name only?, condition): by name (no department
    # holds it), or by name or by department — as two branches (on PostgreSQL, for the first
    # EXPANDED_WORDS words that few departments hold) or as one condition (a word most
    # departments hold, like 과, matches most people anyway: the name-ordered walk finds
    # twenty at once).
    ways: list[list[tuple[bool, Q]]] = []
    expanded = 0
    for word, department_ids in zip(words, _departments_matching(words), strict=True):
        named = Q(full_name__icontains=word) | Q(username__icontains=word)
        in_department = Q(staff_profile__department_id__in=department_ids)
        if not department_ids:
            ways.append([(True, named)])
        elif postgres and expanded < EXPANDED_WORDS and len(department_ids) <= FEW_DEPARTMENTS:
            ways.append([(True, named), (False, in_department)])
            expanded += 1
        else:
            ways.append([(False, named | in_department)])
    pages = []
    for branch in product(*ways):
        rows = base
        # The gram index is the way in for a branch with no department to start from; where
        # the rows come from a department's members, the grams would only be computed row
        # by row (~25 µs a row: more than the whole search when a department is large).
        grams = postgres and all(by_name for by_name, _condition in branch)
        for (_by_name, condition), word in zip(branch, words, strict=True):
            rows = rows.filter(condition & _NameHasGrams(word) if grams else condition)
        pages.append(
            rows.select_related("staff_profile__department")
            .only(*PERSON_FIELDS)
            .order_by(*ORDER)[:limit]
        )
    if len(pages) == 1:
        return list(pages[0])
    return list(pages[0].union(*pages[1:]).order_by(*ORDER)[:limit])


def department_name(user: User) -> str:
    profile = getattr(user, "staff_profile", None)
    department = getattr(profile, "department", None)
    return department.name if department is not None else str(UNASSIGNED_LABEL)


def person_label(user: User) -> str:
    """'홍길동 (총무과)': how a picker shows a person."""
    return f"{display_name(user)} ({department_name(user)})"


def person_json(user: User) -> dict[str, Any]:
    """What the search tells a browser about a person: no more than a picker shows."""
    return {"id": user.pk, "name": display_name(user), "department": department_name(user)}


# A keystroke's search only reads: no BEGIN and COMMIT round trips around it.
@transaction.non_atomic_requests
@login_required
@require_GET
def people_search(request: HttpRequest) -> JsonResponse:
    """``GET ?q=홍길`` → ``{"results": [{"id", "name", "department"}, ...]}`` (at most
    ``MAX_RESULTS``, staff only)."""
    query = request.GET.get("q", "")[:MAX_QUERY_LENGTH]
    people = people_matching(query)
    return JsonResponse({"results": [person_json(u) for u in people]})


class PersonPickerWidget(forms.Widget):
    """A text input (what is typed or the chosen person's label) and a hidden input (the
    chosen person's id, named after the field). The script enhances every
    ``input[data-person-picker]``."""

    class Media:
        css = {"all": ["css/person-picker.css"]}
        js = ["js/person-picker.js"]

    def __init__(self, attrs: dict[str, Any] | None = None, *, search_url: str = "") -> None:
        super().__init__(attrs)
        self.search_url = search_url

    def value_from_datadict(
        self, data: Mapping[str, Any], files: MultiValueDict[str, Any], name: str
    ) -> tuple[str, str]:
        return (str(data.get(name, "") or ""), str(data.get(f"{name}_query", "") or ""))

    def value_omitted_from_data(
        self, data: Mapping[str, Any], files: MultiValueDict[str, Any], name: str
    ) -> bool:
        return name not in data and f"{name}_query" not in data

    def _parts(self, value: Any) -> tuple[str, str]:
        """(id, text) of a bound tuple, a User, or an id."""
        if isinstance(value, tuple):
            pk, text = value
        elif isinstance(value, User):
            return str(value.pk), person_label(value)
        else:
            pk, text = ("" if value in (None, "") else str(value)), ""
        if pk.isascii() and pk.isdigit() and not text:
            user = staff_people().select_related("staff_profile__department").filter(pk=pk).first()
            text = person_label(user) if user else ""
        return pk, text

    def render(
        self,
        name: str,
        value: Any,
        attrs: dict[str, Any] | None = None,
        renderer: Any = None,
    ) -> SafeString:
        attrs = self.build_attrs(self.attrs, attrs)
        element_id = attrs.pop("id", f"id_{name}")
        css = attrs.pop("class", "form-control")
        pk, text = self._parts(value)
        extra = " ".join(
            format_html("{}", key) if val is True else format_html('{}="{}"', key, val)
            for key, val in attrs.items()
            if val not in (None, False) and key not in ("type", "name", "value")
        )
        return format_html(
            '<input type="text" name="{}_query" id="{}" value="{}" class="{}" autocomplete="off"'
            ' spellcheck="false" placeholder="{}" data-person-picker'
            ' data-person-picker-url="{}" data-person-picker-value="{}_value" {}>'
            '<input type="hidden" name="{}" id="{}_value" value="{}">',
            name,
            element_id,
            text,
            css,
            _("직원 아이디 또는 이름"),
            self.search_url or reverse("people_search"),
            element_id,
            SafeString(extra),
            name,
            element_id,
            pk,
        )


class PersonField(forms.Field):
    """One person, picked by search or typed as 아이디/이름; cleans to a ``User``."""

    widget = PersonPickerWidget
    default_error_messages = {
        "required": gettext_lazy("직원을 입력하세요."),
        "not_found": gettext_lazy(
            "'%(text)s'에 맞는 직원이 없습니다. 직원 아이디나 이름을 확인하세요."
        ),
        "ambiguous": gettext_lazy(
            "'%(text)s'에 맞는 직원이 %(count)d명 있습니다(%(choices)s). 목록에서 고르거나, "
            "'홍길동 (총무과)'처럼 부서를 붙이거나, 직원 아이디를 적으세요."
        ),
    }

    def __init__(self, *, queryset: QuerySet[User] | None = None, **kwargs: Any) -> None:
        kwargs.setdefault("help_text", gettext_lazy("직원 아이디나 이름을 적으면 찾아 드립니다."))
        super().__init__(**kwargs)
        self.queryset = queryset if queryset is not None else staff_people()

    def clean(self, value: Any) -> User | None:
        pk, text = value if isinstance(value, tuple) else (str(value or ""), "")
        pk, text = pk.strip(), text.strip()
        if not pk and not text:
            if self.required:
                raise ValidationError(self.error_messages["required"], code="required")
            return None
        rows = self.queryset.select_related("staff_profile__department")
        if pk:
            valid = pk.isascii() and pk.isdigit() and len(pk) < 19
            user = rows.filter(pk=int(pk)).first() if valid else None
            if user is None:
                raise ValidationError(
                    self.error_messages["not_found"], code="not_found", params={"text": text or pk}
                )
            return user
        by_username = rows.filter(username__iexact=text).first()
        if by_username is not None:
            return by_username
        # '홍길동' or the picker's own label '홍길동 (총무과)'
        name, department = text, ""
        if match := LABEL.match(text):
            name, department = match["name"], match["department"].strip()
        full_name = "".join(name.split())
        named = rows.annotate(full_name=Concat("last_name", "first_name")).filter(
            full_name=full_name
        )
        if connection.vendor == "postgresql":  # through the gram index, not a scan of staff
            named = named.filter(_NameHasGrams(full_name))
        if department:
            named = named.filter(staff_profile__department__name=department)
        found = list(named.order_by("username")[: MAX_AMBIGUOUS_SHOWN + 1])
        if len(found) == 1:
            return found[0]
        if not found:
            raise ValidationError(
                self.error_messages["not_found"], code="not_found", params={"text": text}
            )
        raise ValidationError(
            self.error_messages["ambiguous"],
            code="ambiguous",
            params={
                "text": text,
                "count": named.count(),
                "choices": ", ".join(person_label(u) for u in found[:MAX_AMBIGUOUS_SHOWN]),
            },
        )
