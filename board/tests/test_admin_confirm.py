"""Board admin (issue 13 #7): every bulk action asks first on a page that says in numbers
what will happen; 취소 changes nothing; 확인 acts through board.services and says how many were
done and which were refused, with the Korean reason. Bodies are shown rendered and sanitized."""

import re

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.urls import reverse

from board import services
from board.models import Comment, Post, PostStatus
from org.tests.factories import DepartmentFactory, portal_admin, staff_user
from scoring.models import Activity, ActivityKind

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:board_post_changelist")


@pytest.fixture
def admin_client(client):
    admin = portal_admin(username="boss", last_name="한", first_name="지혜")
    client.force_login(admin)
    client.admin = admin
    return client


@pytest.fixture
def posts():
    author = staff_user(
        department=DepartmentFactory(name="총무과"), last_name="홍", first_name="길동"
    )
    return [
        services.post_submit(author=author, area="proposal", title=f"제안 {i}", body="주민 편의")
        for i in range(4)
    ]


def _ask(client, action: str, posts, **extra):
    data = {"action": action, ACTION_CHECKBOX_NAME: [p.pk for p in posts], **extra}
    return client.post(CHANGELIST, data)


def _text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def _messages(response) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


def test_approve_asks_first_and_says_what_will_happen_in_numbers(admin_client, posts) -> None:
    services.post_approve(post=posts[0], reviewer=admin_client.admin)
    services.post_mark_duplicate(post=posts[3], original=posts[1], reviewer=admin_client.admin)
    response = _ask(admin_client, "approve_selected", posts)
    assert response.status_code == 200
    html = _text(response)
    assert 'data-testid="action-confirmation"' in html
    assert "게시글 3건을 승인합니다. 승인하면 작성자에게 승인 포인트가 적립됩니다 (2건)." in html
    assert "중복으로 지정된 1건은 승인해도 포인트가 적립되지 않습니다." in html
    assert "이미 승인된 1건은 그대로 둡니다." in html
    assert "대상 4건" in html and "제안 2 — 홍길동 (총무과), 승인 대기" in html
    assert Post.objects.filter(status=PostStatus.APPROVED).count() == 1  # nothing yet


def test_cancel_goes_back_and_changes_nothing(admin_client, posts) -> None:
    response = _ask(admin_client, "approve_selected", posts)
    cancel = re.search(r'href="([^"]+)"[^>]*data-testid="cancel-link"', response.content.decode())
    assert cancel is not None
    assert admin_client.get(cancel.group(1).replace("&amp;", "&")).status_code == 200
    assert not Post.objects.filter(status=PostStatus.APPROVED).exists()
    assert not Activity.objects.filter(kind=ActivityKind.APPROVAL).exists()
    assert not Post.objects.filter(reviewer__isnull=False).exists()


def test_confirm_approves_through_the_service_and_reports_how_many(admin_client, posts) -> None:
    services.post_approve(post=posts[0], reviewer=admin_client.admin)
    response = _ask(admin_client, "approve_selected", posts[:3], confirmed="yes")
    assert response.status_code == 302
    messages = _messages(admin_client.get(response.url))
    assert "게시글 2건을 승인했습니다." in messages
    assert "이미 승인된 1건은 그대로 두었습니다." in messages
    assert Post.objects.filter(status=PostStatus.APPROVED).count() == 3
    assert Activity.objects.filter(kind=ActivityKind.APPROVAL).count() == 3  # one each, once
    assert Post.objects.get(pk=posts[1].pk).reviewer == admin_client.admin


def test_reject_asks_for_a_reason_and_says_which_points_go(admin_client, posts) -> None:
    services.post_approve(post=posts[0], reviewer=admin_client.admin)
    html = _text(_ask(admin_client, "reject_selected", posts[:2]))
    assert "게시글 2건을 반려합니다. 작성자에게 반려 사유가 통보됩니다." in html
    assert "승인된 1건은 반려하면 작성자의 승인 포인트가 회수됩니다." in html
    assert 'name="reason"' in html
    refused = _ask(admin_client, "reject_selected", posts[:2], confirmed="yes", reason=" ")
    assert "반려 사유를 입력해 주세요." in refused.content.decode()
    assert not Post.objects.filter(status=PostStatus.REJECTED).exists()
    done = _ask(admin_client, "reject_selected", posts[:2], confirmed="yes", reason="구체성 부족")
    assert "게시글 2건을 반려했습니다." in _messages(admin_client.get(done.url))
    assert Post.objects.filter(status=PostStatus.REJECTED).count() == 2
    assert Activity.objects.get(kind=ActivityKind.APPROVAL).voided_at is not None


