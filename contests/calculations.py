"""Pure rules of a rubric evaluation: weighting, averaging, disagreement, ranking, advancing,
grades by quota with ties, committee composition. Plain values in, plain values out; the
services load the data and store what these return.
"""

from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

TWO_PLACES = Decimal("0.01")
FULL_MARKS = Decimal(100)


@dataclass(frozen=True)
class CriterionScore:
    value: int
    max_score: int
    weight: int


def weighted_total(scores: Sequence[CriterionScore]) -> Decimal:
    """A member's total on the 100-point scale: each criterion's share of its maximum,
    weighted, over the sum of the weights. Criteria with different maxima count by weight,
    not by their raw size."""
    total_weight = sum(s.weight for s in scores)
    if total_weight <= 0:
        return Decimal(0)
    raw = sum(Decimal(s.value) / Decimal(s.max_score) * s.weight for s in scores)
    return (raw * FULL_MARKS / total_weight).quantize(TWO_PLACES, ROUND_HALF_UP)


def mean_score(totals: Sequence[Decimal], *, drop_extremes: bool = False) -> Decimal | None:
    """The mean of the members' totals. With ``drop_extremes`` one highest and one lowest
    total are left out — only when at least three remain to be meaningful (3+ totals)."""
    values = sorted(totals)
    if not values:
        return None
    if drop_extremes and len(values) >= 3:
        values = values[1:-1]
    return (sum(values, Decimal(0)) / len(values)).quantize(TWO_PLACES, ROUND_HALF_UP)


def disagrees(totals: Sequence[Decimal], threshold: Decimal | int) -> bool:
    """Members disagree strongly when their totals spread wider than the threshold."""
    if len(totals) < 2:
        return False
    return max(totals) - min(totals) > Decimal(threshold)


def rank(scores: Iterable[tuple[Hashable, Decimal | None]]) -> dict[Hashable, int | None]:
    """Competition ranking ("1224"): equal means share a rank. Unscored entries get None."""
    items = list(scores)
    scored = sorted(((k, s) for k, s in items if s is not None), key=lambda ks: -ks[1])
    ranks: dict[Hashable, int | None] = {k: None for k, _ in items}
    previous: Decimal | None = None
    current = 0
    for position, (key, score) in enumerate(scored, start=1):
        if score != previous:
            current, previous = position, score
        ranks[key] = current
    return ranks


@dataclass(frozen=True)
class Cut:
    """Who is in above a cut of ``count`` places, and who is tied across the line."""

    selected: frozenset
    tied: frozenset


def cut(ranks: dict[Hashable, int | None], count: int) -> Cut:
    """The entries ranked within ``count`` places. A group sharing the rank that straddles
    the line is neither in nor out: it is returned as ``tied`` for the committee to decide."""
    selected: set = set()
    tied: set = set()
    by_rank: dict[int, list] = {}
    for key, r in ranks.items():
        if r is not None:
            by_rank.setdefault(r, []).append(key)
    for r in sorted(by_rank):
        group = by_rank[r]
        room = count - len(selected)
        if room <= 0:
            break
        if len(group) <= room:
            selected.update(group)
        else:
            tied.update(group)
            break
    return Cut(frozenset(selected), frozenset(tied))


@dataclass(frozen=True)
class GradeProposal:
    grade: str | None
    tie: bool


def grades_by_quota(
    ranks: dict[Hashable, int | None], quotas: Sequence[tuple[str, int]]
) -> dict[Hashable, GradeProposal]:
    """Hand out grades down the ranking, best grade first, ``count`` places each.

    A tied group that does not fit into what is left of a grade is flagged ``tie`` with the
    better grade proposed, so the committee decides; places it would take are counted, so
    the tie never silently shrinks the next grade's quota by more than the group needs."""
    result: dict[Hashable, GradeProposal] = {k: GradeProposal(None, False) for k in ranks}
    by_rank: dict[int, list] = {}
    for key, r in ranks.items():
        if r is not None:
            by_rank.setdefault(r, []).append(key)
    slots: list[str] = [grade for grade, count in quotas for _ in range(count)]
    position = 0
    for r in sorted(by_rank):
        if position >= len(slots):
            break
        group = by_rank[r]
        covered = slots[position : position + len(group)]
        grades = set(covered)
        overflow = len(group) > len(covered)
        tie = len(grades) > 1 or overflow
        for key in group:
            result[key] = GradeProposal(covered[0], tie)
        position += len(group)
    return result


def quota_total(quotas: Iterable[tuple[str, int]]) -> int:
    return sum(count for _, count in quotas)


def quotas_exceed_entries(quotas: Iterable[tuple[str, int]], entries: int) -> bool:
    """A round cannot give more awards than it has entries."""
    return quota_total(quotas) > entries


# --- Committee composition -------------------------------------------------------------------


@dataclass(frozen=True)
class Seat:
    """A committee seat as the composition rules see it."""

    role: str  # chair / vice_chair / member
    kind: str  # ex_officio / appointed
    position: str | None  # StaffProfile.Position value, None for outside members
    bureau: str | None = None
    term_years: float | None = None


def composition_problems(committee_kind: str, seats: Sequence[Seat]) -> list[str]:
    """What does not match SPEC §5 for the committee's kind (Korean, for the page)."""
    problems: list[str] = []
    chairs = [s for s in seats if s.role == "chair"]
    vices = [s for s in seats if s.role == "vice_chair"]
    if len(chairs) != 1:
        problems.append(f"위원장은 1명이어야 합니다(현재 {len(chairs)}명).")
    if committee_kind == "working_panel":
        leaders = sum(1 for s in seats if s.position == "team_leader")
        officers = sum(1 for s in seats if s.position == "officer")
        if leaders != 5 or officers != 5 or len(seats) != 10:
            problems.append(
                f"실무평가단은 팀장 5명과 주무관 5명(10명)으로 구성합니다"
                f"(현재 팀장 {leaders}명, 주무관 {officers}명, 전체 {len(seats)}명)."
            )
    elif committee_kind == "promotion_board":
        if len(seats) != 7:
            problems.append(f"창의구정추진단은 7명으로 구성합니다(현재 {len(seats)}명).")
        if chairs and chairs[0].position != "deputy_head":
            problems.append("창의구정추진단장은 부구청장이어야 합니다.")
    elif committee_kind == "review_committee":
        if len(seats) != 10:
            problems.append(f"구민창안심사위원회는 10명으로 구성합니다(현재 {len(seats)}명).")
        if chairs and chairs[0].position != "deputy_head":
            problems.append("구민창안심사위원회 위원장은 부구청장이어야 합니다.")
        if len(vices) != 1 or vices[0].position != "bureau_head" or vices[0].bureau != "기획재정국":
            problems.append("구민창안심사위원회 부위원장은 기획재정국장이어야 합니다.")
    for s in seats:
        if s.kind == "appointed" and (s.term_years is None or s.term_years > 2.01):
            problems.append("위촉직 위원의 임기는 2년입니다(연임 가능).")
            break
    return problems
