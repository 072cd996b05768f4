"""The writes: intake, receipt numbers, lifecycle, duplicates, personal data, rounds."""

from datetime import date, datetime

import pytest
from django.core import mail
from django.utils import timezone

from board.models import Post
from common.errors import ServiceError
from org.tests.factories import DepartmentFactory, portal_admin, staff_user
from proposals import services
from proposals.calculations import Status
from proposals.consent import CURRENT_VERSION
from proposals.models import (
    BenchmarkCase,
    Channel,
    LinkKind,
    PersonalDataAccess,
    Proposal,
    ProposalEvent,
    ProposerKind,
)
from scoring.models import Activity, ActivityKind

from .factories import BenchmarkCaseFactory, ThemeTaskFactory, resident_proposal, staff_proposal

pytestmark = pytest.mark.django_db

SEOUL = timezone.get_fixed_timezone(9 * 60)


def at(y: int, m: int, d: int) -> datetime:
    return datetime(y, m, d, 10, 0, tzinfo=SEOUL)


def test_it_numbers_receipts_per_year_and_kind() -> None:
    a = resident_proposal(at=at(2016, 3, 2))
    b = resident_proposal(at=at(2016, 3, 3))
    c = resident_proposal(at=at(2017, 1, 2))
    s = staff_proposal(at=at(2016, 3, 4))
    assert [a.receipt_number, b.receipt_number, c.receipt_number] == [
        "2016-R-00001", "2016-R-00002", "2017-R-00001",
    ]  # fmt: skip
    assert s.receipt_number == "2016-S-00001"


def test_it_stores_the_consent_version_and_time_and_the_retention_end() -> None:
    p = resident_proposal(at=at(2016, 3, 2))
    assert p.consent_version == CURRENT_VERSION
    assert p.consented_at == at(2016, 3, 2)
    assert p.retain_until == date(2019, 3, 2)
    assert p.events.get().to_status == Status.RECEIVED


def test_it_refuses_a_resident_proposal_without_consent_or_contact() -> None:
    with pytest.raises(ServiceError):
        services.resident_proposal_submit(
            title="t", content="c", proposer_name="김민수", phone="010-1111-2222",
            consent_version="",
        )  # fmt: skip
    with pytest.raises(ServiceError):
        services.resident_proposal_submit(
            title="t", content="c", proposer_name="김민수", consent_version=CURRENT_VERSION
        )
    assert not Proposal.objects.exists()


def test_staff_register_other_channels_with_the_date_received() -> None:
    desk = staff_user()
    with pytest.raises(ServiceError):
        services.resident_proposal_submit(
            title="t", content="c", proposer_name="박철수", phone="02-2260-1234",
            consent_version=CURRENT_VERSION, channel=Channel.MAIL,
        )  # fmt: skip
    p = resident_proposal(channel=Channel.MAIL, registered_by=desk, at=at(2016, 2, 20))
    assert p.registered_by == desk
    assert p.received_at == at(2016, 2, 20)
    assert p.events.get().actor == desk


def test_a_staff_proposal_is_a_proposal_area_board_post() -> None:
    author = staff_user()
    task = ThemeTaskFactory()
    p = staff_proposal(author=author, theme_task=task)
    assert p.kind == ProposerKind.STAFF
    assert p.post.area == "proposal"
    assert p.post.author == author
    assert "무인 발급기" in p.post.body
    assert p.department == task.department
    assert Activity.objects.filter(user=author, kind=ActivityKind.PROPOSAL_SUBMITTED).exists()


def test_a_staff_proposal_on_a_closed_theme_round_is_refused() -> None:
    task = ThemeTaskFactory(round__opens_on=date(2016, 4, 1), round__closes_on=date(2016, 4, 30))
    with pytest.raises(ServiceError):
        staff_proposal(theme_task=task, at=at(2016, 5, 2))
    assert not Post.objects.exists()


def test_each_step_keeps_who_when_why() -> None:
    admin = portal_admin()
    p = resident_proposal(at=at(2016, 3, 2))
    services.proposal_transition(proposal=p, to_status=Status.REVIEWING, actor=admin,
                                 at=at(2016, 3, 3))  # fmt: skip
    services.proposal_transition(proposal=p, to_status=Status.REJECTED, actor=admin,
                                 reason="이미 시행 중입니다", at=at(2016, 3, 5))  # fmt: skip
    steps = list(
        ProposalEvent.objects.filter(proposal=p).values_list("to_status", "actor", "reason")
    )
    assert steps == [
        (Status.RECEIVED, None, "홈페이지"),
        (Status.REVIEWING, admin.pk, ""),
        (Status.REJECTED, admin.pk, "이미 시행 중입니다"),
    ]
    p.refresh_from_db()
    assert p.answer == "이미 시행 중입니다"
    assert p.decided_at == at(2016, 3, 5)


