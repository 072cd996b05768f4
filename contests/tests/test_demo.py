import pytest

from contests import demo
from contests.models import (
    Assignment,
    Award,
    CommitteeMember,
    Entry,
    PrizeBudget,
    Recusal,
    Round,
    ScoreSheet,
    StageStatus,
)
from contests.selectors import budget_summary, committees_overview
from org import demo as org_demo

pytestmark = [pytest.mark.django_db, pytest.mark.smoke]


def _counts() -> tuple[int, ...]:
    return tuple(
        m.objects.count()
        for m in (CommitteeMember, Round, Entry, Assignment, Recusal, ScoreSheet, PrizeBudget)
    )


def test_the_demo_is_idempotent_and_its_committees_meet_the_rules() -> None:
    org_demo.seed()
    demo.seed()
    first = _counts()
    demo.seed()
    assert _counts() == first
    assert {c.committee.kind: (len(c.active), c.problems) for c in committees_overview()} == {
        "working_panel": (10, []),
        "promotion_board": (7, []),
        "review_committee": (10, []),
    }
    rnd = Round.objects.get(kind="half_year_proposals")
    assert rnd.stages.order_by("order").first().status == StageStatus.OPEN
    assert ScoreSheet.objects.filter(status="submitted").exists()
    assert Recusal.objects.filter(automatic=True, member__user__username="panel01").exists()
    # The finished 2016 best-practice contest: 1 × 1,000,000 + 2 × 700,000 + 3 × 500,000.
    summary = budget_summary(year=2016)
    assert (summary.budget_won, summary.spent_won) == (31_945_000, 3_900_000)
    assert Award.objects.filter(round__year=2016).count() == 6
