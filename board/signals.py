"""What the board tells the apps above it (the lower app defines the interface).

``post_status_changed`` is sent by ``board.services`` INSIDE the transaction of the change,
after the post is saved, so a receiver's writes commit or roll back with it (a receiver that
raises undoes the change). It is sent once per change:

| service                         | when                                         | old → new            |
|---------------------------------|----------------------------------------------|----------------------|
| ``post_approve``                | a submitted or rejected post is approved     | → approved           |
| ``post_reject``                 | a submitted or approved post is rejected     | → rejected           |
| ``post_mark_duplicate``              | a post is marked a duplicate of an original  | unchanged (see below)|
| ``post_edit``                   | the author's edit sends an approved or       | → submitted          |
|                                 | rejected post back to review; a draft is     |                      |
|                                 | submitted                                    |                      |

Keyword arguments (``sender`` is :class:`board.models.Post`):

- ``post``: the :class:`~board.models.Post`, as saved;
- ``old_status``, ``new_status``: :class:`~board.models.PostStatus` values (for a duplicate
  mark both are the post's status: the status does not move, ``original`` says what did);
- ``by``: the user acting (reviewer, editor), or ``None``;
- ``at``: an aware datetime, when it happened;
- ``reason``: the rejection reason, ``""`` otherwise;
- ``original``: the original :class:`~board.models.Post` of a duplicate mark, else ``None``.

``proposals`` listens to move a staff proposal's lifecycle with its board post.
"""

from typing import Any

import django.dispatch
from django.db.models.signals import post_delete, post_save, pre_delete

from . import pagecache
from .models import Attachment, Comment, Post

post_status_changed = django.dispatch.Signal()


# --- The cached page parts follow the board's writes (board.pagecache) ---------------------
# Connected when the app is ready (board.apps): every save or delete of a post, a comment or
# an attachment moves the versions of the parts that show it.


def _post_written(sender: type[Post], instance: Post, **kwargs: Any) -> None:
    # A duplicate's page names its original (its title, and its link to a reader who may
    # open it): the copies' pages move with the original. On a delete this runs before the
    # copies' links are set to NULL (pre_delete), which sends no signal of its own.
    copies = Post.objects.filter(duplicate_of_id=instance.pk).values_list("pk", flat=True)
    pagecache.bump(areas=[instance.area], posts=[instance.pk, *copies])


def _comment_written(sender: type[Comment], instance: Comment, **kwargs: Any) -> None:
    # The list shows each post's comment count, the post page its comments. A comment deleted
    # with its post (a cascade) may come without it: the post's own delete moves its area.
    if Comment.post.is_cached(instance):
        area: str | None = instance.post.area
    else:
        area = Post.objects.filter(pk=instance.post_id).values_list("area", flat=True).first()
    pagecache.bump(areas=[area] if area else [], posts=[instance.post_id])


def _attachment_written(sender: type[Attachment], instance: Attachment, **kwargs: Any) -> None:
    pagecache.bump(posts=[instance.post_id])


def connect_page_parts() -> None:
    for model, receiver, deleted in (
        (Post, _post_written, pre_delete),
        (Comment, _comment_written, post_delete),
        (Attachment, _attachment_written, post_delete),
    ):
        post_save.connect(receiver, sender=model, dispatch_uid=f"board.pagecache.save.{model}")
        deleted.connect(receiver, sender=model, dispatch_uid=f"board.pagecache.delete.{model}")
