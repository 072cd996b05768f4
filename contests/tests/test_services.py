from datetime import date, datetime
from decimal import Decimal
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from common.errors import ServiceError
from contests import services
from contests.models import (
    Assignment,
    AuditEntry,
    Award,
    AwardQuota,
    CommitteeKind,
    Entry,
    Grade,
    PrizePayment,
    Recusal,
    Result,
    Score,
    ScoreSheet,
    SheetStatus,
    Stage,
    StageEntry,
    StageStatus,
)
from contests.selectors import awards_for_source, budget_summary
from contests.tests.factories import committee, member, single_stage_round
from org.tests.factories import DepartmentFactory, portal_admin, staff_user

pytestmark = pytest.mark.django_db
SEOUL = ZoneInfo("Asia/Seoul")
AT = datetime(2016, 5, 10, 10, 0, tzinfo=SEOUL)


def _scores(stage: Stage, *values: int) -> dict[int, int]:
    return {c.pk: v for c, v in zip(stage.criteria.order_by("order"), values, strict=True)}


@pytest.fixture
def setup() -> dict:
    """A one-stage round with two members and two entries from other departments."""
    wp = committee(CommitteeKind.WORKING_PANEL)
    m1, m2 = member(wp), member(wp)
    rnd = single_stage_round()
    e1 = services.entry_create(
        round=rnd,
        title="민원 안내 문자",
        owner=staff_user(),
        source_type="proposal",
        source_id=1,
        at=AT,
    )
    e2 = services.entry_create(
        round=rnd,
        title="골목 청소 지도",
        owner_name="홍길동",
        source_type="proposal",
        source_id=2,
        at=AT,
    )
    stage = rnd.stages.get()
    services.stage_open(stage=stage, at=AT)
    return {"round": rnd, "stage": stage, "m1": m1, "m2": m2, "e1": e1, "e2": e2}


def test_it_creates_a_round_with_the_kinds_default_stages_and_quotas() -> None:
    rnd = services.round_create(kind="best_practice", year=2016, title="2016 우수사례 경진대회")
    stages = list(rnd.stages.order_by("order"))
    assert [s.committee.kind for s in stages] == [
        "working_panel",
        "promotion_board",
        "promotion_board",
    ]
    assert stages[1].advance_count == 6
    assert [c.name for c in stages[0].criteria.all()] == [
        "창의성",
        "실시가능성",
        "효과성·경제성",
        "적용범위",
        "노력도",
    ]
    quotas = {q.grade: (q.count, q.prize_won) for q in rnd.quotas.all()}
    assert quotas == {"grand": (1, 1_000_000), "excellent": (2, 700_000), "merit": (3, 500_000)}


@pytest.mark.parametrize(
    ("kind", "expected"),
    [
        (
            "half_year_proposals",
            {
                "grand": (1, 300_000, "2.0"),
                "excellent": (2, 200_000, "1.0"),
                "merit": (3, 100_000, "0.5"),
            },
        ),
        (
            "club_review",
            {
                "grand": (1, 500_000, "0.0"),
                "excellent": (2, 300_000, "0.0"),
                "merit": (8, 200_000, "0.0"),
            },
        ),
        (
            "policy_contest",
            {
                "grand": (1, 1_000_000, "0.0"),
                "excellent": (2, 700_000, "0.0"),
                "merit": (3, 500_000, "0.0"),
            },
        ),
    ],
)
def test_it_uses_the_spec_quotas_per_kind(kind: str, expected: dict) -> None:
    rnd = services.round_create(kind=kind, year=2016, title="회차")
    got = {q.grade: (q.count, q.prize_won, str(q.performance_points)) for q in rnd.quotas.all()}
    assert got == expected


