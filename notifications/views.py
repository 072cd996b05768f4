from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .models import Notification
from .selectors import notifications_for, unread_count
from .services import notification_mark_all_read, notification_mark_read

PAGE_SIZE = 30


def _user(request: HttpRequest) -> User:
    """The logged-in person (the views are ``login_required``)."""
    user = request.user
    if not isinstance(user, User):
        raise PermissionDenied
    return user


@login_required
def index(request: HttpRequest) -> HttpResponse:
    page = Paginator(notifications_for(user=_user(request)), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "notifications/index.html",
        {"page_obj": page, "unread": unread_count(user=request.user)},
    )


@login_required
def open_notification(request: HttpRequest, pk: int) -> HttpResponse:
    """Follow a notification's link, marking it read (idempotent, so a GET is acceptable)."""
    notification = get_object_or_404(Notification, pk=pk, recipient=request.user)
    notification_mark_read(notification=notification, user=_user(request))
    target = notification.url
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect("notifications:index")


@login_required
@require_POST
def mark_all_read(request: HttpRequest) -> HttpResponse:
    count = notification_mark_all_read(user=_user(request))
    messages.success(request, _("알림 %(count)d건을 읽음으로 표시했습니다.") % {"count": count})
    return redirect("notifications:index")
