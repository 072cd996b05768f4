"""Pure rules of a rubric evaluation: the grade vocabulary, the kinds' default stages and
award quotas, weighting, averaging, disagreement, ranking, advancing, grades by quota with
ties, committee composition, and the checks of a score sheet and of an award decision
(Zulip's check/do split: the services load the data, call a ``check_*`` here, then store).
Plain values in, plain values out; nothing here touches the database.
"""

import re
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import cast

from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from common.errors import ServiceError

TWO_PLACES = Decimal("0.01")
FULL_MARKS = Decimal(100)


# --- The grade vocabulary 최우수/우수/장려: the one owner for every app ---------------------------


class Grade(models.TextChoices):
    GRAND = "grand", gettext_lazy("최우수")
    EXCELLENT = "excellent", gettext_lazy("우수")
    MERIT = "merit", gettext_lazy("장려")


GRADE_ORDER: tuple[str, ...] = (Grade.GRAND, Grade.EXCELLENT, Grade.MERIT)


def grade_position(grade: str) -> int:
    """Sort key of a grade, best first; an unknown or empty grade sorts last."""
    return GRADE_ORDER.index(grade) if grade in GRADE_ORDER else len(GRADE_ORDER)


# --- The kinds' defaults: the office's numbers, written once ----------------------------------


@dataclass(frozen=True)
class StageSpec:
    name: str
    committee_kind: str
    advance_count: int | None = None


@dataclass(frozen=True)
class QuotaSpec:
    grade: str
    count: int
    prize_won: int
    performance_points: Decimal = Decimal(0)


# Keys are RoundKind values and CommitteeKind values (models.py; a test checks they agree).
_PROPOSAL_STAGES = (
    StageSpec("실무평가단 1차 심사(후보 추천)", "working_panel"),
    StageSpec("구민창안심사위원회 심사", "review_committee"),
)
DEFAULT_STAGES: dict[str, tuple[StageSpec, ...]] = {
    "half_year_proposals": _PROPOSAL_STAGES,
    "theme_proposals": _PROPOSAL_STAGES,
    "best_practice": (
        StageSpec("실무평가단 1차 심사", "working_panel", 10),
        StageSpec("창의구정추진단 본선 진출작 선정", "promotion_board", 6),
        StageSpec("발표 심사", "promotion_board"),
    ),
    "policy_contest": (
        StageSpec("1차 심사", "working_panel", 12),
        StageSpec("2차 심사(발표작 선정)", "review_committee", 6),
        StageSpec("발표 심사", "review_committee"),
    ),
    "club_review": (
        StageSpec("실무평가단 추천 심사", "working_panel"),
        StageSpec("창의구정추진단 선정", "promotion_board"),
    ),
}
_PROPOSAL_QUOTAS = (
    QuotaSpec(Grade.GRAND, 1, 300_000, Decimal("2.0")),
    QuotaSpec(Grade.EXCELLENT, 2, 200_000, Decimal("1.0")),
    QuotaSpec(Grade.MERIT, 3, 100_000, Decimal("0.5")),
)
_CONTEST_QUOTAS = (
    QuotaSpec(Grade.GRAND, 1, 1_000_000),
    QuotaSpec(Grade.EXCELLENT, 2, 700_000),
    QuotaSpec(Grade.MERIT, 3, 500_000),
)
# A new round copies its kind's quotas into AwardQuota rows; from then on the round's own rows
# are the rule (editable until the awards are confirmed).
DEFAULT_QUOTAS: dict[str, tuple[QuotaSpec, ...]] = {
    "half_year_proposals": _PROPOSAL_QUOTAS,
    "theme_proposals": _PROPOSAL_QUOTAS,
    "best_practice": _CONTEST_QUOTAS,
    "policy_contest": _CONTEST_QUOTAS,
    "club_review": (
        QuotaSpec(Grade.GRAND, 1, 500_000),
        QuotaSpec(Grade.EXCELLENT, 2, 300_000),
        QuotaSpec(Grade.MERIT, 8, 200_000),
    ),
}

APPOINTED_TERM_YEARS = 2  # 위촉직 임기
ROSTER_BONUS_RATE = Decimal("0.1")  # 성과포인트 counts at this rate in the 서열명부


def appointed_term_end(term_start: date) -> date:
    """The last day of an appointed member's term that starts on ``term_start``."""
    years = term_start.year + APPOINTED_TERM_YEARS
    try:
        anniversary = term_start.replace(year=years)
    except ValueError:  # 29 February
        anniversary = term_start.replace(year=years, day=28)
    return date.fromordinal(anniversary.toordinal() - 1)


def seat_active(term_start: date, term_end: date | None, on: date) -> bool:
    return term_start <= on and (term_end is None or term_end >= on)


