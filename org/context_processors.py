from django.http import HttpRequest

from .rules import is_portal_admin


def portal(request: HttpRequest) -> dict[str, object]:
    """What the layout needs on every page: whether to show the admin links."""
    user = getattr(request, "user", None)
    return {"user_is_portal_admin": bool(user and is_portal_admin(user))}
