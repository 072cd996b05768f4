from datetime import datetime
from io import BytesIO
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from org.tests.factories import DepartmentFactory, portal_admin, staff_user
from programme import dashboard
from programme.charts import bar_chart, label_width, nice_max, won_label
from proposals.models import HistoricalStatistic

pytestmark = pytest.mark.django_db
SEOUL = ZoneInfo("Asia/Seoul")
post_factories = pytest.importorskip("board.tests.factories")
board_tally = pytest.importorskip("board.tally")


def rows(table: dashboard.Table) -> dict[str, list]:
    return dict(table.rows)


def by_key(year: int) -> dict[str, dashboard.Table]:
    return {t.key: t for t in dashboard.dashboard(year=year)}


def by_key_of(snapshot: dashboard.Snapshot) -> dict[str, dashboard.Table]:
    return {t.key: t for t in snapshot.tables}


def test_it_shows_the_2015_figures_of_the_plan() -> None:
    tables = by_key(2026)
    halves = rows(tables["history_halves"])
    assert halves["2015년 상반기"] == [207, 141, 66, 0, 3, 6]
    assert halves["2015년 하반기"] == [177, 134, 43, 1, 4, 4]
    years = rows(tables["proposals_years"])
    assert years["2014년"][0] == 327 and years["2015년"][0] == 384


def test_the_history_is_the_one_the_proposals_app_keeps() -> None:
    halves = rows(by_key(2026)["history_halves"])
    assert halves["2015년 상반기"] == [207, 141, 66, 0, 3, 6]
    assert halves["2015년 하반기"] == [177, 134, 43, 1, 4, 4]
    # An admin's correction of the proposals' history shows on the dashboard: one copy.
    HistoricalStatistic.objects.filter(year=2015, half=2).update(grand=2)
    assert rows(by_key(2026)["history_halves"])["2015년 하반기"] == [177, 134, 43, 2, 4, 4]


def test_posts_and_approvals_compare_this_year_with_last() -> None:
    dept = DepartmentFactory(name="전산정보과")
    author = staff_user(department=dept)
    this_year = datetime(2026, 3, 10, tzinfo=SEOUL)
    last_year = datetime(2025, 12, 31, 23, 30, tzinfo=SEOUL)  # Seoul's 2025, UTC's too
    pf = post_factories.PostFactory
    pf(author=author, department=dept, area="docs", status="approved",
       created_at=this_year, submitted_at=this_year, reviewed_at=this_year)  # fmt: skip
    pf(author=author, department=dept, area="docs", status="submitted",
       created_at=this_year, submitted_at=this_year)  # fmt: skip
    pf(author=author, department=dept, area="proposal", status="draft",
       created_at=this_year, submitted_at=this_year)  # fmt: skip
    pf(author=author, department=dept, area="docs", status="approved",
       created_at=last_year, submitted_at=last_year, reviewed_at=last_year)  # fmt: skip
    board_tally.rebuild()  # the factory wrote the rows, not the services that keep the tally
    tables = by_key(2026)
    assert rows(tables["posts"])["자료공유"] == [1, 2, 1]
    assert rows(tables["posts"])["창의제안"] == [0, 0, 0]  # drafts don't count
    assert rows(tables["posts"])["합계"] == [1, 2, 1]
    assert rows(tables["approvals"])["자료공유"] == [1, 1, 0]
    assert rows(tables["departments"]) == {"전산정보과": [2, 1]}
    assert rows(tables["knowledge_days"])["3월"] == [0, 2, 2]  # March 2026 is a knowledge day


def test_proposals_by_proposer_and_channel() -> None:
    pf = pytest.importorskip("proposals.tests.factories")
    at = datetime(2026, 5, 2, 10, tzinfo=SEOUL)
    pf.resident_proposal(at=at)
    pf.resident_proposal(at=at, channel="epeople")
    pf.staff_proposal(at=at)
    pf.resident_proposal(at=datetime(2025, 6, 1, tzinfo=SEOUL), channel="mail")
    tables = by_key(2026)
    assert rows(tables["proposals_kind"])["구민"] == [1, 2, 1]
    assert rows(tables["proposals_kind"])["직원"] == [0, 1, 1]
    channel = rows(tables["proposals_channel"])
    assert channel["국민신문고"] == [0, 1, 1] and channel["우편"] == [1, 0, -1]
    assert rows(tables["proposals_years"])["2026년"] == [3, 2, 1]


