"""Django admin: filters, search and the bulk actions approve / reject / mark duplicate."""

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.urls import reverse

from board import services
from board.models import Post, PostStatus
from org.tests.factories import portal_admin, staff_user
from scoring.models import Activity, ActivityKind

pytestmark = [pytest.mark.django_db, pytest.mark.smoke]

CHANGELIST = reverse("admin:board_post_changelist")


@pytest.fixture
def admin_client(client):
    admin = portal_admin()
    client.force_login(admin)
    client.admin = admin
    return client


@pytest.fixture
def posts():
    author = staff_user()
    titles = ["구립 도서관 운영시간 연장", "구청 주차장 야간 개방", "도서관 운영시간을 늘려 주세요"]
    return [
        services.post_submit(author=author, area="proposal", title=title, body="주민 편의")
        for title in titles
    ]


def test_the_changelist_filters_and_searches(admin_client, posts) -> None:
    response = admin_client.get(CHANGELIST, {"status__exact": "submitted", "q": "주차장"})
    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == [posts[1]]


def test_a_plain_staff_member_cannot_open_it(client, posts) -> None:
    client.force_login(staff_user())
    assert client.get(CHANGELIST).status_code == 302  # to the admin login


def test_bulk_approve_records_approval_points(admin_client, posts) -> None:
    response = admin_client.post(
        CHANGELIST,
        {"action": "approve_selected", ACTION_CHECKBOX_NAME: [p.pk for p in posts[:2]]},
    )
    assert response.status_code == 200  # the confirmation page first (issue 13)
    assert not Post.objects.filter(status=PostStatus.APPROVED).exists()
    response = admin_client.post(
        CHANGELIST,
        {
            "action": "approve_selected",
            ACTION_CHECKBOX_NAME: [p.pk for p in posts[:2]],
            "confirmed": "yes",
        },
    )
    assert response.status_code == 302
    assert set(Post.objects.filter(status=PostStatus.APPROVED)) == set(posts[:2])
    assert Activity.objects.filter(kind=ActivityKind.APPROVAL).count() == 2
    assert Post.objects.get(pk=posts[0].pk).reviewer == admin_client.admin


def test_bulk_reject_asks_for_a_reason_first(admin_client, posts) -> None:
    ids = [p.pk for p in posts[:2]]
    response = admin_client.post(
        CHANGELIST, {"action": "reject_selected", ACTION_CHECKBOX_NAME: ids}
    )
    assert response.status_code == 200
    assert "반려 사유" in response.content.decode()
    assert not Post.objects.filter(status=PostStatus.REJECTED).exists()
    response = admin_client.post(
        CHANGELIST,
        {"action": "reject_selected", ACTION_CHECKBOX_NAME: ids, "confirmed": "yes", "reason": ""},
    )
    assert "반려 사유를 입력해 주세요." in response.content.decode()
    admin_client.post(
        CHANGELIST,
        {
            "action": "reject_selected",
            ACTION_CHECKBOX_NAME: ids,
            "confirmed": "yes",
            "reason": "구체성 부족",
        },
    )
    rejected = Post.objects.filter(status=PostStatus.REJECTED)
    assert set(rejected) == set(posts[:2])
    assert {p.reject_reason for p in rejected} == {"구체성 부족"}


def test_bulk_mark_duplicate_points_at_the_original_and_voids_points(admin_client, posts) -> None:
    original, copy, _ = posts
    services.post_approve(post=copy, reviewer=admin_client.admin)
    response = admin_client.post(
        CHANGELIST, {"action": "mark_duplicate_selected", ACTION_CHECKBOX_NAME: [copy.pk]}
    )
    assert "원글 번호" in response.content.decode()
    admin_client.post(
        CHANGELIST,
        {
            "action": "mark_duplicate_selected",
            ACTION_CHECKBOX_NAME: [copy.pk],
            "confirmed": "yes",
            "original": original.pk,
        },
    )
    assert Post.objects.get(pk=copy.pk).duplicate_of == original
    assert Activity.objects.get(kind=ActivityKind.APPROVAL).voided_at is not None


def test_the_change_page_shows_similar_posts(admin_client, posts) -> None:
    response = admin_client.get(reverse("admin:board_post_change", args=[posts[2].pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "비슷한 기존 게시글" in html and "구립 도서관 운영시간 연장" in html
