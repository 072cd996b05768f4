"""Pure rules: no database."""

from datetime import date

import pytest

from proposals import calculations as calc
from proposals.calculations import Grade, Status

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
    assert calc.add_months(date(2016, 1, 31), 1) == date(2016, 2, 29)
    assert calc.add_months(date(2016, 12, 15), 1) == date(2017, 1, 15)
    assert calc.add_months(date(2016, 3, 10), -3) == date(2015, 12, 10)


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
    top = calc.incentive_for(Grade.GRAND, is_staff=True)
    assert (top.prize_won, top.performance_points, top.roster_bonus) == (300_000, 2.0, 0.2)
    merit = calc.incentive_for(Grade.MERIT, is_staff=True)
    assert (merit.performance_points, merit.roster_bonus) == (0.5, 0.05)
    resident = calc.incentive_for(Grade.EXCELLENT, is_staff=False)
    assert (resident.prize_won, resident.performance_points, resident.roster_bonus) == (
        200_000,
        0,
        0,
    )


def test_half_years_split_in_june() -> None:
    assert calc.half_of(date(2016, 6, 30)) == 1
    assert calc.half_of(date(2016, 7, 1)) == 2
    assert calc.half_bounds(2016, 2) == (date(2016, 7, 1), date(2016, 12, 31))