def roster_bonus(points: Decimal) -> Decimal:
    return points * ROSTER_BONUS_RATE


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


WORKING_PANEL_LEADERS = 5  # 팀장
WORKING_PANEL_OFFICERS = 5  # 주무관
PROMOTION_BOARD_SIZE = 7
REVIEW_COMMITTEE_SIZE = 10


def composition_problems(committee_kind: str, seats: Sequence[Seat]) -> list[str]:
    """What does not match the committee rules for the committee's kind (Korean, for the page)."""
    problems: list[str] = []
    chairs = [s for s in seats if s.role == "chair"]
    vices = [s for s in seats if s.role == "vice_chair"]
    if len(chairs) != 1:
        problems.append(_("위원장은 1명이어야 합니다(현재 %(n)s명).") % {"n": len(chairs)})
    if committee_kind == "working_panel":
        leaders = sum(1 for s in seats if s.position == "team_leader")
        officers = sum(1 for s in seats if s.position == "officer")
        size = WORKING_PANEL_LEADERS + WORKING_PANEL_OFFICERS
        if (
            leaders != WORKING_PANEL_LEADERS
            or officers != WORKING_PANEL_OFFICERS
            or len(seats) != size
        ):
            problems.append(
                _(
                    "실무평가단은 팀장 %(leaders_rule)s명과 주무관 %(officers_rule)s명"
                    "(%(size)s명)으로 구성합니다(현재 팀장 %(leaders)s명, 주무관 %(officers)s명, "
                    "전체 %(n)s명)."
                )
                % {
                    "leaders_rule": WORKING_PANEL_LEADERS,
                    "officers_rule": WORKING_PANEL_OFFICERS,
                    "size": size,
                    "leaders": leaders,
                    "officers": officers,
                    "n": len(seats),
                }
            )
    elif committee_kind == "promotion_board":
        if len(seats) != PROMOTION_BOARD_SIZE:
            problems.append(
                _("창의구정추진단은 %(size)s명으로 구성합니다(현재 %(n)s명).")
                % {"size": PROMOTION_BOARD_SIZE, "n": len(seats)}
            )
        if chairs and chairs[0].position != "deputy_head":
            problems.append(_("창의구정추진단장은 부구청장이어야 합니다."))
    elif committee_kind == "review_committee":
        if len(seats) != REVIEW_COMMITTEE_SIZE:
            problems.append(
                _("구민창안심사위원회는 %(size)s명으로 구성합니다(현재 %(n)s명).")
                % {"size": REVIEW_COMMITTEE_SIZE, "n": len(seats)}
            )
        if chairs and chairs[0].position != "deputy_head":
            problems.append(_("구민창안심사위원회 위원장은 부구청장이어야 합니다."))
        if len(vices) != 1 or vices[0].position != "bureau_head" or vices[0].bureau != "기획재정국":
            problems.append(_("구민창안심사위원회 부위원장은 기획재정국장이어야 합니다."))
    for s in seats:
        if s.kind == "appointed" and (
            s.term_years is None or s.term_years > APPOINTED_TERM_YEARS + 0.01
        ):
            problems.append(
                _("위촉직 위원의 임기는 %(years)s년입니다(연임 가능).")
                % {"years": APPOINTED_TERM_YEARS}
            )
            break
    return problems


# --- Recusal ---------------------------------------------------------------------------------


def conflict_reason(
    *,
    entry_owner_id: int | None,
    entry_department_id: int | None,
    member_user_id: int,
    member_department_id: int | None,
) -> str | None:
    """Why a member may not score an entry (own entry, own department), or None. Checked when
    a stage opens and again at every save: a member may have moved department since."""
    if entry_owner_id and entry_owner_id == member_user_id:
        return _("본인 출품작(자동 회피)")
    if member_department_id is not None and entry_department_id == member_department_id:
        return _("소속 부서 출품작(자동 회피)")
    return None


# --- Checking a score sheet ------------------------------------------------------------------

COMMENT_MAX = 500


@dataclass(frozen=True)
class CriterionRule:
    id: int
    name: str
    max_score: int


@dataclass
class SheetCheck:
    """What a sheet would store, or what is wrong with it (by criterion id; None: the sheet)."""

    values: dict[int, int] = field(default_factory=dict)
    notes: dict[int, str] = field(default_factory=dict)
    errors: dict[int | None, str] = field(default_factory=dict)

    def raise_if_invalid(self) -> None:
        if self.errors:
            first = next(iter(self.errors))
            raise ServiceError(
                " ".join(self.errors.values()),
                code="invalid_score",
                field=f"score_{first}" if first is not None else None,
            )


