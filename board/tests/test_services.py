"""The board's writes and the 창의왕 activities they record."""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils import timezone

from board import services
from board.models import Area, Comment, Post, PostStatus, PostView
from common.errors import ServiceError
from org.tests.factories import DepartmentFactory, UserFactory, portal_admin, staff_user
from scoring.models import Activity, ActivityKind

pytestmark = [pytest.mark.django_db, pytest.mark.smoke]


def live(**kw: object):
    return Activity.objects.filter(voided_at__isnull=True, **kw)


@pytest.fixture
def admin():
    return portal_admin()


@pytest.fixture
def author():
    return staff_user()


def approved_post(author, admin, area: str = Area.WORKSHARING, **kw: object) -> Post:
    post = services.post_submit(author=author, area=area, title="민원 절차 개선", body="내용", **kw)
    return services.post_approve(post=post, reviewer=admin)


def test_it_submits_a_post_with_the_authors_department_snapshot(author) -> None:
    post = services.post_submit(author=author, area=Area.DOCS, title=" 제목 ", body="**굵게**")
    assert post.status == PostStatus.SUBMITTED
    assert post.department == author.staff_profile.department
    assert post.title == "제목"
    assert "<strong>굵게</strong>" in post.body_html
    assert post.submitted_at is not None


def test_it_takes_a_department_override_and_works_for_a_user_without_profile() -> None:
    plain = UserFactory()
    dept = DepartmentFactory()
    assert services.post_submit(author=plain, area="club", title="t", body="b").department is None
    post = services.post_submit(author=plain, area="club", title="t2", body="b", department=dept)
    assert post.department == dept


def test_it_records_proposal_submitted_only_for_submitted_proposals(author) -> None:
    draft = services.post_submit(
        author=author, area=Area.PROPOSAL, title="초안", body="b", draft=True
    )
    assert draft.status == PostStatus.DRAFT
    assert not Activity.objects.filter(kind=ActivityKind.PROPOSAL_SUBMITTED).exists()
    services.post_submit(author=author, area=Area.WORKSHARING, title="나눔", body="b")
    assert not Activity.objects.filter(kind=ActivityKind.PROPOSAL_SUBMITTED).exists()
    services.post_edit(post=draft, editor=author, title="초안", body="b", submit=True)
    assert draft.status == PostStatus.SUBMITTED
    row = Activity.objects.get(kind=ActivityKind.PROPOSAL_SUBMITTED)
    assert (row.user, row.source_type, row.source_id, row.area) == (
        author,
        "board.post",
        draft.pk,
        "proposal",
    )


def test_it_rejects_empty_huge_or_script_only_content(author) -> None:
    with pytest.raises(ServiceError) as err:
        services.post_submit(author=author, area="docs", title="  ", body="")
    assert err.value.field == "title"
    assert "제목을 입력해 주세요." in str(err.value)
    assert "내용을 입력해 주세요." in str(err.value)
    with pytest.raises(ServiceError) as err:
        services.post_submit(author=author, area="docs", title="t", body="가" * 10_000_000)
    assert (err.value.field, err.value.code) == ("body", "invalid")
    assert "내용이 너무 깁니다" in str(err.value)
    with pytest.raises(ServiceError):
        services.post_submit(
            author=author, area="docs", title="t", body="<script>alert(1)</script>"
        )
    with pytest.raises(ServiceError):
        services.post_submit(author=author, area="nope", title="t", body="b")
    assert not Post.objects.exists()


def test_it_strips_script_from_bodies(author) -> None:
    post = services.post_submit(
        author=author,
        area="docs",
        title="t",
        body='안녕 <script>alert(1)</script><img src=x onerror=alert(1)> <a href="javascript:x()">링크</a>',
    )
    assert "<script" not in post.body_html
    assert "onerror" not in post.body_html
    assert "javascript:" not in post.body_html
    assert "안녕" in post.body_text


def test_a_double_submit_makes_one_post(author) -> None:
    first = services.post_submit(author=author, area="docs", title="t", body="b")
    second = services.post_submit(author=author, area="docs", title="t", body="b")
    assert first.pk == second.pk
    later = services.post_submit(
        author=author, area="docs", title="t", body="b", at=timezone.now() + timedelta(minutes=5)
    )
    assert later.pk != first.pk


