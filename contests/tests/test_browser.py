"""The issue's must-show journey in real Chromium: two members score two entries each without
seeing each other's scores, one recuses, the stage closes, the admin sees the weighted
results and confirms the awards, and the budget page shows the prizes spent."""

import re

import pytest

from contests import demo, services
from contests.models import AuditEntry, Award, PrizePayment, ScoreSheet, StageStatus
from contests.tests.factories import committee, member, single_stage_round
from org import demo as org_demo
from org.tests.factories import TEST_PASSWORD, DepartmentFactory, portal_admin, staff_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _logout(page: object) -> None:
    page.get_by_role("button", name="로그아웃").click()  # type: ignore[attr-defined]
    page.wait_for_load_state()  # type: ignore[attr-defined]


def _fill_and_submit(page: object, values: tuple[str, str], button: str = "제출") -> None:
    page.get_by_label(re.compile(r"^창의성 \(0–10점")).fill(values[0])  # type: ignore[attr-defined]
    page.get_by_label(re.compile(r"^실시가능성 \(0–10점")).fill(values[1])  # type: ignore[attr-defined]
    page.get_by_role("button", name=button, exact=True).click()  # type: ignore[attr-defined]
    page.wait_for_load_state()  # type: ignore[attr-defined]


def test_two_members_score_one_recuses_the_admin_confirms_and_the_budget_shows_it(
    page: object, login: object, axe: object
) -> None:
    wp = committee()
    m1 = member(wp, username="reviewer1", first_name="심사일")
    m2 = member(wp, username="reviewer2", first_name="심사이")
    admin = portal_admin(username="innov_admin")
    rnd = single_stage_round(title="2016 상반기 제안 심사")
    for i, title in enumerate(("민원 알림 문자", "골목 청소 지도", "무인 복사기"), start=1):
        services.entry_create(
            round=rnd, title=title, owner_name=f"구민{i}", source_type="proposal", source_id=i
        )
    stage = rnd.stages.get()
    services.stage_open(stage=stage)
    services.budget_set(year=2016, amount_won=31_945_000)

    # Member 1: a draft then a submit on the first entry, a submit on the second, and a
    # recusal by hand on the third.
    login(m1.user.username, TEST_PASSWORD)
    page.goto("/contests/")  # type: ignore[attr-defined]
    page.get_by_role("link", name=re.compile("2016 상반기 제안 심사")).click()  # type: ignore[attr-defined]
    assert axe(page) == []
    page.get_by_role("link", name="민원 알림 문자").click()  # type: ignore[attr-defined]
    _fill_and_submit(page, ("7", ""), button="임시 저장")
    assert page.get_by_text("임시 저장했습니다").is_visible()  # type: ignore[attr-defined]
    assert axe(page) == []
    _fill_and_submit(page, ("9", "8"))
    assert page.get_by_text("심사표를 제출했습니다.").is_visible()  # type: ignore[attr-defined]
    page.get_by_role("link", name="골목 청소 지도").click()  # type: ignore[attr-defined]
    _fill_and_submit(page, ("6", "5"))
    page.get_by_role("link", name="무인 복사기").click()  # type: ignore[attr-defined]
    page.get_by_label("회피 사유").fill("제안자와 같은 동네 친척")  # type: ignore[attr-defined]
    page.get_by_role("button", name="회피하기").click()  # type: ignore[attr-defined]
    page.wait_for_load_state()  # type: ignore[attr-defined]
    assert page.get_by_text("제안자와 같은 동네 친척").is_visible()  # type: ignore[attr-defined]
    _logout(page)

    # Member 2 sees an empty sheet (not member 1's scores) and cannot open the results yet.
    login(m2.user.username, TEST_PASSWORD)
    page.goto(f"/contests/stages/{stage.pk}/entries/{rnd.entries.get(source_id=1).pk}/")  # type: ignore[attr-defined]
    assert page.get_by_label(re.compile(r"^창의성 \(0–10점")).input_value() == ""  # type: ignore[attr-defined]
    page.goto(f"/contests/stages/{stage.pk}/results/")  # type: ignore[attr-defined]
    assert page.get_by_text(
        "심사가 마감된 뒤에 결과와 다른 위원의 점수를 볼 수 있습니다."
    ).is_visible()  # type: ignore[attr-defined]
    page.goto(f"/contests/stages/{stage.pk}/review/")  # type: ignore[attr-defined]
    page.get_by_role("link", name="민원 알림 문자").click()  # type: ignore[attr-defined]
    _fill_and_submit(page, ("10", "6"))
    page.get_by_role("link", name="무인 복사기").click()  # type: ignore[attr-defined]
    _fill_and_submit(page, ("12", "5"))  # above the maximum: refused, typed value kept
    assert page.get_by_text(
        "「창의성」 점수는 0점부터 10점까지 입력할 수 있습니다(입력: 12점)."
    ).is_visible()  # type: ignore[attr-defined]
    assert page.get_by_label(re.compile(r"^창의성 \(0–10점")).input_value() == "12"  # type: ignore[attr-defined]
    assert axe(page) == []
    _fill_and_submit(page, ("8", "5"))
    assert page.get_by_text("심사표를 제출했습니다.").is_visible()  # type: ignore[attr-defined]
    _logout(page)

    # The admin closes the stage, reads the weighted results and confirms the awards.
    login(admin.username, TEST_PASSWORD)
    page.goto(f"/contests/rounds/{rnd.pk}/")  # type: ignore[attr-defined]
    assert axe(page) == []
    page.get_by_role("link", name="심사 마감").click()  # type: ignore[attr-defined]
    page.get_by_role("button", name="마감하고 결과 산출").click()  # type: ignore[attr-defined]
    page.wait_for_load_state()  # type: ignore[attr-defined]
    results = page.get_by_test_id("results")  # type: ignore[attr-defined]
    # 민원 알림 문자: m1 60×0.9 + 40×0.8 = 86, m2 60×1.0 + 40×0.6 = 84 → 85.00
    first_row = results.locator("tbody tr").first
    assert "민원 알림 문자" in first_row.inner_text() and "85.00" in first_row.inner_text()
    assert "회피" in results.inner_text()
    assert axe(page) == []
    # The score sheets' workbook is built in the background: its page shows the progress,
    # then the link to the file.
    page.get_by_role("link", name="심사표·결과 엑셀").click()  # type: ignore[attr-defined]
    page.wait_for_url("**/downloads/*/")  # type: ignore[attr-defined]
    assert "자료가 준비되었습니다" in page.get_by_test_id("download-status").inner_text()  # type: ignore[attr-defined]
    for size in ({"width": 1280, "height": 900}, {"width": 390, "height": 844}):
        page.set_viewport_size(size)  # type: ignore[attr-defined]
        assert axe(page) == []
    page.set_viewport_size({"width": 1280, "height": 900})  # type: ignore[attr-defined]
    with page.expect_download() as info:  # type: ignore[attr-defined]
        page.get_by_test_id("download-link").click()  # type: ignore[attr-defined]
    assert info.value.suggested_filename == f"scores-stage-{stage.pk}.xlsx"
    page.goto(f"/contests/stages/{stage.pk}/results/")  # type: ignore[attr-defined]
    page.get_by_role("link", name="수상 확정하기").click()  # type: ignore[attr-defined]
    assert axe(page) == []
    page.get_by_role("button", name="수상 확정").click()  # type: ignore[attr-defined]
    page.get_by_role("button", name="확정", exact=True).click()  # type: ignore[attr-defined]
    page.wait_for_load_state()  # type: ignore[attr-defined]
    assert page.get_by_text("수상 2건을 확정하고 포상금을 기록했습니다.").is_visible()  # type: ignore[attr-defined]
    assert Award.objects.filter(round=rnd).count() == 2
    assert PrizePayment.objects.filter(year=2016).count() == 2

    page.goto("/contests/budget/2016/")  # type: ignore[attr-defined]
    assert page.get_by_test_id("spent").inner_text().startswith("500,000원")  # type: ignore[attr-defined]
    assert page.get_by_test_id("left").inner_text().startswith("31,445,000원")  # type: ignore[attr-defined]
    assert axe(page) == []


