"""Keep an account an admin gave a password on the change page until it chooses its own."""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from .views import MUST_CHANGE_SESSION_KEY


class PasswordChangeRequiredMiddleware:
    """Reads only the session (no query per request): LoginView sets the flag."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        session = getattr(request, "session", None)
        if session is not None and session.get(MUST_CHANGE_SESSION_KEY):
            allowed = (
                reverse("password_change"),
                reverse("password_change_done"),
                reverse("logout"),
                settings.STATIC_URL,
            )
            if not request.path.startswith(allowed):
                return redirect("password_change")
        return self.get_response(request)
