"""Pages: 내 점수, the leaderboard, the Excel export."""

from datetime import date, datetime
from io import BytesIO

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from common import periods
from org.tests.factories import portal_admin, staff_user
from scoring.services import round_run
from scoring.tests.factories import record

pytestmark = pytest.mark.django_db
KST = periods.KST


def _qm(month: date) -> tuple[int, int]:
    return month.year, periods.quarter_of(month)


def this_month_at() -> datetime:
    """A moment in the current Asia/Seoul month (the pages show 'now')."""
    return timezone.now().astimezone(KST).replace(day=1, hour=9, minute=0)


def crowd(n: int) -> list:
    users = [staff_user() for _ in range(n)]
    at = this_month_at()
    for i, u in enumerate(users):
        if i % 2:
            record(u, "proposal_submitted", at)
        record(u, "approval", at, area="club")
        record(u, "comment", at)
    return users


@pytest.mark.smoke
def test_me_shows_this_months_points_against_the_caps(client: object) -> None:
    user = staff_user()
    at = this_month_at()
    for _ in range(19):
        record(user, "comment", at)  # 38 / 40
    for _ in range(45):
        record(user, "view", at)  # 22.5 → 20 / 20
    record(user, "proposal_submitted", at)
    client.force_login(user)
    response = client.get(reverse("scoring:me"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "38 / 40" in html
    assert "20 / 20" in html
    assert "58" in html  # quarter total 38 + 20
    assert "1위" in html
    assert "상한까지만 인정" in html  # the views went over: the page says why


def test_me_without_a_proposal_explains_the_missing_rank(client: object) -> None:
    user = staff_user()
    record(user, "comment", this_month_at())
    client.force_login(user)
    html = client.get(reverse("scoring:me")).content.decode()
    assert "순위 없음" in html


def test_me_needs_a_login(client: object) -> None:
    response = client.get(reverse("scoring:me"))
    assert response.status_code == 302


@pytest.mark.parametrize("n", [2, 20])
def test_me_query_count_does_not_grow(
    client: object, django_assert_max_num_queries: object, n: int
) -> None:
    users = crowd(n)
    for _ in range(n):
        record(users[1], "view", this_month_at())
    client.force_login(users[1])
    with django_assert_max_num_queries(15):
        assert client.get(reverse("scoring:me")).status_code == 200


@pytest.mark.parametrize("n", [2, 20])
def test_leaderboard_query_count_does_not_grow(
    client: object, django_assert_max_num_queries: object, n: int
) -> None:
    users = crowd(n)
    client.force_login(users[0])
    with django_assert_max_num_queries(11):
        response = client.get(reverse("scoring:leaderboard"))
    assert response.status_code == 200


def test_the_leaderboard_marks_the_ineligible_and_shows_departments(client: object) -> None:
    users = crowd(4)
    client.force_login(users[0])
    html = client.get(reverse("scoring:leaderboard")).content.decode()
    assert html.count('data-testid="leaderboard-row"') == 4
    assert html.count("대상 아님</span>") == 2
    assert users[1].staff_profile.department.name in html
    assert "실시간 집계" in html


def test_the_leaderboard_of_a_frozen_quarter_shows_the_official_record(client: object) -> None:
    users = crowd(4)
    now = timezone.now()
    year, quarter = _qm(periods.month_of(now))
    # Freeze the current quarter "after it ended": the at of the run only gates the check.
    round_run(year=year, quarter=quarter, at=datetime(year + 1, 1, 2, tzinfo=KST))
    client.force_login(users[0])
    html = client.get(reverse("scoring:leaderboard"), {"year": year, "quarter": quarter})
    html = html.content.decode()
    assert "공식 기록" in html and "창의왕</span>" in html


def test_a_bad_quarter_in_the_url_falls_back_to_the_current_one(client: object) -> None:
    client.force_login(staff_user())
    response = client.get(reverse("scoring:leaderboard"), {"year": "abc", "quarter": "9"})
    assert response.status_code == 200


def test_only_admins_export_excel(
    client: object, django_capture_on_commit_callbacks: object, settings: object, tmp_path: object
) -> None:
    settings.MEDIA_ROOT = tmp_path  # type: ignore[attr-defined]
    users = crowd(4)
    client.force_login(users[0])
    assert client.get(reverse("scoring:export")).status_code == 403
    admin = portal_admin()
    client.force_login(admin)
    now = timezone.now().astimezone(KST)
    year, quarter = _qm(periods.month_of(now))
    # Built in the background: the request leads to the download's page, then to the file.
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(reverse("scoring:export"), {"year": year, "quarter": quarter})
    assert response.status_code == 302
    page = client.get(response["Location"])
    assert "자료가 준비되었습니다" in page.content.decode()
    download = page.context["download"]
    response = client.get(reverse("downloads:file", args=[download.pk]))
    assert response.status_code == 200
    ws = load_workbook(BytesIO(b"".join(response.streaming_content))).active
    rows = list(ws.iter_rows(values_only=True))
    assert rows[1][0] == "순위"
    assert len(rows) == 2 + 4
    assert {r[2] for r in rows[2:]} == {u.username for u in users}
    assert sum(1 for r in rows[2:] if r[0] is None) == 2  # ineligible: no rank


def test_admin_pages_for_rounds_work(client: object) -> None:
    crowd(4)
    year, quarter = _qm(periods.month_of(timezone.now()))
    rnd = round_run(year=year, quarter=quarter, at=datetime(year + 1, 1, 2, tzinfo=KST))
    admin = portal_admin()
    client.force_login(admin)
    for name in ["admin:scoring_quarterround_change", "admin:scoring_quarterround_replace",
                 "admin:scoring_quarterround_recompute"]:  # fmt: skip
        assert client.get(reverse(name, args=[rnd.pk])).status_code == 200
    for name in ["admin:scoring_pointrule_changelist", "admin:scoring_activity_changelist",
                 "admin:scoring_monthlycap_changelist"]:  # fmt: skip
        assert client.get(reverse(name)).status_code == 200
    response = client.post(
        reverse("admin:scoring_quarterround_recompute", args=[rnd.pk]), {"reason": "검토"}
    )
    assert response.status_code == 302
    assert rnd.events.filter(action="recomputed", by=admin).exists()


def test_an_admin_replaces_a_winner_and_confirms_in_the_admin(client: object) -> None:
    crowd(8)  # 4 eligible, all on the same points: 3 places, one spare
    year, quarter = _qm(periods.month_of(timezone.now()))
    rnd = round_run(year=year, quarter=quarter, at=datetime(year + 1, 1, 2, tzinfo=KST))
    admin = portal_admin()
    client.force_login(admin)
    # The tie for the places is the office's decision (issue 15): three of the four.
    tied = list(rnd.entries.filter(tied=True).order_by("position"))
    assert len(tied) == 4 and not rnd.winners.exists()
    response = client.post(
        reverse("admin:scoring_quarterround_tie", args=[rnd.pk]),
        {"chosen": [e.pk for e in tied[:3]], "reason": "추첨"},
    )
    assert response.status_code == 302
    winner = rnd.winners.get(place=3)
    spare = rnd.entries.filter(eligible=True).exclude(user__in=rnd.winners.values("user")).get()
    url = reverse("admin:scoring_quarterround_replace", args=[rnd.pk])
    response = client.post(url, {"winner": winner.pk, "entry": spare.pk, "reason": ""})
    assert response.status_code == 200  # the form asks for a reason, keeps the choices
    response = client.post(url, {"winner": winner.pk, "entry": spare.pk, "reason": "중복 수상"})
    assert response.status_code == 302
    assert rnd.winners.get(place=3, active=True).user == spare.user
    changelist = reverse("admin:scoring_quarterround_changelist")
    # 확정 asks first, saying who gets what; only its own button confirms (issue 13).
    response = client.post(changelist, {"action": "confirm", "_selected_action": [rnd.pk]})
    assert response.status_code == 200 and 'data-testid="confirm-page"' in response.content.decode()
    rnd.refresh_from_db()
    assert rnd.status == "proposed"
    response = client.post(
        changelist, {"action": "confirm", "_selected_action": [rnd.pk], "confirmed": "yes"}
    )
    assert response.status_code == 302
    rnd.refresh_from_db()
    assert rnd.status == "confirmed"


def test_the_rule_admin_recomputes_the_year(client: object) -> None:
    from scoring.models import PointRule, RuleRecompute

    client.force_login(portal_admin())
    rule = PointRule.objects.filter(year=2016).first()
    response = client.post(
        reverse("admin:scoring_pointrule_changelist"),
        {"action": "_recompute_years", "_selected_action": [rule.pk], "confirmed": "yes"},
    )  # the confirmation page's 확인 (common.admin; the page itself: test_admin_scoring)
    assert response.status_code == 302
    assert RuleRecompute.objects.filter(year=2016).exists()


def test_the_rule_admin_copies_a_table_to_this_year(client: object) -> None:
    from scoring.models import PointRule

    client.force_login(portal_admin())
    this_year = timezone.now().astimezone(KST).year
    rule = PointRule.objects.filter(year=2016).first()
    client.post(
        reverse("admin:scoring_pointrule_changelist"),
        {"action": "_copy_to_this_year", "_selected_action": [rule.pk], "confirmed": "yes"},
    )  # the confirmation page's 확인 (common.admin; the page itself: test_admin_scoring)
    assert PointRule.objects.filter(year=this_year).count() == 12


def _tied_round() -> tuple:
    """A finished quarter with two clear leaders and two people tied for 3rd place."""
    at = this_month_at()
    users = [staff_user() for _ in range(4)]
    for user, approvals in zip(users, (3, 2, 1, 1), strict=True):
        record(user, "proposal_submitted", at)
        for _ in range(approvals):
            record(user, "approval", at, area="club")
    year, quarter = _qm(periods.month_of(timezone.now()))
    rnd = round_run(year=year, quarter=quarter, at=datetime(year + 1, 1, 2, tzinfo=KST))
    return rnd, users


def test_the_round_page_flags_the_tie_and_shows_names_with_departments(client: object) -> None:
    rnd, users = _tied_round()
    client.force_login(portal_admin())
    html = client.get(reverse("admin:scoring_quarterround_change", args=[rnd.pk])).content.decode()
    assert 'data-testid="round-tie"' in html and "결정이 필요합니다" in html
    assert html.count('data-testid="tied-entry"') == 2
    dept = users[2].staff_profile.department.name
    assert f"{users[2].last_name}{users[2].first_name} ({dept})" in html
    for header in ("이름 (부서)", "합계 점수", "승인 점수", "창의왕 대상"):
        assert header in html
    assert ">User<" not in html and ">USER<" not in html
    listing = client.get(reverse("admin:scoring_quarterround_changelist")).content.decode()
    assert "결정 필요" in listing


def test_the_confirmation_page_says_who_gets_what_and_cancel_changes_nothing(
    client: object,
) -> None:
    rnd, users = _tied_round()
    client.force_login(portal_admin())
    url = reverse("admin:scoring_quarterround_confirm", args=[rnd.pk])
    html = client.get(url).content.decode()
    assert "동점을 결정한 뒤 확정하세요" in html and "confirm-button" not in html
    response = client.post(url, {"confirmed": "yes"})  # refused by the service: still proposed
    rnd.refresh_from_db()
    assert response.status_code == 302 and rnd.status == "proposed"
    client.post(
        reverse("admin:scoring_quarterround_tie", args=[rnd.pk]),
        {"award_all": "on", "reason": "공동 3위"},
    )
    html = client.get(url).content.decode()
    assert html.count('data-testid="confirm-line"') == 4 and "상품권 50,000원" in html
    assert "confirm-button" in html
    assert f"{users[3].last_name}{users[3].first_name}" in html
    # 취소 is a link back: following it changes nothing.
    assert reverse("admin:scoring_quarterround_change", args=[rnd.pk]) in html
    rnd.refresh_from_db()
    assert rnd.status == "proposed"
    response = client.post(url, {"confirmed": "yes"})
    rnd.refresh_from_db()
    assert response.status_code == 302 and rnd.status == "confirmed"
    assert rnd.winners.filter(active=True, prize_recorded_at__isnull=False).count() == 4


def test_the_tie_form_keeps_the_choice_when_refused(client: object) -> None:
    rnd, users = _tied_round()
    client.force_login(portal_admin())
    url = reverse("admin:scoring_quarterround_tie", args=[rnd.pk])
    tied = list(rnd.entries.filter(tied=True))
    response = client.post(url, {"chosen": [e.pk for e in tied], "reason": "둘 다"})
    assert response.status_code == 200
    assert "남은 1자리만큼 고르거나" in response.content.decode()
    assert rnd.winners.count() == 2


def test_only_admins_download_the_ranking_as_streamed_csv(client: object) -> None:
    users = crowd(4)
    client.force_login(users[0])
    assert client.get(reverse("scoring:export_csv")).status_code == 403
    client.force_login(portal_admin())
    year, quarter = _qm(periods.month_of(timezone.now()))
    query = {"period": "quarter", "year": year, "quarter": quarter}
    response = client.get(reverse("scoring:export_csv"), query)
    assert response.status_code == 200 and response.streaming
    text = b"".join(response.streaming_content).decode("utf-8")
    lines = text.splitlines()
    assert lines[0].startswith("\ufeff순위,이름,아이디,부서")
    assert len(lines) == 1 + 4
    assert {line.split(",")[2] for line in lines[1:]} == {u.username for u in users}
    # A frozen quarter exports the official record, winners marked.
    round_run(year=year, quarter=quarter, at=datetime(year + 1, 1, 2, tzinfo=KST))
    frozen = b"".join(client.get(reverse("scoring:export_csv"), query).streaming_content)
    marked = [line for line in frozen.decode("utf-8").splitlines()[1:] if line.endswith(",창의왕")]
    assert len(marked) == 2
