"""Reads: the status lookup, duplicates, statistics with the seeded history."""

from datetime import date, datetime

import pytest
from django.utils import timezone

from proposals import selectors, services
from proposals.calculations import Status
from proposals.models import Channel, Proposal

from .factories import resident_proposal, staff_proposal

pytestmark = pytest.mark.django_db
SEOUL = timezone.get_fixed_timezone(9 * 60)


def at(y: int, m: int, d: int, h: int = 10) -> datetime:
    return datetime(y, m, d, h, 0, tzinfo=SEOUL)


def test_the_lookup_needs_the_receipt_and_the_contact_given() -> None:
    p = resident_proposal(phone="010-1234-5678", email="a@example.kr")
    other = resident_proposal(phone="010-9999-8888")
    assert (
        selectors.proposal_by_receipt(receipt_number=p.receipt_number, contact="01012345678") == p
    )
    assert selectors.proposal_by_receipt(receipt_number=p.receipt_number.lower(),
                                         contact="A@example.kr") == p  # fmt: skip
    assert (
        selectors.proposal_by_receipt(receipt_number=p.receipt_number, contact="010-9999-8888")
        is None
    )
    assert (
        selectors.proposal_by_receipt(receipt_number="2016-R-99999", contact="010-1234-5678")
        is None
    )
    assert selectors.proposal_by_receipt(receipt_number="garbage", contact="010-1234-5678") is None
    assert other.pk != p.pk


def test_staff_proposals_cannot_be_looked_up_publicly() -> None:
    s = staff_proposal()
    assert selectors.proposal_by_receipt(receipt_number=s.receipt_number, contact="") is None


def test_the_seeded_history_gives_the_2015_figures() -> None:
    halves = selectors.half_year_statistics(year=2015)
    assert [(s.half, s.total, s.residents, s.staff) for s in halves] == [
        (1, 207, 141, 66),
        (2, 177, 134, 43),
    ]
    assert halves[0].awards == {"grand": 0, "excellent": 3, "merit": 6}
    assert halves[1].awards == {"grand": 1, "excellent": 4, "merit": 4}
    assert selectors.year_totals(years=[2014, 2015]) == [(2014, 327, None), (2015, 384, 57)]


def test_live_halves_are_counted_by_proposer_channel_and_grade() -> None:
    resident_proposal(at=at(2016, 1, 5))
    resident_proposal(channel=Channel.MAIL, at=at(2016, 6, 30, 23))  # still June in Seoul
    resident_proposal(channel=Channel.EPEOPLE, at=at(2016, 7, 1, 0))
    awarded = staff_proposal(at=at(2016, 3, 1))
    Proposal.objects.filter(pk=awarded.pk).update(grade="excellent")
    services.statistics_tally_rebuild()  # the grade was set outside the services
    first, second = selectors.half_year_statistics(year=2016)
    assert (first.total, first.residents, first.staff) == (3, 2, 1)
    assert first.by_channel["web"] == 1 and first.by_channel["mail"] == 1
    assert first.by_channel["board"] == 1
    assert first.awards == {"grand": 0, "excellent": 1, "merit": 0}
    assert (second.total, second.residents, second.staff) == (1, 1, 0)
    assert second.by_channel["epeople"] == 1


def test_statistics_take_a_constant_number_of_queries(django_assert_max_num_queries) -> None:
    for i in range(3):
        resident_proposal(at=at(2016, 2, 1 + i))
    with django_assert_max_num_queries(3):
        selectors.half_year_statistics(year=2016)
    for i in range(20):
        resident_proposal(at=at(2016, 8, 1 + i))
    with django_assert_max_num_queries(3):
        selectors.half_year_statistics(year=2016)


def test_duplicates_are_earlier_or_adopted_proposals_that_look_alike() -> None:
    earlier = resident_proposal(title="골목길 가로등 밝기 개선",
                                content="신당동 골목길 가로등이 어두워 밤길이 위험합니다.",
                                at=at(2016, 3, 1))  # fmt: skip
    unrelated = resident_proposal(title="구청 주차장 주말 개방", content="주말에 주차장을 열어 주세요.",
                                  at=at(2016, 3, 2))  # fmt: skip
    later = staff_proposal(title="가로등 밝기 개선", content="골목길 가로등을 밝게 해 밤길을 안전하게",
                           current_problem="골목길이 어둡습니다", at=at(2016, 3, 5))  # fmt: skip
    found = [c.proposal for c in selectors.duplicate_candidates(proposal=later)]
    assert found == [earlier]
    assert unrelated not in found
    # The earlier one does not list the later one... unless the later was adopted.
    assert selectors.duplicate_candidates(proposal=earlier) == []
    for s in (Status.REVIEWING, Status.RECOMMENDED, Status.JUDGING, Status.ADOPTED):
        services.proposal_transition(proposal=later, to_status=s, actor=None)
    adopted = selectors.duplicate_candidates(proposal=earlier)
    assert [c.proposal.pk for c in adopted] == [later.pk] and adopted[0].adopted


def test_overdue_lists_only_running_clocks_past_a_month() -> None:
    today = date(2016, 5, 1)
    late = resident_proposal(at=at(2016, 3, 1))
    resident_proposal(at=at(2016, 4, 20))
    done = resident_proposal(at=at(2016, 3, 1))
    services.proposal_transition(proposal=done, to_status=Status.REJECTED, actor=None, reason="x")
    assert [p.pk for p in selectors.overdue_proposals(today=today)] == [late.pk]


def test_statistics_years_are_history_years_with_proposals_and_this_year() -> None:
    resident_proposal(at=at(2019, 5, 1))
    assert selectors.statistics_years(today=date(2026, 11, 27)) == [2014, 2015, 2019, 2026]


def test_the_monthly_summary_kept_by_the_services_equals_a_rebuild() -> None:
    from proposals.models import MonthlyTally

    resident_proposal(at=at(2016, 1, 31, 23))
    resident_proposal(channel=Channel.MAIL, at=at(2016, 2, 1, 0))
    resident_proposal(at=at(2016, 2, 3))
    staff_proposal(at=at(2016, 12, 31, 23))

    def cells() -> set:
        return set(
            MonthlyTally.objects.filter(n__gt=0).values_list(
                "month", "kind", "channel", "grade", "n"
            )
        )

    kept = cells()
    assert services.statistics_tally_rebuild() == len(kept)
    assert cells() == kept
    assert (date(2016, 1, 1), "resident", "web", "", 1) in kept
    assert (date(2016, 2, 1), "resident", "web", "", 1) in kept