def test_the_demo_review_pages_and_committees_are_accessible(
    page: object, login: object, axe: object
) -> None:
    org_demo.seed()
    demo.seed()
    login("panel01", org_demo.DEMO_PASSWORD)
    page.goto("/contests/")  # type: ignore[attr-defined]
    assert axe(page) == []
    page.get_by_role("link", name=re.compile("[상하]반기 제안 심사")).click()  # type: ignore[attr-defined]
    # panel01 (재무과 팀장) recused automatically from 재무과's entry.
    assert page.get_by_text("소속 부서 출품작(자동 회피)").is_visible()  # type: ignore[attr-defined]
    assert axe(page) == []
    page.goto("/contests/committees/")  # type: ignore[attr-defined]
    assert page.get_by_text("구성 요건 충족").count() == 3  # type: ignore[attr-defined]
    assert axe(page) == []


PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


def test_closing_a_stage_asks_first_with_the_numbers_cancel_keeps_confirm_acts(
    page: object, login: object, axe: object
) -> None:
    wp = committee()
    m1, _m2 = member(wp), member(wp)
    admin = portal_admin(username="close_admin")
    rnd = single_stage_round(title="마감 확인 회차")
    entries = [
        services.entry_create(
            round=rnd, title=f"제안 {i}", owner_name="구민", source_type="p", source_id=i
        )
        for i in range(2)
    ]
    stage = rnd.stages.get()
    services.stage_open(stage=stage)
    criteria = list(stage.criteria.order_by("order"))
    services.score_sheet_save(
        stage=stage, entry=entries[0], user=m1.user, scores={c.pk: 5 for c in criteria}, submit=True
    )
    login(admin.username, TEST_PASSWORD)
    for viewport in (DESKTOP, PHONE):
        page.set_viewport_size(viewport)  # type: ignore[attr-defined]
        page.goto(f"/contests/rounds/{rnd.pk}/")  # type: ignore[attr-defined]
        page.get_by_role("link", name="심사 마감").click()  # type: ignore[attr-defined]
        page.wait_for_load_state()  # type: ignore[attr-defined]
        summary = page.get_by_test_id("close-summary").inner_text()  # type: ignore[attr-defined]
        assert "4장 중 1장 제출됨 — 마감하면 미제출 위원은 점수를 낼 수 없습니다." in summary
        assert axe(page) == []
        page.get_by_role("link", name="취소").click()  # type: ignore[attr-defined]
        page.wait_for_load_state()  # type: ignore[attr-defined]
        stage.refresh_from_db()
        assert stage.status == StageStatus.OPEN and not stage.results.exists()
        assert page.url.endswith(f"/contests/rounds/{rnd.pk}/")  # type: ignore[attr-defined]
    assert not AuditEntry.objects.filter(action="stage_closed").exists()
    page.get_by_role("link", name="심사 마감").click()  # type: ignore[attr-defined]
    page.get_by_role("button", name="마감하고 결과 산출").click()  # type: ignore[attr-defined]
    page.wait_for_load_state()  # type: ignore[attr-defined]
    stage.refresh_from_db()
    assert stage.status == StageStatus.CLOSED and stage.results.count() == 2
    assert page.get_by_text("심사를 마감하고 결과를 산출했습니다.").is_visible()  # type: ignore[attr-defined]
    assert axe(page) == []
    # The admin reopens it with a reason; the audit log keeps the reason.
    page.get_by_role("link", name="심사 다시 열기").click()  # type: ignore[attr-defined]
    assert axe(page) == []
    page.get_by_label("다시 여는 사유").fill("위원 1명 출장으로 제출 못 함")  # type: ignore[attr-defined]
    page.get_by_role("button", name="다시 열기").click()  # type: ignore[attr-defined]
    page.wait_for_load_state()  # type: ignore[attr-defined]
    stage.refresh_from_db()
    assert stage.status == StageStatus.OPEN
    reopened = AuditEntry.objects.get(action="stage_reopened")
    assert reopened.after["reason"] == "위원 1명 출장으로 제출 못 함"
    assert ScoreSheet.objects.filter(stage=stage).count() == 1


