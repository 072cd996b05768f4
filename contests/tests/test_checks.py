"""The check_* halves of the sheet and award writes, and the other pure rules: no database."""

from datetime import date

import pytest

from common.errors import ServiceError
from contests import calculations as calc
from contests.models import CommitteeKind, Grade, RoundKind
from contests.selectors import audit_lines

pytestmark = pytest.mark.smoke
RUBRIC = [calc.CriterionRule(1, "창의성", 10), calc.CriterionRule(2, "실시가능성", 20)]


def test_a_valid_sheet_gives_its_values_and_notes() -> None:
    check = calc.check_score_sheet(RUBRIC, {1: "7", 2: 20}, {1: "좋음"}, submit=True)
    assert check.errors == {}
    assert check.values == {1: 7, 2: 20} and check.notes == {1: "좋음", 2: ""}
    check.raise_if_invalid()


def test_a_draft_may_leave_criteria_blank_a_submission_may_not() -> None:
    assert calc.check_score_sheet(RUBRIC, {1: "5", 2: ""}, submit=False).errors == {}
    errors = calc.check_score_sheet(RUBRIC, {1: "5", 2: ""}, submit=True).errors
    assert list(errors) == [2] and "제출하려면 모든 항목이 필요합니다" in errors[2]


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("11", "0점부터 10점까지 입력할 수 있습니다(입력: 11점)"),
        ("-1", "0점부터 10점까지"),
        ("7.5", "숫자(정수)"),
        ("다섯", "숫자(정수)"),
        (True, "숫자(정수)"),
    ],
)
def test_every_criterion_reports_its_own_problem(raw: object, message: str) -> None:
    check = calc.check_score_sheet(RUBRIC, {1: raw, 2: "30"}, submit=False)
    assert message in check.errors[1] and "0점부터 20점까지" in check.errors[2]
    with pytest.raises(ServiceError) as exc:
        check.raise_if_invalid()
    assert exc.value.field == "score_1" and exc.value.code == "invalid_score"


def test_a_criterion_of_another_stage_and_a_long_comment_are_refused() -> None:
    check = calc.check_score_sheet(RUBRIC, {1: 1, 2: 1, 99: 5}, {"1": "가" * 501}, submit=False)
    assert check.errors[None] == "이 단계의 평가항목이 아닙니다."
    assert "의견은 500자까지" in check.errors[1]


FINAL = [
    calc.ResultFacts(1, "가", Grade.GRAND, False),
    calc.ResultFacts(2, "나", Grade.EXCELLENT, True),
    calc.ResultFacts(3, "다", Grade.EXCELLENT, True),
]
QUOTAS = {Grade.GRAND: 1, Grade.EXCELLENT: 1}


def test_awards_need_every_tie_decided_and_keep_to_the_quotas() -> None:
    with pytest.raises(ServiceError, match="동점인 출품작의 등급을 정해 주세요: 나, 다"):
        calc.check_awards(FINAL, {}, QUOTAS)
    with pytest.raises(ServiceError, match="우수 수상은 1건까지입니다\\(선택: 2건\\)"):
        calc.check_awards(FINAL, {2: "excellent", 3: "excellent"}, QUOTAS)
    assert calc.check_awards(FINAL, {2: "excellent", 3: ""}, QUOTAS) == {
        1: "grand",
        2: "excellent",
        3: "",
    }


def test_awards_refuse_unknown_grades_and_entries() -> None:
    with pytest.raises(ServiceError, match="알 수 없는 등급"):
        calc.check_awards(FINAL, {2: "gold", 3: ""}, QUOTAS)
    with pytest.raises(ServiceError, match="심사 대상이 아닌 출품작"):
        calc.check_awards(FINAL, {9: "grand"}, QUOTAS)


def test_a_conflict_is_the_own_entry_or_the_own_department() -> None:
    kw = {"entry_owner_id": 5, "entry_department_id": 8}
    assert "본인" in calc.conflict_reason(**kw, member_user_id=5, member_department_id=1)
    assert "소속 부서" in calc.conflict_reason(**kw, member_user_id=6, member_department_id=8)
    assert calc.conflict_reason(**kw, member_user_id=6, member_department_id=None) is None
    assert calc.conflict_reason(**kw, member_user_id=6, member_department_id=9) is None


def test_an_appointed_term_ends_the_day_before_its_anniversary() -> None:
    assert calc.appointed_term_end(date(2016, 3, 1)) == date(2018, 2, 28)
    assert calc.appointed_term_end(date(2016, 2, 29)) == date(2018, 2, 27)


def test_the_defaults_cover_every_round_kind_with_known_committees_and_grades() -> None:
    assert set(calc.DEFAULT_STAGES) == set(calc.DEFAULT_QUOTAS) == set(RoundKind.values)
    for specs in calc.DEFAULT_STAGES.values():
        assert {s.committee_kind for s in specs} <= set(CommitteeKind.values)
    for quotas in calc.DEFAULT_QUOTAS.values():
        assert [q.grade for q in quotas] == list(calc.GRADE_ORDER)


def test_grades_sort_best_first_and_are_importable_from_models() -> None:
    assert sorted(["merit", "grand", "excellent", ""], key=calc.grade_position) == [
        "grand",
        "excellent",
        "merit",
        "",
    ]
    assert Grade is calc.Grade and str(Grade.GRAND.label) == "최우수"


def test_the_audit_values_read_as_korean_words_per_criterion() -> None:
    sheet = {
        "status": "submitted",
        "comment": "",
        "scores": {
            "창의성": {"value": 9, "comment": "참신함"},
            "노력도": {"value": 7, "comment": ""},
        },
    }
    assert audit_lines(sheet) == [
        "창의성: 9점 — 참신함",
        "노력도: 7점",
        "상태: 제출",
        "종합 의견: -",
    ]
    award = {"entry": 3, "grade": "grand", "prize_won": 300000, "performance_points": "2.0"}
    assert audit_lines(award) == [
        "출품작 번호: 3",
        "등급: 최우수",
        "상금(원): 300,000",
        "성과포인트: 2.0",
    ]
    assert audit_lines({"advances": True, "tie": False}) == ["다음 단계 진출: 예", "동점: 아니오"]
    assert audit_lines(None) == []