def test_a_forbidden_step_or_a_missing_reason_changes_nothing() -> None:
    p = resident_proposal()
    with pytest.raises(ServiceError):
        services.proposal_transition(proposal=p, to_status=Status.ADOPTED, actor=None)
    services.proposal_transition(proposal=p, to_status=Status.REVIEWING, actor=None)
    with pytest.raises(ServiceError):
        services.proposal_transition(proposal=p, to_status=Status.REJECTED, actor=None, reason="")
    p.refresh_from_db()
    assert p.status == Status.REVIEWING
    assert p.events.count() == 2


def test_supplement_pauses_the_clock() -> None:
    p = resident_proposal(at=at(2016, 3, 2))
    services.proposal_transition(
        proposal=p, to_status=Status.REVIEWING, actor=None, at=at(2016, 3, 3)
    )
    services.proposal_transition(proposal=p, to_status=Status.SUPPLEMENT, actor=None,
                                 reason="위치를 알려 주세요", at=at(2016, 3, 10))  # fmt: skip
    p.refresh_from_db()
    assert p.paused_since == date(2016, 3, 10)
    services.proposal_transition(
        proposal=p, to_status=Status.REVIEWING, actor=None, at=at(2016, 3, 24)
    )
    p.refresh_from_db()
    assert (p.paused_days, p.paused_since) == (14, None)
    from proposals.selectors import decision_due, is_overdue

    assert decision_due(p, date(2016, 4, 10)) == date(2016, 4, 16)
    assert not is_overdue(p, date(2016, 4, 16))
    assert is_overdue(p, date(2016, 4, 17))


def test_implementation_late_needs_a_reason() -> None:
    p = resident_proposal()
    for s in (Status.REVIEWING, Status.RECOMMENDED, Status.JUDGING, Status.ADOPTED):
        services.proposal_transition(proposal=p, to_status=s, actor=None,
                                     planned_on=date(2016, 6, 1) if s == Status.ADOPTED else None)  # fmt: skip
    with pytest.raises(ServiceError):
        services.proposal_transition(proposal=p, to_status=Status.IMPLEMENTED, actor=None,
                                     implemented_on=date(2016, 7, 1))  # fmt: skip
    services.proposal_transition(proposal=p, to_status=Status.IMPLEMENTED, actor=None,
                                 implemented_on=date(2016, 7, 1), delay_reason="예산 배정 지연")  # fmt: skip
    p.refresh_from_db()
    assert (p.planned_on, p.implemented_on, p.delay_reason) == (
        date(2016, 6, 1), date(2016, 7, 1), "예산 배정 지연",
    )  # fmt: skip


def test_the_resident_is_emailed_on_decisions_after_commit(
    django_capture_on_commit_callbacks,
) -> None:
    p = resident_proposal(email="minsu@example.kr")
    services.proposal_transition(proposal=p, to_status=Status.REVIEWING, actor=None)
    with django_capture_on_commit_callbacks(execute=True):
        services.proposal_transition(proposal=p, to_status=Status.REJECTED, actor=None,
                                     reason="이미 시행 중")  # fmt: skip
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["minsu@example.kr"]
    assert "불채택" in mail.outbox[0].subject
    assert "이미 시행 중" in mail.outbox[0].body


def test_the_staff_author_is_notified_in_the_portal() -> None:
    from notifications.models import Notification

    p = staff_proposal()
    services.proposal_transition(proposal=p, to_status=Status.REVIEWING, actor=None)
    services.proposal_transition(proposal=p, to_status=Status.RECOMMENDED, actor=None)
    assert Notification.objects.filter(recipient=p.author).count() == 1


def test_a_later_proposal_links_to_the_earlier_one_never_the_reverse() -> None:
    admin = portal_admin()
    first = resident_proposal(at=at(2016, 3, 2))
    again = resident_proposal(channel=Channel.EPEOPLE, at=at(2016, 3, 9))
    with pytest.raises(ServiceError):
        services.proposal_link(proposal=first, primary=again, kind=LinkKind.SAME_IDEA, actor=admin)
    services.proposal_link(proposal=again, primary=first, kind=LinkKind.SAME_IDEA, actor=admin)
    third = resident_proposal(at=at(2016, 3, 20))
    services.proposal_link(proposal=third, primary=again, kind=LinkKind.DUPLICATE, actor=admin)
    third.refresh_from_db()
    assert third.linked_to == first  # the chain's first keeps the priority


