"""The scoring admin (issue 13 #7, #2): rule actions ask first in numbers; the 창의왕 round
lists its winners under Korean headers as 이름 (부서) with points and eligibility, and its
확정 goes through the confirmation page."""

import re
from datetime import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from common import periods
from org.tests.factories import portal_admin, staff_user
from scoring.models import Activity, MonthlyCap, PointRule, QuarterRound, RuleRecompute
from scoring.services import round_run
from scoring.tests.factories import record

pytestmark = pytest.mark.django_db
KST = periods.KST
RULES = reverse("admin:scoring_pointrule_changelist")


def _text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


@pytest.fixture
def admin_client(client):
    client.force_login(portal_admin())
    return client


@pytest.fixture(autouse=True)
def table_2016():
    """The 2016 table comes from a data migration; a transactional test elsewhere in the same
    run may have flushed it, so one row is made sure of."""
    PointRule.objects.get_or_create(year=2016, area="club", kind="comment", defaults={"points": 1})


def test_recomputing_a_year_asks_first_and_says_how_many_rows(admin_client) -> None:
    user = staff_user()
    record(user, "comment", datetime(2016, 5, 3, 9, tzinfo=KST))
    record(user, "comment", datetime(2016, 6, 3, 9, tzinfo=KST))
    rule = PointRule.objects.filter(year=2016).first()
    data = {"action": "_recompute_years", "_selected_action": [rule.pk]}
    html = _text(admin_client.post(RULES, data))
    assert "1개 연도(2016년)의 원장 점수 2건을 지금의 기준표와 상한으로 다시 계산합니다." in html
    assert 'data-testid="cancel-link"' in html
    assert not RuleRecompute.objects.exists()
    response = admin_client.post(RULES, {**data, "confirmed": "yes"})
    assert response.status_code == 302
    assert RuleRecompute.objects.filter(year=2016).count() == 1
    assert Activity.objects.count() == 2


def test_copying_a_table_asks_first_and_says_what_it_copies(admin_client) -> None:
    this_year = timezone.now().astimezone(KST).year
    rule = PointRule.objects.filter(year=2016).first()
    rules = PointRule.objects.filter(year=2016).count()
    caps = MonthlyCap.objects.filter(year=2016).count()
    data = {"action": "_copy_to_this_year", "_selected_action": [rule.pk]}
    html = _text(admin_client.post(RULES, data))
    assert f"2016년 점수 기준 {rules}건과 월 상한 {caps}건을 {this_year}년으로 복사합니다." in html
    assert not PointRule.objects.filter(year=this_year).exists()
    admin_client.post(RULES, {**data, "confirmed": "yes"})
    assert PointRule.objects.filter(year=this_year).count() == rules


def _round() -> QuarterRound:
    at = timezone.now().astimezone(KST).replace(day=1, hour=9, minute=0)
    for i, points in enumerate((3, 2)):
        user = staff_user(last_name="박", first_name=f"수상{i}")
        record(user, "proposal_submitted", at)
        for _ in range(points):
            record(user, "approval", at, area="club")
    month = periods.month_of(timezone.now())
    return round_run(
        year=month.year,
        quarter=periods.quarter_of(month),
        at=datetime(month.year + 1, 1, 2, tzinfo=KST),
    )


def test_the_round_lists_winners_in_korean_with_points_and_eligibility(admin_client) -> None:
    rnd = _round()
    winner = rnd.winners.select_related("user__staff_profile__department").get(place=1)
    department = winner.user.staff_profile.department.name
    html = _text(admin_client.get(reverse("admin:scoring_quarterround_change", args=[rnd.pk])))
    for header in ("이름 (부서)", "합계 점수", "승인 점수", "창의왕 대상"):
        assert header in html, header
    assert f"박수상0 ({department})" in html
    listing = _text(admin_client.get(reverse("admin:scoring_quarterround_changelist")))
    assert f"박수상0 ({department})" in listing


def test_the_round_is_not_confirmed_until_the_confirmation_page_says_so(admin_client) -> None:
    rnd = _round()
    url = reverse("admin:scoring_quarterround_confirm", args=[rnd.pk])
    html = _text(admin_client.get(url))
    assert 'data-testid="confirm-page"' in html and "박수상0" in html
    admin_client.post(url, {})  # a post without the page's 확정 changes nothing
    rnd.refresh_from_db()
    assert rnd.status == QuarterRound.Status.PROPOSED
    admin_client.post(url, {"confirmed": "yes"})
    rnd.refresh_from_db()
    assert rnd.status == QuarterRound.Status.CONFIRMED
