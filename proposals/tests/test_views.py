"""Staff and admin pages: masking, logged full views, the lifecycle form, lists' query counts."""

from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from org.roles import Role
from org.tests.factories import DepartmentFactory, portal_admin, staff_user
from proposals import services
from proposals.calculations import Status
from proposals.models import BenchmarkCase, Channel, PersonalDataAccess, Proposal, ThemeTask

from .factories import (
    BenchmarkCaseFactory,
    ThemeRoundFactory,
    ThemeTaskFactory,
    resident_proposal,
    staff_proposal,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client: Client) -> Client:
    client.force_login(portal_admin())
    return client


def test_admins_see_masked_names_in_the_list(admin_client: Client) -> None:
    resident_proposal(proposer_name="김민수", phone="010-1234-5678")
    html = admin_client.get(reverse("proposals:index")).content.decode()
    assert "김*수" in html
    assert "김민수" not in html and "5678" not in html


def test_staff_see_only_their_own_proposals(client: Client) -> None:
    me = staff_user()
    mine = staff_proposal(author=me, title="내 제안입니다")
    staff_proposal(title="남의 제안입니다")
    resident_proposal(title="구민 제안입니다")
    client.force_login(me)
    html = client.get(reverse("proposals:index")).content.decode()
    assert "내 제안입니다" in html
    assert "남의 제안입니다" not in html and "구민 제안입니다" not in html
    assert client.get(reverse("proposals:detail", args=[mine.pk])).status_code == 200


def test_the_admin_detail_shows_the_whole_name_and_logs_the_view(client: Client) -> None:
    admin = portal_admin()
    p = resident_proposal(proposer_name="김민수", phone="010-1234-5678", email="m@example.kr")
    client.force_login(admin)
    html = client.get(reverse("proposals:detail", args=[p.pk])).content.decode()
    assert "김민수" in html and "010-1234-5678" in html and "m@example.kr" in html
    log = PersonalDataAccess.objects.get()
    assert (log.actor, log.proposal, log.action) == (admin, p, "view")
    assert p.receipt_number in client.get(reverse("proposals:access_log")).content.decode()


def test_the_working_panel_sees_details_masked_and_the_view_is_logged(client: Client) -> None:
    # Issue 12 #18: the 실무평가단 sees the 거주 동 and the free text, so its views are logged
    # too (before, nothing was logged); names and contacts stay masked.
    p = resident_proposal(proposer_name="김민수", phone="010-1234-5678")
    member = staff_user(roles=[Role.WORKING_PANEL, Role.STAFF])
    client.force_login(member)
    html = client.get(reverse("proposals:detail", args=[p.pk])).content.decode()
    assert "김*수" in html and "010-****-5678" in html
    assert "김민수" not in html
    log = PersonalDataAccess.objects.get()
    assert (log.actor, log.proposal, log.action) == (member, p, "view")
    assert "김민수" not in log.subject and "가림" in log.detail
    assert client.get(reverse("proposals:access_log")).status_code == 403
    assert client.get(reverse("proposals:export")).status_code == 403


def test_other_staff_cannot_open_a_resident_proposal(client: Client) -> None:
    p = resident_proposal()
    client.force_login(staff_user())
    assert client.get(reverse("proposals:detail", args=[p.pk])).status_code == 403


def test_the_export_has_full_data_and_logs_every_row(admin_client: Client) -> None:
    a = resident_proposal(proposer_name="김민수")
    b = resident_proposal(proposer_name="이영희")
    staff_proposal()
    response = admin_client.get(reverse("proposals:export"))
    text = b"".join(response.streaming_content).decode("utf-8-sig")  # streamed (issue 14)
    assert "김민수" in text and "이영희" in text
    assert set(
        PersonalDataAccess.objects.filter(action="export").values_list("proposal", flat=True)
    ) == {
        a.pk,
        b.pk,
    }


def test_admins_move_a_proposal_through_the_form(admin_client: Client) -> None:
    p = resident_proposal()
    url = reverse("proposals:transition", args=[p.pk])
    admin_client.post(url, {"to_status": Status.REVIEWING})
    response = admin_client.post(url, {"to_status": Status.REJECTED, "reason": ""}, follow=True)
    assert "사유를 적어야 합니다" in response.content.decode()
    admin_client.post(url, {"to_status": Status.REJECTED, "reason": "이미 시행 중"})
    p.refresh_from_db()
    assert p.status == Status.REJECTED
    assert list(p.events.values_list("to_status", flat=True)) == [
        "received",
        "reviewing",
        "rejected",
    ]


def test_staff_cannot_change_status(client: Client) -> None:
    p = resident_proposal()
    client.force_login(staff_user())
    assert (
        client.post(
            reverse("proposals:transition", args=[p.pk]), {"to_status": "reviewing"}
        ).status_code
        == 403
    )


def test_overdue_proposals_stand_out_for_admins(admin_client: Client) -> None:
    from datetime import timedelta

    from django.utils import timezone

    resident_proposal(title="오래된 제안", at=timezone.now() - timedelta(days=45))
    html = admin_client.get(reverse("proposals:index")).content.decode()
    assert "처리기한(접수 후 1개월)이 지난 제안이 1건" in html
    assert "기한 경과" in html


