from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from org.rules import is_portal_admin

from . import selectors


@login_required
def calendar(request: HttpRequest, year: int | None = None) -> HttpResponse:
    """The year plan as the plan's schedule table 일정별 추진 계획."""
    today = timezone.localdate()
    years = selectors.plan_years()
    if year is None:
        year = today.year if today.year in years or not years else years[0]
    plan = selectors.plan_for(year=year)
    if plan is None and year != today.year:
        raise Http404
    rows, columns = selectors.calendar(plan=plan, today=today) if plan else ([], [])
    return render(
        request,
        "programme/calendar.html",
        {
            "plan": plan,
            "year": year,
            "years": years,
            "rows": rows,
            "columns": columns,
            "months": range(1, 13),
            "current_month": today.month if year == today.year else None,
            "can_edit": is_portal_admin(request.user),
        },
    )
