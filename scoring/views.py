"""Thin views: check permission, read through selectors, render."""

from django.contrib.auth.decorators import login_required, permission_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from . import calculations as calc
from .exports import ranking_workbook
from .forms import QuarterForm
from .selectors import leaderboard, my_lines, my_score

LINES_PER_PAGE = 50
LEADERBOARD_SIZE = 50


def _quarter(request: HttpRequest) -> tuple[int, int, QuarterForm]:
    year, quarter = calc.quarter_of(calc.month_of(timezone.now()))
    form = QuarterForm(request.GET or {"year": year, "quarter": quarter})
    if form.is_valid():
        year, quarter = form.cleaned_data["year"], form.cleaned_data["quarter"]
    else:  # an out-of-range year in the URL: show the current quarter, not an error page
        form = QuarterForm({"year": year, "quarter": quarter})
        form.is_valid()
    return year, quarter, form


@login_required
def me(request: HttpRequest) -> HttpResponse:
    score = my_score(user=request.user)
    lines = Paginator(
        my_lines(user=request.user, year=score.year, quarter=score.quarter), LINES_PER_PAGE
    ).get_page(request.GET.get("page"))
    return render(request, "scoring/me.html", {"score": score, "page_obj": lines})


@login_required
def leaderboard_view(request: HttpRequest) -> HttpResponse:
    year, quarter, form = _quarter(request)
    board = leaderboard(year=year, quarter=quarter, limit=LEADERBOARD_SIZE)
    return render(
        request,
        "scoring/leaderboard.html",
        {
            "board": board,
            "form": form,
            "can_export": request.user.has_perm("scoring.export_ranking"),
        },
    )


@login_required
@permission_required("scoring.export_ranking", raise_exception=True)
def export(request: HttpRequest) -> HttpResponse:
    year, quarter, _form = _quarter(request)
    response = HttpResponse(
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="changuiwang-{year}-Q{quarter}.xlsx"'
    ranking_workbook(year=year, quarter=quarter).save(response)
    return response
