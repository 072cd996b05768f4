"""Pure rules: no database."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from common import periods
from contests.calculations import DEFAULT_QUOTAS, roster_bonus
from contests.models import Grade
from proposals import calculations as calc
from proposals.calculations import Status

pytestmark = pytest.mark.smoke


@pytest.mark.parametrize(
    ("name", "masked"),
    [("김민수", "김*수"), ("홍길", "홍*"), ("남궁민수", "남**수"), ("김", "김"), ("", "")],
)
def test_it_masks_names(name: str, masked: str) -> None:
    assert calc.mask_name(name) == masked


@pytest.mark.parametrize(
    ("phone", "masked"),
    [
        ("010-1234-5678", "010-****-5678"),
        ("01012345678", "010-****-5678"),
        ("02-2260-1234", "02-****-1234"),
        ("", ""),
    ],
)
def test_it_masks_phones(phone: str, masked: str) -> None:
    assert calc.mask_phone(phone) == masked


def test_it_masks_emails_keeping_the_domain() -> None:
    assert calc.mask_email("minsu@example.kr") == "mi***@example.kr"
    assert "minsu" not in calc.mask_email("minsu@example.kr")


def test_it_allows_only_the_table_transitions() -> None:
    assert calc.can_transition(Status.RECEIVED, Status.REVIEWING)
    assert calc.can_transition(Status.SUPPLEMENT, Status.REVIEWING)
    assert not calc.can_transition(Status.RECEIVED, Status.ADOPTED)
    assert not calc.can_transition(Status.REJECTED, Status.REVIEWING)
    assert not calc.can_transition(Status.IMPLEMENTED, Status.AWARDED)


def test_it_requires_a_reason_for_rejection_and_supplement() -> None:
    assert calc.transition_error(Status.REVIEWING, Status.REJECTED, "") is not None
    assert calc.transition_error(Status.REVIEWING, Status.SUPPLEMENT, " ") is not None
    assert calc.transition_error(Status.REVIEWING, Status.REJECTED, "예산 부족") is None


def test_it_adds_a_month_clamped_to_month_end() -> None:
    assert periods.add_months(date(2016, 1, 31), 1) == date(2016, 2, 29)
    assert periods.add_months(date(2016, 12, 15), 1) == date(2017, 1, 15)
    assert periods.add_months(date(2016, 3, 10), -3) == date(2015, 12, 10)


def test_the_clock_is_a_month_pushed_back_by_pauses() -> None:
    assert calc.decision_due(date(2016, 3, 2), 0) == date(2016, 4, 2)
    assert calc.decision_due(date(2016, 3, 2), 10) == date(2016, 4, 12)


def test_it_marks_overdue_only_while_the_clock_runs() -> None:
    common = {"received_on": date(2016, 3, 2), "paused_days": 0, "paused_since": None}
    assert calc.is_overdue(status=Status.REVIEWING, today=date(2016, 4, 3), **common)
    assert not calc.is_overdue(status=Status.REVIEWING, today=date(2016, 4, 2), **common)
    assert not calc.is_overdue(status=Status.RECOMMENDED, today=date(2016, 6, 1), **common)
    assert not calc.is_overdue(status=Status.SUPPLEMENT, today=date(2016, 6, 1), **common)


def test_an_open_pause_counts_until_today() -> None:
    assert calc.paused_days_total(3, date(2016, 4, 1), date(2016, 4, 11)) == 13
    # Came back from 보완요청 after 20 days paused: still in time on day 40.
    assert not calc.is_overdue(
        status=Status.REVIEWING, received_on=date(2016, 3, 1), paused_days=20,
        paused_since=None, today=date(2016, 4, 10),
    )  # fmt: skip


def test_receipt_numbers_round_trip() -> None:
    assert calc.receipt_number(2016, "R", 42) == "2016-R-00042"
    assert calc.parse_receipt("2016-r-00042") == (2016, "R", 42)
    assert calc.parse_receipt("2016-00042") is None
    assert calc.parse_receipt("' OR 1=1 --") is None


def test_the_contact_must_match_phone_or_email() -> None:
    assert calc.contact_matches(given="01012345678", phone="010-1234-5678", email="")
    assert calc.contact_matches(given="A@Example.kr ", phone="", email="a@example.kr")
    assert not calc.contact_matches(given="010-1234-0000", phone="010-1234-5678", email="")
    assert not calc.contact_matches(given="", phone="", email="")
    assert not calc.contact_matches(given="a@example.kr", phone="010", email="")


def test_staff_get_points_and_a_ten_percent_bonus_residents_only_the_prize() -> None:
    # The figures are the contests app's (one rulebook): its proposal quotas and roster bonus.
    quotas = {q.grade: q for q in DEFAULT_QUOTAS["half_year_proposals"]}
    top = quotas[Grade.GRAND]
    assert (top.prize_won, top.performance_points, roster_bonus(top.performance_points)) == (
        300_000, 2.0, Decimal("0.2"),
    )  # fmt: skip
    merit = quotas[Grade.MERIT]
    assert (merit.performance_points, roster_bonus(merit.performance_points)) == (
        Decimal("0.5"), Decimal("0.05"),
    )  # fmt: skip
    assert quotas[Grade.EXCELLENT].prize_won == 200_000
    # residents: contests confirms no points for an award without a staff owner (see
    # test_services.test_resident_awards_give_no_performance_points).


def test_half_years_split_in_june() -> None:
    assert periods.half_of(date(2016, 6, 30)) == 1
    assert periods.half_of(date(2016, 7, 1)) == 2
    h2 = periods.half(2016, 2)
    assert (h2.start, h2.last_day) == (date(2016, 7, 1), date(2016, 12, 31))


@given(st.dates(min_value=date(2016, 1, 1), max_value=date(2030, 12, 31)))
def test_the_overdue_bound_agrees_with_the_clock(today: date) -> None:
    bound = calc.overdue_bound(today)
    for offset in range(-3, 4):
        received = bound + timedelta(days=offset)
        overdue = calc.is_overdue(status=Status.RECEIVED, received_on=received, paused_days=0,
                                  paused_since=None, today=today)  # fmt: skip
        assert overdue == (received < bound)


def test_receipt_dates_are_bounded() -> None:
    today = date(2016, 5, 1)
    assert calc.received_on_error(date(2016, 5, 1), today) is None
    assert calc.received_on_error(date(2016, 1, 1), today) is None
    assert calc.received_on_error(date(2016, 5, 2), today) is not None  # the future
    assert calc.received_on_error(date(1, 1, 1), today) is not None  # 0001-01-01
    assert calc.received_on_error(date(2015, 12, 31), today) is not None


def test_redaction_removes_phones_addresses_emails_and_the_name() -> None:
    text = "저는 회현동 12-3에 삽니다. 정민서(010-1234-5678, ms@example.kr), 민서 올림. 퇴계로 123번길 4"
    out = calc.redact(text, ["정민서"])
    for secret in ("12-3", "정민서", "민서", "010-1234-5678", "ms@example.kr", "123번길"):
        assert secret not in out
    assert "회현동 주민센터 앞" == calc.redact("회현동 주민센터 앞", ["정민서"])  # place names stay
    assert calc.redact("", ["정민서"]) == ""
