"""Who may do what on the board (django-rules). Object permissions take a Post, a Comment
or an Attachment; the state (status, removed, duplicate) is part of each rule.

| permission                | who                                                        |
|---------------------------|------------------------------------------------------------|
| board.add_post            | any logged-in user                                         |
| board.view_post           | approved: any logged-in user; otherwise the author; admins |
|                           | see every non-draft post (:func:`post_visibility`)         |
| board.change_post         | the author (unless marked duplicate); admins (not drafts)  |
| board.review_post         | admins, a submitted or rejected post (approve / reject)    |
| board.post_mark_duplicate      | admins, any non-draft post                                 |
| board.comment_post        | any logged-in user, an approved post                       |
| board.view_comment        | whoever may view the comment's post                        |
| board.change_comment      | the comment's author, while not removed                    |
| board.comment_remove      | the comment's author or an admin, while not removed        |
| board.download_attachment | whoever may view the post                                  |
| board.review_queue        | admins                                                     |
| board.open_review         | admins, any non-draft post (the review page)               |
| board.see_post_status     | the author and admins (status, reason, revision history)   |

Who sees which post is written once, in :func:`post_visibility`: the predicate
``can_view_post`` reads it for one post and ``board.selectors.visible_posts`` turns it into
the SQL filter of every list (a test checks they agree on every role, status and author).
"""

from dataclasses import dataclass

import rules
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

from org.rules import is_authenticated, is_portal_admin

from .models import Attachment, Comment, Post, PostStatus

UserLike = AbstractBaseUser | AnonymousUser


@dataclass(frozen=True)
class Visibility:
    """Which posts a user may open: others' posts in ``statuses``, and their own posts in
    any status when ``own`` (a draft is its author's alone)."""

    statuses: frozenset[str]
    own: bool


NOTHING = Visibility(frozenset(), own=False)
STAFF = Visibility(frozenset({PostStatus.APPROVED}), own=True)
ADMIN = Visibility(
    frozenset({PostStatus.SUBMITTED, PostStatus.APPROVED, PostStatus.REJECTED}), own=True
)


def post_visibility(user: UserLike | None) -> Visibility:
    """THE visibility rule of the board: anonymous users see nothing; staff see approved
    posts and their own in any status; admins every post but others' drafts."""
    if user is None or not user.is_authenticated:
        return NOTHING
    return ADMIN if is_portal_admin(user) else STAFF


def _user_pk(user: UserLike | None) -> object:
    return getattr(user, "pk", None)


@rules.predicate
def can_view_post(user: UserLike | None, post: Post | None) -> bool:
    if post is None:
        return False
    seen = post_visibility(user)
    return post.status in seen.statuses or (seen.own and _user_pk(user) == post.author_id)


@rules.predicate
def is_post_author(user: UserLike | None, post: Post | None) -> bool:
    return post is not None and _user_pk(user) == post.author_id


@rules.predicate
def is_approved(user: UserLike | None, post: Post | None) -> bool:
    return post is not None and post.status == PostStatus.APPROVED


@rules.predicate
def is_draft(user: UserLike | None, post: Post | None) -> bool:
    return post is not None and post.status == PostStatus.DRAFT


@rules.predicate
def is_reviewable(user: UserLike | None, post: Post | None) -> bool:
    return post is not None and post.status in (PostStatus.SUBMITTED, PostStatus.REJECTED)


@rules.predicate
def is_marked_duplicate(user: UserLike | None, post: Post | None) -> bool:
    return post is not None and post.duplicate_of_id is not None


@rules.predicate
def is_comment_author(user: UserLike | None, comment: Comment | None) -> bool:
    return comment is not None and _user_pk(user) == comment.author_id


@rules.predicate
def is_comment_removed(user: UserLike | None, comment: Comment | None) -> bool:
    return comment is not None and comment.removed_at is not None


@rules.predicate
def can_view_comment_post(user: UserLike | None, comment: Comment | None) -> bool:
    return comment is not None and bool(can_view_post.test(user, comment.post))


@rules.predicate
def can_view_attachment_post(user: UserLike | None, attachment: Attachment | None) -> bool:
    return attachment is not None and bool(can_view_post.test(user, attachment.post))


rules.add_perm("board.add_post", is_authenticated)
rules.add_perm("board.view_post", can_view_post)
rules.add_perm(
    "board.change_post",
    is_authenticated & ((is_post_author & ~is_marked_duplicate) | (is_portal_admin & ~is_draft)),
)
rules.add_perm("board.review_post", is_portal_admin & is_reviewable)
rules.add_perm("board.mark_duplicate", is_portal_admin & ~is_draft)
rules.add_perm("board.comment_post", is_authenticated & is_approved)
rules.add_perm("board.view_comment", can_view_comment_post)
rules.add_perm("board.change_comment", is_comment_author & ~is_comment_removed)
rules.add_perm("board.remove_comment", (is_comment_author | is_portal_admin) & ~is_comment_removed)
rules.add_perm("board.download_attachment", can_view_attachment_post)
rules.add_perm("board.review_queue", is_portal_admin)
rules.add_perm("board.open_review", is_portal_admin & ~is_draft)
rules.add_perm("board.see_post_status", is_authenticated & (is_post_author | is_portal_admin))
