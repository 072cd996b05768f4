"""Permissions: role × action × post status (and comment state)."""

import pytest
import rules
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser

from board.models import Comment, Post, PostStatus
from org.roles import Role

# Pure rule checks: unsaved users carry their roles in the group-name cache django-rules
# reads, so the 150 cases need no database. (test_views checks real users end to end.)
pytestmark = [pytest.mark.smoke]


def person(pk: int, *roles: Role, superuser: bool = False):
    user = get_user_model()(pk=pk, username=f"u{pk}", is_superuser=superuser)
    user._group_names_cache = {r.value for r in roles}
    return user


STATUSES = [s.value for s in PostStatus]


@pytest.fixture
def people():
    return {
        "author": person(1, Role.STAFF),
        "staff": person(2, Role.STAFF),
        "panel": person(3, Role.WORKING_PANEL, Role.STAFF),
        "admin": person(4, Role.PORTAL_ADMIN, Role.STAFF),
        "superuser": person(5, superuser=True),
        "anonymous": AnonymousUser(),
    }


def post_in(status: str, author, duplicate: bool = False) -> Post:
    # Unsaved: rules look only at fields.
    return Post(
        pk=99, author=author, status=status, area="docs", title="t",
        duplicate_of_id=1 if duplicate else None,
    )  # fmt: skip


# role -> statuses in which the role may view (draft, submitted, approved, rejected)
VIEW = {
    "author": {"draft", "submitted", "approved", "rejected"},
    "staff": {"approved"},
    "panel": {"approved"},
    "admin": {"submitted", "approved", "rejected"},
    "superuser": {"submitted", "approved", "rejected"},
    "anonymous": set(),
}
CHANGE = {
    "author": {"draft", "submitted", "approved", "rejected"},
    "staff": set(),
    "panel": set(),
    "admin": {"submitted", "approved", "rejected"},
    "superuser": {"submitted", "approved", "rejected"},
    "anonymous": set(),
}
REVIEW = {
    role: ({"submitted", "rejected"} if role in ("admin", "superuser") else set()) for role in VIEW
}
DUPLICATE = {
    role: ({"submitted", "approved", "rejected"} if role in ("admin", "superuser") else set())
    for role in VIEW
}
COMMENT = {role: (set() if role == "anonymous" else {"approved"}) for role in VIEW}


@pytest.mark.parametrize("role", list(VIEW))
@pytest.mark.parametrize("status", STATUSES)
@pytest.mark.parametrize(
    ("perm", "table"),
    [
        ("board.view_post", VIEW),
        ("board.change_post", CHANGE),
        ("board.review_post", REVIEW),
        ("board.mark_duplicate", DUPLICATE),
        ("board.comment_post", COMMENT),
    ],
)
def test_it_allows_post_actions_by_role_and_status(people, role, status, perm, table) -> None:
    post = post_in(status, people["author"])
    assert rules.has_perm(perm, people[role], post) is (status in table[role])


def test_the_author_cannot_edit_a_post_marked_duplicate_but_an_admin_can(people) -> None:
    post = post_in("approved", people["author"], duplicate=True)
    assert not rules.has_perm("board.change_post", people["author"], post)
    assert rules.has_perm("board.change_post", people["admin"], post)


@pytest.mark.parametrize("role", list(VIEW))
@pytest.mark.parametrize("removed", [False, True])
def test_it_allows_comment_edit_and_removal(people, role, removed) -> None:
    from django.utils import timezone

    comment = Comment(
        author=people["panel"], body="x", removed_at=timezone.now() if removed else None
    )
    is_owner = role == "panel"
    assert rules.has_perm("board.change_comment", people[role], comment) is (
        is_owner and not removed
    )
    may_remove = (is_owner or role in ("admin", "superuser")) and not removed
    assert rules.has_perm("board.remove_comment", people[role], comment) is may_remove


@pytest.mark.parametrize("role", list(VIEW))
def test_only_admins_open_the_review_queue_and_anyone_logged_in_writes(people, role) -> None:
    assert rules.has_perm("board.review_queue", people[role]) is (role in ("admin", "superuser"))
    assert rules.has_perm("board.add_post", people[role]) is (role != "anonymous")


@pytest.mark.parametrize("status", STATUSES)
def test_downloads_follow_the_view_rule(people, status) -> None:
    from board.models import Attachment

    attachment = Attachment(post=post_in(status, people["author"]))
    for role, allowed in VIEW.items():
        assert rules.has_perm("board.download_attachment", people[role], attachment) is (
            status in allowed
        )


@pytest.mark.parametrize("role", list(VIEW))
@pytest.mark.parametrize("status", STATUSES)
def test_the_review_page_status_box_and_comment_view_follow_role_and_status(
    people, role, status
) -> None:
    post = post_in(status, people["author"])
    is_admin = role in ("admin", "superuser")
    assert rules.has_perm("board.open_review", people[role], post) is (
        is_admin and status != "draft"
    )
    assert rules.has_perm("board.see_post_status", people[role], post) is (
        is_admin or role == "author"
    )
    comment = Comment(post=post, author=people["staff"], body="x")
    assert rules.has_perm("board.view_comment", people[role], comment) is (status in VIEW[role])
