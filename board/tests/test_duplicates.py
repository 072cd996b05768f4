"""Duplicates: the original must be one its readers may see (issue 12 #15), and the author is
told, with a link to the original (issue 15 #6)."""

import pytest
from django.urls import reverse

from board import services
from board.models import Post
from common.errors import ServiceError
from notifications.models import Notification
from org.tests.factories import portal_admin, staff_user

pytestmark = pytest.mark.django_db


def _submitted(author, title: str = "원글") -> Post:
    return services.post_submit(author=author, area="docs", title=title, body="내용")


def test_a_draft_can_never_be_the_original(client) -> None:
    admin = portal_admin()
    draft = services.post_submit(
        author=staff_user(), area="docs", title="비밀 초안", body="b", draft=True
    )
    copy = _submitted(staff_user(), "나중 글")
    with pytest.raises(ServiceError) as err:
        services.post_mark_duplicate(post=copy, original=draft, reviewer=admin)
    assert err.value.code == "original_draft"
    copy.refresh_from_db()
    assert copy.duplicate_of is None
    # Through the review page the refusal is a message, and nothing leaks.
    client.force_login(admin)
    response = client.post(
        reverse("board:post_review", args=[copy.pk]),
        {"action": "duplicate", "original": draft.pk},
        follow=True,
    )
    assert "임시저장 글은 원글로 지정할 수 없습니다" in response.content.decode()


def test_the_post_page_names_the_original_only_to_readers_who_may_see_it(client) -> None:
    admin, author = portal_admin(), staff_user()
    original = _submitted(staff_user(), "아직 승인 전인 원글")
    copy = services.post_approve(post=_submitted(author, "나중 글"), reviewer=admin)
    services.post_mark_duplicate(post=copy, original=original, reviewer=admin)

    client.force_login(author)
    page = client.get(copy.get_absolute_url()).content.decode()
    assert "아직 승인 전인 원글" not in page
    assert original.get_absolute_url() not in page
    assert "원글은 아직 공개되지 않았습니다" in page

    services.post_approve(post=original, reviewer=admin)
    page = client.get(copy.get_absolute_url()).content.decode()
    assert "아직 승인 전인 원글" in page and original.get_absolute_url() in page


def test_the_author_is_told_with_a_link_to_the_original() -> None:
    admin, author = portal_admin(), staff_user()
    original = services.post_approve(post=_submitted(staff_user(), "도서관 연장"), reviewer=admin)
    copy = _submitted(author, "도서관 운영 시간")
    services.post_mark_duplicate(post=copy, original=original, reviewer=admin)
    services.post_mark_duplicate(post=copy, original=original, reviewer=admin)  # told once
    told = Notification.objects.get(recipient=author, verb="board.post_duplicate")
    assert told.url == original.get_absolute_url()
    assert "도서관 운영 시간" in told.title and f"{original.pk}번 도서관 연장" in told.title


def test_an_original_not_yet_public_is_named_by_number_only() -> None:
    admin, author = portal_admin(), staff_user()
    original = _submitted(staff_user(), "검토 중인 원글")
    copy = _submitted(author, "나중 글")
    services.post_mark_duplicate(post=copy, original=original, reviewer=admin)
    told = Notification.objects.get(recipient=author, verb="board.post_duplicate")
    assert "검토 중인 원글" not in told.title and f"{original.pk}번" in told.title
    assert told.url == copy.get_absolute_url()
