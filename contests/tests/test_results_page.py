"""The results page at city scale (issue 14): the members' totals read without joining the
rubric and kept in the cache under the stage's close, the cells' number format looked up once
per page. Each test here fails if that shortcut gives a different page."""

import re
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import connection
from django.template import Context, Template
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from django.utils.formats import localize

from contests import calculations as calc
from contests import selectors, services
from contests.models import CommitteeMember, Entry, Result, Stage
from contests.templatetags.contests_tags import number_formatter
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
@pytest.mark.parametrize(
    "value", [Decimal("0.00"), Decimal("7.50"), Decimal("100.00"), Decimal("1234.56"), 3, 1234]
)
def test_the_rows_number_format_is_localize(
    language: str, grouping: bool, value: Decimal | int
) -> None:
    with translation.override(language), override_settings(USE_THOUSAND_SEPARATOR=grouping):
        assert number_formatter()(value) == localize(value)


# The row as the template's loop wrote it before ``result_row`` (the reference).
OLD_ROW = """{% load i18n %}{% for row in rows %}<tr>
<td>{{ row.result.rank|default:"-" }}</td>
<th scope="row">{{ row.result.entry.title }}</th>
{% for _m, total, note in row.totals %}{% if total is not None %}<td>{{ total }}</td>
{% else %}<td class="text-body-secondary">{{ note|default:"-" }}</td>{% endif %}{% endfor %}
<td>
    <strong>{{ row.result.mean|default:"-" }}</strong>
</td>
<td>
    {% if row.result.disagreement %}
        <span class="badge text-bg-warning">{% translate "편차 큼" %}</span>
    {% endif %}
    {% if row.result.tie %}
        <span class="badge text-bg-danger">{% translate "동점: 결정 필요" %}</span>
    {% endif %}
</td>
<td>
    {% if is_final %}
        {{ row.result.get_grade_display|default:"-" }}
    {% elif row.result.advances %}
        {% translate "진출" %}
    {% elif row.result.tie and can_advance %}
        <input class="form-check-input"
               type="checkbox"
               form="advance-form"
               name="include"
               value="{{ row.result.entry_id }}"
               id="include-{{ row.result.entry_id }}">
        <label class="form-check-label" for="include-{{ row.result.entry_id }}">{% translate "동점 진출" %}</label>
    {% else %}
        -
    {% endif %}
</td>
</tr>{% endfor %}"""
NEW_ROW = (
    "{% load contests_tags %}{% for row in rows %}"
    "{% result_row row is_final=is_final can_advance=can_advance %}{% endfor %}"
)


def _shown(html: str) -> str:
    """What a browser shows the same: runs of white space as one, none around table tags."""
    html = re.sub(r"\s+", " ", html)
    html = re.sub(r" ?(</?(?:tr|td|th)\b[^>]*>) ?", r"\1", html)
    return re.sub(r" ?(<input\b[^>]*)>", r"\1>", re.sub(r"\s+(?=[a-z]+=)", " ", html)).strip()


def _rows() -> list[selectors.ResultRow]:
    kinds = [
        dict(rank=1, mean=Decimal("91.50"), grade="grand", disagreement=True),
        dict(rank=2, mean=Decimal("80.00"), advances=True, tie=True),
        dict(rank=3, mean=Decimal("75.25"), tie=True, disagreement=True),
        dict(rank=None, mean=None),
        dict(rank=4, mean=Decimal("0.00"), grade="excellent"),
    ]
    members = [CommitteeMember(pk=1), CommitteeMember(pk=2)]
    notes = [(Decimal("86.00"), ""), (None, "회피")], [(None, "미제출"), (Decimal("0.00"), "")]
    return [
        selectors.ResultRow(
            Result(entry=Entry(pk=10 + i, title=f"<제안 {i}> & '따옴표'"), **kind),
            [(m, t, n) for m, (t, n) in zip(members, notes[i % 2], strict=True)],
        )
        for i, kind in enumerate(kinds)
    ]


@pytest.mark.parametrize(
    ("is_final", "can_advance"), [(True, False), (False, True), (False, False)]
)
def test_a_result_row_shows_what_the_templates_loop_showed(
    is_final: bool, can_advance: bool
) -> None:
    context = Context({"rows": _rows(), "is_final": is_final, "can_advance": can_advance})
    old = Template(OLD_ROW).render(context)
    new = Template(NEW_ROW).render(context)
    assert "&lt;제안 0&gt; &amp; &#x27;따옴표&#x27;" in new
    assert _shown(new) == _shown(old)