def test_confirming_awards_asks_first_cancel_keeps_confirm_acts(
    page: object, login: object, axe: object
) -> None:
    wp = committee()
    m1 = member(wp)
    admin = portal_admin(username="award_admin")
    rnd = single_stage_round(title="수상 확인 회차")
    for i in range(2):
        services.entry_create(
            round=rnd, title=f"제안 {i}", owner_name="구민", source_type="p", source_id=i
        )
    stage = rnd.stages.get()
    services.stage_open(stage=stage)
    for se, v in zip(stage.stage_entries.order_by("entry_id"), (9, 4), strict=True):
        services.score_sheet_save(
            stage=stage,
            entry=se.entry,
            user=m1.user,
            scores={c.pk: v for c in stage.criteria.all()},
            submit=True,
        )
    services.stage_close(stage=stage)
    login(admin.username, TEST_PASSWORD)
    for viewport in (DESKTOP, PHONE):
        page.set_viewport_size(viewport)  # type: ignore[attr-defined]
        page.goto(f"/contests/rounds/{rnd.pk}/confirm/")  # type: ignore[attr-defined]
        page.get_by_role("button", name="수상 확정").click()  # type: ignore[attr-defined]
        page.wait_for_load_state()  # type: ignore[attr-defined]
        summary = page.get_by_test_id("confirm-summary").inner_text()  # type: ignore[attr-defined]
        assert "수상 2건, 포상금 500,000원을 기록합니다." in summary
        assert axe(page) == []
        page.get_by_role("link", name="취소").click()  # type: ignore[attr-defined]
        page.wait_for_load_state()  # type: ignore[attr-defined]
        assert not Award.objects.exists() and not PrizePayment.objects.exists()
    page.goto(f"/contests/rounds/{rnd.pk}/confirm/")  # type: ignore[attr-defined]
    page.get_by_role("button", name="수상 확정").click()  # type: ignore[attr-defined]
    page.get_by_role("button", name="확정", exact=True).click()  # type: ignore[attr-defined]
    page.wait_for_load_state()  # type: ignore[attr-defined]
    assert Award.objects.filter(round=rnd).count() == 2
    assert axe(page) == []


