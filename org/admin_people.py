"""People in the Django admin as 이름 (부서), and picked by search, never from a <select>.

Every admin of the tree mixes in :class:`PeopleAdminMixin` (inlines too). For each foreign
key or many-to-many to a person on the admin's model it:

- shows the person as ``홍길동 (총무과)`` (the current department, ``org.selectors``) in list
  columns and read-only fields, instead of the user name (``staff1``);
- joins the person's profile and department into the list query (``staff_profile__department``),
  so a list page's query count stays the same however many rows it shows;
- makes an editable person field an autocomplete (search by 아이디, 이름 or 부서): at city
  scale a <select> would carry 50,000 ``<option>``s. Other big tables named in
  :data:`BIG_MODELS` get an autocomplete too.
"""

from collections.abc import Callable, Collection, Sequence
from typing import Any

from django.contrib import admin
from django.contrib.admin.options import InlineModelAdmin
from django.contrib.admin.views.autocomplete import AutocompleteJsonView
from django.contrib.admin.widgets import AutocompleteSelect, AutocompleteSelectMultiple
from django.contrib.auth import get_user_model
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.http import HttpRequest

from .people import ORDER, people_matching
from .rules import is_portal_admin
from .selectors import department_label, display_name

User = get_user_model()

PERSON_RELATED = "staff_profile__department"
# Tables too big for a <select> besides the staff: picked by search in every admin form.
BIG_MODELS = frozenset({"board.post", "proposals.proposal", "contests.entry"})
EMPTY = "-"
# How far the admin's person autocomplete pages (20 a page): narrow the words beyond.
MAX_PAGES = 10


def person_label(user: Any) -> str:
    """'홍길동 (총무과)' — the person's name and current department; '-' for nobody."""
    if user is None:
        return EMPTY
    return f"{display_name(user)} ({department_label(user)})"


def _is_person(field: Any) -> bool:
    return bool(field.is_relation and field.concrete and field.related_model is User)


def person_fields(model: type[models.Model]) -> list[models.Field]:
    """The model's own foreign keys and many-to-manys to a person."""
    return [f for f in model._meta.get_fields() if _is_person(f)]  # type: ignore[misc]


def _big_fields(model: type[models.Model]) -> list[str]:
    return [
        f.name
        for f in model._meta.get_fields()
        if f.is_relation
        and f.concrete
        and (f.many_to_one or f.many_to_many)
        and f.related_model is not None
        and (f.related_model is User or f.related_model._meta.label_lower in BIG_MODELS)
    ]


def alias(name: str) -> str:
    """The admin's column for the person field ``name`` (a model field would win the lookup
    in ``admin.utils.lookup_field`` and show the user name)."""
    return f"{name}_person"


def _column(field: models.Field) -> Callable[[models.Model], str]:
    name = field.name
    column: Callable[[models.Model], str]
    if field.many_to_many:

        def column(obj: models.Model) -> str:
            people = getattr(obj, name).select_related(PERSON_RELATED)
            return ", ".join(person_label(u) for u in people) or EMPTY

    else:

        def column(obj: models.Model) -> str:
            return person_label(getattr(obj, name))

        column.admin_order_field = f"{name}__last_name"  # type: ignore[attr-defined]
    column.short_description = field.verbose_name  # type: ignore[attr-defined]
    return column


