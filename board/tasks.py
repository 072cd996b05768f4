"""Celery tasks of the board: take ids, call a service (tasks → services only)."""

from datetime import datetime

from celery import shared_task

from .services import VIEW_TASK, VIEWS_DRAIN_TASK, post_view_record_by_id, post_views_drain


# No result is kept: nobody waits for one, and with the Redis result backend a kept result
# costs a write on the worker and, on the sender, a subscription to the task's channel.
@shared_task(name=VIEW_TASK, ignore_result=True)
def post_view_record_task(post_id: int, viewer_id: int, at: str) -> int | None:
    """Record one reader's knowledge view of a post, as of when they opened the page (after
    the page's transaction committed). Safe to run twice: returns the view's id, or None."""
    view = post_view_record_by_id(
        post_id=post_id, viewer_id=viewer_id, at=datetime.fromisoformat(at)
    )
    return view.pk if view is not None else None


@shared_task(name=VIEWS_DRAIN_TASK, ignore_result=True)
def post_views_drain_task() -> int:
    """Record the views waiting in the cache's list, in batches, until it is empty (handed
    over by the view that found the list empty). Safe to run twice, or two at once."""
    return post_views_drain()
