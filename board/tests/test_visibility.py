"""Visibility is written once (board.rules.post_visibility): the SQL of every list
(selectors.visible_posts) and the predicate of one post (board.view_post) must agree for every
role, status and author."""

import pytest
import rules
from django.contrib.auth.models import AnonymousUser

from board import selectors
from board.models import PostStatus
from board.tests.factories import PostFactory
from org.tests.factories import UserFactory, portal_admin, staff_user

pytestmark = pytest.mark.django_db


def test_the_list_filter_and_the_post_rule_agree_for_every_role_and_status() -> None:
    author, other = staff_user(), staff_user()
    admin = portal_admin()
    superuser = UserFactory(is_superuser=True)
    posts = [
        PostFactory(author=who, status=status, reject_reason="사유" if status == "rejected" else "")
        for who in (author, other, admin)
        for status in PostStatus.values
    ]
    for user in (author, other, admin, superuser, AnonymousUser()):
        by_sql = set(selectors.visible_posts(user).values_list("pk", flat=True))
        by_rule = {p.pk for p in posts if rules.has_perm("board.view_post", user, p)}
        assert by_sql == by_rule, user
    # And the rule says what the office decided.
    assert {p.status for p in posts if rules.has_perm("board.view_post", other, p)} >= {
        PostStatus.APPROVED
    }
    admins_view = {
        (p.author_id, p.status) for p in posts if rules.has_perm("board.view_post", admin, p)
    }
    assert (author.pk, PostStatus.DRAFT) not in admins_view
    assert (admin.pk, PostStatus.DRAFT) in admins_view