def test_prize_money_against_the_budget() -> None:
    services = pytest.importorskip("contests.services")
    services.budget_set(year=2026, amount_won=31_945_000)
    prize = rows(by_key(2026)["prize"])
    assert prize["시상금 예산(원)"] == [0, 31_945_000, 31_945_000]
    assert prize["잔액(원)"][1] == 31_945_000 - prize["집행액(원)"][1]


def test_the_page_is_for_admins_only(client: Client) -> None:
    client.force_login(staff_user())
    assert client.get(reverse("programme:dashboard")).status_code == 403
    assert client.get(reverse("programme:dashboard_export")).status_code == 403
    client.logout()
    assert client.get(reverse("programme:dashboard")).status_code == 302


@pytest.mark.smoke
def test_the_page_shows_charts_with_their_numbers_in_tables(client: Client) -> None:
    client.force_login(portal_admin())
    body = client.get(reverse("programme:dashboard") + "?year=2026").content.decode()
    assert "2026년 지식나눔 현황" in body
    assert body.count("<svg") >= 1 and 'role="img"' in body
    assert '<th scope="row"' in body and "2015년 상반기" in body
    assert ">207<" in body and ">177<" in body and ">384<" in body


def test_a_bad_year_falls_back_to_this_year(client: Client) -> None:
    client.force_login(portal_admin())
    assert client.get(reverse("programme:dashboard") + "?year=abc").status_code == 200
    assert client.get(reverse("programme:dashboard") + "?year=1800").status_code == 200


def test_the_excel_export_has_the_same_numbers(client: Client) -> None:
    client.force_login(portal_admin())
    response = client.get(reverse("programme:dashboard_export") + "?year=2026")
    assert response.status_code == 200
    assert "jisik-dashboard-2026.xlsx" in response["Content-Disposition"]
    wb = load_workbook(BytesIO(response.content))
    sheet = wb["반기별 제안과 시상 (포털 이전)"]
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert ["2015년 상반기", 207, 141, 66, 0, 3, 6] in values
    assert set(wb.sheetnames) >= {"연도별 제안 건수", "분야별 지식 등록", "시상금 집행과 예산"}


def test_the_page_has_the_same_queries_for_little_or_much_data(client: Client) -> None:
    client.force_login(portal_admin())

    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("programme:dashboard") + "?year=2026").status_code == 200
        return len(ctx.captured_queries)

    at = datetime(2026, 4, 1, tzinfo=SEOUL)
    author = staff_user()
    post_factories.PostFactory(author=author, created_at=at, submitted_at=at)
    board_tally.rebuild()
    small = queries()
    for i in range(30):
        dept = DepartmentFactory()
        post_factories.PostFactory(
            author=author, department=dept, area=["docs", "proposal"][i % 2],
            created_at=at, submitted_at=at, reviewed_at=at,
        )  # fmt: skip
    board_tally.rebuild()
    assert queries() == small


def test_bars_scale_to_a_round_axis() -> None:
    assert [nice_max(v) for v in (0, 1, 7, 207, 384, 31_945_000)] == [
        1, 1, 10, 250, 500, 50_000_000
    ]  # fmt: skip
    chart = bar_chart(["상반기", "하반기"], [("2015년", [207, 177]), ("2016년", [250, None])])
    first, second = chart.groups[0].bars
    assert first.height == pytest.approx((chart.baseline - 12) * 207 / 250)
    assert second.height == pytest.approx(chart.baseline - 12)  # 250 is the axis top
    assert chart.groups[1].bars[1].height == 0  # a missing value draws nothing
    assert chart.ticks[-1].value == 250 and [n for n, _c in chart.legend] == ["2015년", "2016년"]


def test_the_dashboard_is_cached_for_a_while_and_can_be_recomputed(
    client: Client, settings: object
) -> None:
    from django.core.cache import cache

    settings.PROGRAMME_DASHBOARD_CACHE_SECONDS = 300  # type: ignore[attr-defined]
    cache.delete("programme:dashboard:2026")
    client.force_login(portal_admin())
    url = reverse("programme:dashboard") + "?year=2026"
    at = datetime(2026, 4, 1, tzinfo=SEOUL)
    post_factories.PostFactory(area="docs", created_at=at, submitted_at=at)
    board_tally.rebuild()
    assert rows(by_key_of(dashboard.dashboard_snapshot(year=2026))["posts"])["자료공유"][1] == 1
    post_factories.PostFactory(area="docs", created_at=at, submitted_at=at)
    board_tally.rebuild()
    # Within the cache time the page shows the snapshot; "지금 다시 집계" counts again.
    assert ">1</td>" in client.get(url).content.decode().split("dashboard-posts")[1]
    fresh = client.get(url + "&fresh=1").content.decode()
    assert ">2</td>" in fresh.split("dashboard-posts")[1]
    cache.delete("programme:dashboard:2026")