def test_approval_records_points_for_the_author_once(author, admin) -> None:
    post = approved_post(author, admin)
    assert post.status == PostStatus.APPROVED
    assert (post.reviewer, post.reject_reason) == (admin, "")
    services.post_approve(post=post, reviewer=admin)
    row = live(kind=ActivityKind.APPROVAL).get()
    assert (row.user, row.source_id, row.area) == (author, post.pk, "worksharing")


def test_rejection_needs_a_reason_and_voids_an_earlier_approval(author, admin) -> None:
    post = approved_post(author, admin)
    with pytest.raises(ServiceError):
        services.post_reject(post=post, reviewer=admin, reason="  ")
    services.post_reject(post=post, reviewer=admin, reason="근거 자료가 부족합니다.")
    post.refresh_from_db()
    assert (post.status, post.reject_reason) == (PostStatus.REJECTED, "근거 자료가 부족합니다.")
    assert not live(kind=ActivityKind.APPROVAL).exists()


def test_a_post_approved_again_after_a_rejection_earns_its_points_again(author, admin) -> None:
    post = approved_post(author, admin)
    services.post_reject(post=post, reviewer=admin, reason="근거 자료가 부족합니다.")
    services.post_approve(post=post, reviewer=admin)
    assert live(kind=ActivityKind.APPROVAL).count() == 1
    # The voided row stays as history beside the new live one.
    assert Activity.objects.filter(kind=ActivityKind.APPROVAL, voided_at__isnull=False).count() == 1


def test_rejecting_an_approved_post_sent_back_by_an_edit_voids_its_points(author, admin) -> None:
    post = approved_post(author, admin)
    services.post_edit(post=post, editor=author, title="민원 절차 개선(수정)", body="새 내용")
    assert post.status == PostStatus.SUBMITTED
    services.post_reject(post=post, reviewer=admin, reason="수정 내용이 부정확합니다.")
    assert not live(kind=ActivityKind.APPROVAL).exists()


def test_a_duplicate_earns_no_approval_and_loses_given_points(author, admin) -> None:
    original = approved_post(staff_user(), admin)
    copy = approved_post(author, admin)
    assert live(user=author, kind=ActivityKind.APPROVAL).exists()
    services.post_mark_duplicate(post=copy, original=original, reviewer=admin)
    assert copy.duplicate_of == original
    row = Activity.objects.get(user=author, kind=ActivityKind.APPROVAL)
    assert row.voided_at is not None and "중복" in row.void_reason
    later = services.post_submit(author=author, area="docs", title="또", body="b")
    services.post_mark_duplicate(post=later, original=original, reviewer=admin)
    services.post_approve(post=later, reviewer=admin)
    assert not Activity.objects.filter(source_id=later.pk, kind=ActivityKind.APPROVAL).exists()


def test_mark_duplicate_refuses_itself_and_a_later_original(author, admin) -> None:
    first = approved_post(author, admin)
    second = services.post_submit(author=author, area="docs", title="두번째", body="b")
    with pytest.raises(ServiceError):
        services.post_mark_duplicate(post=first, original=first, reviewer=admin)
    with pytest.raises(ServiceError):
        services.post_mark_duplicate(post=first, original=second, reviewer=admin)
    # A duplicate of a duplicate points at the root original.
    third = services.post_submit(author=author, area="docs", title="세번째", body="b")
    services.post_mark_duplicate(post=second, original=first, reviewer=admin)
    services.post_mark_duplicate(post=third, original=second, reviewer=admin)
    assert third.duplicate_of == first


def test_comments_score_for_others_and_lose_points_when_removed(author, admin) -> None:
    post = approved_post(author, admin)
    reader = staff_user()
    own = services.comment_add(post=post, author=author, body="작성자 답변")
    comment = services.comment_add(post=post, author=reader, body="좋은 사례입니다")
    assert not Activity.objects.filter(source_type="board.comment", source_id=own.pk).exists()
    row = live(kind=ActivityKind.COMMENT).get()
    assert (row.user, row.source_type, row.source_id) == (reader, "board.comment", comment.pk)
    post.refresh_from_db()
    assert post.comment_count == 2
    services.comment_remove(comment=comment, by=reader)
    services.comment_remove(comment=comment, by=reader)
    assert not live(kind=ActivityKind.COMMENT).exists()
    post.refresh_from_db()
    assert post.comment_count == 1
    assert Comment.objects.get(pk=comment.pk).removed_by == reader


