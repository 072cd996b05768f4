"""Issue 15 #1, #6: a staff proposal has one lifecycle, whichever page an admin acts on."""

import pytest
from django.test import Client
from django.urls import reverse

from board import services as board
from board.models import Post, PostStatus
from common.errors import ServiceError
from notifications.models import Notification
from org.tests.factories import portal_admin
from proposals import services
from proposals.calculations import Status
from proposals.models import LinkKind, Proposal

from .factories import staff_proposal

pytestmark = pytest.mark.django_db


def _fresh(p: Proposal) -> Proposal:
    return Proposal.objects.select_related("post").get(pk=p.pk)


def test_approving_on_the_board_opens_the_review() -> None:
    admin = portal_admin()
    p = staff_proposal()
    board.post_approve(post=p.post, reviewer=admin)
    p = _fresh(p)
    assert p.status == Status.REVIEWING
    event = p.events.last()
    assert (event.from_status, event.to_status, event.actor) == ("received", "reviewing", admin)
    assert p.status_changed_at == p.post.reviewed_at


def test_rejecting_on_the_board_is_not_adopted_with_the_reason() -> None:
    admin = portal_admin()
    p = staff_proposal()
    board.post_reject(post=p.post, reviewer=admin, reason="이미 시행 중인 사업입니다")
    p = _fresh(p)
    assert (p.status, p.answer) == (Status.REJECTED, "이미 시행 중인 사업입니다")
    assert p.decided_at is not None  # the clock stopped


def test_an_edit_sends_it_back_and_approval_reopens_it() -> None:
    admin = portal_admin()
    p = staff_proposal()
    board.post_reject(post=p.post, reviewer=admin, reason="내용 보완 필요")
    board.post_edit(post=p.post, editor=p.author, title=p.post.title, body=p.post.body + " 보완")
    p = _fresh(p)
    assert p.post.status == PostStatus.SUBMITTED
    assert p.status == Status.RECEIVED and p.decided_at is None  # the clock runs again
    board.post_approve(post=p.post, reviewer=admin)
    assert _fresh(p).status == Status.REVIEWING


def test_the_board_cannot_reject_what_the_committee_has() -> None:
    admin = portal_admin()
    p = staff_proposal()
    board.post_approve(post=p.post, reviewer=admin)
    Proposal.objects.filter(pk=p.pk).update(status=Status.JUDGING)
    with pytest.raises(ServiceError):
        board.post_reject(post=p.post, reviewer=admin, reason="늦은 반려")
    p = _fresh(p)
    assert (p.status, p.post.status) == (Status.JUDGING, PostStatus.APPROVED)


def test_the_proposal_page_approves_and_rejects_through_the_board(client: Client) -> None:
    admin = portal_admin()
    client.force_login(admin)
    p = staff_proposal()
    url = reverse("proposals:transition", args=[p.pk])
    client.post(url, {"to_status": Status.REVIEWING})
    p = _fresh(p)
    assert (p.status, p.post.status, p.post.reviewer) == (Status.REVIEWING, "approved", admin)
    client.post(url, {"to_status": Status.REJECTED, "reason": "예산 부족"})
    p = _fresh(p)
    assert (p.status, p.post.status, p.post.reject_reason) == ("rejected", "rejected", "예산 부족")
    assert list(p.events.values_list("to_status", flat=True)) == [
        "received",
        "reviewing",
        "rejected",
    ]


def test_a_duplicate_mark_on_the_board_links_the_proposals() -> None:
    admin = portal_admin()
    first = staff_proposal()
    later = staff_proposal()
    board.post_mark_duplicate(post=later.post, original=first.post, reviewer=admin)
    later = _fresh(later)
    assert (later.linked_to, later.link_kind) == (first, LinkKind.DUPLICATE)
    # and from the proposal page: linked once, the board marked once
    third = staff_proposal()
    services.proposal_link(proposal=third, primary=first, kind=LinkKind.DUPLICATE, actor=admin)
    assert Post.objects.get(pk=third.post_id).duplicate_of_id == first.post_id
    assert _fresh(third).events.exclude(from_status="").count() == 1


def test_the_author_is_told_of_each_result_stage_with_a_link_to_the_proposal() -> None:
    admin = portal_admin()
    p = staff_proposal()
    board.post_approve(post=p.post, reviewer=admin)  # the board tells of its 승인 itself
    services.proposal_transition(proposal=p, to_status=Status.RECOMMENDED, actor=admin)
    services.proposal_transition(proposal=p, to_status=Status.JUDGING, actor=admin)
    services.proposal_transition(proposal=p, to_status=Status.ADOPTED, actor=admin)
    told = Notification.objects.filter(recipient=p.author, verb="proposals.stage_changed")
    assert [n.title.split(": ")[-1] for n in told.order_by("id")] == ["실무평가단 추천", "채택"]
    assert {n.url for n in told} == {reverse("proposals:detail", args=[p.pk])}
    assert Notification.objects.filter(recipient=p.author, verb="board.post_approved").count() == 1