def test_entry_create_is_idempotent_per_round_and_source() -> None:
    rnd = single_stage_round()
    a = services.entry_create(
        round=rnd, title="가", source_type="proposal", source_id=7, owner_name="구민"
    )
    b = services.entry_create(round=rnd, title="나", source_type="proposal", source_id=7)
    assert a.pk == b.pk and Entry.objects.count() == 1
    assert StageEntry.objects.filter(entry=a).count() == 1


def test_opening_assigns_and_recuses_own_department_and_own_entry_automatically() -> None:
    dept = DepartmentFactory()
    wp = committee()
    same_dept = member(wp, department=dept)
    other = member(wp)
    rnd = single_stage_round(quotas=(("grand", 1, 300_000),))
    e_dept = services.entry_create(
        round=rnd,
        title="부서 제안",
        department=dept,
        owner_name="구민",
        source_type="p",
        source_id=1,
    )
    e_own = services.entry_create(
        round=rnd, title="본인 제안", owner=other.user, source_type="p", source_id=2
    )
    services.stage_open(stage=rnd.stages.get(), at=AT)
    assert Assignment.objects.count() == 4
    recused = set(Recusal.objects.values_list("entry_id", "member_id", "automatic"))
    assert recused == {(e_dept.pk, same_dept.pk, True), (e_own.pk, other.pk, True)}


def test_it_saves_a_draft_then_submits(setup: dict) -> None:
    stage, e1, m1 = setup["stage"], setup["e1"], setup["m1"]
    draft = services.score_sheet_save(
        stage=stage, entry=e1, user=m1.user, scores=_scores(stage, 8, 0), at=AT
    )
    assert draft.status == SheetStatus.DRAFT
    sheet = services.score_sheet_save(
        stage=stage,
        entry=e1,
        user=m1.user,
        scores=_scores(stage, 9, 7),
        comments={stage.criteria.first().pk: "참신함"},
        submit=True,
        at=AT,
    )
    assert sheet.pk == draft.pk and sheet.status == SheetStatus.SUBMITTED
    assert sorted(Score.objects.filter(sheet=sheet).values_list("value", flat=True)) == [7, 9]
    audit = AuditEntry.objects.filter(object_type="scoresheet", object_id=sheet.pk).order_by("id")
    assert [a.action for a in audit] == ["score_saved", "score_submitted"]
    assert audit[1].before["scores"]["창의성"]["value"] == 8
    assert audit[1].after["scores"]["창의성"]["value"] == 9
    assert audit[1].actor == m1.user


@pytest.mark.parametrize(
    ("values", "message"),
    [((11, 5), "0점부터 10점까지"), ((-1, 5), "0점부터 10점까지"), (("다섯", 5), "숫자")],
)
def test_a_score_out_of_range_is_refused_and_nothing_stored(
    setup: dict, values: tuple, message: str
) -> None:
    stage = setup["stage"]
    with pytest.raises(ServiceError) as exc:
        services.score_sheet_save(
            stage=stage,
            entry=setup["e1"],
            user=setup["m1"].user,
            scores=_scores(stage, *values),
            submit=True,
        )
    assert message in str(exc.value)
    assert ScoreSheet.objects.count() == 0 and Score.objects.count() == 0


def test_a_score_for_an_entry_not_assigned_is_refused(setup: dict) -> None:
    stage = setup["stage"]
    outsider = services.entry_create(
        round=setup["round"], title="늦게 온 제안", owner_name="구민", source_type="p", source_id=99
    )
    Assignment.objects.filter(entry=outsider).delete()
    with pytest.raises(ServiceError, match="배정되지 않은"):
        services.score_sheet_save(
            stage=stage, entry=outsider, user=setup["m1"].user, scores=_scores(stage, 5, 5)
        )
    assert ScoreSheet.objects.count() == 0


def test_a_second_score_by_the_same_member_is_refused(setup: dict) -> None:
    stage, e1, user = setup["stage"], setup["e1"], setup["m1"].user
    services.score_sheet_save(
        stage=stage, entry=e1, user=user, scores=_scores(stage, 5, 5), submit=True
    )
    with pytest.raises(ServiceError, match="이미 제출한 심사표"):
        services.score_sheet_save(
            stage=stage, entry=e1, user=user, scores=_scores(stage, 9, 9), submit=True
        )
    assert list(Score.objects.values_list("value", flat=True)) == [5, 5]