def parse_score(raw: object) -> int | None:
    """A typed score: an int or a digit string; blank is "not yet scored"; else ValueError."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    if isinstance(raw, bool):
        raise ValueError(raw)
    if isinstance(raw, int):
        return raw
    text = str(raw).strip()
    if not re.fullmatch(r"-?[0-9]+", text):
        raise ValueError(raw)
    return int(text)


def _by_id(mapping: Mapping[int, object] | Mapping[str, object], cid: int) -> object:
    # Forms give criterion ids as ints, a JSON body or a test may give strings.
    plain = cast(Mapping[object, object], mapping)
    return plain.get(cid, plain.get(str(cid)))


def check_score_sheet(
    criteria: Sequence[CriterionRule],
    scores: Mapping[int, object] | Mapping[str, object],
    comments: Mapping[int, str] | Mapping[str, str] | None = None,
    *,
    submit: bool,
) -> SheetCheck:
    """Parse and check one member's sheet: integers from 0 to each criterion's maximum, every
    criterion when submitting, comments of a bounded length, no criterion of another stage."""
    comments = comments or {}
    out = SheetCheck()
    known = {str(c.id) for c in criteria}
    if any(str(key) not in known for key in [*scores, *comments]):
        out.errors[None] = _("이 단계의 평가항목이 아닙니다.")
    for crit in criteria:
        try:
            value = parse_score(_by_id(scores, crit.id))
        except ValueError:
            out.errors[crit.id] = _("「%(name)s」 점수는 숫자(정수)로 입력하세요.") % {
                "name": crit.name
            }
            continue
        if value is None:
            if submit:
                out.errors[crit.id] = _(
                    "「%(name)s」 점수를 입력하세요. 제출하려면 모든 항목이 필요합니다."
                ) % {"name": crit.name}
            continue
        if value < 0 or value > crit.max_score:
            out.errors[crit.id] = _(
                "「%(name)s」 점수는 0점부터 %(max)s점까지 입력할 수 있습니다(입력: %(value)s점)."
            ) % {"name": crit.name, "max": crit.max_score, "value": value}
            continue
        note = str(_by_id(comments, crit.id) or "")
        if len(note) > COMMENT_MAX:
            out.errors[crit.id] = _("「%(name)s」 의견은 %(max)s자까지 쓸 수 있습니다.") % {
                "name": crit.name,
                "max": COMMENT_MAX,
            }
            continue
        out.values[crit.id] = value
        out.notes[crit.id] = note
    return out


# --- Checking an award decision --------------------------------------------------------------


@dataclass(frozen=True)
class ResultFacts:
    """A final-stage result as the award decision sees it."""

    entry_id: int
    title: str
    grade: str  # the proposed grade, "" for none
    tie: bool


def check_awards(
    results: Sequence[ResultFacts],
    grades: Mapping[int, str],
    quotas: Mapping[str, int],
) -> dict[int, str]:
    """The grade decided for every final-stage entry ("" for none), from the proposal and the
    committee's ``grades``; refused when a grade is unknown, a tie is left undecided, an entry
    is not in the stage, or a grade outnumbers its quota (``quotas``: grade → count)."""
    by_entry = {r.entry_id: r for r in results}
    if set(grades) - set(by_entry):
        raise ServiceError(_("이 회차의 심사 대상이 아닌 출품작입니다."), code="invalid")
    if any(g not in GRADE_ORDER and g != "" for g in grades.values()):
        raise ServiceError(_("알 수 없는 등급입니다."), code="invalid")
    unresolved = [r.title for r in results if r.tie and r.entry_id not in grades]
    if unresolved:
        raise ServiceError(
            _("동점인 출품작의 등급을 정해 주세요: %(titles)s") % {"titles": ", ".join(unresolved)},
            code="tie",
        )
    decided = {r.entry_id: grades.get(r.entry_id, r.grade) for r in results}
    for grade in GRADE_ORDER:
        chosen = sum(1 for g in decided.values() if g == grade)
        limit = quotas.get(grade, 0)
        if chosen > limit:
            raise ServiceError(
                _("%(grade)s 수상은 %(limit)s건까지입니다(선택: %(n)s건).")
                % {"grade": Grade(grade).label, "limit": limit, "n": chosen},
                code="quota",
            )
    return decided


def quota_problem(quotas: Iterable[tuple[str, int]], entries: int) -> str | None:
    """The Korean refusal when a round would give more awards than it has entries."""
    quotas = list(quotas)
    if not quotas_exceed_entries(quotas, entries):
        return None
    return _("시상 인원 합계(%(total)s명)가 출품작 수(%(entries)s건)보다 많습니다.") % {
        "total": quota_total(quotas),
        "entries": entries,
    }