def test_staff_register_a_mail_proposal_with_the_date_received(client: Client) -> None:
    desk = staff_user()
    client.force_login(desk)
    data = {
        "proposer_name": "박철수", "phone": "02-2260-1234", "email": "", "dong": "약수동",
        "title": "우편 제안", "content": "우편으로 보냅니다.", "expected_effect": "",
        "channel": Channel.MAIL, "received_on": "2016-02-20", "department": "",
        "consent_obtained": "on",
    }  # fmt: skip
    client.post(reverse("proposals:register"), data)
    p = Proposal.objects.get()
    assert (p.channel, p.registered_by, p.received_on) == (Channel.MAIL, desk, date(2016, 2, 20))
    response = client.post(
        reverse("proposals:register"), {**data, "consent_obtained": "", "title": "두 번째"}
    )
    assert "동의를 받아야" in response.content.decode()
    assert Proposal.objects.count() == 1


def test_staff_write_a_proposal_as_a_board_post(client: Client) -> None:
    me = staff_user()
    task = ThemeTaskFactory()
    client.force_login(me)
    assert client.get(reverse("proposals:write") + f"?task={task.pk}").status_code == 200
    data = {
        "title": "무인 발급기 확대", "current_problem": "대기 시간이 깁니다.",
        "content": "무인 발급기를 늘립니다.", "expected_effect": "대기 단축",
        "department": "", "theme_task": task.pk,
    }  # fmt: skip
    response = client.post(reverse("proposals:write"), data)
    p = Proposal.objects.get()
    assert response.status_code == 302
    assert (p.author, p.theme_task, p.post.area) == (me, task, "proposal")
    response = client.post(reverse("proposals:write"), {**data, "title": ""})
    assert "대기 시간이 깁니다" in response.content.decode()


def test_the_statistics_page_shows_the_history(client: Client) -> None:
    client.force_login(staff_user())
    html = client.get(reverse("proposals:statistics")).content.decode()
    for figure in ("207", "141", "66", "177", "134", "43", "327", "384", "+57"):
        assert f">{figure}<" in html.replace(" ", "").replace("\n", "")


def test_departments_review_their_benchmark_cases(client: Client) -> None:
    dept = DepartmentFactory()
    case = BenchmarkCaseFactory(department=dept)
    outsider = staff_user()
    client.force_login(outsider)
    url = reverse("proposals:benchmark_detail", args=[case.pk])
    assert client.post(url, {"state": "applicable", "reason": "x"}).status_code == 403
    client.force_login(staff_user(department=dept))
    response = client.post(url, {"state": "applicable", "reason": ""})
    assert "이유를 적어 주세요" in response.content.decode()
    client.post(url, {"state": "not_applicable", "reason": "주차 공간이 없어 불가"})
    case.refresh_from_db()
    assert (case.state, case.review_reason) == (
        BenchmarkCase.State.NOT_APPLICABLE,
        "주차 공간이 없어 불가",
    )


def test_staff_register_a_benchmark_case(client: Client) -> None:
    client.force_login(staff_user())
    dept = DepartmentFactory()
    client.post(reverse("proposals:benchmarks"), {
        "title": "스마트 횡단보도", "origin": "서초구", "summary": "바닥 신호등",
        "source": "press", "link": "https://news.example.kr/1", "source_date": "2016-03-02",
        "department": dept.pk,
    })  # fmt: skip
    assert BenchmarkCase.objects.get().department == dept


def test_admins_open_theme_rounds_and_staff_post_tasks_for_their_department(client: Client) -> None:
    client.force_login(portal_admin())
    client.post(reverse("proposals:themes"), {"title": "2016년 4월 테마제안",
                                              "opens_on": "2016-04-01", "closes_on": "2099-04-30"})  # fmt: skip
    round_ = ThemeRoundFactory._meta.model.objects.get()
    dept = DepartmentFactory()
    other = DepartmentFactory()
    client.force_login(staff_user(department=dept))
    url = reverse("proposals:theme_detail", args=[round_.pk])
    client.post(url, {"title": "불법 주정차 줄이기", "department": other.pk})
    assert not ThemeTask.objects.exists()
    client.post(url, {"title": "불법 주정차 줄이기", "department": dept.pk})
    assert ThemeTask.objects.get().department == dept
    assert client.post(reverse("proposals:themes"), {"title": "x"}).status_code == 403


def _award(p: Proposal, *, grade: str, points: str, by: object) -> None:
    """A confirmed contests award for ``p`` in an evaluation of this year."""
    from decimal import Decimal

    from django.utils import timezone

    from contests.models import Award, Entry

    today = timezone.localdate()
    services.proposal_transition(proposal=p, to_status=Status.REVIEWING, actor=None)
    services.proposal_transition(proposal=p, to_status=Status.RECOMMENDED, actor=None)
    ev = services.evaluation_create(title=f"심사 {p.pk}", period_start=today.replace(month=1, day=1),
                                    period_end=today, actor=None)  # fmt: skip
    entry = Entry.objects.get(source_type=services.SOURCE_TYPE, source_id=p.pk)
    Award.objects.create(round_id=ev.contests_round_id, entry=entry, grade=grade, prize_won=100_000,
                         performance_points=Decimal(points), confirmed_by=by,
                         confirmed_at=timezone.now())  # fmt: skip


