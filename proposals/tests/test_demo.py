import pytest

from proposals.models import BenchmarkCase, Proposal, ProposalEvent, ThemeRound, ThemeTask

pytestmark = pytest.mark.django_db


def _counts() -> tuple[int, ...]:
    return tuple(
        m.objects.count() for m in (Proposal, ProposalEvent, ThemeRound, ThemeTask, BenchmarkCase)
    )


def test_the_demo_runs_twice_with_the_same_result() -> None:
    from org import demo as org_demo
    from proposals import demo

    org_demo.seed()
    demo.seed()
    first = _counts()
    demo.seed()
    assert _counts() == first
    assert first[0] >= 8  # residents by every channel, staff via the board, a theme proposal
    channels = set(Proposal.objects.values_list("channel", flat=True))
    assert {"web", "epeople", "mail", "visit_office", "visit_dong", "board"} <= channels
    assert Proposal.objects.filter(linked_to__isnull=False).count() == 1
