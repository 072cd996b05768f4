from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from programme.forms import PlanActivityForm
from programme.models import PlanActivity, PlanYear
from programme.selectors import calendar, knowledge_day_months, plan_for
from programme.services import plan_year_ensure
from proposals.models import HistoricalStatistic

pytestmark = pytest.mark.django_db


@pytest.mark.smoke
def test_the_2016_and_2026_plans_come_with_the_migrations() -> None:
    for year in (2016, 2026):
        plan = plan_for(year=year)
        assert plan is not None
        months = {a.code: a.months for a in plan.activities.all()}
        assert months["knowledge_day"] == [3, 6, 9]
        assert months["theme_proposals"] == [4, 10]
        assert months["review_committee"] == [5, 11]
        assert months["clubs"] == list(range(2, 13))
        assert months["policy_contest"] == [8, 9, 10]
        assert len(months) == 11
    assert PlanYear.objects.get(year=2016).budget_thousand_won == 31_945
    assert PlanActivity.objects.get(plan__year=2026, code="plan").name == "2026 창의구정 추진계획"


def test_the_2015_figures_come_with_the_migrations() -> None:
    # One copy of the history: the proposals app's table, which the dashboard reads.
    figures = {(f.year, f.half): f for f in HistoricalStatistic.objects.all()}
    assert figures[(2015, 1)].total == 207
    assert figures[(2015, 1)].residents + figures[(2015, 1)].staff == 207
    assert figures[(2015, 2)].residents + figures[(2015, 2)].staff == 177
    assert figures[(2014, 0)].total == 327
    assert figures[(2015, 1)].total + figures[(2015, 2)].total == 384


def test_a_new_year_copies_the_latest_plan_as_admins_left_it() -> None:
    latest = PlanYear.objects.get(year=2026)
    latest.activities.filter(code="knowledge_day").update(months=[3, 6, 9, 12])
    plan, created = plan_year_ensure(year=2027)
    assert created
    months = {a.code: a.months for a in plan.activities.all()}
    assert months["knowledge_day"] == [3, 6, 9, 12]
    assert plan.activities.get(code="plan").name == "2027 창의구정 추진계획"
    again, created_again = plan_year_ensure(year=2027)
    assert again == plan and not created_again
    assert plan.activities.count() == 11


def test_a_first_year_gets_the_standard_table() -> None:
    plan, created = plan_year_ensure(year=2010)
    assert created and plan.activities.count() == 11
    assert plan.activities.get(code="plan").name == "2010 창의구정 추진계획"


def test_knowledge_day_months_follow_the_plan() -> None:
    PlanActivity.objects.filter(plan__year=2026, code="knowledge_day").update(months=[4, 8])
    assert knowledge_day_months(year=2026) == [4, 8]
    assert knowledge_day_months(year=2031) == [3, 6, 9]  # no plan: the standard months


def test_the_calendar_marks_months_by_row_and_by_column() -> None:
    plan = plan_for(year=2026)
    rows, columns = calendar(plan=plan, today=date(2026, 6, 10))
    row = next(r for r in rows if r.activity.code == "knowledge_day")
    assert [i + 1 for i, on in enumerate(row.cells) if on] == [3, 6, 9]
    assert row.label == "3·6·9월"
    june = columns[5]
    assert june.month == 6 and june.is_current
    assert {a.code for a in june.activities} == {
        "clubs", "knowledge_day", "proposals", "benchmarking"
    }  # fmt: skip
    assert not columns[4].is_current


def test_an_activity_code_is_unique_in_a_plan_but_may_be_empty() -> None:
    plan = PlanYear.objects.get(year=2026)
    PlanActivity.objects.create(plan=plan, name="워크숍", months=[7])
    PlanActivity.objects.create(plan=plan, name="간담회", months=[8])
    with pytest.raises(IntegrityError):
        PlanActivity.objects.create(plan=plan, code="knowledge_day", name="x", months=[1])


def test_months_must_be_calendar_months() -> None:
    plan = PlanYear.objects.get(year=2026)
    for months in ([], [0], [13], "3"):
        with pytest.raises(ValidationError):
            PlanActivity(plan=plan, name="x", months=months).full_clean()


def test_the_admin_form_takes_months_as_checkboxes() -> None:
    form = PlanActivityForm(data={"order": 1, "code": "", "name": "워크숍", "months": ["9", "3"]})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["months"] == [3, 9]
    assert not PlanActivityForm(data={"order": 1, "name": "워크숍", "months": []}).is_valid()
