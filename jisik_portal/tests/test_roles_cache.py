"""The roles cache (issue 14's fixed cost): no page queries auth_group for the layout's role
check, and a change of roles is seen on the next page, whichever side it is made from."""

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from jisik_portal import roles_cache
from org.roles import Role
from org.services import roles_ensure
from org.tests.factories import staff_user

ADMIN_LINK = 'href="/admin/"'


def _get(client: Client, url: str = "/notifications/") -> tuple[str, list[str]]:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return response.content.decode(), [q["sql"] for q in ctx.captured_queries]


@pytest.fixture
def person(client: Client):
    user = staff_user(roles=[Role.STAFF])
    client.force_login(user)
    return user


@pytest.mark.django_db
def test_a_page_reads_the_roles_from_the_cache(client: Client, person: object) -> None:
    _get(client)
    body, queries = _get(client)
    assert not [q for q in queries if "auth_group" in q]
    assert ADMIN_LINK not in body
    assert roles_cache.role_names(person) == {Role.STAFF}  # type: ignore[arg-type]


@pytest.mark.django_db
def test_a_role_added_from_either_side_shows_on_the_next_page(
    client: Client, person: object
) -> None:
    groups = roles_ensure()
    _get(client)
    person.groups.add(groups[Role.PORTAL_ADMIN])  # type: ignore[attr-defined]
    body, _ = _get(client)
    assert ADMIN_LINK in body
    groups[Role.PORTAL_ADMIN].user_set.remove(person)
    body, _ = _get(client)
    assert ADMIN_LINK not in body
    groups[Role.PORTAL_ADMIN].user_set.add(person)
    assert ADMIN_LINK in _get(client)[0]
    groups[Role.PORTAL_ADMIN].user_set.clear()
    assert ADMIN_LINK not in _get(client)[0]


@pytest.mark.django_db
def test_a_renamed_or_deleted_group_is_seen_at_once(client: Client, person: object) -> None:
    groups = roles_ensure()
    person.groups.add(groups[Role.PORTAL_ADMIN])  # type: ignore[attr-defined]
    assert ADMIN_LINK in _get(client)[0]
    renamed = groups[Role.PORTAL_ADMIN]
    renamed.name = "옛 관리자"
    renamed.save()
    assert ADMIN_LINK not in _get(client)[0]
    renamed.name = Role.PORTAL_ADMIN
    renamed.save()
    assert ADMIN_LINK in _get(client)[0]
    Group.objects.filter(pk=renamed.pk).delete()
    assert ADMIN_LINK not in _get(client)[0]


@pytest.mark.django_db
def test_a_new_user_never_inherits_names_cached_under_its_id() -> None:
    """SQLite reuses the ids of rolled-back or deleted rows; the cache must not outlive them."""
    reused = staff_user(roles=[Role.STAFF]).pk + 1000
    roles_cache.cache.set(roles_cache._key(reused), frozenset({Role.PORTAL_ADMIN}), 60)
    newcomer = staff_user(roles=[Role.STAFF], id=reused)
    assert newcomer.pk == reused
    assert roles_cache.role_names(newcomer) == {Role.STAFF}
