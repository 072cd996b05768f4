from django.contrib.auth.models import User
from django.http import HttpRequest, HttpResponse, HttpResponseForbidden
from django.middleware.csrf import REASON_NO_CSRF_COOKIE
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from .home import today_for


def home(request: HttpRequest) -> HttpResponse:
    """Staff see what is theirs today; residents (not logged in) find the public form."""
    user = request.user
    today = today_for(user=user) if isinstance(user, User) else None
    return render(request, "home.html", {"home": today})


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """``CSRF_FAILURE_VIEW``: the portal's Korean 403 page instead of Django's English one.
    Django's ``reason`` is English and technical; the page says what it means for the person."""
    if reason == REASON_NO_CSRF_COOKIE:
        hint = _("브라우저가 보안 쿠키를 보내지 않았습니다. 쿠키가 허용되어 있는지 확인해 주세요.")
    else:
        hint = _("보낸 화면이 오래되어 보안 확인 값이 맞지 않습니다.")
    body = render_to_string("403_csrf.html", {"hint": hint}, request=request)
    return HttpResponseForbidden(body)
