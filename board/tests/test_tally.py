"""The board's monthly tally (the admin dashboard's figures): every write that changes a
post's status, submission or approval keeps it equal to a recount of the posts, in its own
transaction; the rebuild makes it so and a second rebuild changes nothing."""

from datetime import datetime
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command

from board import services, tally
from board.models import Area, MonthlyTally
from board.tests.factories import PostFactory
from org.tests.factories import portal_admin, staff_user

pytestmark = pytest.mark.django_db
SEOUL = ZoneInfo("Asia/Seoul")
MARCH = datetime(2026, 3, 31, 23, 30, tzinfo=SEOUL)  # still March in Seoul (UTC: 14:30)
APRIL = datetime(2026, 4, 2, 9, tzinfo=SEOUL)
MAY = datetime(2026, 5, 6, 9, tzinfo=SEOUL)


def kept() -> dict[tally.Key, dict[str, int]]:
    """The tally as stored, without cells the services brought back to zero."""
    return {
        (c.area, c.month, c.department_id): {f: getattr(c, f) for f in tally.FIELDS}
        for c in MonthlyTally.objects.all()
        if any(getattr(c, f) for f in tally.FIELDS)
    }


def assert_kept_right() -> None:
    assert kept() == tally.recount()


@pytest.fixture
def admin():
    return portal_admin()


@pytest.fixture
def author():
    return staff_user()


def submit(author, at: datetime = MARCH, **kw: object):
    return services.post_submit(
        author=author, area=Area.DOCS, title="민원 절차 개선", body="내용", at=at, **kw
    )


def test_a_submitted_post_counts_in_its_seoul_month_and_a_draft_does_not(author) -> None:
    post = submit(author)
    services.post_submit(author=author, area=Area.DOCS, title="초안", body="x", at=MARCH,
                         draft=True)  # fmt: skip
    assert kept() == {
        (Area.DOCS, MARCH.date().replace(day=1), post.department_id): {
            "registered": 1, "registered_approved": 0, "approvals": 0,
        }
    }  # fmt: skip
    assert_kept_right()


def test_approval_counts_in_the_submission_and_the_approval_month(author, admin) -> None:
    post = submit(author)
    services.post_approve(post=post, reviewer=admin, at=APRIL)
    services.post_approve(post=post, reviewer=admin, at=MAY)  # twice: nothing changes
    dept = post.department_id
    assert kept() == {
        (Area.DOCS, MARCH.date().replace(day=1), dept): {
            "registered": 1, "registered_approved": 1, "approvals": 0,
        },
        (Area.DOCS, APRIL.date().replace(day=1), dept): {
            "registered": 0, "registered_approved": 0, "approvals": 1,
        },
    }  # fmt: skip
    assert_kept_right()


def test_rejecting_an_approved_post_takes_its_approval_back(author, admin) -> None:
    post = submit(author)
    services.post_approve(post=post, reviewer=admin, at=APRIL)
    services.post_reject(post=post, reviewer=admin, reason="출처 누락", at=MAY)
    assert_kept_right()
    cells = kept()
    assert sum(c["approvals"] for c in cells.values()) == 0
    assert sum(c["registered"] for c in cells.values()) == 1
    services.post_approve(post=post, reviewer=admin, at=MAY)  # approved again, in May
    assert_kept_right()
    assert kept()[Area.DOCS, MAY.date().replace(day=1), post.department_id]["approvals"] == 1


def test_an_edit_that_resubmits_moves_the_post_to_its_new_month(author, admin) -> None:
    post = submit(author)
    services.post_approve(post=post, reviewer=admin, at=APRIL)
    services.post_edit(post=post, editor=author, title="민원 절차 개선안", body="새 내용", at=MAY)
    assert_kept_right()
    cells = kept()
    assert list(cells) == [(Area.DOCS, MAY.date().replace(day=1), post.department_id)]
    assert cells[Area.DOCS, MAY.date().replace(day=1), post.department_id] == {
        "registered": 1, "registered_approved": 0, "approvals": 0,
    }  # fmt: skip


def test_a_draft_submitted_by_an_edit_counts_then(author) -> None:
    draft = services.post_submit(author=author, area=Area.CLUB, title="초안", body="x",
                                 at=MARCH, draft=True)  # fmt: skip
    assert kept() == {}
    services.post_edit(post=draft, editor=author, title="초안", body="x", at=APRIL, submit=True)
    assert kept() == {
        (Area.CLUB, APRIL.date().replace(day=1), draft.department_id): {
            "registered": 1, "registered_approved": 0, "approvals": 0,
        }
    }  # fmt: skip
    assert_kept_right()


def test_a_post_without_department_has_its_own_cell(admin) -> None:
    from django.contrib.auth import get_user_model

    nobody = get_user_model().objects.create_user("no_dept")
    post = submit(nobody, department=None)
    assert post.department_id is None
    again = services.post_submit(author=nobody, area=Area.DOCS, title="둘째 글", body="내용",
                                 at=MARCH)  # fmt: skip
    services.post_approve(post=again, reviewer=admin, at=APRIL)
    assert kept()[Area.DOCS, MARCH.date().replace(day=1), None]["registered"] == 2
    assert MonthlyTally.objects.filter(department__isnull=True).count() == 2  # March, April
    assert_kept_right()


def test_the_rebuild_recounts_bulk_rows_and_a_second_run_changes_nothing(author, admin) -> None:
    submit(author)
    for status in ("submitted", "approved", "rejected", "draft"):
        PostFactory(author=author, status=status, area=Area.PROPOSAL, created_at=APRIL,
                    submitted_at=APRIL, reviewed_at=MAY if status == "approved" else None,
                    reject_reason="x" if status == "rejected" else "")  # fmt: skip
    MonthlyTally.objects.create(area=Area.CLUB, month=MAY.date().replace(day=1), registered=7)
    assert kept() != tally.recount()
    cells, written = tally.rebuild()
    assert_kept_right()
    assert cells == MonthlyTally.objects.count() == 3 and written == 3
    before = list(MonthlyTally.objects.order_by("pk").values())
    assert tally.rebuild() == (3, 0)
    call_command("board_rebuild_tally", stdout=StringIO())
    assert list(MonthlyTally.objects.order_by("pk").values()) == before