def test_anonymization_blanks_expired_personal_data_once() -> None:
    old = resident_proposal(proposer_name="김민수", email="m@example.kr", at=at(2012, 1, 5))
    new = resident_proposal(proposer_name="이영희", at=at(2016, 1, 5))
    staff = staff_proposal(at=at(2012, 1, 5))
    assert services.personal_data_anonymize_expired(today=date(2016, 3, 1)) == 1
    old.refresh_from_db()
    new.refresh_from_db()
    assert (old.proposer_name, old.phone, old.email, old.dong) == (
        services.ANONYMIZED_NAME,
        "",
        "",
        "",
    )
    assert old.anonymized_at is not None
    assert new.proposer_name == "이영희"
    assert Proposal.objects.get(pk=staff.pk).author_id == staff.author_id
    before = list(Proposal.objects.values_list("pk", "proposer_name", "phone", "anonymized_at"))
    assert services.personal_data_anonymize_expired(today=date(2016, 3, 1)) == 0
    assert (
        list(Proposal.objects.values_list("pk", "proposer_name", "phone", "anonymized_at"))
        == before
    )
    assert PersonalDataAccess.objects.filter(action="anonymize").count() == 1


def test_access_records_say_who_whose_and_what_without_the_full_name() -> None:
    admin = portal_admin()
    p = resident_proposal(proposer_name="김민수")
    s = staff_proposal()
    assert services.personal_data_access_record(actor=admin, proposals=[p, s], action="export") == 1
    row = PersonalDataAccess.objects.get()
    assert (row.actor, row.proposal, row.action) == (admin, p, "export")
    assert row.subject == f"{p.receipt_number} 김*수"


def test_benchmark_cases_need_a_reason_and_follow_their_order() -> None:
    reviewer = staff_user()
    case = BenchmarkCaseFactory()
    with pytest.raises(ServiceError):
        services.benchmark_case_advance(
            case=case, state=BenchmarkCase.State.APPLICABLE, actor=reviewer
        )
    with pytest.raises(ServiceError):
        services.benchmark_case_advance(case=case, state=BenchmarkCase.State.IMPLEMENTED,
                                        actor=reviewer, reason="x")  # fmt: skip
    for state in (BenchmarkCase.State.APPLICABLE, BenchmarkCase.State.ADOPTED,
                  BenchmarkCase.State.IMPLEMENTED):  # fmt: skip
        case = services.benchmark_case_advance(case=case, state=state, actor=reviewer,
                                               reason="적용 가능: 교차로 5곳")  # fmt: skip
    assert case.state == BenchmarkCase.State.IMPLEMENTED
    assert case.reviewed_by == reviewer
    assert case.adopted_on and case.implemented_on


def test_theme_tasks_only_before_the_round_closes() -> None:
    task = ThemeTaskFactory(round__opens_on=date(2016, 4, 1), round__closes_on=date(2016, 4, 30))
    with pytest.raises(ServiceError):
        services.theme_task_create(round=task.round, department=DepartmentFactory(), title="x",
                                   actor=None, at=at(2016, 5, 1))  # fmt: skip
    services.theme_task_create(round=task.round, department=DepartmentFactory(), title="x",
                               actor=None, at=at(2016, 4, 2))  # fmt: skip
    assert task.round.tasks.count() == 2


def test_history_seed_is_idempotent() -> None:
    from proposals.models import HistoricalStatistic

    services.history_seed()
    services.history_seed()
    assert HistoricalStatistic.objects.count() == 3


def _recommended(p: Proposal) -> Proposal:
    services.proposal_transition(proposal=p, to_status=Status.REVIEWING, actor=None)
    return services.proposal_transition(proposal=p, to_status=Status.RECOMMENDED, actor=None)


def test_evaluation_hands_recommended_unlinked_proposals_to_a_contests_round() -> None:
    from contests.models import Entry, Round

    admin = portal_admin()
    staff = _recommended(staff_proposal(at=at(2016, 2, 1)))
    resident = _recommended(resident_proposal(proposer_name="김민수", at=at(2016, 3, 1)))
    linked = _recommended(resident_proposal(at=at(2016, 3, 5)))
    services.proposal_link(proposal=linked, primary=resident, kind=LinkKind.SAME_IDEA, actor=admin)
    resident_proposal(at=at(2016, 3, 6))  # not recommended
    _recommended(resident_proposal(at=at(2016, 8, 1)))  # outside the period
    ev = services.evaluation_create(title="2016년 상반기 제안 심사", period_start=date(2016, 1, 1),
                                    period_end=date(2016, 6, 30), actor=admin)  # fmt: skip
    rnd = Round.objects.get(pk=ev.contests_round_id)
    assert rnd.kind == "half_year_proposals"
    entries = {e.source_id: e for e in Entry.objects.filter(round=rnd)}
    assert set(entries) == {staff.pk, resident.pk}
    assert entries[resident.pk].owner is None
    assert entries[resident.pk].owner_name == "김*수"
    assert entries[staff.pk].owner == staff.author
    assert set(ev.proposals.values_list("status", flat=True)) == {Status.JUDGING}
    again = services.evaluation_create(title="2016년 상반기 제안 심사", period_start=date(2016, 1, 1),
                                       period_end=date(2016, 6, 30), actor=None)  # fmt: skip
    assert again == ev and Round.objects.count() == 1