def test_the_database_allows_one_sheet_per_member_entry_and_stage(setup: dict) -> None:
    kw = {"stage": setup["stage"], "entry": setup["e1"], "member": setup["m1"], "updated_at": AT}
    ScoreSheet.objects.create(**kw)
    with pytest.raises(IntegrityError), transaction.atomic():
        ScoreSheet.objects.create(**kw)


def test_no_score_is_entered_or_changed_after_the_stage_closes(setup: dict) -> None:
    stage, e1, user = setup["stage"], setup["e1"], setup["m1"].user
    services.score_sheet_save(stage=stage, entry=e1, user=user, scores=_scores(stage, 5, 5))
    services.stage_close(stage=stage)
    with pytest.raises(ServiceError, match="마감된 심사 단계"):
        services.score_sheet_save(stage=stage, entry=e1, user=user, scores=_scores(stage, 9, 9))
    with pytest.raises(ServiceError, match="마감된 심사 단계"):
        services.score_sheet_save(
            stage=stage, entry=setup["e2"], user=user, scores=_scores(stage, 9, 9)
        )
    assert sorted(Score.objects.values_list("value", flat=True)) == [5, 5]


def test_a_member_whose_term_ended_cannot_score() -> None:
    wp = committee()
    old = member(wp, kind="appointed", term_start=date(2013, 1, 1), term_end=date(2014, 12, 31))
    member(wp)
    rnd = single_stage_round(quotas=(("grand", 1, 300_000),))
    e = services.entry_create(
        round=rnd, title="가", owner_name="구민", source_type="p", source_id=1
    )
    stage = rnd.stages.get()
    services.stage_open(stage=stage, at=AT)
    assert not Assignment.objects.filter(member=old).exists()
    with pytest.raises(ServiceError, match="임기가 끝난 위원"):
        services.score_sheet_save(
            stage=stage, entry=e, user=old.user, scores=_scores(stage, 5, 5), at=AT
        )


def test_an_appointed_member_serves_two_years_by_default() -> None:
    seat = member(
        committee(CommitteeKind.REVIEW_COMMITTEE), kind="appointed", term_start=date(2016, 3, 1)
    )
    assert seat.term_end == date(2018, 2, 28)


def test_recusal_by_hand_needs_a_reason_and_withdraws_a_draft(setup: dict) -> None:
    stage, e2, user = setup["stage"], setup["e2"], setup["m2"].user
    services.score_sheet_save(stage=stage, entry=e2, user=user, scores=_scores(stage, 3, 3))
    with pytest.raises(ServiceError, match="회피 사유"):
        services.recusal_declare(stage=stage, entry=e2, user=user, reason="  ")
    rec = services.recusal_declare(stage=stage, entry=e2, user=user, reason="제안자와 친척")
    assert not rec.automatic and ScoreSheet.objects.count() == 0
    with pytest.raises(ServiceError, match="회피한 출품작"):
        services.score_sheet_save(stage=stage, entry=e2, user=user, scores=_scores(stage, 3, 3))


