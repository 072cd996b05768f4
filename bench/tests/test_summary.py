"""The closing table of ``python -m bench`` (issue 14): every row finds its figure in the
module that measures it, and the verdicts follow the budgets. No database: the registry is
filled by hand."""

import re
from pathlib import Path

import pytest

from bench import common

BENCH = Path(common.__file__).parent


@pytest.fixture(autouse=True)
def _empty_registry(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(common, "RESULTS", {})
    monkeypatch.setattr(common, "_THIS_RUN", set())


def _row(label: str) -> common.Row:
    return next(r for r in common.ROWS if r.label == label)


@pytest.mark.parametrize("row", common.ROWS, ids=lambda r: r.label)
def test_each_row_names_a_line_its_module_reports(row: common.Row) -> None:
    source = (BENCH / f"{row.module}.py").read_text()
    assert re.search(r'f?"' + re.escape(row.name), source), (row.module, row.name)


def test_every_row_of_the_issue_is_in_the_table() -> None:
    labels = " ".join(r.label for r in common.ROWS)
    for words in ("board list", "post page", "주차장", "mid-frequency", "proposals list",
                  "club page", "duplicate lookup, board", "duplicate lookup, proposals",
                  "quarter ranking", "proposals statistics", "dashboard, uncached",
                  "contests results", "CSV export", "ranking Excel", "scores.xlsx"):  # fmt: skip
        assert words in labels, words


def test_a_wrk_row_meets_its_budget_only_with_both_figures() -> None:
    row = _row("board list page")
    common.record("board list page", {"rps": 300.0, "p50_ms": 10.0, "p95_ms": 30.0,
                                      "status": 200, "errors": 0, "bytes": 40_000}, module="load")  # fmt: skip
    measured, met, when = common._judge(row)
    assert (met, when) == ("yes", "")
    assert "300 req/s" in measured
    assert "p95 30 ms" in measured
    common.record("board list page", {"rps": 200.0, "p50_ms": 10.0, "p95_ms": 30.0,
                                      "status": 200, "errors": 0}, module="load")  # fmt: skip
    assert common._judge(row)[1] == "NO"


def test_errors_and_a_missing_figure_are_not_met() -> None:
    row = _row("club page for admins")
    assert common._judge(row) == ("not measured", "?", "")
    common.record("club page for admins", {"rps": 90.0, "p50_ms": 10.0, "p95_ms": 50.0,
                                           "status": 200, "errors": 0, "bytes": 120_000},
                  module="load")  # fmt: skip
    assert common._judge(row)[1] == "NO"  # over 100 kB
    common.record("club page for admins", {"error": "HTTP 500"}, module="load")
    assert common._judge(row)[:2] == ("HTTP 500", "NO")


def test_the_ranking_row_is_a_ratio_to_the_group_by_of_the_same_run() -> None:
    row = _row("창의왕 quarter ranking with users")
    common.record("quarter_ranking 2026 Q3 (rows with users)",
                  {"median_ms": 20.0, "p95_ms": 25.0, "n": 7}, module="scoring")  # fmt: skip
    common.record("quarter_ranking 2026 Q3 (ids only)",
                  {"median_ms": 10.0, "p95_ms": 12.0, "n": 7}, module="scoring")  # fmt: skip
    assert common._judge(row)[1] == "?"
    common.record("raw GROUP BY over 2026 Q3's ledger",
                  {"median_ms": 1000.0, "p95_ms": 1100.0, "n": 3}, module="scoring")  # fmt: skip
    measured, met, _when = common._judge(row)
    assert met == "yes"
    assert "50.0× faster" in measured
    common.record("raw GROUP BY over 2026 Q3's ledger",
                  {"median_ms": 100.0, "p95_ms": 110.0, "n": 3}, module="scoring")  # fmt: skip
    assert common._judge(row)[1] == "NO"


def test_an_export_row_needs_the_view_to_queue_a_background_job() -> None:
    row = _row("scores.xlsx 30k scores")
    common.record("GET scores.xlsx (30,000 scores)", {"median_ms": 900.0, "p95_ms": 950.0,
                                                      "n": 3}, module="contests")  # fmt: skip
    common.record("scores.xlsx view", {"status": 200, "seconds": 1.0, "background": False},
                  module="load")  # fmt: skip
    measured, met, _when = common._judge(row)
    assert met == "NO"
    assert "builds in the request" in measured
    common.record("scores.xlsx view", {"status": 302, "seconds": 1.0, "background": True},
                  module="load")  # fmt: skip
    assert common._judge(row)[1] == "yes"


def test_the_csv_row_needs_a_streamed_download_under_five_seconds() -> None:
    row = _row("residents CSV export 133k")
    common.record("residents CSV export", {"seconds": 3.0, "first_byte_ms": 200.0,
                                           "streamed": True, "status": 200, "bytes": 1},
                  module="load")  # fmt: skip
    assert common._judge(row)[1] == "yes"
    common.record("residents CSV export", {"seconds": 3.0, "first_byte_ms": 2900.0,
                                           "streamed": False, "status": 200, "bytes": 1},
                  module="load")  # fmt: skip
    assert common._judge(row)[1] == "NO"


def test_a_figure_from_an_earlier_run_says_when() -> None:
    common.RESULTS[("load", "post page")] = {"rps": 300.0, "p50_ms": 5.0, "p95_ms": 9.0,
                                             "status": 200, "errors": 0,
                                             "at": "2026-12-01T10:00:00+00:00"}  # fmt: skip
    assert common._judge(_row("post page"))[2] == "earlier: 2026-12-01T10:00:00+00:00"


def test_report_files_the_figure_under_the_calling_module() -> None:
    common.report("a line", {"median_ms": 1.0, "p95_ms": 2.0, "n": 3})
    assert ("tests.test_summary", "a line") in common.RESULTS
