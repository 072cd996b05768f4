"""Pages: 내 점수, the leaderboard, the Excel export."""

from datetime import date, datetime
from io import BytesIO

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from common import periods
from org.tests.factories import portal_admin, staff_user
from scoring.services import quarter_round_run
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
    quarter_round_run(year=year, quarter=quarter, at=datetime(year + 1, 1, 2, tzinfo=KST))
    client.force_login(users[0])
    html = client.get(reverse("scoring:leaderboard"), {"year": year, "quarter": quarter})
    html = html.content.decode()
    assert "공식 기록" in html and "창의왕</span>" in html


def test_a_bad_quarter_in_the_url_falls_back_to_the_current_one(client: object) -> None:
    client.force_login(staff_user())
    response = client.get(reverse("scoring:leaderboard"), {"year": "abc", "quarter": "9"})
    assert response.status_code == 200


def test_only_admins_export_excel(client: object) -> None:
    users = crowd(4)
    client.force_login(users[0])
    assert client.get(reverse("scoring:export")).status_code == 403
    admin = portal_admin()
    client.force_login(admin)
    now = timezone.now().astimezone(KST)
    year, quarter = _qm(periods.month_of(now))
    response = client.get(reverse("scoring:export"), {"year": year, "quarter": quarter})
    assert response.status_code == 200
    ws = load_workbook(BytesIO(response.content)).active
    rows = list(ws.iter_rows(values_only=True))
    assert rows[1][0] == "순위"
    assert len(rows) == 2 + 4
    assert {r[2] for r in rows[2:]} == {u.username for u in users}
    assert sum(1 for r in rows[2:] if r[0] is None) == 2  # ineligible: no rank


def test_admin_pages_for_rounds_work(client: object) -> None:
    crowd(4)
    year, quarter = _qm(periods.month_of(timezone.now()))
    rnd = quarter_round_run(year=year, quarter=quarter, at=datetime(year + 1, 1, 2, tzinfo=KST))
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
    crowd(8)  # 4 eligible: 3 proposed winners and one spare
    year, quarter = _qm(periods.month_of(timezone.now()))
    rnd = quarter_round_run(year=year, quarter=quarter, at=datetime(year + 1, 1, 2, tzinfo=KST))
    admin = portal_admin()
    client.force_login(admin)
    winner = rnd.winners.get(place=3)
    spare = rnd.entries.filter(eligible=True).exclude(user__in=rnd.winners.values("user")).get()
    url = reverse("admin:scoring_quarterround_replace", args=[rnd.pk])
    response = client.post(url, {"winner": winner.pk, "entry": spare.pk, "reason": ""})
    assert response.status_code == 200  # the form asks for a reason, keeps the choices
    response = client.post(url, {"winner": winner.pk, "entry": spare.pk, "reason": "중복 수상"})
    assert response.status_code == 302
    assert rnd.winners.get(place=3, active=True).user == spare.user
    response = client.post(
        reverse("admin:scoring_quarterround_changelist"),
        {"action": "confirm", "_selected_action": [rnd.pk]},
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
        {"action": "_recompute_years", "_selected_action": [rule.pk]},
    )
    assert response.status_code == 302
    assert RuleRecompute.objects.filter(year=2016).exists()


def test_the_rule_admin_copies_a_table_to_this_year(client: object) -> None:
    from scoring.models import PointRule

    client.force_login(portal_admin())
    this_year = timezone.now().astimezone(KST).year
    rule = PointRule.objects.filter(year=2016).first()
    client.post(
        reverse("admin:scoring_pointrule_changelist"),
        {"action": "_copy_to_this_year", "_selected_action": [rule.pk]},
    )
    assert PointRule.objects.filter(year=this_year).count() == 12
