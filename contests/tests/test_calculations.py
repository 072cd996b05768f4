"""Pure rules, no database."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from contests.calculations import (
    CriterionScore,
    GradeProposal,
    Seat,
    composition_problems,
    cut,
    disagrees,
    grades_by_quota,
    mean_score,
    quotas_exceed_entries,
    rank,
    weighted_total,
)

D = Decimal
pytestmark = pytest.mark.smoke


def test_it_weights_criteria_by_weight_not_by_their_maximum() -> None:
    # 10/10 on a weight-60 criterion and 5/20 on a weight-40 one: 60 + 10 = 70.
    assert weighted_total([CriterionScore(10, 10, 60), CriterionScore(5, 20, 40)]) == D("70.00")


def test_it_gives_full_marks_for_full_scores_and_zero_for_none() -> None:
    crit = [CriterionScore(30, 30, 30), CriterionScore(20, 20, 20), CriterionScore(15, 15, 15)]
    assert weighted_total(crit) == D("100.00")
    assert weighted_total([CriterionScore(0, 30, 30)]) == D("0.00")
    assert weighted_total([]) == D(0)


@given(
    st.lists(st.tuples(st.integers(1, 50), st.integers(1, 50)), min_size=1, max_size=6), st.data()
)
def test_a_weighted_total_stays_between_0_and_100(
    pairs: list[tuple[int, int]], data: st.DataObject
) -> None:
    scores = [CriterionScore(data.draw(st.integers(0, m)), m, w) for m, w in pairs]
    assert D(0) <= weighted_total(scores) <= D(100)


def test_it_averages_and_can_drop_the_highest_and_lowest() -> None:
    totals = [D(90), D(80), D(70), D(20)]
    assert mean_score(totals) == D("65.00")
    assert mean_score(totals, drop_extremes=True) == D("75.00")


def test_it_keeps_extremes_with_fewer_than_three_members() -> None:
    assert mean_score([D(90), D(10)], drop_extremes=True) == D("50.00")
    assert mean_score([], drop_extremes=True) is None


def test_it_flags_strong_disagreement() -> None:
    assert disagrees([D(90), D(65)], 20)
    assert not disagrees([D(90), D(70)], 20)
    assert not disagrees([D(90)], 0)


def test_it_ranks_with_shared_places_and_leaves_unscored_out() -> None:
    assert rank([("a", D(80)), ("b", D(90)), ("c", D(80)), ("d", D(70)), ("e", None)]) == {
        "b": 1,
        "a": 2,
        "c": 2,
        "d": 4,
        "e": None,
    }


def test_a_cut_flags_a_tie_across_the_line() -> None:
    ranks = {"a": 1, "b": 2, "c": 2, "d": 4}
    result = cut(ranks, 2)
    assert result.selected == {"a"} and result.tied == {"b", "c"}
    assert cut(ranks, 3).selected == {"a", "b", "c"} and not cut(ranks, 3).tied


def test_grades_follow_the_quota_down_the_ranking() -> None:
    ranks = {"a": 1, "b": 2, "c": 3, "d": 4, "e": 5}
    got = grades_by_quota(ranks, [("grand", 1), ("excellent", 2), ("merit", 1)])
    assert got == {
        "a": GradeProposal("grand", False),
        "b": GradeProposal("excellent", False),
        "c": GradeProposal("excellent", False),
        "d": GradeProposal("merit", False),
        "e": GradeProposal(None, False),
    }


def test_a_tie_across_two_grades_is_flagged_with_the_better_grade_proposed() -> None:
    got = grades_by_quota({"a": 1, "b": 1, "c": 3}, [("grand", 1), ("excellent", 2)])
    assert got["a"] == got["b"] == GradeProposal("grand", True)
    assert got["c"] == GradeProposal("excellent", False)


def test_a_tie_at_the_last_award_is_flagged() -> None:
    got = grades_by_quota({"a": 1, "b": 2, "c": 2}, [("grand", 1), ("merit", 1)])
    assert got["b"] == got["c"] == GradeProposal("merit", True)


def test_quotas_may_not_exceed_entries() -> None:
    assert quotas_exceed_entries([("grand", 1), ("excellent", 2), ("merit", 3)], 5)
    assert not quotas_exceed_entries([("grand", 1), ("excellent", 2), ("merit", 3)], 6)


def _panel(leaders: int, officers: int) -> list[Seat]:
    seats = [Seat("member", "ex_officio", "team_leader") for _ in range(leaders)]
    seats += [Seat("member", "ex_officio", "officer") for _ in range(officers)]
    seats[0] = Seat("chair", "ex_officio", "team_leader")
    return seats


def test_a_working_panel_needs_five_team_leaders_and_five_officers() -> None:
    assert composition_problems("working_panel", _panel(5, 5)) == []
    assert "팀장 4명, 주무관 6명" in composition_problems("working_panel", _panel(4, 6))[0]


def _review(chair: str = "deputy_head", vice_bureau: str = "기획재정국") -> list[Seat]:
    seats = [
        Seat("chair", "ex_officio", chair),
        Seat("vice_chair", "ex_officio", "bureau_head", vice_bureau),
    ]
    seats += [Seat("member", "ex_officio", "bureau_head", "행정관리국") for _ in range(4)]
    seats += [Seat("member", "appointed", None, None, 2.0) for _ in range(4)]
    return seats


def test_the_review_committee_is_ten_chaired_by_the_deputy_with_the_planning_head_as_vice() -> None:
    assert composition_problems("review_committee", _review()) == []
    assert composition_problems("review_committee", _review(chair="bureau_head")) == [
        "구민창안심사위원회 위원장은 부구청장이어야 합니다."
    ]
    assert composition_problems("review_committee", _review(vice_bureau="보건소")) == [
        "구민창안심사위원회 부위원장은 기획재정국장이어야 합니다."
    ]
    assert "10명" in composition_problems("review_committee", _review()[:9])[0]


def test_the_promotion_board_is_seven_chaired_by_the_deputy() -> None:
    seats = [Seat("chair", "ex_officio", "deputy_head")]
    seats += [Seat("member", "ex_officio", "bureau_head") for _ in range(6)]
    assert composition_problems("promotion_board", seats) == []
    assert composition_problems("promotion_board", seats[:5]) == [
        "창의구정추진단은 7명으로 구성합니다(현재 5명)."
    ]
