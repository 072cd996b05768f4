"""A person's role names (auth groups) cached for a short time, for every page's role checks.

django-rules' group predicates (``org.rules``) read ``user._group_names_cache`` and otherwise
query ``auth_group`` once per request; the layout checks a role on every page (the admin
links), so every logged-in page paid that query. ``CachedRolesMiddleware`` fills the
attribute from the cache (Redis in production) when the user is loaded, so the predicates
of the whole request use it and no page queries the groups.

A change of roles is seen at once: adding or removing a group (from either side), clearing a
group, renaming or deleting it, and creating or deleting a user drop the cached names of the
people concerned, right away and again after the transaction commits (a request in between
may have cached the old names). Anything else (raw SQL) is seen within ``ROLE_CACHE_SECONDS``.
A login fills the cache, so a session's pages all read it (and count the same queries).
"""

from collections.abc import Callable, Iterable

from django.contrib.auth.middleware import get_user
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser, Group, User
from django.contrib.auth.signals import user_logged_in
from django.core.cache import cache
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete
from django.http import HttpRequest, HttpResponse
from django.utils.functional import SimpleLazyObject

from common.cache import forget_now_and_on_commit

ROLE_CACHE_SECONDS = 60


def _key(user_id: object) -> str:
    return f"portal:roles:{user_id}"


def role_names(user: User) -> frozenset[str]:
    """The names of the groups ``user`` is in, from the cache when fresh."""
    names = cache.get(_key(user.pk))
    if names is None:
        names = frozenset(user.groups.values_list("name", flat=True))
        cache.set(_key(user.pk), names, ROLE_CACHE_SECONDS)
    return frozenset(names)


def forget(user_ids: Iterable[object]) -> None:
    """Drop the cached names of these people, now and once the transaction commits."""
    forget_now_and_on_commit([_key(pk) for pk in set(user_ids) if pk is not None])


def _with_roles(user: AbstractBaseUser | AnonymousUser) -> AbstractBaseUser | AnonymousUser:
    if isinstance(user, User) and not hasattr(user, "_group_names_cache"):
        # rules' is_group_member reads this set instead of querying.
        user._group_names_cache = set(role_names(user))  # type: ignore[attr-defined]
    return user


class CachedRolesMiddleware:
    """After AuthenticationMiddleware: the lazily loaded user comes with its cached roles."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if hasattr(request, "session"):
            request.user = SimpleLazyObject(lambda: _with_roles(get_user(request)))  # type: ignore[assignment]
        return self.get_response(request)


# --- Invalidation (connected in jisik_portal.apps.PortalConfig.ready) ----------------------------


def groups_changed(
    sender: object,
    instance: object,
    action: str,
    reverse: bool,
    pk_set: set | None,
    **kwargs: object,
) -> None:
    """m2m_changed of User.groups, from the user's side or the group's."""
    if action not in ("post_add", "post_remove", "pre_clear", "post_clear"):
        return
    if not reverse:
        forget([getattr(instance, "pk", None)])
    elif pk_set:
        forget(pk_set)
    elif action == "pre_clear" and isinstance(instance, Group):
        forget(instance.user_set.values_list("pk", flat=True))


def group_saved_or_deleted(sender: object, instance: Group, **kwargs: object) -> None:
    """A group renamed (post_save) or about to be deleted (pre_delete): its members' names."""
    if instance.pk is not None:
        forget(instance.user_set.values_list("pk", flat=True))


def user_created_or_deleted(sender: object, instance: User, **kwargs: object) -> None:
    """A new or deleted user: never inherit names cached under a reused id (SQLite reuses)."""
    if kwargs.get("created", True):
        forget([instance.pk])


def logged_in(sender: object, request: HttpRequest, user: User, **kwargs: object) -> None:
    """A login fills the cache afresh, so even the first page after it queries no group."""
    cache.delete(_key(user.pk))
    role_names(user)


def connect_invalidation() -> None:
    user_logged_in.connect(logged_in, dispatch_uid="roles.logged_in")
    m2m_changed.connect(groups_changed, sender=User.groups.through, dispatch_uid="roles.m2m")
    post_save.connect(group_saved_or_deleted, sender=Group, dispatch_uid="roles.group_save")
    pre_delete.connect(group_saved_or_deleted, sender=Group, dispatch_uid="roles.group_delete")
    post_save.connect(user_created_or_deleted, sender=User, dispatch_uid="roles.user_save")
    post_delete.connect(user_created_or_deleted, sender=User, dispatch_uid="roles.user_delete")
