"""The bridge from a service's refusal to a view: a Korean error page, or a message."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from .errors import ServiceError

# A refusal because the state moved on (a stage closed, a round confirmed) is a conflict.
CONFLICT_CODES = frozenset({"conflict", "closed", "confirmed", "state"})


def message_error(request: HttpRequest, exc: ServiceError) -> None:
    """Show the refusal on the next page (for views that redirect after a POST)."""
    messages.error(request, str(exc))


class ServiceErrorMiddleware:
    """A ServiceError no view handled becomes a Korean page with its reason (400 or 409),
    never a 500: the request's transaction is rolled back by ATOMIC_REQUESTS first."""

    def __init__(self, get_response):  # type: ignore[no-untyped-def]
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, ServiceError):
            return None
        status = 409 if exception.code in CONFLICT_CODES else 400
        return render(
            request,
            "errors/service_error.html",
            {"reason": str(exception), "code": exception.code},
            status=status,
        )