class PersonAutocompleteJsonView(AutocompleteJsonView):
    """The admin's autocomplete, naming people as 이름 (부서) in the suggestions. The
    programme admins (지식나눔 관리자) pick people in their forms without the right to browse
    the account admin: a suggestion says no more than a name and a department."""

    def has_perm(self, request: HttpRequest, obj: models.Model | None = None) -> bool:
        if self.model_admin.model is User and is_portal_admin(request.user):
            return True
        return bool(super().has_perm(request, obj))

    def get_queryset(self) -> models.QuerySet[Any]:
        """The people for the typed words through :func:`org.people.people_matching` (the
        indexes of org migration 0004: the rows read do not grow with the staff), up to
        the requested page and one more, so the pager knows if there is a next page (none
        after ``MAX_PAGES``). The admin's own search (``UserAdmin.get_search_results``:
        contains, on every staff row) stays for an e-mail address and an empty term."""
        term = self.term.strip()
        if self.model_admin.model is not User or not term or "@" in term:
            return super().get_queryset()
        people = self.model_admin.get_queryset(self.request).complex_filter(
            self.source_field.get_limit_choices_to()
        )
        page = self.request.GET.get("page", "1")
        pages = max(1, min(int(page), MAX_PAGES)) if page.isdigit() else 1
        per_page = int(self.paginate_by or 20)  # the admin's 20
        limit = pages * per_page + (1 if pages < MAX_PAGES else 0)
        found = people_matching(term, queryset=people, limit=limit)
        return people.filter(pk__in=[p.pk for p in found]).order_by(*ORDER)

    def serialize_result(self, obj: models.Model, to_field_name: str) -> dict[str, str]:
        result = super().serialize_result(obj, to_field_name)
        if isinstance(obj, User):
            result["text"] = person_label(obj)
        return result


class PersonAutocompleteSelect(AutocompleteSelect):
    url_name = "%s:org_person_autocomplete"


class PersonAutocompleteSelectMultiple(AutocompleteSelectMultiple):
    url_name = "%s:org_person_autocomplete"