def test_an_admin_seats_a_committee_member_picked_by_keyboard(
    page: object, login: object, axe: object
) -> None:
    wp = committee()
    judge = staff_user(
        department=DepartmentFactory(name="감사담당관"),
        username="ko.js",
        last_name="고",
        first_name="정숙",
    )
    for n in range(30):
        staff_user(last_name="박", first_name=f"직원{n}")  # not offered: they do not match
    portal_admin(username="innov_admin")
    login("innov_admin", TEST_PASSWORD)
    page.goto("/contests/committees/")  # type: ignore[attr-defined]
    page.get_by_role("link", name=f"{wp.name} 위원 추가").click()  # type: ignore[attr-defined]
    assert page.locator("select[name=user] option").count() == 0  # type: ignore[attr-defined]
    picker = page.get_by_role("combobox", name="위원")  # type: ignore[attr-defined]
    picker.fill("고정")
    listbox = page.get_by_role("listbox", name="직원 검색 결과")  # type: ignore[attr-defined]
    listbox.get_by_role("option").first.wait_for()
    assert listbox.get_by_role("option").count() == 1
    assert "감사담당관" in listbox.inner_text()
    for size in ({"width": 1280, "height": 900}, {"width": 390, "height": 844}):
        page.set_viewport_size(size)  # type: ignore[attr-defined]
        assert axe(page) == []
    picker.press("ArrowDown")
    picker.press("Enter")
    assert picker.input_value() == "고정숙 (감사담당관)"
    page.get_by_label("구분").select_option("appointed")  # type: ignore[attr-defined]
    page.get_by_role("button", name="위원 추가").click()  # type: ignore[attr-defined]
    page.wait_for_load_state()  # type: ignore[attr-defined]
    assert "고정숙 위원을" in page.locator("main").inner_text()  # type: ignore[attr-defined]
    assert wp.members.filter(user=judge, kind="appointed").exists()