def test_the_dashboard_reads_the_boards_summary_not_its_posts(client: Client) -> None:
    """At city scale the posts must not be read (issue 14: two grouped scans of board_post,
    64 + 59 ms at 200,000 posts): the board's figures come from its monthly tally, which the
    services keep, so a post written through them shows without a rebuild."""
    from board import services as board_services

    client.force_login(portal_admin())
    dept = DepartmentFactory(name="민원여권과")
    author = staff_user(department=dept)
    at = datetime(2026, 5, 4, tzinfo=SEOUL)
    post = board_services.post_submit(author=author, area="docs", title="여권 발급 절차 정리",
                                      body="신청서 작성부터 수령까지", at=at)  # fmt: skip
    board_services.post_approve(post=post, reviewer=portal_admin(), at=at)
    with CaptureQueriesContext(connection) as ctx:
        page = client.get(reverse("programme:dashboard") + "?year=2026&fresh=1")
    assert page.status_code == 200
    assert not [q["sql"] for q in ctx.captured_queries if '"board_post"' in q["sql"]]
    tables = by_key(2026)
    assert rows(tables["posts"])["자료공유"] == [0, 1, 1]
    assert rows(tables["approvals"])["자료공유"] == [0, 1, 1]
    assert rows(tables["departments"]) == {"민원여권과": [1, 1]}


def test_money_reads_in_korean_units_on_its_own_axis() -> None:
    assert [won_label(v) for v in (0, 5_000, 87_000, 200_000, 31_945_000, 125_000_000)] == [
        "0원", "5,000원", "8.7만원", "20만원", "3,194.5만원", "1.25억원"
    ]  # fmt: skip
    chart = bar_chart(
        ["시상금 예산(원)", "집행액(원)"],
        [("2025년", [0, 0]), ("2026년", [31_945_000, 3_900_000])],
        unit="won",
    )
    labels = [t.label for t in chart.ticks]
    assert labels == ["0원", "1,250만원", "2,500만원", "3,750만원", "5,000만원"]
    # The axis is wide enough for its longest label (the old one clipped it to "000,000").
    assert chart.tick_x >= max(label_width(label) for label in labels)
    assert "2026년 31,945,000원" in chart.description  # exact figures for screen readers
    counts = bar_chart(["지급 건수"], [("2025년", [0]), ("2026년", [6])])
    assert [t.label for t in counts.ticks] == ["0", "2.5", "5", "7.5", "10"]
    assert "원" not in counts.description


def test_the_page_draws_money_and_counts_on_separate_charts(client: Client) -> None:
    contests_services = pytest.importorskip("contests.services")
    contests_services.budget_set(year=2026, amount_won=31_945_000)
    client.force_login(portal_admin())
    body = client.get(reverse("programme:dashboard") + "?year=2026").content.decode()

    def svg_of(key: str) -> str:
        section = body.split(f'data-testid="dashboard-{key}"', 1)[1].split("</section>", 1)[0]
        return section.split("<svg", 1)[1].split("</svg>", 1)[0]

    def ticks(svg: str) -> list[str]:
        parts = svg.split("</text>")
        return [t.rsplit(">", 1)[1] for t in parts if 'data-testid="chart-tick"' in t]

    money = svg_of("prize")
    assert 'data-unit="won"' in money and 'aria-describedby="chart-prize-desc"' in money
    assert ticks(money) == ["0원", "1,250만원", "2,500만원", "3,750만원", "5,000만원"]
    assert "000,000<" not in money and "지급 건수" not in money
    assert "2026년 31,945,000원" in money.split("<desc", 1)[1].split("</desc>", 1)[0]
    payments = svg_of("prize_payments")
    assert 'data-unit="count"' in payments and not any("원" in t for t in ticks(payments))
    # The table keeps every won, as the accessible alternative.
    assert ">31,945,000<" in body


def test_the_page_is_compact(client: Client) -> None:
    """Issue 14: the page was ~100 kB, 40 % of it the loops' indentation and coordinates
    such as 138.07999999999998; charts are written with two decimals at most, and the
    sections without the whitespace between tags."""
    import re

    client.force_login(portal_admin())
    body = client.get(reverse("programme:dashboard") + "?year=2026").content.decode()
    sections = body.split('<nav aria-label="현황 항목"', 1)[1]
    svgs = re.findall(r"<svg.*?</svg>", sections, re.S)
    assert svgs and not [s for s in svgs if re.search(r'="-?\d+\.\d{3,}"', s)]
    assert not re.search(r">\s{4,}<", sections.split("</main>", 1)[0])
