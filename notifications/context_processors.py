from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from .selectors import unread_count


def unread(request: HttpRequest) -> dict[str, object]:
    """The unread badge in the layout; lazy, so a page that doesn't render it costs no query."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"notifications_unread": 0}
    return {"notifications_unread": SimpleLazyObject(lambda: unread_count(user=user))}
