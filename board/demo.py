"""Demo posts in all four areas, written through the services so the points ledger fills up
as it would in real use (approvals, comments, views, one duplicate, one rejection).
Idempotent: a post is found again by its author and title; comments by author and text.
Every date counts back from ``now`` and none is after it (issue 13 #8)."""

from datetime import datetime, timedelta
from typing import TextIO

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from . import services
from .models import Comment, Post, PostStatus

User = get_user_model()

# (key, author, area, days ago, title, body, outcome, comments [(user, text)], viewers)
# outcome: approve | reject:<reason> | submit | draft | duplicate:<key of original>
DEMO_POSTS: list[tuple] = [
    (
        "library", "staff1", "proposal", 60,
        "주민참여예산으로 도서관 운영시간을 연장해 주세요",
        "구립 도서관이 평일 18시에 문을 닫아 직장인 주민이 이용하기 어렵습니다.\n\n"
        "- 평일 22시까지 연장\n- 주민참여예산 사업으로 인건비 확보\n- 1년 시범 운영 후 평가",
        "approve",
        [("staff2", "신당동 주민센터에도 같은 요청이 많습니다. 적극 찬성합니다."),
         ("panel01", "야간 운영 인력은 자원봉사와 연계하면 비용을 줄일 수 있겠습니다.")],
        ["staff2", "staff3", "staff4", "panel01", "panel02", "innov"],
    ),
    (
        "library-dup", "staff4", "proposal", 20,
        "도서관 개방 시간 연장 요청드립니다(주민 참여 예산)",
        "도서관을 저녁에도 열어 주민 참여 예산으로 운영하면 좋겠습니다.",
        "duplicate:library",
        [],
        ["staff1"],
    ),
    (
        "parking", "staff3", "proposal", 35,
        "구청 부설주차장 야간·주말 주민 개방",
        "업무시간 외에 비어 있는 구청 주차장을 인근 주민에게 유료로 개방해 주차난을 덜고 "
        "세외수입도 늘리는 제안입니다.",
        "approve",
        [("staff5", "건축과에서도 비슷한 민원을 자주 받습니다.")],
        ["staff1", "staff5", "panel03"],
    ),
    (
        "kiosk", "staff5", "proposal", 10,
        "동 주민센터 무인민원발급기 점자·음성 안내 확대",
        "시각장애인 주민이 혼자서도 증명서를 뗄 수 있도록 음성 안내 기능을 갖춘 발급기로 교체합니다.",
        "submit",
        [],
        [],
    ),
    (
        "club-report", "panel02", "club", 25,
        "기획재정국 1분임 10월 활동보고",
        "## 10월 모임\n- 일시: 10월 14일 18:30\n- 주제: 세외수입 체납 관리 사례 연구\n- 참석: 9명\n\n"
        "다음 달에는 타 구 사례를 비교합니다.",
        "approve",
        [("panel04", "서초구 사례 자료를 공유드리겠습니다.")],
        ["panel04", "panel05", "staff1"],
    ),
    (
        "minwon", "staff2", "worksharing", 40,
        "민원 처리 기간 단축을 위한 전자결재 체크리스트",
        "인사팀에서 쓰는 전자결재 점검표를 공유합니다. 반려 사유 상위 5가지를 미리 확인하면 "
        "처리 기간이 평균 하루 줄었습니다.",
        "approve",
        [("staff1", "바로 적용해 보겠습니다. 감사합니다."),
         ("staff3", "동 주민센터 업무에도 도움이 되겠네요.")],
        ["staff1", "staff3", "staff4", "staff5", "panel06"],
    ),
    (
        "myjob", "staff4", "worksharing", 5,
        "My job idea: 폐기물 배출 안내 문자 자동 발송",
        "대형폐기물 신고 후 수거일 전날 안내 문자를 자동으로 보내면 미수거 민원이 줄어듭니다.",
        "reject:수거 일정 연동 방법과 예산을 구체적으로 적어 다시 제출해 주세요.",
        [],
        [],
    ),
    (
        "plan", "innov", "docs", 50,
        "2016년 창의구정 추진 계획",
        "창의구정 추진 계획 원문입니다. 지식나눔 게시판 운영, 창의왕 선정, 제안 평가 일정을 담고 있습니다.",
        "approve",
        [],
        ["staff1", "staff2", "staff3", "panel01"],
    ),
    (
        "pledge", "staff1", "docs", 3,
        "구청장 공약사항 추진 현황(3분기)",
        "공약사항 106개 과제의 3분기 추진 현황 정리 자료입니다.",
        "draft",
        [],
        [],
    ),
]  # fmt: skip


@transaction.atomic
def seed(stdout: TextIO | None = None, *, now: datetime | None = None) -> None:
    now = now or timezone.now()
    users = {u.username: u for u in User.objects.filter(is_active=True)}
    reviewer = users.get("innov") or users.get("admin")
    if reviewer is None:  # org's demo did not run
        return

    def past(at: datetime) -> datetime:
        return min(at, now)

    posts: dict[str, Post] = {}
    for key, author_name, area, days, title, body, outcome, comments, viewers in DEMO_POSTS:
        author = users.get(author_name)
        if author is None:
            continue
        at = now - timedelta(days=days)
        post = Post.objects.filter(author=author, area=area, title=title).first()
        if post is None:
            post = services.post_submit(
                author=author, area=area, title=title, body=body, at=at,
                draft=outcome == "draft",
            )  # fmt: skip
        posts[key] = post
        review_at = past(at + timedelta(days=1))
        if outcome.startswith("duplicate:") and post.duplicate_of_id is None:
            services.post_mark_duplicate(
                post=post, original=posts[outcome.split(":", 1)[1]], reviewer=reviewer,
                at=review_at,
            )  # fmt: skip
        if outcome in ("approve",) or outcome.startswith("duplicate:"):
            if post.status != PostStatus.APPROVED:
                services.post_approve(post=post, reviewer=reviewer, at=review_at)
        elif outcome.startswith("reject:") and post.status != PostStatus.REJECTED:
            services.post_reject(
                post=post, reviewer=reviewer, reason=outcome.split(":", 1)[1], at=review_at
            )
        for i, (commenter_name, text) in enumerate(comments, start=1):
            commenter = users.get(commenter_name)
            if (
                commenter
                and not Comment.objects.filter(post=post, author=commenter, body=text).exists()
            ):
                services.comment_add(
                    post=post, author=commenter, body=text, at=past(review_at + timedelta(hours=i))
                )
        for i, viewer_name in enumerate(viewers, start=1):
            viewer = users.get(viewer_name)
            if viewer:
                services.post_view_record(
                    post=post, viewer=viewer, at=past(review_at + timedelta(hours=i))
                )
    if stdout:
        stdout.write(
            f"지식나눔 게시판: 게시글 {Post.objects.count()}, "
            f"의견 {Comment.objects.filter(removed_at__isnull=True).count()}\n"
        )