def test_results_sync_reads_grades_back_once() -> None:
    from contests.models import Award, Entry

    admin = portal_admin()
    staff = _recommended(staff_proposal(at=at(2016, 2, 1)))
    resident = _recommended(resident_proposal(at=at(2016, 3, 1)))
    ev = services.evaluation_create(title="상반기", period_start=date(2016, 1, 1),
                                    period_end=date(2016, 6, 30), actor=admin)  # fmt: skip
    entry = Entry.objects.get(source_id=staff.pk, source_type=services.SOURCE_TYPE)
    Award.objects.create(round_id=ev.contests_round_id, entry=entry, grade="grand",
                         prize_won=300_000, performance_points=2, confirmed_by=admin,
                         confirmed_at=timezone.now())  # fmt: skip
    assert services.evaluation_results_sync(evaluation=ev, actor=admin) == 1
    assert services.evaluation_results_sync(evaluation=ev, actor=admin) == 0
    staff.refresh_from_db()
    resident.refresh_from_db()
    assert (staff.status, staff.grade, staff.prize_won) == (Status.AWARDED, "grand", 300_000)
    assert resident.status == Status.JUDGING
    from proposals.exports import staff_performance_rows

    rows = staff_performance_rows(evaluation=ev)
    assert [(r.receipt_number, r.performance_points, r.roster_bonus) for r in rows] == [
        (staff.receipt_number, 2.0, 0.2)
    ]


def test_resident_awards_give_no_performance_points() -> None:
    from proposals.exports import staff_performance_rows

    p = resident_proposal()
    Proposal.objects.filter(pk=p.pk).update(grade="excellent", prize_won=200_000)
    assert staff_performance_rows() == []


def test_every_new_proposal_is_checked_against_earlier_ones() -> None:
    earlier = resident_proposal(
        title="골목길 가로등 밝기 개선", content="신당동 골목길 가로등이 어두워 밤길이 위험합니다.",
        at=at(2016, 3, 1),
    )  # fmt: skip
    later = staff_proposal(
        title="가로등 밝기 개선", content="골목길 가로등을 밝게 해 밤길을 안전하게",
        current_problem="골목길이 어둡습니다", at=at(2016, 3, 5),
    )  # fmt: skip
    other = resident_proposal(title="구청 주차장 주말 개방", content="주말에 열어 주세요.")
    assert later.similar_to == earlier and later.similar_score >= 0.3
    assert earlier.similar_to is None and other.similar_to is None


def test_a_theme_round_goes_to_its_own_evaluation() -> None:
    from contests.models import Entry, Round

    task = ThemeTaskFactory(round__opens_on=date(2016, 4, 1), round__closes_on=date(2016, 4, 30))
    on_task = _recommended(staff_proposal(theme_task=task, at=at(2016, 4, 10)))
    _recommended(staff_proposal(at=at(2016, 4, 11)))  # a plain proposal stays for the half-year
    ev = services.evaluation_create(title="4월 테마제안 심사", period_start=date(2016, 4, 1),
                                    period_end=date(2016, 4, 30), theme_round=task.round,
                                    actor=None)  # fmt: skip
    assert Round.objects.get(pk=ev.contests_round_id).kind == "theme_proposals"
    assert list(Entry.objects.values_list("source_id", flat=True)) == [on_task.pk]


def test_a_duplicate_staff_proposal_loses_its_board_points() -> None:
    from board.services import post_approve

    admin = portal_admin()
    first = staff_proposal(at=at(2016, 3, 1))
    later = staff_proposal(at=at(2016, 3, 9))
    post_approve(post=later.post, reviewer=admin)
    approval = Activity.objects.get(kind=ActivityKind.APPROVAL, user=later.author)
    assert approval.voided_at is None
    services.proposal_link(proposal=later, primary=first, kind=LinkKind.DUPLICATE, actor=admin)
    approval.refresh_from_db()
    later.post.refresh_from_db()
    assert approval.voided_at is not None
    assert later.post.duplicate_of == first.post


def test_a_proposal_already_in_an_evaluation_cannot_be_linked() -> None:
    admin = portal_admin()
    first = _recommended(resident_proposal(at=at(2016, 3, 1)))
    later = _recommended(resident_proposal(at=at(2016, 3, 2)))
    services.evaluation_create(title="상반기", period_start=date(2016, 1, 1),
                               period_end=date(2016, 6, 30), actor=admin)  # fmt: skip
    later.refresh_from_db()
    with pytest.raises(ServiceError):
        services.proposal_link(proposal=later, primary=first, kind=LinkKind.SAME_IDEA, actor=admin)