@pytest.mark.smoke
def test_closing_computes_weighted_results_and_confirming_records_awards_and_prizes(
    setup: dict,
) -> None:
    stage, e1, e2 = setup["stage"], setup["e1"], setup["e2"]
    for m, (a, b) in ((setup["m1"], (10, 5)), (setup["m2"], (8, 10))):
        services.score_sheet_save(
            stage=stage, entry=e1, user=m.user, scores=_scores(stage, a, b), submit=True
        )
    services.score_sheet_save(
        stage=stage, entry=e2, user=setup["m1"].user, scores=_scores(stage, 5, 5), submit=True
    )
    services.recusal_declare(stage=stage, entry=e2, user=setup["m2"].user, reason="이해관계")
    results = {r.entry_id: r for r in services.stage_close(stage=stage, at=AT)}
    # m1: 60·1.0 + 40·0.5 = 80; m2: 60·0.8 + 40·1.0 = 88 → mean 84
    assert results[e1.pk].mean == Decimal("84.00") and results[e1.pk].rank == 1
    assert results[e1.pk].grade == Grade.GRAND and results[e2.pk].grade == Grade.EXCELLENT
    assert results[e2.pk].sheet_count == 1
    admin = portal_admin()
    awards = services.awards_confirm(round=setup["round"], by=admin, at=AT)
    assert {(a.entry_id, a.grade, a.prize_won) for a in awards} == {
        (e1.pk, "grand", 300_000),
        (e2.pk, "excellent", 200_000),
    }
    # Staff owner: the grade's performance points; the resident: none.
    assert Award.objects.get(entry=e1).performance_points == Decimal("0.0")  # quota given as 0
    assert PrizePayment.objects.filter(year=2016).count() == 2
    assert budget_summary(year=2016).spent_won == 500_000
    assert [a.grade for a in awards_for_source(source_type="proposal", source_id=2)] == [
        "excellent"
    ]
    assert AuditEntry.objects.filter(action="award_confirmed").count() == 2
    with pytest.raises(ServiceError, match="이미 수상이 확정"):
        services.awards_confirm(round=setup["round"], by=admin)


def test_performance_points_go_to_staff_owners_only() -> None:
    wp = committee()
    m = member(wp)
    rnd = services.round_create(
        kind="half_year_proposals",
        year=2016,
        title="하반기",
        stages=[services.StageSpec("심사", CommitteeKind.WORKING_PANEL)],
        quotas=[
            services.QuotaSpec("grand", 1, 300_000, Decimal("2.0")),
            services.QuotaSpec("excellent", 1, 200_000, Decimal("1.0")),
        ],
        criteria=[("창의성", 1, 10)],
    )
    staff = services.entry_create(
        round=rnd, title="직원", owner=staff_user(), source_type="p", source_id=1
    )
    resident = services.entry_create(
        round=rnd, title="구민", owner_name="구민", source_type="p", source_id=2
    )
    stage = rnd.stages.get()
    services.stage_open(stage=stage)
    services.score_sheet_save(
        stage=stage, entry=staff, user=m.user, scores=_scores(stage, 9), submit=True
    )
    services.score_sheet_save(
        stage=stage, entry=resident, user=m.user, scores=_scores(stage, 8), submit=True
    )
    services.stage_close(stage=stage)
    services.awards_confirm(round=rnd, by=portal_admin())
    assert Award.objects.get(entry=staff).performance_points == Decimal("2.0")
    assert Award.objects.get(entry=resident).performance_points == Decimal("0.0")


def test_a_tie_across_a_grade_must_be_decided_before_confirming(setup: dict) -> None:
    stage = setup["stage"]
    for e in (setup["e1"], setup["e2"]):
        services.score_sheet_save(
            stage=stage, entry=e, user=setup["m1"].user, scores=_scores(stage, 7, 7), submit=True
        )
    results = services.stage_close(stage=stage)
    assert all(r.tie and r.rank == 1 for r in results)
    admin = portal_admin()
    with pytest.raises(ServiceError, match="동점인 출품작의 등급"):
        services.awards_confirm(round=setup["round"], by=admin)
    with pytest.raises(ServiceError, match="최우수 수상은 1건까지"):
        services.awards_confirm(
            round=setup["round"],
            by=admin,
            grades={setup["e1"].pk: "grand", setup["e2"].pk: "grand"},
        )
    assert Award.objects.count() == 0 and PrizePayment.objects.count() == 0
    services.awards_confirm(
        round=setup["round"],
        by=admin,
        grades={setup["e1"].pk: "excellent", setup["e2"].pk: "grand"},
    )
    assert Award.objects.get(entry=setup["e2"]).grade == "grand"


