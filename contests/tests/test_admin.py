import pytest
from django.test import Client
from django.urls import reverse

from contests import services
from contests.models import Round
from contests.tests.factories import committee, member, single_stage_round
from org.tests.factories import portal_admin

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "model",
    ["committee", "round", "stage", "entry", "prizebudget", "prizepayment", "award", "auditentry"],
)
def test_the_admin_pages_load_for_a_portal_admin(model: str) -> None:
    seat = member(committee())
    rnd = single_stage_round()
    services.entry_create(round=rnd, title="가", owner_name="구민", source_type="p", source_id=1)
    services.budget_set(year=2016, amount_won=31_945_000)
    client = Client()
    client.force_login(portal_admin())
    assert client.get(reverse(f"admin:contests_{model}_changelist")).status_code == 200
    objects = {
        "committee": seat.committee_id,
        "round": rnd.pk,
        "stage": rnd.stages.get().pk,
        "entry": rnd.entries.get().pk,
    }
    if model in objects:
        assert (
            client.get(reverse(f"admin:contests_{model}_change", args=[objects[model]])).status_code
            == 200
        )


def test_the_admin_refuses_quotas_beyond_the_entries() -> None:
    rnd = single_stage_round(quotas=(("grand", 1, 300_000),))
    services.entry_create(round=rnd, title="가", owner_name="구민", source_type="p", source_id=1)
    client = Client()
    client.force_login(portal_admin())
    stage = rnd.stages.get()
    quota = rnd.quotas.get()
    data = {
        "kind": rnd.kind, "year": rnd.year, "title": rnd.title, "disagreement_threshold": 20,
        "stages-TOTAL_FORMS": 1, "stages-INITIAL_FORMS": 1,
        "stages-0-id": stage.pk, "stages-0-round": rnd.pk, "stages-0-order": 1,
        "stages-0-name": stage.name, "stages-0-committee": stage.committee_id,
        "quotas-TOTAL_FORMS": 1, "quotas-INITIAL_FORMS": 1,
        "quotas-0-id": quota.pk, "quotas-0-round": rnd.pk, "quotas-0-grade": "grand",
        "quotas-0-count": 3, "quotas-0-prize_won": 300_000, "quotas-0-performance_points": "0",
    }  # fmt: skip
    response = client.post(reverse("admin:contests_round_change", args=[rnd.pk]), data)
    assert "시상 인원 합계(3명)가 출품작 수(1건)보다 많습니다." in response.content.decode()
    assert Round.objects.get(pk=rnd.pk).quotas.get().count == 1
