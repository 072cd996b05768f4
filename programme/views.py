from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from common.access import allowed, require
from org.files import generated_download

from . import dashboard, selectors
from .charts import Chart, bar_chart
from .exports import dashboard_workbook

DASHBOARD_REASON = gettext_lazy(
    "지식나눔 현황은 포털 관리자(기획예산과 혁신평가팀)만 볼 수 있습니다."
)


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
            "can_edit": allowed(request.user, "programme.change_plan"),
        },
    )


def _dashboard_year(request: HttpRequest) -> int:
    today = timezone.localdate()
    try:
        year = int(request.GET.get("year", today.year))
    except ValueError:
        return today.year
    return year if 2000 <= year <= today.year + 1 else today.year


def _charts(tables: list[dashboard.Table]) -> list[tuple[dashboard.Table, Chart | None]]:
    out: list[tuple[dashboard.Table, Chart | None]] = []
    for table in tables:
        chart = None
        if table.chart and table.rows:
            rows = [r for r in table.rows if r[0] != _("합계")]
            series = [
                (table.columns[j], [values[j] for _label, values in rows])
                for j in range(table.chart_columns)
            ]
            chart = bar_chart([label for label, _v in rows], series, unit=table.unit)
        out.append((table, chart))
    return out


@login_required
def dashboard_page(request: HttpRequest) -> HttpResponse:
    """The admins' dashboard: this year against last, charts with their numbers as tables."""
    require(request.user, "programme.view_dashboard", reason=DASHBOARD_REASON)
    year = _dashboard_year(request)
    snapshot = dashboard.dashboard_snapshot(year=year, fresh=request.GET.get("fresh") == "1")
    return render(
        request,
        "programme/dashboard.html",
        {
            "year": year,
            "computed_at": snapshot.computed_at,
            "sections": _charts(snapshot.tables),
            "years": range(timezone.localdate().year, 2015, -1),
        },
    )


@login_required
def dashboard_export(request: HttpRequest) -> HttpResponse:
    require(request.user, "programme.view_dashboard", reason=DASHBOARD_REASON)
    year = _dashboard_year(request)
    snapshot = dashboard.dashboard_snapshot(year=year)
    content = dashboard_workbook(year=year, tables=snapshot.tables)
    return generated_download(content, filename=f"jisik-dashboard-{year}.xlsx")
