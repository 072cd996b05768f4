"""The residents' pages on the government design system (KRDS), the form's minimum fill
time counted from the first showing, and the adopted ideas' own pages."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from proposals import services
from proposals.calculations import Status
from proposals.models import Proposal

from .factories import resident_proposal
from .test_public_views import form_data, started

pytestmark = pytest.mark.django_db


def _started_in(html: str) -> str:
    match = re.search(r'name="started" value="([^"]+)"', html)
    assert match, "the form carries its signed start time"
    return match.group(1)


def _adopted(publish: bool = True, **kw: object) -> Proposal:
    p = resident_proposal(publish_if_adopted=publish, **kw)
    for status in (Status.REVIEWING, Status.RECOMMENDED, Status.JUDGING, Status.ADOPTED):
        p = services.proposal_transition(proposal=p, to_status=status, actor=None, notify=False)
    return p


# --- The minimum fill time starts when the form is first shown --------------------------------


def test_a_reshown_form_keeps_its_first_start_so_a_quick_correct_resend_is_accepted(
    client: Client, settings: object
) -> None:
    settings.PROPOSAL_MIN_FILL_SECONDS = 5  # type: ignore[attr-defined]
    first_start = started(seconds_ago=30)  # the resident filled the form for 30 s
    refused = client.post(reverse("propose:form"), form_data(consent=None, started=first_start))
    html = refused.content.decode()
    assert "개인정보 수집·이용에 동의해야" in html
    assert _started_in(html) == first_start  # not restarted by the re-shown form
    # The resident ticks the box and sends at once (well under 5 s after the refusal).
    response = client.post(reverse("propose:form"), form_data(started=_started_in(html)))
    assert response.status_code == 302
    assert "너무 빨리" not in response.content.decode()
    assert Proposal.objects.count() == 1


def test_a_genuinely_instant_first_submit_is_still_refused(
    client: Client, settings: object
) -> None:
    settings.PROPOSAL_MIN_FILL_SECONDS = 5  # type: ignore[attr-defined]
    shown = client.get(reverse("propose:form")).content.decode()
    response = client.post(reverse("propose:form"), form_data(started=_started_in(shown)))
    html = response.content.decode()
    assert "너무 빨리 제출되었습니다" in html
    assert not Proposal.objects.exists()
    # Refused as too fast, the form keeps the same start: sent again at once, still too fast.
    again = client.post(reverse("propose:form"), form_data(started=_started_in(html)))
    assert "너무 빨리 제출되었습니다" in again.content.decode()
    assert not Proposal.objects.exists()


@pytest.mark.parametrize("bad", ["forged", ""])
def test_a_forged_or_missing_start_is_refused_and_the_reshown_form_gets_a_fresh_one(
    client: Client, bad: str
) -> None:
    html = client.post(reverse("propose:form"), form_data(started=bad)).content.decode()
    assert "양식이 올바르지 않습니다" in html
    fresh = _started_in(html)
    assert fresh != bad and len(fresh) > 20  # a signed stamp of now, not the bad value echoed


# --- KRDS markup ---------------------------------------------------------------------------


def _public_pages(client: Client) -> dict[str, str]:
    adopted = _adopted(title="회현동 골목길 가로등 교체")
    client.post(reverse("propose:form"), form_data())
    return {
        "form": client.get(reverse("propose:form")).content.decode(),
        "done": client.get(reverse("propose:done")).content.decode(),
        "status": client.get(reverse("propose:status")).content.decode(),
        "adopted": client.get(reverse("propose:adopted")).content.decode(),
        "adopted_detail": client.get(
            reverse("propose:adopted_detail", args=[adopted.pk])
        ).content.decode(),
    }


@pytest.mark.smoke
def test_every_public_page_is_on_krds_not_bootstrap(client: Client) -> None:
    for name, html in _public_pages(client).items():
        assert 'id="krds-masthead"' in html, name  # 공식 누리집 안내
        assert "대한민국 공식 전자정부 누리집" in html, name
        assert "krds-uiux/css/component/output.css" in html, name
        assert "css/public.css" in html, name
        assert "krds-identifier" in html, name
        assert "bootstrap" not in html.lower(), name
        assert 'class="form-control' not in html and "crispy" not in html, name


def test_the_form_uses_krds_controls_steps_and_a_confirmation_modal(client: Client) -> None:
    html = client.get(reverse("propose:form")).content.decode()
    assert 'class="krds-step-wrap"' in html and 'aria-current="step"' in html
    assert re.search(r'<input[^>]+class="krds-input"[^>]+id="id_proposer_name"', html)
    assert re.search(r'<select[^>]+class="krds-form-select"[^>]+id="id_dong"', html)
    assert re.search(r'<textarea[^>]+class="krds-input"[^>]+id="id_content"', html)
    # The KRDS modal confirms the submission; the button that opens it is a real submit
    # button, so without JavaScript the same click sends the form.
    assert 'class="krds-modal fade"' in html and 'id="confirm-modal"' in html
    trigger = re.search(
        r'<button type="submit"\s+class="[^"]*open-modal[^"]*"\s+data-target="confirm-modal"', html
    )
    assert trigger
    modal = html[html.index('id="confirm-modal"') :]
    assert '<button type="submit" class="krds-btn medium primary">' in modal
    assert html.index('id="confirm-modal"') < html.index("</form>")  # its button sends the form


def test_consent_is_separate_required_and_states_the_retention(client: Client) -> None:
    html = client.get(reverse("propose:form")).content.decode()
    assert "개인정보 수집·이용 동의 (필수)" in html
    assert 'id="id_consent"' in html and 'id="id_publish_if_adopted"' in html
    consent = html.index('id="id_consent"')
    assert html.index("보유·이용 기간") < consent < html.index('id="id_publish_if_adopted"')
    assert "접수일로부터 3년" in html
    assert 'id="privacy"' in html  # the footer's 개인정보처리방침 link lands on it
    assert 'name="consent" checked' not in html  # never ticked in advance


def test_a_refusal_shows_a_krds_critical_alert_that_takes_focus(client: Client) -> None:
    html = client.post(reverse("propose:form"), form_data(consent=None, title="")).content.decode()
    summary = html[html.index('id="error-summary"') - 200 : html.index('id="error-summary"') + 3000]
    assert 'class="krds-critical-alerts"' in summary
    assert 'role="alert"' in summary and "autofocus" in summary and 'tabindex="-1"' in summary
    assert "critical-badge danger" in summary
    assert 'href="#id_consent"' in summary and 'href="#id_title"' in summary
    assert 'aria-invalid="true"' in html and 'id="id_title-error"' in html
    assert "신당동 골목길이 어둡습니다" in html and "김민수" in html  # typed text kept


def test_a_dropped_attachment_is_said_in_the_summary(client: Client) -> None:
    exe = SimpleUploadedFile("run.exe", b"MZ\x90\x00", content_type="application/octet-stream")
    html = client.post(reverse("propose:form"), {**form_data(), "attachment": exe}).content.decode()
    summary = html[html.index('id="error-summary"') : html.index('id="propose-form"')]
    assert "첨부파일은 다시 선택해 주세요" in summary
    assert "첨부할 수 없는 파일 형식" in summary


def test_the_done_page_shows_the_last_step_and_the_receipt(client: Client) -> None:
    response = client.post(reverse("propose:form"), form_data(), follow=True)
    html = response.content.decode()
    receipt = Proposal.objects.get().receipt_number
    assert f'data-testid="receipt-number">{receipt}<' in html
    steps = html[html.index('class="krds-step-wrap"') : html.index("</ol>")]
    current = re.search(r'aria-current="step">.*?class="step-tit">([^<]+)<', steps, re.S)
    assert current and current.group(1) == "접수 완료"
    assert steps.count('class="done"') == 2


def test_the_status_page_shows_the_stage_on_the_step_indicator(client: Client) -> None:
    p = resident_proposal(title="가로등 개선", phone="010-1234-5678")
    p = services.proposal_transition(
        proposal=p, to_status=Status.REVIEWING, actor=None, notify=False
    )
    html = client.post(
        reverse("propose:status"), {"receipt_number": p.receipt_number, "contact": "01012345678"}
    ).content.decode()
    result = html[html.index('data-testid="status-result"') :]
    assert result.count('class="done"') == 1 and 'aria-current="step"' in result  # 2 of 4
    assert "검토중" in result
    wrong = client.post(
        reverse("propose:status"), {"receipt_number": p.receipt_number, "contact": "010-0000-0000"}
    ).content.decode()
    assert 'class="krds-critical-alerts"' in wrong and "일치하는 제안이 없습니다" in wrong


# --- 채택 제안: the list and each idea's page --------------------------------------------------


def test_the_adopted_list_shows_the_public_fields_on_krds(client: Client) -> None:
    _adopted(title="회현동 골목길 가로등 교체")
    html = client.get(reverse("propose:adopted")).content.decode()
    item = html[html.index('data-testid="adopted-item"') :]
    assert 'class="krds-structured-list type-full"' in html
    for text in (
        "회현동 골목길 가로등 교체",
        "골목길 가로등을 밝게",
        "신당동",
        "채택",
        "담당 부서",
        "접수일",
    ):
        assert text in item
    assert 'role="search"' in html and 'type="search"' in html
    assert "모두 1건" in html


def test_the_adopted_search_says_how_many_it_found(client: Client) -> None:
    _adopted(title="도서관 야간 개방")
    _adopted(title="주차장 개선")
    html = client.get(reverse("propose:adopted"), {"q": "도서관"}).content.decode()
    assert "‘도서관’ 검색 결과 1건" in html
    none = client.get(reverse("propose:adopted"), {"q": "없는말"}).content.decode()
    assert "조건에 맞는 채택 제안이 없습니다" in none and "검색 결과 0건" in none


def test_an_adopted_idea_has_its_own_page_with_the_whole_text_and_no_personal_data(
    client: Client,
) -> None:
    long_text = "정민서입니다. 010-2222-3333으로 연락 주세요. " + "골목이 어둡습니다. " * 40
    p = _adopted(title="회현동 가로등", proposer_name="정민서", content=long_text,
                 email="ms@example.kr")  # fmt: skip
    url = reverse("propose:adopted_detail", args=[p.pk])
    assert url in client.get(reverse("propose:adopted")).content.decode()  # linked from the list
    html = client.get(url).content.decode()
    assert "회현동 가로등" in html
    assert html.count("골목이 어둡습니다.") == 40  # the whole text, not the 200-letter summary
    for secret in ("정민서", "010-2222-3333", "ms@example.kr"):
        assert secret not in html


def test_only_published_adopted_ideas_have_a_public_page(client: Client) -> None:
    hidden = _adopted(publish=False)
    pending = resident_proposal(publish_if_adopted=True)
    for p in (hidden, pending):
        assert client.get(reverse("propose:adopted_detail", args=[p.pk])).status_code == 404
    assert client.get(reverse("propose:adopted_detail", args=[999999])).status_code == 404


def test_a_fresh_form_has_no_error_summary(client: Client) -> None:
    html = client.get(reverse("propose:form")).content.decode()
    assert 'id="error-summary"' not in html and "autofocus" not in html


def test_the_adopted_list_pages_with_krds_pagination_keeping_the_search(client: Client) -> None:
    for i in range(21):
        _adopted(title=f"주차장 개선 {i}")
    html = client.get(reverse("propose:adopted"), {"q": "주차장"}).content.decode()
    pager = html[html.index('class="krds-pagination"') :]
    assert 'aria-current="page"' in pager
    assert re.search(
        r'class="page-navi next"\s+href="\?q=%EC%A3%BC%EC%B0%A8%EC%9E%A5&amp;page=2"', pager
    )
    second = client.get(reverse("propose:adopted"), {"q": "주차장", "page": 2}).content.decode()
    assert second.count('data-testid="adopted-item"') == 1
