from decimal import Decimal
from io import BytesIO

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from contests import services
from contests.models import AwardQuota, CommitteeKind, Round, Score, ScoreSheet, Stage
from contests.tests.factories import committee, member, scores_download, single_stage_round
from org.tests.factories import portal_admin, staff_user

pytestmark = pytest.mark.django_db


def _client(user: object) -> Client:
    c = Client()
    c.force_login(user)  # type: ignore[arg-type]
    return c


def _round_with_entries(
    n: int = 2, *, title: str = "2016 상반기 제안 심사"
) -> tuple[Round, Stage, list]:
    wp = committee()
    members = [member(wp), member(wp)]
    rnd = single_stage_round(title=title)
    for i in range(n):
        services.entry_create(
            round=rnd, title=f"제안 {i}", owner_name=f"구민{i}", source_type="p", source_id=i
        )
    stage = rnd.stages.get()
    services.stage_open(stage=stage)
    return rnd, stage, members


def _post_scores(
    client: Client, stage: Stage, entry_pk: int, values: tuple, action: str = "submit"
):
    data = {"action": action, "comment": "종합"}
    for c, v in zip(stage.criteria.order_by("order"), values, strict=True):
        data[f"score_{c.pk}"] = v
        data[f"comment_{c.pk}"] = ""
    return client.post(reverse("contests:review_entry", args=[stage.pk, entry_pk]), data)


def test_a_score_above_the_maximum_shows_a_korean_message_keeps_input_and_stores_nothing() -> None:
    _, stage, (m1, _) = _round_with_entries()
    entry = stage.stage_entries.first().entry
    response = _post_scores(_client(m1.user), stage, entry.pk, ("15", "7"))
    assert response.status_code == 200
    text = response.content.decode()
    assert "「창의성」 점수는 0점부터 10점까지 입력할 수 있습니다(입력: 15점)." in text
    assert 'value="15"' in text and 'value="종합"' not in text  # comment is a textarea
    assert "종합</textarea>" in text
    assert ScoreSheet.objects.count() == 0 and Score.objects.count() == 0


def test_a_member_saves_a_draft_then_submits_and_cannot_submit_twice() -> None:
    _, stage, (m1, _) = _round_with_entries()
    entry = stage.stage_entries.first().entry
    client = _client(m1.user)
    assert _post_scores(client, stage, entry.pk, ("5", ""), action="draft").status_code == 302
    assert ScoreSheet.objects.get().status == "draft"
    assert _post_scores(client, stage, entry.pk, ("6", "7")).status_code == 302
    assert ScoreSheet.objects.get().status == "submitted"
    response = _post_scores(client, stage, entry.pk, ("9", "9"))
    assert "이미 제출한 심사표입니다" in response.content.decode()
    assert sorted(Score.objects.values_list("value", flat=True)) == [6, 7]


def test_nobody_sees_results_before_the_stage_closes() -> None:
    rnd, stage, (m1, m2) = _round_with_entries()
    entry = stage.stage_entries.first().entry
    _post_scores(_client(m1.user), stage, entry.pk, ("9", "8"))
    other = _client(m2.user)
    response = other.get(reverse("contests:stage_results", args=[stage.pk]))
    assert response.status_code == 302
    page = other.get(reverse("contests:review_entry", args=[stage.pk, entry.pk])).content.decode()
    assert 'value="9"' not in page
    assert other.get(reverse("contests:stage_scores_export", args=[stage.pk])).status_code == 403
    services.stage_close(stage=stage)
    results = other.get(reverse("contests:stage_results", args=[stage.pk])).content.decode()
    assert "86.00" in results  # 60 × 9/10 + 40 × 8/10


def test_the_results_cells_show_each_members_total_recusal_or_missing_sheet() -> None:
    rnd, stage, (m1, m2) = _round_with_entries(3)
    scored, recused, missing = [se.entry for se in stage.stage_entries.order_by("entry_id")]
    _post_scores(_client(m1.user), stage, scored.pk, ("9", "8"))
    _post_scores(_client(m2.user), stage, scored.pk, ("5", "5"))
    services.recusal_declare(stage=stage, entry=recused, user=m2.user, reason="친척")
    _post_scores(_client(m1.user), stage, recused.pk, ("10", "10"))
    services.stage_close(stage=stage)
    admin = _client(portal_admin())
    admin.get(reverse("contests:stage_results", args=[stage.pk]))
    with CaptureQueriesContext(connection) as queries:
        html = admin.get(reverse("contests:stage_results", args=[stage.pk])).content.decode()
    assert not [q for q in queries.captured_queries if q["sql"] in ("BEGIN", "COMMIT")]
    grey = '<td class="text-body-secondary">'
    # Members in their order (role, id): m1 then m2; one line of cells per entry.
    assert "<td>86.00</td><td>50.00</td>" in html  # 60 × 9/10 + 40 × 8/10; 5/10 of both
    assert f"<td>100.00</td>{grey}회피</td>" in html
    assert f"{grey}미제출</td>{grey}미제출</td>" in html


