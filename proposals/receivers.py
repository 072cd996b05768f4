"""What proposals does when the board tells it something (``board.signals``)."""

from datetime import datetime
from typing import Any

from django.contrib.auth.models import User
from django.dispatch import receiver

from board.models import Post
from board.signals import post_status_changed

from .services import proposal_board_step


@receiver(post_status_changed, sender=Post, dispatch_uid="proposals.board_step")
def board_post_status_changed(
    sender: type[Post], *, post: Post, old_status: str, new_status: str, by: User | None,
    at: datetime, reason: str = "", original: Post | None = None, **kwargs: Any,
) -> None:  # fmt: skip
    """A 창의제안 post was approved, rejected, sent back to review or marked a duplicate: its
    staff proposal takes the same step, inside the board's transaction."""
    proposal_board_step(
        post=post, new_status=new_status, by=by, reason=reason, original=original, at=at
    )