class PeopleAdminMixin:
    """Mix into a ``ModelAdmin`` or an inline, before the Django base class."""

    model: Any
    admin_site: admin.AdminSite

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._people = {f.name: f for f in person_fields(self.model)}
        for name, field in self._people.items():
            setattr(self, alias(name), _column(field))

    def _swap(self, names: Sequence[Any], which: Collection[str]) -> list[Any]:
        return [alias(n) if isinstance(n, str) and n in which else n for n in names]

    def _view_only(self, request: HttpRequest, obj: Any) -> bool:
        return obj is not None and not self.has_change_permission(request, obj)  # type: ignore[attr-defined]

    def __init_subclass__(cls, **kwargs: Any) -> None:
        # An admin that overrides get_readonly_fields (without super) still gets its people
        # named: its answer goes through the same swap.
        super().__init_subclass__(**kwargs)
        own = cls.__dict__.get("get_readonly_fields")
        if own is not None and not getattr(own, "people_swapped", False):

            def swapped(self: Any, request: HttpRequest, obj: Any = None) -> Sequence[Any]:
                return self._people_readonly(own(self, request, obj), request, obj)

            swapped.people_swapped = True  # type: ignore[attr-defined]
            cls.get_readonly_fields = swapped  # type: ignore[method-assign]

    def _people_readonly(
        self, declared: Sequence[Any], request: HttpRequest, obj: Any
    ) -> list[Any]:
        """Read-only person fields as their 이름 (부서) columns; on a view-only page, all of
        them. Idempotent (an override that calls super passes here twice)."""
        names = list(self._swap(declared, self._people))
        if self._view_only(request, obj):
            names += [alias(n) for n in self._people if alias(n) not in names]
        return names

    # --- the object's own name -----------------------------------------------------------

    def object_label(self, obj: Any) -> str:
        """How a change page names its object (heading and breadcrumbs); an admin whose
        model's __str__ shows a user name overrides it with :func:`person_label`."""
        return str(obj)

    def render_change_form(
        self,
        request: HttpRequest,
        context: dict[str, Any],
        add: bool = False,
        change: bool = False,
        form_url: str = "",
        obj: Any = None,
    ) -> Any:
        if obj is not None:
            context["subtitle"] = context["object_label"] = self.object_label(obj)
        return super().render_change_form(  # type: ignore[misc]
            request, context, add=add, change=change, form_url=form_url, obj=obj
        )

    # --- lists ----------------------------------------------------------------------------

    def get_list_display(self, request: HttpRequest) -> Any:
        shown = super().get_list_display(request)  # type: ignore[misc]
        return self._swap(shown, self._people)

    def get_list_display_links(self, request: HttpRequest, list_display: Sequence[Any]) -> Any:
        links = super().get_list_display_links(request, list_display)  # type: ignore[misc]
        return None if links is None else self._swap(links, self._people)

    def get_list_select_related(self, request: HttpRequest) -> Any:
        # An explicit list, also when the admin said nothing: a bare select_related() would
        # drop the people's profiles (a reverse one-to-one) and cost a query per row.
        declared = super().get_list_select_related(request)  # type: ignore[misc]
        if declared is True:
            return True
        related = list(declared) if declared else []
        shown = super().get_list_display(request)  # type: ignore[misc]
        for name in shown:
            if not isinstance(name, str) or "__" in name:
                continue
            try:
                field = self.model._meta.get_field(name)
            except FieldDoesNotExist:  # a method or a property
                continue
            if name in self._people and not field.many_to_many:
                related.append(f"{name}__{PERSON_RELATED}")
            elif not declared and (field.many_to_one or field.one_to_one):
                related.append(name)
        return related

    # --- change forms ---------------------------------------------------------------------

    def get_queryset(self, request: HttpRequest) -> Any:
        queryset = super().get_queryset(request)  # type: ignore[misc]
        if not isinstance(self, InlineModelAdmin):
            # A change list joins its own list_select_related, and only when the queryset
            # has none yet (ChangeList.get_queryset): leave it to get_list_select_related.
            return queryset
        ones = [n for n, f in self._people.items() if not f.many_to_many]
        return queryset.select_related(*(f"{n}__{PERSON_RELATED}" for n in ones))

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        declared = super().get_readonly_fields(request, obj)  # type: ignore[misc]
        return self._people_readonly(declared, request, obj)

    get_readonly_fields.people_swapped = True  # type: ignore[attr-defined]

    def get_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        fields = super().get_fields(request, obj)  # type: ignore[misc]
        readonly = set(self.get_readonly_fields(request, obj))
        shown: list[Any] = []
        for name in fields:
            if isinstance(name, str) and name in self._people and alias(name) in readonly:
                name = alias(name)
            if name not in shown:
                shown.append(name)
        return shown

    def get_autocomplete_fields(self, request: HttpRequest) -> Any:
        declared = list(super().get_autocomplete_fields(request))  # type: ignore[misc]
        raw = set(getattr(self, "raw_id_fields", ()))
        searchable = [
            name
            for name in _big_fields(self.model)
            if name not in raw and name not in declared and self._searchable(name)
        ]
        return [*declared, *searchable]

    def _searchable(self, name: str) -> bool:
        target = self.model._meta.get_field(name).related_model
        target_admin = self.admin_site._registry.get(target)
        return bool(target_admin is not None and target_admin.search_fields)

    def formfield_for_foreignkey(
        self, db_field: models.ForeignKey, request: HttpRequest, **kwargs: Any
    ) -> Any:
        if db_field.related_model is User:
            db = kwargs.get("using")
            if db_field.name in self.get_autocomplete_fields(request):
                kwargs.setdefault(
                    "widget", PersonAutocompleteSelect(db_field, self.admin_site, using=db)
                )
            kwargs.setdefault("queryset", User.objects.select_related(PERSON_RELATED))
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)  # type: ignore[misc]
        if field is not None and db_field.related_model is User:
            field.label_from_instance = person_label
        return field

    def formfield_for_manytomany(
        self, db_field: models.ManyToManyField, request: HttpRequest, **kwargs: Any
    ) -> Any:
        if db_field.related_model is User:
            db = kwargs.get("using")
            if db_field.name in self.get_autocomplete_fields(request):
                kwargs.setdefault(
                    "widget",
                    PersonAutocompleteSelectMultiple(db_field, self.admin_site, using=db),
                )
            kwargs.setdefault("queryset", User.objects.select_related(PERSON_RELATED))
        field = super().formfield_for_manytomany(db_field, request, **kwargs)  # type: ignore[misc]
        if field is not None and db_field.related_model is User:
            field.label_from_instance = person_label
        return field


__all__ = [
    "BIG_MODELS",
    "PERSON_RELATED",
    "PeopleAdminMixin",
    "PersonAutocompleteJsonView",
    "alias",
    "person_fields",
    "person_label",
]
