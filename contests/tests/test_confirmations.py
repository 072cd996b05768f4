"""Irreversible steps ask first, in numbers, without JavaScript (issue 13 #2); an admin may
reopen a closed stage with a reason; the audit page is in words and paginated; awards are
ordered by grade (issue 13 #7)."""

import pytest
from django.test import Client
from django.urls import reverse

from common.errors import ServiceError
from contests import selectors, services
from contests.models import AuditEntry, Award, AwardQuota, Stage, StageStatus
from contests.tests.factories import committee, member, single_stage_round
from org.tests.factories import portal_admin

pytestmark = pytest.mark.django_db


def _client(user: object) -> Client:
    c = Client()
    c.force_login(user)  # type: ignore[arg-type]
    return c


def _open(n: int = 3) -> tuple:
    wp = committee()
    members = (member(wp), member(wp))
    rnd = single_stage_round(
        quotas=(("grand", 1, 300_000), ("excellent", 1, 200_000), ("merit", 1, 100_000))
    )
    entries = [
        services.entry_create(
            round=rnd, title=f"제안 {i}", owner_name="구민", source_type="p", source_id=i
        )
        for i in range(n)
    ]
    stage = rnd.stages.get()
    services.stage_open(stage=stage)
    return rnd, stage, members, entries


def _submit(stage: Stage, entry: object, user: object, value: int) -> None:
    services.score_sheet_save(
        stage=stage,
        entry=entry,  # type: ignore[arg-type]
        user=user,  # type: ignore[arg-type]
        scores={c.pk: value for c in stage.criteria.all()},
        submit=True,
    )


def test_closing_shows_the_numbers_first_and_only_a_confirmed_post_closes() -> None:
    _rnd, stage, (m1, _m2), entries = _open()
    _submit(stage, entries[0], m1.user, 5)
    services.score_sheet_save(
        stage=stage, entry=entries[1], user=m1.user, scores={stage.criteria.first().pk: 3}
    )
    admin = _client(portal_admin())
    url = reverse("contests:stage_close", args=[stage.pk])
    page = admin.get(url).content.decode()
    assert "6장 중 1장 제출됨 — 마감하면 미제출 위원은 점수를 낼 수 없습니다." in page
    assert "임시 저장만 된 심사표 1장은 반영되지 않습니다." in page
    assert "미제출 심사표 5장(위원 2명)" in page
    # A POST without the confirmation (an old form, a double click on the link) only asks.
    assert admin.post(url).status_code == 200
    old_style = admin.post(reverse("contests:stage_action", args=[stage.pk, "close"]))
    assert old_style.status_code == 200
    stage.refresh_from_db()
    assert stage.status == StageStatus.OPEN and not stage.results.exists()
    response = admin.post(url, {"confirm": "1"})
    assert response.status_code == 302
    stage.refresh_from_db()
    assert stage.status == StageStatus.CLOSED and stage.results.count() == 3


def test_confirming_awards_shows_a_summary_first() -> None:
    rnd, stage, (m1, m2), entries = _open()
    for m in (m1, m2):
        for e, v in zip(entries, (9, 6, 3), strict=True):
            _submit(stage, e, m.user, v)
    services.stage_close(stage=stage)
    admin = _client(portal_admin())
    url = reverse("contests:round_confirm", args=[rnd.pk])
    grades = {f"grade_{e.pk}": g for e, g in zip(entries, ("grand", "excellent", ""), strict=True)}
    page = admin.post(url, grades).content.decode()
    assert "수상 2건, 포상금 500,000원을 기록합니다. 확정하면 되돌릴 수 없습니다." in page
    assert not Award.objects.exists()
    assert admin.post(url, grades | {"confirm": "1"}).status_code == 302
    assert Award.objects.count() == 2
    # A second confirmation (a double click) changes nothing and says so.
    again = admin.post(url, grades | {"confirm": "1"}, follow=True)
    assert "이미 수상이 확정된 회차입니다." in again.content.decode()
    assert Award.objects.count() == 2


def test_an_admin_reopens_a_closed_stage_with_a_reason_in_the_audit_log() -> None:
    _rnd, stage, (m1, m2), entries = _open(n=3)
    _submit(stage, entries[0], m1.user, 5)
    services.stage_close(stage=stage)
    admin_user = portal_admin()
    admin = _client(admin_user)
    url = reverse("contests:stage_reopen", args=[stage.pk])
    assert "사유" in admin.get(url).content.decode()
    page = admin.post(url, {"reason": ""}).content.decode()
    assert "다시 여는 사유를 입력하세요." in page
    assert admin.post(url, {"reason": "위원 출장"}).status_code == 302
    stage.refresh_from_db()
    assert stage.status == StageStatus.OPEN and stage.closed_at is None
    entry = AuditEntry.objects.get(action="stage_reopened")
    assert entry.actor == admin_user and entry.after["reason"] == "위원 출장"
    _submit(stage, entries[0], m2.user, 8)  # the member who missed it scores now
    results = {r.entry_id: r for r in services.stage_close(stage=stage)}
    assert results[entries[0].pk].sheet_count == 2
    # A member may not reopen; an open stage cannot be reopened.
    assert _client(m1.user).get(url).status_code == 403
    services.stage_reopen(stage=stage, by=admin_user, reason="다시")
    with pytest.raises(ServiceError, match="마감된 단계만"):
        services.stage_reopen(stage=stage, by=admin_user, reason="또")


def test_a_confirmed_round_cannot_be_reopened() -> None:
    rnd, stage, (m1, _m2), entries = _open(n=3)
    for e, v in zip(entries, (9, 6, 3), strict=True):
        _submit(stage, e, m1.user, v)
    services.stage_close(stage=stage)
    admin = portal_admin()
    services.awards_confirm(round=rnd, by=admin)
    with pytest.raises(ServiceError, match="수상이 확정된 회차"):
        services.stage_reopen(stage=stage, by=admin, reason="정정")


def test_awards_are_listed_by_grade_not_alphabetically() -> None:
    rnd, stage, (m1, _m2), entries = _open(n=3)
    for e, v in zip(entries, (3, 9, 6), strict=True):
        _submit(stage, e, m1.user, v)
    services.stage_close(stage=stage)
    services.awards_confirm(round=rnd, by=portal_admin())
    assert [a.grade for a in selectors.round_awards(round=rnd)] == ["grand", "excellent", "merit"]
    page = _client(portal_admin()).get(reverse("contests:round_detail", args=[rnd.pk]))
    text = page.content.decode()
    assert text.index("최우수") < text.index(">우수<") < text.index("장려")


def test_the_audit_page_is_paginated_and_in_words() -> None:
    rnd, stage, (m1, _m2), entries = _open(n=3)
    for i in range(60):
        services.score_sheet_save(
            stage=stage, entry=entries[0], user=m1.user, scores={stage.criteria.first().pk: i % 10}
        )
    services.stage_close(stage=stage)
    admin = _client(portal_admin())
    url = reverse("contests:round_audit", args=[rnd.pk])
    first = admin.get(url).content.decode()
    assert "page=2" in first and "심사표 #" in first and "상태: 임시 저장" in first
    assert "{&#x27;" not in first and "{'" not in first  # no Python dicts
    second = admin.get(url + "?page=2").content.decode()
    assert "단계 개시" in second  # the oldest entries are on the last page
    assert AuditEntry.objects.filter(round=rnd).count() > 50
    assert AwardQuota.objects.filter(round=rnd).count() == 3
