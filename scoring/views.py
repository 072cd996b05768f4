"""Thin views: check permission, read through selectors, render."""

from typing import Any

from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.core.paginator import Page, Paginator
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from common import periods
from common.access import allowed, require
from downloads.services import download_request

from .exports import ranking_csv
from .forms import PERIOD_KINDS, VIEWS, PeriodChoice, PeriodForm
from .selectors import department_ranking, leaderboard, my_lines, my_score

LINES_PER_PAGE = 50
LEADERBOARD_SIZE = 50


def _period(request: HttpRequest) -> PeriodChoice:
    return PeriodForm(request.GET).selection(periods.local_date(timezone.now()))


def _user(request: HttpRequest) -> User:
    """The logged-in person (every view here is behind ``login_required``)."""
    user = request.user
    if not isinstance(user, User):  # pragma: no cover - login_required ran first
        raise PermissionDenied
    return user


@login_required
def me(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    require(user, "scoring.view_own_score")
    score = my_score(user=user)
    lines = Paginator(
        my_lines(user=user, year=score.year, quarter=score.quarter), LINES_PER_PAGE
    ).get_page(request.GET.get("page"))
    return render(request, "scoring/me.html", {"score": score, "page_obj": lines})


@login_required
def leaderboard_view(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    require(user, "scoring.view_leaderboard")
    choice = _period(request)
    number = request.GET.get("page")
    page: Page[Any] | None
    if choice.view == "departments":
        board = None
        # Every department is ranked (a few hundred at most); the page shows 50 of them.
        page = Paginator(department_ranking(**choice.kwargs), LEADERBOARD_SIZE).get_page(number)
        departments = list(page.object_list)
    else:
        departments = None
        board = leaderboard(**choice.kwargs, page=number, per_page=LEADERBOARD_SIZE)
        page = board.page
    tabs = [
        (kind, label, choice.query(period=kind), kind == choice.kind)
        for kind, label in PERIOD_KINDS
    ]
    views = [(view, label, choice.query(view=view), view == choice.view) for view, label in VIEWS]
    return render(
        request,
        "scoring/leaderboard.html",
        {
            "board": board,
            "choice": choice,
            "form": PeriodForm(),
            "tabs": tabs,
            "views": views,
            "departments": departments,
            "page": page,
            "query": choice.query(),
            "title": choice.title,
            "can_export": allowed(user, "scoring.export_ranking"),
        },
    )


@login_required
def export(request: HttpRequest) -> HttpResponse:
    """The Excel workbook is built in the background (50,000 people take seconds): the page
    of the download shows its progress, then the link."""
    require(_user(request), "scoring.export_ranking")
    choice = _period(request)
    download = download_request(
        user=_user(request),
        kind="scoring.ranking_xlsx",
        params={**choice.kwargs, "title": choice.title},
    )
    return redirect("downloads:detail", download.pk)


@login_required
def export_csv(request: HttpRequest) -> StreamingHttpResponse:
    """The same ranking as CSV, streamed: 50,000 people start downloading at once."""
    require(_user(request), "scoring.export_ranking")
    choice = _period(request)
    response = StreamingHttpResponse(
        ranking_csv(**choice.kwargs), content_type="text/csv; charset=utf-8"
    )
    key = periods.period(**choice.kwargs).key
    response["Content-Disposition"] = f'attachment; filename="changuiwang-{key}.csv"'
    return response