def test_a_final_stage_with_more_awards_than_entries_does_not_open() -> None:
    member(committee())
    rnd = single_stage_round(quotas=(("grand", 1, 300_000), ("excellent", 2, 200_000)))
    services.entry_create(round=rnd, title="하나", owner_name="구민", source_type="p", source_id=1)
    with pytest.raises(
        ServiceError, match=r"시상 인원 합계\(3명\)가 심사 대상\(1건\)보다 많습니다"
    ):
        services.stage_open(stage=rnd.stages.get())
    assert rnd.stages.get().status == StageStatus.PENDING and Assignment.objects.count() == 0


def test_quotas_that_exceed_the_entries_are_refused() -> None:
    rnd = single_stage_round(quotas=(("grand", 1, 300_000),))
    services.entry_create(round=rnd, title="하나", owner_name="구민", source_type="p", source_id=1)
    with pytest.raises(ServiceError, match="출품작 수\\(1건\\)보다 많습니다"):
        services.round_quotas_set(
            round=rnd,
            quotas=[
                services.QuotaSpec("grand", 1, 300_000),
                services.QuotaSpec("merit", 3, 100_000),
            ],
        )
    assert list(AwardQuota.objects.values_list("grade", "count")) == [("grand", 1)]


def test_advancing_carries_the_top_entries_and_tied_ones_chosen() -> None:
    wp, pb = committee(), committee(CommitteeKind.PROMOTION_BOARD)
    m = member(wp)
    member(pb)
    rnd = services.round_create(
        kind="best_practice",
        year=2016,
        title="경진대회",
        stages=[
            services.StageSpec("1차", CommitteeKind.WORKING_PANEL, 1),
            services.StageSpec("발표", CommitteeKind.PROMOTION_BOARD),
        ],
        quotas=[services.QuotaSpec("grand", 1, 1_000_000)],
        criteria=[("창의성", 1, 10)],
    )
    entries = [
        services.entry_create(
            round=rnd, title=f"사례{i}", owner_name="부서", source_type="case", source_id=i
        )
        for i in range(3)
    ]
    first, final = rnd.stages.order_by("order")
    services.stage_open(stage=first)
    for e, v in zip(entries, (9, 9, 4), strict=True):
        services.score_sheet_save(
            stage=first, entry=e, user=m.user, scores=_scores(first, v), submit=True
        )
    results = {r.entry_id: r for r in services.stage_close(stage=first)}
    assert (
        results[entries[0].pk].tie and results[entries[1].pk].tie and not results[entries[2].pk].tie
    )
    with pytest.raises(ServiceError, match="동점이 아닌"):
        services.stage_advance(stage=first, include=[entries[2].pk])
    going = services.stage_advance(stage=first, include=[entries[0].pk])
    assert [e.pk for e in going] == [entries[0].pk]
    assert list(StageEntry.objects.filter(stage=final).values_list("entry_id", flat=True)) == [
        entries[0].pk
    ]
    assert Result.objects.get(stage=first, entry=entries[0]).advances


def test_prize_record_is_idempotent_per_source_and_recipient_and_refuses_floats() -> None:
    user = staff_user()
    a = services.prize_record(
        year=2016,
        amount_won=50_000,
        title="창의왕 1분기",
        recipient=user,
        source_type="scoring.winner",
        source_id=1,
    )
    b = services.prize_record(
        year=2016,
        amount_won=50_000,
        title="창의왕 1분기",
        recipient=user,
        source_type="scoring.winner",
        source_id=1,
    )
    assert a.pk == b.pk
    services.prize_record(
        year=2016,
        amount_won=50_000,
        title="창의왕 1분기",
        recipient_name="구민",
        source_type="scoring.winner",
        source_id=1,
    )
    with pytest.raises(ServiceError, match="정수"):
        services.prize_record(
            year=2016,
            amount_won=50_000.0,
            title="x",
            recipient=user,
            source_type="s",
            source_id=2,  # type: ignore[arg-type]
        )
    services.budget_set(year=2016, amount_won=31_945_000)
    summary = budget_summary(year=2016)
    assert (summary.budget_won, summary.spent_won, summary.left_won) == (
        31_945_000,
        100_000,
        31_845_000,
    )


