"""The portal's URLs plus views that fail on purpose, for the error page tests."""

from django.core.exceptions import BadRequest, PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.urls import path

from jisik_portal.urls import urlpatterns as portal_urlpatterns


def refuse(request: HttpRequest) -> HttpResponse:
    raise PermissionDenied("총무만 월별 활동보고서를 제출할 수 있습니다.")


def refuse_silently(request: HttpRequest) -> HttpResponse:
    raise PermissionDenied


def bad(request: HttpRequest) -> HttpResponse:
    raise BadRequest("bad input")


def crash(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("boom")


urlpatterns = [
    *portal_urlpatterns,
    path("__errors__/403/", refuse),
    path("__errors__/403-plain/", refuse_silently),
    path("__errors__/400/", bad),
    path("__errors__/500/", crash),
]