def test_scoring_after_the_close_is_refused_on_the_server() -> None:
    _, stage, (m1, _) = _round_with_entries()
    entry = stage.stage_entries.first().entry
    services.stage_close(stage=stage)
    response = _post_scores(_client(m1.user), stage, entry.pk, ("5", "5"))
    assert "마감된 심사 단계에는 점수를 입력하거나 고칠 수 없습니다." in response.content.decode()
    assert ScoreSheet.objects.count() == 0


def test_a_user_outside_the_committee_cannot_open_the_review_pages() -> None:
    _, stage, _ = _round_with_entries()
    entry = stage.stage_entries.first().entry
    outsider = _client(staff_user())
    assert outsider.get(reverse("contests:review_list", args=[stage.pk])).status_code == 403
    assert (
        outsider.get(reverse("contests:review_entry", args=[stage.pk, entry.pk])).status_code == 403
    )
    assert outsider.get(reverse("contests:round_detail", args=[stage.round_id])).status_code == 403


def test_blind_mode_hides_names_and_departments() -> None:
    _, stage, (m1, _) = _round_with_entries()
    Round.objects.filter(pk=stage.round_id).update(blind=True)
    page = _client(m1.user).get(reverse("contests:review_list", args=[stage.pk])).content.decode()
    assert "제안 0" in page and "구민0" not in page


def test_recusal_by_hand_through_the_page() -> None:
    _, stage, (m1, _) = _round_with_entries()
    entry = stage.stage_entries.first().entry
    client = _client(m1.user)
    url = reverse("contests:review_recuse", args=[stage.pk, entry.pk])
    client.post(url, {"reason": ""})
    assert not stage.recusals.exists()
    client.post(url, {"reason": "제안자와 같은 팀"})
    assert stage.recusals.get().reason == "제안자와 같은 팀"


def test_the_admin_closes_confirms_and_exports() -> None:
    rnd, stage, (m1, m2) = _round_with_entries()
    entries = [se.entry for se in stage.stage_entries.order_by("entry_id")]
    for m, vals in ((m1, ("9", "9")), (m2, ("8", "9"))):
        _post_scores(_client(m.user), stage, entries[0].pk, vals)
        _post_scores(_client(m.user), stage, entries[1].pk, ("5", "5"))
    admin = _client(portal_admin())
    response = admin.post(
        reverse("contests:stage_action", args=[stage.pk, "close"]), {"confirm": "1"}
    )
    assert response.status_code == 302
    page = admin.get(reverse("contests:round_confirm", args=[rnd.pk]))
    assert page.status_code == 200
    response = admin.post(
        reverse("contests:round_confirm", args=[rnd.pk]),
        {f"grade_{entries[0].pk}": "grand", f"grade_{entries[1].pk}": "excellent", "confirm": "1"},
    )
    assert response.status_code == 302
    assert rnd.awards.count() == 2
    budget = admin.get(reverse("contests:budget_year", args=[2016])).content.decode()
    assert "500,000원" in budget
    wb = load_workbook(BytesIO(scores_download(admin, stage)))
    assert wb.sheetnames == ["심사표", "결과"]
    assert wb["심사표"].max_row == 5  # header + 2 members × 2 entries
    minutes = load_workbook(
        BytesIO(admin.get(reverse("contests:round_minutes", args=[rnd.pk])).content)
    )
    cells = [c for row in minutes["회의록"].iter_rows(values_only=True) for c in row if c]
    assert "제안 0" in cells and "최우수" in cells
    award = rnd.awards.get(grade="grand")
    pdf = admin.get(reverse("contests:award_certificate", args=[award.pk]))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    assert b"NanumGothic" in pdf.content
    audit = admin.get(reverse("contests:round_audit", args=[rnd.pk])).content.decode()
    assert "수상 확정" in audit and "점수 제출" in audit


def test_quotas_that_exceed_the_entries_are_refused_on_the_page() -> None:
    rnd, _, _ = _round_with_entries(n=2)
    admin = _client(portal_admin())
    data = {}
    for grade, count in (("grand", 1), ("excellent", 2), ("merit", 3)):
        data |= {f"{grade}_count": count, f"{grade}_prize": 100_000, f"{grade}_points": "0"}
    response = admin.post(reverse("contests:round_quotas", args=[rnd.pk]), data)
    assert "시상 인원 합계(6명)가 출품작 수(2건)보다 많습니다." in response.content.decode()
    assert sorted(AwardQuota.objects.filter(round=rnd).values_list("count", flat=True)) == [1, 1]