@pytest.mark.parametrize("raw", ["--1", "1.5", "+-3", " 7a"])
def test_a_malformed_score_is_refused(setup: dict, raw: str) -> None:
    stage = setup["stage"]
    first, second = stage.criteria.order_by("order")
    with pytest.raises(ServiceError, match="숫자\\(정수\\)"):
        services.score_sheet_save(
            stage=stage,
            entry=setup["e1"],
            user=setup["m1"].user,
            scores={first.pk: raw, second.pk: 3},
        )
    assert ScoreSheet.objects.count() == 0


def test_a_score_for_a_criterion_of_another_stage_is_refused(setup: dict) -> None:
    stage = setup["stage"]
    with pytest.raises(ServiceError, match="이 단계의 평가항목이 아닙니다"):
        services.score_sheet_save(
            stage=stage, entry=setup["e1"], user=setup["m1"].user, scores={999_999: 3}
        )
    assert ScoreSheet.objects.count() == 0


def test_no_entry_joins_a_round_whose_first_stage_closed(setup: dict) -> None:
    services.stage_close(stage=setup["stage"])
    with pytest.raises(ServiceError, match="마감된 회차"):
        services.entry_create(
            round=setup["round"],
            title="늦은 제안",
            owner_name="구민",
            source_type="p",
            source_id=77,
        )
    assert not Entry.objects.filter(source_id=77).exists()


def test_rounds_open_on_their_start_date_and_wait_without_entries() -> None:
    from django.core.management import call_command

    member(committee())
    due = single_stage_round(
        title="시작일 도래", starts_on=date(2016, 5, 1), quotas=(("grand", 1, 1),)
    )
    services.entry_create(round=due, title="가", owner_name="구민", source_type="p", source_id=1)
    empty = single_stage_round(
        title="출품작 없음", starts_on=date(2016, 5, 1), quotas=(("grand", 1, 1),)
    )
    later = single_stage_round(title="나중", starts_on=date(2016, 6, 1), quotas=(("grand", 1, 1),))
    services.entry_create(round=later, title="나", owner_name="구민", source_type="p", source_id=2)
    opened = services.rounds_open_due(at=AT)
    assert [s.round_id for s in opened] == [due.pk]
    assert empty.stages.get().status == later.stages.get().status == StageStatus.PENDING
    out = StringIO()
    call_command("job_contests_open_due", stdout=out)  # today is past 2016-06-01
    assert later.stages.get().status == StageStatus.OPEN
    assert "{'opened': 1}" in out.getvalue()


def test_members_are_told_when_a_stage_opens(setup: dict) -> None:
    from notifications.models import Notification

    notes = Notification.objects.filter(verb="contests.stage_opened").order_by("recipient_id")
    assert [n.recipient_id for n in notes] == sorted([setup["m1"].user_id, setup["m2"].user_id])
    assert notes[0].url == f"/contests/stages/{setup['stage'].pk}/review/"


def test_the_admin_forms_get_korean_messages_from_the_constraints(setup: dict) -> None:
    from contests.models import Criterion

    bad = Criterion(stage=setup["stage"], name="창의성", weight=0, max_score=0)
    with pytest.raises(ValidationError) as exc:
        bad.full_clean()
    text = str(exc.value)
    assert "가중치는 1 이상이어야 합니다." in text and "배점은 1점 이상이어야 합니다." in text
    assert "같은 이름의 평가항목이 이미 있습니다." in text
