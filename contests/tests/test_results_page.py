"""The results page at city scale (issue 14): the members' totals read without joining the
rubric and kept in the cache under the stage's close, the cells' number format looked up once
per page. Each test here fails if that shortcut gives a different page."""

from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from django.utils.formats import localize

from contests import calculations as calc
from contests import selectors, services
from contests.models import Stage
from contests.templatetags.contests_tags import decimal_formatter
from contests.tests.factories import committee, member, single_stage_round
from org.tests.factories import portal_admin

pytestmark = pytest.mark.django_db


def _client(user: object) -> Client:
    c = Client()
    c.force_login(user)  # type: ignore[arg-type]
    return c


def _stage(n: int, criteria: tuple = (("창의성", 60, 10), ("실시가능성", 40, 10))) -> tuple:
    wp = committee()
    members = (member(wp), member(wp))
    rnd = single_stage_round(title=f"결과 {n}", criteria=criteria, quotas=(("grand", 1, 300_000),))
    for i in range(n):
        services.entry_create(
            round=rnd, title=f"제안 {i}", owner_name=f"구민{i}", source_type="r", source_id=i
        )
    stage = rnd.stages.get()
    services.stage_open(stage=stage)
    return stage, members


def _score(stage: Stage, entry_id: int, m: object, values: tuple[int, ...]) -> None:
    entry = stage.stage_entries.get(entry_id=entry_id).entry
    criteria = stage.criteria.order_by("order", "id")
    services.score_sheet_save(
        stage=stage,
        entry=entry,
        user=m.user,  # type: ignore[attr-defined]
        scores={c.pk: v for c, v in zip(criteria, values, strict=True)},
        submit=True,
    )


def test_a_reopened_stage_closed_again_shows_the_new_scores() -> None:
    stage, (m1, m2) = _stage(1)
    entry_id = stage.stage_entries.get().entry_id
    _score(stage, entry_id, m1, (9, 8))
    services.stage_close(stage=stage)
    admin = _client(portal_admin())
    url = reverse("contests:stage_results", args=[stage.pk])
    grey = '<td class="text-body-secondary">'
    assert f"<td>86.00</td>{grey}미제출</td>" in admin.get(url).content.decode()
    services.stage_reopen(stage=stage, by=portal_admin(), reason="늦은 제출")
    _score(stage, entry_id, m2, (5, 5))
    services.stage_close(stage=stage)
    assert "<td>86.00</td><td>50.00</td>" in admin.get(url).content.decode()


def test_the_totals_weigh_each_criterion_by_its_own_maximum_and_weight() -> None:
    """The same value on two criteria of different maxima and weights: 8/10 × 60 and
    8/20 × 10 over 70 is 74.29 (not 80.00, as if both were the first criterion)."""
    stage, (m1, _m2) = _stage(1, criteria=(("창의성", 60, 10), ("파급효과", 10, 20)))
    entry_id = stage.stage_entries.get().entry_id
    _score(stage, entry_id, m1, (8, 8))
    expected = calc.weighted_total([calc.CriterionScore(8, 10, 60), calc.CriterionScore(8, 20, 10)])
    assert expected == Decimal("74.29")
    assert selectors.member_totals(stage=stage) == {entry_id: {m1.pk: expected}}
    services.stage_close(stage=stage)
    html = _client(portal_admin()).get(reverse("contests:stage_results", args=[stage.pk]))
    assert "<td>74.29</td>" in html.content.decode()


def _count(client: Client, url: str, *, cold: bool) -> int:
    client.get(url)  # warm the session and the permission caches
    if cold:
        cache.clear()
        client.get(reverse("contests:index"))  # the permission caches again, not the totals
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_the_results_page_runs_the_same_statements_cold_and_kept_as_entries_grow() -> None:
    """Cold (the totals read: rubric, scores, recusals) and kept (from the cache): each the
    same count for 3 entries and for 14, the kept page three statements fewer."""
    counts = []
    for n in (3, 14):
        stage, members = _stage(n)
        for se in stage.stage_entries.all():
            for m in members:
                _score(stage, se.entry_id, m, (5, 6))
        services.stage_close(stage=stage)
        admin = _client(portal_admin())
        url = reverse("contests:stage_results", args=[stage.pk])
        counts.append((_count(admin, url, cold=True), _count(admin, url, cold=False)))
    assert counts[0] == counts[1], counts
    cold, kept = counts[0]
    assert cold == kept + 3, counts


@pytest.mark.parametrize("language", ["ko", "en", "de"])
@pytest.mark.parametrize("grouping", [False, True])
@pytest.mark.parametrize("value", ["0.00", "7.50", "86.00", "100.00", "1234.56", "-3.25"])
def test_the_cells_number_format_is_localize(language: str, grouping: bool, value: str) -> None:
    with translation.override(language), override_settings(USE_THOUSAND_SEPARATOR=grouping):
        assert decimal_formatter()(Decimal(value)) == localize(Decimal(value))
