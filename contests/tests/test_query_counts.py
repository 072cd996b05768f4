"""Every list page runs the same number of queries with small and with larger data."""

from collections.abc import Callable

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from contests import services, views
from contests.models import CommitteeKind, Stage
from contests.tests.factories import committee, member, single_stage_round
from org.tests.factories import portal_admin, staff_user

pytestmark = pytest.mark.django_db


def _client(user: object) -> Client:
    c = Client()
    c.force_login(user)  # type: ignore[arg-type]
    return c


def _count(client: Client, url: str) -> int:
    client.get(url)  # warm the session and the permission caches
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def _same(client: Client, url: Callable[[], str], grow: Callable[[], None], cap: int) -> None:
    small = _count(client, url())
    grow()
    large = _count(client, url())
    assert small == large <= cap, (small, large)


def _round(n: int, members: tuple, title: str = "회차") -> tuple:
    rnd = single_stage_round(title=title, quotas=(("grand", 1, 300_000),))
    for i in range(n):
        services.entry_create(
            round=rnd,
            title=f"{title} 제안 {i}",
            owner_name=f"구민{i}",
            source_type=title,
            source_id=i,
        )
    stage = rnd.stages.get()
    services.stage_open(stage=stage)
    return rnd, stage


def _score_all(stage: Stage, members: tuple) -> None:
    for se in stage.stage_entries.all():
        for m in members:
            if not stage.sheets.filter(entry_id=se.entry_id, member=m).exists():
                services.score_sheet_save(
                    stage=stage,
                    entry=se.entry,
                    user=m.user,
                    scores={c.pk: 5 for c in stage.criteria.all()},
                    submit=True,
                )


def _more_entries(rnd: object, stage: Stage, start: int, n: int) -> None:
    for i in range(start, start + n):
        services.entry_create(
            round=rnd, title=f"추가 {i}", owner_name="구민", source_type="more", source_id=i
        )


def test_the_index() -> None:
    wp = committee()
    members = (member(wp), member(wp))
    _round(2, members, "첫 회차")
    admin = _client(portal_admin())
    counter = iter(range(100))
    _same(
        admin,
        lambda: reverse("contests:index"),
        lambda: [_round(2, members, f"회차 {next(counter)}") for _ in range(5)],
        12,
    )


def test_the_review_list() -> None:
    wp = committee()
    members = (member(wp), member(wp))
    rnd, stage = _round(2, members)
    client = _client(members[0].user)
    _same(
        client,
        lambda: reverse("contests:review_list", args=[stage.pk]),
        lambda: (_more_entries(rnd, stage, 10, 10), _score_all(stage, members[:1])),
        12,
    )


def test_the_results_round_detail_and_audit_pages() -> None:
    wp = committee()
    members = (member(wp), member(wp))
    admin = _client(portal_admin())
    counts = []
    for n in (2, 12):
        rnd, stage = _round(n, members, f"결과 {n}")
        _score_all(stage, members)
        services.stage_close(stage=stage)
        first = stage.stage_entries.order_by("entry_id").first().entry_id
        services.awards_confirm(
            round=rnd,
            by=portal_admin(),
            grades={se.entry_id: "" for se in stage.stage_entries.all()} | {first: "grand"},
        )
        counts.append(
            tuple(
                _count(admin, reverse(name, args=[pk]))
                for name, pk in (
                    ("contests:stage_results", stage.pk),
                    ("contests:round_detail", rnd.pk),
                    ("contests:round_audit", rnd.pk),
                )
            )
        )
    assert counts[0] == counts[1], counts
    assert all(c <= 16 for c in counts[0])


def test_the_budget_page() -> None:
    services.budget_set(year=2016, amount_won=31_945_000)
    counter = iter(range(1000))

    def pay(n: int) -> None:
        for _ in range(n):
            services.prize_record(
                year=2016,
                amount_won=50_000,
                title="창의왕",
                recipient=staff_user(),
                source_type="s",
                source_id=next(counter),
            )

    pay(1)
    _same(
        _client(portal_admin()),
        lambda: reverse("contests:budget_year", args=[2016]),
        lambda: pay(15),
        10,
    )


def test_the_committees_page() -> None:
    for kind in CommitteeKind:
        member(committee(kind))

    def grow() -> None:
        for kind in CommitteeKind:
            for _ in range(4):
                member(committee(kind))

    _same(_client(portal_admin()), lambda: reverse("contests:committees"), grow, 8)


def test_the_results_page_is_paginated_and_its_queries_do_not_grow(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Pages of results: the same queries for one page of a few entries and one page of many,
    and only a page's rows rendered (the city-scale stage has 600 entries × 10 members)."""
    monkeypatch.setattr(views, "RESULTS_PAGE_SIZE", 5)
    wp = committee()
    members = (member(wp), member(wp))
    admin = _client(portal_admin())
    counts, rows = [], []
    for n in (3, 14):
        _rnd, stage = _round(n, members, f"쪽 {n}")
        _score_all(stage, members)
        services.stage_close(stage=stage)
        url = reverse("contests:stage_results", args=[stage.pk])
        counts.append((_count(admin, url), _count(admin, url + "?page=3")))
        body = admin.get(url).content.decode()
        rows.append(body.count('<th scope="row">'))
    assert counts[0] == counts[1], counts
    assert rows == [3, 5]
