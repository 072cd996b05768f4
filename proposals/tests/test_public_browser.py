"""The resident's journey on the KRDS pages in a real browser, on a phone (390×844) and a
desktop: a refused form keeps the typed text and moves focus to the error summary, the form
is usable with the keyboard alone (the KRDS confirmation modal included), the receipt, the
status lookup and the adopted ideas' search; axe finds nothing serious or critical on any
public page at either width. Without JavaScript the same form still sends."""

import re

import pytest

from proposals import services
from proposals.calculations import Status
from proposals.models import Proposal

from .factories import resident_proposal

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
MIN_FILL = 2  # seconds, so the test's own waits stay short


def _adopted(title: str) -> Proposal:
    p = resident_proposal(title=title, publish_if_adopted=True, proposer_name="정민서")
    for status in (Status.REVIEWING, Status.RECOMMENDED, Status.JUDGING, Status.ADOPTED):
        p = services.proposal_transition(proposal=p, to_status=status, actor=None, notify=False)
    return p


def _active(page) -> str:
    return page.evaluate(
        "() => { const e = document.activeElement;"
        " return e ? (e.id || e.getAttribute('name') || e.textContent.trim()) : ''; }"
    )


def _tab_to(page, element_id: str = "", selector: str = "", limit: int = 60) -> None:
    """Press Tab until the element (by id, or matching the CSS selector) has focus, as a
    keyboard user would."""
    check = (
        f"document.activeElement && document.activeElement.matches({selector!r})"
        if selector
        else f"document.activeElement && document.activeElement.id === {element_id!r}"
    )
    for _ in range(limit):
        if page.evaluate(check):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"Tab never reached {element_id or selector}; stuck at {_active(page)!r}")


def _no_side_scroll(page, width: int) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= width


