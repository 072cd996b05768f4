"""The contests audit log in the admin (issue 13 #7): Korean words per criterion, values
hidden while the stage is open, paged, the actor as 이름 (부서)."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from contests import services
from contests.models import AuditEntry
from contests.tests.factories import committee, member, single_stage_round

pytestmark = pytest.mark.django_db


def _text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


@pytest.fixture
def root(client):
    client.force_login(get_user_model().objects.create_superuser("root", "r@example.kr", "x"))
    return client


def _scored(saves: int):
    panel = committee()
    judge = member(panel)
    rnd = single_stage_round(quotas=(("grand", 1, 300_000),))
    entry = services.entry_create(
        round=rnd, title="제안", owner_name="구민", source_type="p", source_id=1
    )
    stage = rnd.stages.get()
    services.stage_open(stage=stage)
    criterion = stage.criteria.first()
    for i in range(saves):
        services.score_sheet_save(
            stage=stage, entry=entry, user=judge.user, scores={criterion.pk: 1 + i % 9}
        )
    return rnd, stage, judge, criterion


def test_a_score_entry_reads_in_korean_words_once_the_stage_closes(root) -> None:
    rnd, stage, judge, criterion = _scored(saves=1)
    entry = AuditEntry.objects.filter(round=rnd, object_type="scoresheet").latest("id")
    url = reverse("admin:contests_auditentry_change", args=[entry.pk])
    html = _text(root.get(url))
    assert "심사 마감 후 공개" in html and f"{criterion.name}: 1점" not in html
    services.stage_close(stage=stage)
    html = _text(root.get(url))
    assert f"{criterion.name}: 1점" in html and "{&#x27;" not in html
    department = judge.user.staff_profile.department.name
    assert f"{judge.user.last_name}{judge.user.first_name} ({department})" in html


def test_the_audit_list_is_paged(root) -> None:
    rnd, *_ = _scored(saves=60)
    assert AuditEntry.objects.filter(round=rnd).count() > 50
    url = reverse("admin:contests_auditentry_changelist")
    first = root.get(url)
    assert len(first.context["cl"].result_list) == 50
    assert "?p=2" in first.content.decode()
    assert root.get(url, {"p": 2}).status_code == 200