def test_evaluation_pages_are_admin_only_and_export_hr_points(client: Client) -> None:
    client.force_login(staff_user())
    assert client.get(reverse("proposals:evaluations")).status_code == 403
    assert client.get(reverse("proposals:hr_export")).status_code == 403
    admin = portal_admin()
    client.force_login(admin)
    p = staff_proposal()
    _award(p, grade="merit", points="0.5", by=admin)  # 성과포인트 come from the contests award
    text = b"".join(client.get(reverse("proposals:hr_export")).streaming_content).decode(
        "utf-8-sig"
    )
    assert p.receipt_number in text and "0.5" in text and "0.05" in text
    p = staff_proposal()
    services.proposal_transition(proposal=p, to_status=Status.REVIEWING, actor=admin)
    services.proposal_transition(proposal=p, to_status=Status.RECOMMENDED, actor=admin)
    client.post(reverse("proposals:evaluations"),
                {"title": "상반기 심사", "period_start": "2000-01-01", "period_end": "2099-12-31"})  # fmt: skip
    p.refresh_from_db()
    assert p.status == Status.JUDGING and p.evaluation is not None


# --- query counts: the same with little and with much data -------------------------------------


def _grow(n: int) -> None:
    author = staff_user()
    for i in range(n):
        resident_proposal(channel=Channel.EPEOPLE if i % 2 else Channel.WEB)
        staff_proposal(author=author if i % 2 else None)
        BenchmarkCaseFactory()
        ThemeTaskFactory()


@pytest.mark.parametrize(
    "name",
    ["proposals:index", "proposals:themes", "proposals:benchmarks", "proposals:access_log",
     "proposals:statistics"],
)  # fmt: skip
def test_list_pages_take_the_same_queries_small_and_large(
    admin_client: Client, django_assert_max_num_queries: object, name: str
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    _grow(1)
    admin_client.get(reverse(name))  # warm the session and permission caches
    with CaptureQueriesContext(connection) as small:
        assert admin_client.get(reverse(name)).status_code == 200
    small_count = len(small.captured_queries)
    assert small_count > 0
    _grow(6)
    admin_client.get(reverse("proposals:export"))  # fills the access log
    with django_assert_max_num_queries(small_count):  # type: ignore[operator]
        assert admin_client.get(reverse(name)).status_code == 200


def test_the_board_proposal_area_writes_through_this_app(client: Client) -> None:
    client.force_login(staff_user())
    html = client.get(reverse("board:area_list", args=["proposal"])).content.decode()
    assert reverse("proposals:write") in html
    assert reverse("board:post_create", args=["proposal"]) not in html


def test_the_author_is_told_of_an_earlier_similar_proposal(client: Client) -> None:
    earlier = resident_proposal(title="골목길 가로등 밝기 개선",
                                content="신당동 골목길 가로등이 어두워 밤길이 위험합니다.")  # fmt: skip
    client.force_login(staff_user())
    data = {
        "title": "가로등 밝기 개선", "current_problem": "골목길이 어둡습니다",
        "content": "골목길 가로등을 밝게 해 밤길을 안전하게", "expected_effect": "안전",
        "department": "", "theme_task": "",
    }  # fmt: skip
    html = client.post(reverse("proposals:write"), data, follow=True).content.decode()
    assert f"먼저 접수된 비슷한 제안({earlier.receipt_number})" in html


def test_the_overdue_banner_takes_the_same_queries_with_more_overdue(
    admin_client: Client, django_assert_max_num_queries: object
) -> None:
    from datetime import timedelta

    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    old = timezone.now() - timedelta(days=60)
    resident_proposal(at=old)
    admin_client.get(reverse("proposals:index"))
    with CaptureQueriesContext(connection) as small:
        html = admin_client.get(reverse("proposals:index")).content.decode()
    assert "지난 제안이 1건" in html
    for i in range(12):
        resident_proposal(at=old - timedelta(days=i))
    with django_assert_max_num_queries(len(small.captured_queries)):  # type: ignore[operator]
        html = admin_client.get(reverse("proposals:index")).content.decode()
    assert "지난 제안이 13건" in html
    assert html.count("overdue-alert") == 1


def test_the_overdue_count_is_capped(settings: object) -> None:
    from datetime import timedelta

    from django.utils import timezone

    from proposals import selectors

    for i in range(4):
        resident_proposal(at=timezone.now() - timedelta(days=40 + i))
    summary = selectors.overdue_summary(limit=2, cap=3)
    assert (summary.count, summary.capped, len(summary.first)) == (3, True, 2)
    assert summary.first[0].received_at < summary.first[1].received_at  # the oldest first
    full = selectors.overdue_summary(limit=5)
    assert (full.count, full.capped) == (4, False)
    assert selectors.proposal_count(cap=2) == 2
