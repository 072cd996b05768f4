import pytest
from django.test import Client
from django.urls import reverse

from org.tests.factories import portal_admin
from programme.jobs import job_run
from programme.models import JobRun, PlanActivity, PlanYear

pytestmark = pytest.mark.django_db


def test_an_admin_edits_a_years_months_with_checkboxes(client: Client) -> None:
    client.force_login(portal_admin())
    plan = PlanYear.objects.get(year=2026)
    url = reverse("admin:programme_planyear_change", args=[plan.pk])
    body = client.get(url).content.decode()
    assert 'type="checkbox" name="activities-0-months"' in body
    activities = list(plan.activities.all())
    data = {
        "year": 2026, "title": plan.title, "budget_thousand_won": "", "note": "",
        "activities-TOTAL_FORMS": len(activities), "activities-INITIAL_FORMS": len(activities),
        "activities-MIN_NUM_FORMS": 0, "activities-MAX_NUM_FORMS": 1000,
    }  # fmt: skip
    for i, a in enumerate(activities):
        data |= {
            f"activities-{i}-id": a.pk, f"activities-{i}-plan": plan.pk,
            f"activities-{i}-order": a.order, f"activities-{i}-code": a.code,
            f"activities-{i}-name": a.name, f"activities-{i}-note": a.note,
            f"activities-{i}-months": [12] if a.code == "knowledge_day" else a.months,
        }  # fmt: skip
    response = client.post(url, data)
    assert response.status_code == 302
    assert PlanActivity.objects.get(plan=plan, code="knowledge_day").months == [12]


def test_the_job_log_is_read_only_in_admin(client: Client) -> None:
    client.force_login(portal_admin())
    job_run(job="plan_year")
    run = JobRun.objects.get()
    assert client.get(reverse("admin:programme_jobrun_changelist")).status_code == 200
    assert client.get(reverse("admin:programme_jobrun_change", args=[run.pk])).status_code == 200
    assert client.get(reverse("admin:programme_jobrun_add")).status_code == 403