def test_a_comment_needs_an_approved_post_and_text(author, admin) -> None:
    post = services.post_submit(author=author, area="docs", title="t", body="b")
    services.post_reject(post=post, reviewer=admin, reason="중복")
    with pytest.raises(ServiceError) as err:
        services.comment_add(post=post, author=staff_user(), body="의견")
    assert "승인된 게시글에만" in str(err.value)
    assert err.value.code == "not_approved"
    services.post_approve(post=post, reviewer=admin)
    with pytest.raises(ServiceError):
        services.comment_add(post=post, author=staff_user(), body="  ")


def test_edit_comment_keeps_points_and_refuses_removed(author, admin) -> None:
    post = approved_post(author, admin)
    reader = staff_user()
    comment = services.comment_add(post=post, author=reader, body="처음")
    services.comment_edit(comment=comment, by=reader, body="고친 의견")
    assert Comment.objects.get(pk=comment.pk).body == "고친 의견"
    assert live(kind=ActivityKind.COMMENT).count() == 1
    services.comment_remove(comment=comment, by=admin)
    with pytest.raises(ServiceError):
        services.comment_edit(comment=comment, by=reader, body="다시")


def test_a_view_counts_once_per_reader_and_never_for_the_author(author, admin) -> None:
    post = approved_post(author, admin)
    reader = staff_user()
    assert services.post_view_record(post=post, viewer=author) is None
    first = services.post_view_record(post=post, viewer=reader)
    again = services.post_view_record(post=post, viewer=reader)
    assert first is not None and first.pk == again.pk
    post.refresh_from_db()
    assert post.view_count == 1
    row = live(kind=ActivityKind.VIEW).get()
    assert (row.user, row.source_type, row.source_id) == (reader, "board.post", post.pk)


def test_a_view_of_an_unapproved_post_records_nothing(author, admin) -> None:
    post = services.post_submit(author=author, area="docs", title="t", body="b")
    assert services.post_view_record(post=post, viewer=admin) is None
    assert not PostView.objects.exists()


def test_the_database_refuses_a_second_view_row(author, admin) -> None:
    post = approved_post(author, admin)
    reader = staff_user()
    services.post_view_record(post=post, viewer=reader)
    with pytest.raises(IntegrityError), transaction.atomic():
        PostView.objects.create(post=post, viewer=reader, viewed_at=timezone.now())


def test_an_authors_edit_after_approval_sends_it_back_to_review_and_keeps_history(
    author, admin
) -> None:
    post = approved_post(author, admin)
    services.post_edit(post=post, editor=author, title="민원 절차 개선(수정)", body="새 내용")
    assert post.status == PostStatus.SUBMITTED
    assert post.title == "민원 절차 개선(수정)"
    revision = post.revisions.get()
    assert (revision.number, revision.title, revision.status) == (1, "민원 절차 개선", "approved")
    # Points given stay; re-approval records nothing new.
    services.post_approve(post=post, reviewer=admin)
    assert live(kind=ActivityKind.APPROVAL).count() == 1


def test_an_admins_edit_keeps_the_status(author, admin) -> None:
    post = approved_post(author, admin)
    services.post_edit(post=post, editor=admin, title="민원 절차 개선", body="서식 정리")
    assert post.status == PostStatus.APPROVED
    assert post.revisions.count() == 1


def test_the_authors_edit_resubmits_a_rejected_post(author, admin) -> None:
    post = services.post_submit(author=author, area="docs", title="t", body="b")
    services.post_reject(post=post, reviewer=admin, reason="보완 필요")
    services.post_edit(post=post, editor=author, title="t", body="보완했습니다")
    assert (post.status, post.reject_reason) == (PostStatus.SUBMITTED, "")
    assert post.revisions.get().reject_reason == "보완 필요"


def test_at_sets_the_recorded_times(author, admin) -> None:
    at = timezone.now() - timedelta(days=40)
    post = services.post_submit(author=author, area="proposal", title="t", body="b", at=at)
    services.post_approve(post=post, reviewer=admin, at=at + timedelta(days=1))
    assert post.created_at == at
    assert Activity.objects.get(kind=ActivityKind.APPROVAL).occurred_at == at + timedelta(days=1)
    assert Activity.objects.get(kind=ActivityKind.PROPOSAL_SUBMITTED).occurred_at == at


def test_user_model_is_plain_django() -> None:
    assert get_user_model().__name__ == "User"