def test_the_admin_creates_a_round_with_default_stages() -> None:
    admin = _client(portal_admin())
    response = admin.post(
        reverse("contests:round_new"),
        {"kind": "policy_contest", "year": 2016, "title": "2016 구민정책제안 콘테스트"},
    )
    rnd = Round.objects.get(title="2016 구민정책제안 콘테스트")
    assert response.status_code == 302 and rnd.stages.count() == 3


def test_the_admin_lets_tied_entries_through_from_the_results_page() -> None:
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
            stage=first, entry=e, user=m.user, scores={first.criteria.get().pk: v}, submit=True
        )
    services.stage_close(stage=first)
    admin = _client(portal_admin())
    page = admin.get(reverse("contests:stage_results", args=[first.pk])).content.decode()
    assert page.count('name="include"') == 2  # the two tied at the line
    admin.post(
        reverse("contests:stage_action", args=[first.pk, "advance"]), {"include": [entries[1].pk]}
    )
    assert list(final.stage_entries.values_list("entry_id", flat=True)) == [entries[1].pk]
    index = _client(m.user).get(reverse("contests:index")).content.decode()
    assert "마감된 심사 결과" in index and "경진대회 · 1차" in index


def test_the_rubric_is_fixed_in_the_admin_once_the_stage_opens() -> None:
    _, stage, _ = _round_with_entries()
    admin = _client(portal_admin())
    page = admin.get(reverse("admin:contests_stage_change", args=[stage.pk])).content.decode()
    assert 'name="criteria-0-weight"' not in page
    pending = single_stage_round(title="다음 회차").stages.get()
    page = admin.get(reverse("admin:contests_stage_change", args=[pending.pk])).content.decode()
    assert 'name="criteria-0-weight"' in page


def test_the_performance_points_roster_lists_staff_awards_with_the_ten_percent_bonus() -> None:
    wp = committee()
    m = member(wp)
    rnd = services.round_create(
        kind="half_year_proposals",
        year=2016,
        title="하반기",
        stages=[services.StageSpec("심사", CommitteeKind.WORKING_PANEL)],
        quotas=[services.QuotaSpec("grand", 1, 300_000, Decimal("2.0"))],
        criteria=[("창의성", 1, 10)],
    )
    owner = staff_user(last_name="박", first_name="수상")
    e = services.entry_create(
        round=rnd, title="직원 제안", owner=owner, source_type="p", source_id=1
    )
    stage = rnd.stages.get()
    services.stage_open(stage=stage)
    services.score_sheet_save(
        stage=stage, entry=e, user=m.user, scores={stage.criteria.get().pk: 9}, submit=True
    )
    services.stage_close(stage=stage)
    services.awards_confirm(round=rnd, by=portal_admin())
    response = _client(portal_admin()).get(
        reverse("contests:performance_points_export", args=[2016])
    )
    wb = load_workbook(BytesIO(response.content))
    assert list(wb["직원별 합계"].iter_rows(min_row=2, values_only=True)) == [
        ("박수상", str(owner.staff_profile.department), 2.0, 0.2)
    ]


def test_the_round_page_shows_scoring_progress_without_scores() -> None:
    rnd, stage, (m1, m2) = _round_with_entries(n=2)
    entries = list(stage.stage_entries.values_list("entry_id", flat=True))
    _post_scores(_client(m1.user), stage, entries[0], ("9", "9"))
    services.recusal_declare(
        stage=stage, entry=stage.stage_entries.first().entry, user=m2.user, reason="친척"
    )
    page = (
        _client(portal_admin())
        .get(reverse("contests:round_detail", args=[rnd.pk]))
        .content.decode()
    )
    assert 'data-testid="progress-1">1 / 4 (1)</td>' in page


def test_the_audit_page_hides_score_values_until_the_stage_closes() -> None:
    rnd, stage, (m1, _) = _round_with_entries()
    _post_scores(_client(m1.user), stage, stage.stage_entries.first().entry_id, ("9", "7"))
    admin = _client(portal_admin())
    url = reverse("contests:round_audit", args=[rnd.pk])
    page = admin.get(url).content.decode()
    assert "심사 마감 후 공개" in page and "창의성: 9점" not in page
    services.stage_close(stage=stage)
    page = admin.get(url).content.decode()
    # In Korean words per criterion (issue 13 #7), where a Python dict was printed before.
    assert "심사 마감 후 공개" not in page and "창의성: 9점" in page
