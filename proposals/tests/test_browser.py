"""Must show, in a real browser on a phone-sized screen, with axe: a resident submits, gets a
receipt number and looks it up; an admin sees the name masked in the list and whole on the
detail page, and that view is in the access log."""

import re

import pytest

from org.tests.factories import TEST_PASSWORD, portal_admin
from proposals.models import PersonalDataAccess, Proposal

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 375, "height": 812}


def test_a_resident_proposes_on_a_phone_and_an_admin_reviews(page, login, axe, settings) -> None:
    settings.PROPOSAL_MIN_FILL_SECONDS = 1
    page.set_viewport_size(PHONE)

    page.goto("/propose/")
    assert axe(page) == []
    page.get_by_label("성명").fill("김민수")
    page.get_by_label("휴대전화").fill("010-1234-5678")
    page.get_by_label("전자우편").fill("minsu@example.kr")
    page.get_by_label("거주 동").select_option("신당동")
    page.get_by_label("제목").fill("신당동 골목길 가로등 밝기 개선")
    page.get_by_label("제안 내용").fill(
        "골목길이 어두워 밤길이 위험합니다. LED 가로등으로 바꿔 주세요."
    )
    page.get_by_label("기대효과").fill("밤길 안전")
    # The form is one column on a phone: nothing wider than the screen.
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.locator("label[for=id_consent]").click()  # the KRDS box is drawn on the label
    page.wait_for_timeout(1100)  # a person takes longer than the minimum fill time
    page.get_by_role("button", name="제안 접수하기").click()
    # The KRDS modal confirms. The first save in a process loads the Korean analyzer of the
    # similarity keys (board.textsim, seconds on a loaded machine): a longer wait for it.
    page.get_by_role("dialog").get_by_role("button", name="접수하기").click(timeout=60_000)

    receipt = page.get_by_test_id("receipt-number").inner_text().strip()
    assert re.fullmatch(r"\d{4}-R-\d{5}", receipt)
    assert axe(page) == []

    page.get_by_role("main").get_by_role("link", name="처리 상황 조회").click()
    page.get_by_label("접수번호").fill(receipt)
    page.get_by_label("접수할 때 적은 휴대전화 또는 전자우편").fill("01012345678")
    page.get_by_role("button", name="조회하기").click()
    result = page.get_by_test_id("status-result")
    assert "신당동 골목길 가로등 밝기 개선" in result.inner_text()
    assert page.get_by_test_id("status-label").inner_text().strip() == "접수"
    assert axe(page) == []

    # A wrong contact: one clear message, the typed receipt number kept.
    page.get_by_label("접수할 때 적은 휴대전화 또는 전자우편").fill("010-0000-0000")
    page.get_by_role("button", name="조회하기").click()
    assert "일치하는 제안이 없습니다" in page.get_by_test_id("form-error").inner_text()
    assert page.get_by_label("접수번호").input_value() == receipt

    admin = portal_admin()
    login(admin.username, TEST_PASSWORD)
    page.goto("/proposals/")
    row = page.get_by_role("row").filter(has_text=receipt)
    assert row.get_by_test_id("proposer").inner_text().strip() == "김*수"
    assert "김민수" not in page.content()
    assert axe(page) == []
    assert not PersonalDataAccess.objects.exists()

    row.get_by_role("link", name="신당동 골목길 가로등 밝기 개선").click()
    assert page.get_by_test_id("proposer-name").inner_text().strip() == "김민수"
    assert "010-1234-5678" in page.get_by_test_id("proposer-contact").inner_text()
    assert axe(page) == []

    proposal = Proposal.objects.get(receipt_number=receipt)
    log = PersonalDataAccess.objects.get()
    assert (log.actor_id, log.proposal_id, log.action) == (admin.pk, proposal.pk, "view")
    page.goto("/proposals/access-log/")
    logged = page.get_by_test_id("access-log").get_by_role("row").filter(has_text=receipt)
    assert "열람" in logged.inner_text()
    assert admin.username in logged.inner_text()
    assert axe(page) == []


def test_an_admin_approves_a_staff_proposal_on_the_board_and_its_page_follows(page, login) -> None:
    from .factories import staff_proposal

    p = staff_proposal(title="민원실 대기 화면 안내 개선")
    admin = portal_admin()
    login(admin.username, TEST_PASSWORD)
    page.goto(f"/proposals/{p.pk}/")
    assert page.get_by_test_id("proposal-status").inner_text().strip() == "접수"
    page.goto(f"/board/posts/{p.post_id}/review/")
    page.get_by_role("button", name="승인", exact=True).click()
    page.goto(f"/proposals/{p.pk}/")
    assert page.get_by_test_id("proposal-status").inner_text().strip() == "검토중"
    assert Proposal.objects.get(pk=p.pk).status == "reviewing"
