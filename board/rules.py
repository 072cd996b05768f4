"""Who may do what on the board (django-rules). Object permissions take a Post, a Comment
or an Attachment; the state (status, removed, duplicate) is part of each rule.

| permission                | who                                                        |
|---------------------------|------------------------------------------------------------|
| board.add_post            | any logged-in user                                         |
| board.view_post           | approved: any logged-in user; otherwise the author; admins |
|                           | see every non-draft post                                   |
| board.change_post         | the author (unless marked duplicate); admins (not drafts)  |
| board.review_post         | admins, a submitted or rejected post (approve / reject)    |
| board.mark_duplicate      | admins, any non-draft post                                 |
| board.comment_post        | any logged-in user, an approved post                       |
| board.change_comment      | the comment's author, while not removed                    |
| board.remove_comment      | the comment's author or an admin, while not removed        |
| board.download_attachment | whoever may view the post                                  |
| board.review_queue        | admins                                                     |
"""

import rules

from org.rules import is_authenticated, is_portal_admin

from .models import PostStatus


@rules.predicate
def is_post_author(user: object, post: object) -> bool:
    return post is not None and getattr(user, "pk", None) == post.author_id


@rules.predicate
def is_approved(user: object, post: object) -> bool:
    return post is not None and post.status == PostStatus.APPROVED


@rules.predicate
def is_draft(user: object, post: object) -> bool:
    return post is not None and post.status == PostStatus.DRAFT


@rules.predicate
def is_reviewable(user: object, post: object) -> bool:
    return post is not None and post.status in (PostStatus.SUBMITTED, PostStatus.REJECTED)


@rules.predicate
def is_marked_duplicate(user: object, post: object) -> bool:
    return post is not None and post.duplicate_of_id is not None


@rules.predicate
def is_comment_author(user: object, comment: object) -> bool:
    return comment is not None and getattr(user, "pk", None) == comment.author_id


@rules.predicate
def is_comment_removed(user: object, comment: object) -> bool:
    return comment is not None and comment.removed_at is not None


@rules.predicate
def can_view_attachment_post(user: object, attachment: object) -> bool:
    return attachment is not None and can_view_post.test(user, attachment.post)


can_view_post = is_authenticated & (is_approved | is_post_author | (is_portal_admin & ~is_draft))

rules.add_perm("board.add_post", is_authenticated)
rules.add_perm("board.view_post", can_view_post)
rules.add_perm(
    "board.change_post",
    is_authenticated & ((is_post_author & ~is_marked_duplicate) | (is_portal_admin & ~is_draft)),
)
rules.add_perm("board.review_post", is_portal_admin & is_reviewable)
rules.add_perm("board.mark_duplicate", is_portal_admin & ~is_draft)
rules.add_perm("board.comment_post", is_authenticated & is_approved)
rules.add_perm("board.change_comment", is_comment_author & ~is_comment_removed)
rules.add_perm("board.remove_comment", (is_comment_author | is_portal_admin) & ~is_comment_removed)
rules.add_perm("board.download_attachment", can_view_attachment_post)
rules.add_perm("board.review_queue", is_portal_admin)