def test_a_refused_post_is_named_with_the_services_korean_reason(admin_client, posts) -> None:
    original = posts[1]
    html = _text(_ask(admin_client, "mark_duplicate_selected", [posts[0], posts[2]]))
    assert "게시글 2건을 원글의 중복으로 지정합니다." in html and 'name="original"' in html
    response = _ask(
        admin_client,
        "mark_duplicate_selected",
        [posts[0], posts[2]],
        confirmed="yes",
        original=original.pk,
    )
    messages = _messages(admin_client.get(response.url))
    assert "게시글 1건을 중복으로 지정했습니다." in messages
    assert (
        f"처리하지 못함 — {posts[0].pk}번 제안 0: 원글은 이 글보다 먼저 작성된 글이어야 합니다."
        in messages
    )
    assert Post.objects.get(pk=posts[2].pk).duplicate_of == original
    assert Post.objects.get(pk=posts[0].pk).duplicate_of is None


def test_removing_comments_asks_first_then_voids_their_points(admin_client, posts) -> None:
    services.post_approve(post=posts[0], reviewer=admin_client.admin)
    reader = staff_user(last_name="이", first_name="서연")
    comment = services.comment_add(post=posts[0], author=reader, body="좋은 제안입니다")
    url = reverse("admin:board_comment_changelist")
    data = {"action": "remove_selected", ACTION_CHECKBOX_NAME: [comment.pk]}
    html = _text(admin_client.post(url, data))
    assert "의견 1건을 삭제합니다. 삭제하면 작성자의 의견 포인트가 회수됩니다." in html
    assert "이서연 (" in html
    assert Comment.objects.get(pk=comment.pk).removed_at is None
    response = admin_client.post(url, {**data, "confirmed": "yes"})
    assert "의견 1건을 삭제했습니다." in _messages(admin_client.get(response.url))
    assert Comment.objects.get(pk=comment.pk).removed_at is not None
    assert Activity.objects.get(kind=ActivityKind.COMMENT).voided_at is not None


def test_the_body_is_a_rendered_sanitized_preview_and_the_list_an_excerpt(
    admin_client,
) -> None:
    author = staff_user()
    post = services.post_submit(
        author=author,
        area="proposal",
        title="미리 보기",
        body="**굵게** 쓴 제안 <script>alert(1)</script>" + " 긴 설명" * 40,
    )
    html = admin_client.get(reverse("admin:board_post_change", args=[post.pk])).content.decode()
    assert "<strong>굵게</strong>" in html and "&lt;strong&gt;" not in html
    assert "<script>alert(1)" not in html
    # A row written around the service is cleaned again on the way out.
    Post.objects.filter(pk=post.pk).update(body_html='<img src=x onerror="alert(1)"><b>굵게</b>')
    html = admin_client.get(reverse("admin:board_post_change", args=[post.pk])).content.decode()
    assert "onerror" not in html and "<b>굵게</b>" in html
    listing = _text(admin_client.get(CHANGELIST))
    assert "굵게 쓴 제안" in listing and "<strong>굵게" not in listing
    assert "…" in listing  # the excerpt is cut short


def _hidden(html: str) -> list[tuple[str, str]]:
    """The hidden inputs of the confirmation form: what its 확인 button posts."""
    return re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', html)


def test_select_all_is_passed_on_without_a_list_of_every_id(admin_client, posts) -> None:
    data = {"action": "approve_selected", ACTION_CHECKBOX_NAME: [posts[0].pk], "select_across": "1"}
    url = CHANGELIST + "?status__exact=submitted"
    html = admin_client.post(url, data).content.decode()
    assert "게시글 4건을 승인합니다." in html
    hidden = _hidden(html)
    assert ("select_across", "1") in hidden
    assert len([v for k, v in hidden if k == ACTION_CHECKBOX_NAME]) == 1  # not every id
    form: dict[str, list[str]] = {}
    for key, value in hidden:
        form.setdefault(key, []).append(value)
    response = admin_client.post(url, form)
    assert response.status_code == 302
    assert Post.objects.filter(status=PostStatus.APPROVED).count() == 4
