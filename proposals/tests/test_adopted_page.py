"""Issue 15 #5: residents see what became of adopted ideas, without any personal data."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from proposals import services
from proposals.calculations import Status
from proposals.models import Proposal

from .factories import resident_proposal
from .test_public_views import form_data

pytestmark = pytest.mark.django_db


def _adopted(publish: bool = True, **kw: object) -> Proposal:
    p = resident_proposal(publish_if_adopted=publish, **kw)
    for status in (Status.REVIEWING, Status.RECOMMENDED, Status.JUDGING, Status.ADOPTED):
        p = services.proposal_transition(proposal=p, to_status=status, actor=None, notify=False)
    return p


def test_adopted_published_ideas_are_listed_without_personal_data(client: Client) -> None:
    _adopted(
        title="회현동 골목길 가로등 교체", proposer_name="정민서", phone="010-2222-3333",
        email="ms@example.kr",
        content="정민서입니다. 회현동 12-3 앞 골목이 어둡습니다. 010-2222-3333으로 연락 주세요.",
    )  # fmt: skip
    _adopted(publish=False, title="공개에 동의하지 않은 제안")
    resident_proposal(publish_if_adopted=True, title="아직 검토 중인 제안")
    html = client.get(reverse("propose:adopted")).content.decode()  # no login
    assert "회현동 골목길 가로등 교체" in html and "채택" in html and "신당동" in html
    for secret in ("정민서", "010-2222-3333", "ms@example.kr", "12-3"):
        assert secret not in html
    assert "공개에 동의하지 않은 제안" not in html
    assert "아직 검토 중인 제안" not in html


def test_the_adopted_page_is_searchable_and_paginated(client: Client) -> None:
    for i in range(25):
        _adopted(title=f"주차장 개선 {i}")
    _adopted(title="도서관 야간 개방")
    html = client.get(reverse("propose:adopted"), {"q": "도서관"}).content.decode()
    assert "도서관 야간 개방" in html and "주차장 개선" not in html
    first = client.get(reverse("propose:adopted")).content.decode()
    assert first.count('data-testid="adopted-item"') == 20
    second = client.get(reverse("propose:adopted"), {"page": 2}).content.decode()
    assert second.count('data-testid="adopted-item"') == 6


def test_the_adopted_page_takes_the_same_queries_small_and_large(client: Client) -> None:
    _adopted()
    with CaptureQueriesContext(connection) as small:
        client.get(reverse("propose:adopted"))
    for _ in range(30):
        _adopted()
    with CaptureQueriesContext(connection) as large:
        client.get(reverse("propose:adopted"))
    assert len(large.captured_queries) == len(small.captured_queries)


def test_the_resident_chooses_publication_at_submission_default_no(client: Client) -> None:
    client.post(reverse("propose:form"), form_data(title="공개 안 함"))
    client.post(reverse("propose:form"), form_data(title="공개 좋음", publish_if_adopted="on"))
    chosen = dict(Proposal.objects.values_list("title", "publish_if_adopted"))
    assert chosen == {"공개 안 함": False, "공개 좋음": True}
    assert "채택 제안" in client.get(reverse("propose:form")).content.decode()