@pytest.mark.parametrize("size", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_the_resident_journey_on_krds(page, axe, settings, size) -> None:
    settings.PROPOSAL_MIN_FILL_SECONDS = MIN_FILL
    page.set_viewport_size(size)
    _adopted("회현동 골목길 가로등 교체")
    _adopted("도서관 야간 개방")

    page.goto("/propose/")
    assert page.locator("#krds-masthead").inner_text().strip().startswith("이 누리집은")
    assert page.get_by_role("list", name="진행 단계").is_visible()
    assert axe(page) == []
    _no_side_scroll(page, size["width"])

    # Keyboard only: Tab into each field and type; the consent box is left unticked.
    page.locator("body").focus()
    typed = {
        "id_proposer_name": "김민수",
        "id_phone": "010-1234-5678",
        "id_title": "신당동 골목길 가로등 밝기 개선",
        "id_content": "골목길이 어두워 밤길이 위험합니다. LED 가로등으로 바꿔 주세요.",
    }
    for field_id, text in typed.items():
        _tab_to(page, field_id)
        page.keyboard.type(text)
    _tab_to(page, "id_dong")
    page.locator("#id_dong").select_option("신당동")  # a native select; arrows work too
    page.wait_for_timeout(MIN_FILL * 1000 + 200)  # a person takes longer than the minimum

    # Enter on the submit button opens the KRDS modal; focus goes into it, Tab reaches
    # 접수하기, Enter sends.
    _tab_to(page, selector=".public-submit")  # past the attachment and both checkboxes
    page.keyboard.press("Enter")
    dialog = page.get_by_role("dialog", name="제안을 접수할까요?")
    dialog.wait_for(state="visible")
    page.wait_for_function("() => document.activeElement.closest('#confirm-modal') !== null")
    assert axe(page) == []
    page.keyboard.press("Escape")  # Esc closes it and focus returns to the trigger
    dialog.wait_for(state="hidden")
    page.wait_for_function("() => document.activeElement.classList.contains('public-submit')")
    page.keyboard.press("Enter")
    dialog.wait_for(state="visible")
    page.wait_for_function("() => document.activeElement.closest('#confirm-modal') !== null")
    for _ in range(3):
        if _active(page) == "접수하기":
            break
        page.keyboard.press("Tab")
    assert _active(page) == "접수하기"
    page.keyboard.press("Enter")

    # Refused (no consent): the KRDS critical alert has focus, the typed text is kept.
    page.wait_for_url("**/propose/")
    summary = page.get_by_test_id("form-error")
    assert "개인정보 수집·이용에 동의해야" in summary.inner_text()
    page.wait_for_function(
        "document.activeElement && document.activeElement.id === 'error-summary'"
    )
    for field_id, text in typed.items():
        assert page.locator(f"#{field_id}").input_value() == text
    assert page.locator("#id_consent").get_attribute("aria-invalid") == "true"
    assert axe(page) == []
    _no_side_scroll(page, size["width"])

    # Tick the box with the keyboard and send again AT ONCE: the minimum fill time counts
    # from when the form was first shown, so this is not "too fast".
    _tab_to(page, "id_consent")
    page.keyboard.press("Space")
    assert page.locator("#id_consent").is_checked()
    _tab_to(page, selector=".public-submit")
    page.keyboard.press("Enter")
    dialog.wait_for(state="visible")
    dialog.get_by_role("button", name="접수하기").click()

    receipt = page.get_by_test_id("receipt-number").inner_text().strip()
    assert re.fullmatch(r"\d{4}-R-\d{5}", receipt)
    assert "너무 빨리" not in page.content()
    assert Proposal.objects.filter(receipt_number=receipt, title=typed["id_title"]).exists()
    assert axe(page) == []
    _no_side_scroll(page, size["width"])

    # Status lookup, a wrong contact first.
    page.get_by_role("main").get_by_role("link", name="처리 상황 조회").click()
    assert axe(page) == []
    page.get_by_label("접수번호").fill(receipt)
    page.get_by_label("접수할 때 적은 휴대전화 또는 전자우편").fill("010-0000-0000")
    page.get_by_role("button", name="조회하기").click()
    assert "일치하는 제안이 없습니다" in page.get_by_test_id("form-error").inner_text()
    page.wait_for_function(
        "document.activeElement && document.activeElement.id === 'error-summary'"
    )
    assert page.get_by_label("접수번호").input_value() == receipt
    assert axe(page) == []
    page.get_by_label("접수할 때 적은 휴대전화 또는 전자우편").fill("01012345678")
    page.get_by_role("button", name="조회하기").click()
    result = page.get_by_test_id("status-result")
    assert typed["id_title"] in result.inner_text()
    assert page.get_by_test_id("status-label").inner_text().strip() == "접수"
    assert axe(page) == []
    _no_side_scroll(page, size["width"])

    # Adopted ideas: the list, a search, one idea's page; never the proposer's name.
    page.get_by_role("navigation", name="구민 제안 메뉴").get_by_role(
        "link", name="채택 제안"
    ).click()
    assert page.get_by_test_id("adopted-item").count() == 2
    assert axe(page) == []
    page.get_by_label("제안 검색").fill("도서관")
    page.get_by_label("제안 검색").press("Enter")
    assert page.get_by_test_id("adopted-item").count() == 1
    assert "‘도서관’ 검색 결과 1건" in page.get_by_test_id("adopted-count").inner_text()
    assert "정민서" not in page.content()
    assert axe(page) == []
    page.get_by_role("link", name="도서관 야간 개방").click()
    assert page.get_by_role("heading", level=1).inner_text().strip() == "도서관 야간 개방"
    assert "정민서" not in page.content()
    assert axe(page) == []
    _no_side_scroll(page, size["width"])


def test_without_javascript_the_form_still_sends(browser, live_server, settings) -> None:
    """The KRDS modal is a JavaScript nicety: without it the submit button sends the form."""
    settings.PROPOSAL_MIN_FILL_SECONDS = 1
    # The first save in a process loads the Korean analyzer of the similarity keys (seconds
    # on a loaded machine); done here, so the click below is timed as on a warm server.
    resident_proposal(title="준비")
    context = browser.new_context(
        base_url=live_server.url, locale="ko-KR", java_script_enabled=False, viewport=PHONE
    )
    try:
        page = context.new_page()
        page.goto("/propose/")
        page.get_by_label("성명").fill("박영희")
        page.get_by_label("휴대전화").fill("010-5555-6666")
        page.get_by_label("거주 동").select_option("약수동")
        page.get_by_label("제목").fill("약수동 버스 정류장 그늘막")
        page.get_by_label("제안 내용").fill("여름에 정류장이 뜨겁습니다. 그늘막을 놓아 주세요.")
        page.wait_for_timeout(1200)
        page.get_by_role("button", name="제안 접수하기").click()  # refused: no consent
        assert "개인정보 수집·이용에 동의해야" in page.get_by_test_id("form-error").inner_text()
        assert page.evaluate("document.activeElement.id") == "error-summary"  # autofocus
        assert page.get_by_label("제목").input_value() == "약수동 버스 정류장 그늘막"
        page.locator("label[for=id_consent]").click()  # a person clicks the KRDS label
        assert page.get_by_label("위 개인정보 수집·이용에 동의합니다.").is_checked()
        page.get_by_role("button", name="제안 접수하기").click()
        receipt = page.get_by_test_id("receipt-number").inner_text().strip()
        assert Proposal.objects.get(receipt_number=receipt).proposer_name == "박영희"
    finally:
        context.close()
