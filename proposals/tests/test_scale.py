"""Issue 14 (city scale): the export's log in one statement, the admin pages' query counts
at small and larger data, the list's bounded reads, no staff <select> in any proposals form."""

from datetime import UTC, timedelta

import pytest
from django import forms as django_forms
from django.contrib.auth.models import User
from django.db import connection
from django.db.models import ProtectedError
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from org.tests.factories import portal_admin, staff_user
from proposals import exports, forms, selectors, services, views
from proposals.calculations import Status, mask_name
from proposals.models import Channel, Evaluation, PersonalDataAccess, Proposal

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


# --- the residents' export ----------------------------------------------------------------------

NAMES = [
    "김민수",
    "홍길",
    "이",
    "남궁민수",
    "",
    "  김 민 수 ",
    "\u3000박영희\u00a0",
    "Jean-Luc Picard",
]


def test_the_export_log_masks_names_in_sql_exactly_as_python_does() -> None:
    admin = portal_admin()
    made = [resident_proposal(proposer_name="x") for _ in NAMES]
    for p, name in zip(made, NAMES, strict=True):
        # Stored as given (the form strips, an import or the admin may not).
        Proposal.objects.filter(pk=p.pk).update(proposer_name=name)
    staff = staff_proposal()
    with CaptureQueriesContext(connection) as queries:
        n = services.personal_data_export_record(
            actor=admin, proposals=Proposal.objects.all(), detail="구민 제안 목록 CSV"
        )
    assert n == len(NAMES)
    assert len(queries.captured_queries) == 1  # one INSERT … SELECT, whatever the row count
    logged = {row.proposal_id: row for row in PersonalDataAccess.objects.filter(action="export")}
    assert staff.pk not in logged  # staff proposals hold no residents' data
    for p, name in zip(made, NAMES, strict=True):
        row = logged[p.pk]
        assert row.subject == f"{p.receipt_number} {mask_name(name)}"
        assert (row.actor, row.detail, row.action) == (admin, "구민 제안 목록 CSV", "export")


def test_the_export_streams_every_resident_row_and_logs_it_before_the_first_byte(
    admin_client: Client,
) -> None:
    at = timezone.now() - timedelta(days=3)
    a = resident_proposal(proposer_name="김민수", phone="010-1111-2222", at=at)
    b = resident_proposal(proposer_name="=HYPERLINK(1)", channel=Channel.EPEOPLE)
    anonymized = resident_proposal(proposer_name="이영희")
    Proposal.objects.filter(pk=anonymized.pk).update(anonymized_at=timezone.now())
    response = admin_client.get(reverse("proposals:export"))
    assert response.streaming
    logged = set(PersonalDataAccess.objects.values_list("proposal_id", flat=True))
    assert logged == {a.pk, b.pk}  # logged when the view returned, before the body is read
    lines = b"".join(response.streaming_content).decode("utf-8-sig").splitlines()
    assert len(lines) == 3  # the header and the two residents not anonymized
    row_a = next(line for line in lines if a.receipt_number in line)
    assert f",{timezone.localdate(at).isoformat()},홈페이지,김민수,010-1111-2222," in row_a
    row_b = next(line for line in lines if b.receipt_number in line)
    assert ",국민신문고,'=HYPERLINK(1)," in row_b  # common.tables keeps formulas as text


def test_the_export_takes_the_same_queries_for_few_and_many_rows(admin_client: Client) -> None:
    resident_proposal()
    admin_client.get(reverse("proposals:index"))  # warm the session and permission caches

    def export_queries() -> int:
        with CaptureQueriesContext(connection) as queries:
            response = admin_client.get(reverse("proposals:export"))
            b"".join(response.streaming_content)
        return len(queries.captured_queries)

    small = export_queries()
    for _ in range(8):
        resident_proposal()
    assert export_queries() == small


def test_the_csv_is_sent_in_chunks_of_many_lines() -> None:
    for _ in range(5):
        resident_proposal()
    chunks = list(exports.resident_csv(selectors.resident_export_rows()))
    assert len(chunks) == 1 and chunks[0].count("\n") == 6
    assert list(exports.chunked(iter(["a\n", "b\n", "c\n"]), size=2)) == ["a\nb\n", "c\n"]


def test_the_log_outlives_its_proposal_and_protects_its_actor() -> None:
    # No database foreign keys on the log (bulk inserts): Django still applies on_delete.
    admin = portal_admin()
    p = resident_proposal(proposer_name="김민수")
    services.personal_data_export_record(actor=admin, proposals=Proposal.objects.all())
    Proposal.objects.filter(pk=p.pk).delete()
    row = PersonalDataAccess.objects.get()
    assert row.proposal_id is None and row.subject == f"{p.receipt_number} 김*수"
    with pytest.raises(ProtectedError):
        User.objects.filter(pk=admin.pk).delete()


def test_the_access_log_page_shows_the_newest_entries_first(admin_client: Client) -> None:
    admin = User.objects.get(pk=int(admin_client.session["_auth_user_id"]))
    first = resident_proposal()
    services.personal_data_export_record(actor=admin, proposals=Proposal.objects.all(),
                                         at=timezone.now() - timedelta(hours=1))  # fmt: skip
    later = resident_proposal()
    services.personal_data_export_record(
        actor=admin, proposals=Proposal.objects.filter(pk=later.pk)
    )
    html = admin_client.get(reverse("proposals:access_log")).content.decode()
    assert html.index(later.receipt_number) < html.index(first.receipt_number)


# --- the admin list ------------------------------------------------------------------------------


def test_the_list_reads_only_the_columns_it_shows(admin_client: Client) -> None:
    staff_proposal(content="본문은 목록에 없습니다")
    with CaptureQueriesContext(connection) as queries:
        admin_client.get(reverse("proposals:index"))
    listed = [q["sql"] for q in queries.captured_queries if "ORDER BY" in q["sql"]
              and '"proposals_proposal"."title"' in q["sql"]]  # fmt: skip
    assert listed
    for sql in listed:
        assert '"proposals_proposal"."content"' not in sql
        assert '"proposals_proposal"."normalized_text"' not in sql
        assert "org_department" not in sql and "proposals_themetask" not in sql


def test_the_list_says_when_its_count_is_capped(admin_client: Client, monkeypatch) -> None:
    monkeypatch.setattr(selectors, "LIST_COUNT_CAP", 2)
    monkeypatch.setattr(views, "PAGE_SIZE", 1)
    for _ in range(3):
        resident_proposal()
    html = admin_client.get(reverse("proposals:index")).content.decode()
    assert "1 / 2" in html and "쪽 이상" in html
    monkeypatch.setattr(selectors, "LIST_COUNT_CAP", 10)
    assert "쪽 이상" not in admin_client.get(reverse("proposals:index")).content.decode()


def test_a_page_shows_its_own_rows_newest_first(admin_client: Client, monkeypatch) -> None:
    monkeypatch.setattr(views, "PAGE_SIZE", 2)
    now = timezone.now()
    made = [resident_proposal(title=f"제안 {i}번", at=now - timedelta(hours=i)) for i in range(5)]
    html = admin_client.get(reverse("proposals:index") + "?page=2").content.decode()
    shown = [p.title for p in made if p.title in html]
    assert shown == ["제안 2번", "제안 3번"]
    assert html.index("제안 2번") < html.index("제안 3번")
    assert "3 / 3" in admin_client.get(reverse("proposals:index") + "?page=9").content.decode()


def test_the_list_filters_and_labels_each_row(admin_client: Client) -> None:
    web = resident_proposal(title="홈페이지 제안")
    epeople = resident_proposal(title="신문고 제안", channel=Channel.EPEOPLE)
    html = admin_client.get(reverse("proposals:index") + "?channel=epeople").content.decode()
    assert epeople.title in html and web.title not in html
    assert "<td>국민신문고</td>" in html and "<td>접수</td>" in html


# --- query counts of every proposals admin page ---------------------------------------------------


def _grow(n: int) -> None:
    author = staff_user()
    admin = portal_admin()
    for i in range(n):
        p = resident_proposal(channel=Channel.EPEOPLE if i % 2 else Channel.WEB)
        staff_proposal(author=author)
        services.proposal_transition(proposal=p, to_status=Status.REVIEWING, actor=admin)
        BenchmarkCaseFactory()
        ThemeTaskFactory()
        Evaluation.objects.create(
            title=f"심사 {Evaluation.objects.count()}", kind=Evaluation.Kind.HALF_YEAR,
            period_start=timezone.localdate(), period_end=timezone.localdate(),
            created_at=timezone.now(),
        )  # fmt: skip


def _assert_constant(client: Client, url: str, grow: object) -> None:
    client.get(url)  # warm the session and permission caches
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    grow()  # type: ignore[operator]
    with CaptureQueriesContext(connection) as large:
        assert client.get(url).status_code == 200
    assert len(large.captured_queries) == len(small.captured_queries), [
        q["sql"][:120] for q in large.captured_queries
    ]
    statements = [q for q in large.captured_queries
                  if q["sql"] not in ("BEGIN", "COMMIT", "ROLLBACK")]  # fmt: skip
    assert len(statements) <= 12


@pytest.mark.parametrize(
    "name",
    ["proposals:index", "proposals:statistics", "proposals:evaluations", "proposals:themes",
     "proposals:benchmarks", "proposals:access_log"],
)  # fmt: skip
def test_admin_list_pages_take_the_same_queries_small_and_large(
    admin_client: Client, name: str
) -> None:
    _grow(1)
    _assert_constant(admin_client, reverse(name), lambda: (_grow(5),
                     admin_client.get(reverse("proposals:export"))))  # fmt: skip


def test_the_index_takes_at_most_ten_statements(admin_client: Client) -> None:
    _grow(3)
    admin_client.get(reverse("proposals:index"))
    with CaptureQueriesContext(connection) as queries:
        admin_client.get(reverse("proposals:index") + "?kind=resident&status=reviewing")
    statements = [q for q in queries.captured_queries
                  if q["sql"] not in ("BEGIN", "COMMIT", "ROLLBACK")]  # fmt: skip
    assert len(statements) <= 10, [q["sql"][:100] for q in statements]


def test_the_index_reads_without_a_transaction_and_prints_each_rows_link_and_dates(
    admin_client: Client,
) -> None:
    # 23:30 in UTC is the next morning in Seoul: the row shows the Seoul date, as the
    # template's date filter did.
    at = timezone.now().replace(hour=23, minute=30, second=0, microsecond=0, tzinfo=UTC)
    at -= timedelta(days=40)
    old = resident_proposal(at=at)
    new = resident_proposal()
    admin_client.get(reverse("proposals:index"))
    with CaptureQueriesContext(connection) as queries:
        html = admin_client.get(reverse("proposals:index")).content.decode()
    assert not [q for q in queries.captured_queries if q["sql"] in ("BEGIN", "COMMIT")]
    today = timezone.localdate()
    for p in (old, new):
        assert f'<a href="{reverse("proposals:detail", args=[p.pk])}">{p.title}</a>' in html
        assert f"<td>{timezone.localdate(p.received_at).isoformat()}</td>" in html
        assert selectors.decision_due(p, today).isoformat() in html
    assert timezone.localdate(old.received_at) == (at + timedelta(hours=9)).date()
    assert "기한 경과" in html  # the old one is overdue


def test_the_detail_page_takes_the_same_queries_with_more_history(admin_client: Client) -> None:
    admin = portal_admin()
    p = resident_proposal()
    later = [resident_proposal(title=f"같은 내용 {i}") for i in range(3)]

    def grow() -> None:
        services.proposal_transition(proposal=p, to_status=Status.REVIEWING, actor=admin)
        services.proposal_transition(proposal=p, to_status=Status.SUPPLEMENT, actor=admin,
                                     reason="자료 보완")  # fmt: skip
        for other in later:
            services.proposal_link(proposal=other, primary=p, kind="duplicate", actor=admin)

    _assert_constant(admin_client, reverse("proposals:detail", args=[p.pk]), grow)


def test_the_theme_round_page_takes_the_same_queries_with_more_tasks(
    admin_client: Client,
) -> None:
    round_ = ThemeRoundFactory()
    ThemeTaskFactory(round=round_)

    def grow() -> None:
        for _ in range(5):
            task = ThemeTaskFactory(round=round_)
            staff_proposal(theme_task=task)

    _assert_constant(admin_client, reverse("proposals:theme_detail", args=[round_.pk]), grow)


def test_the_benchmark_page_takes_the_same_queries_with_more_cases(admin_client: Client) -> None:
    case = BenchmarkCaseFactory()
    _assert_constant(
        admin_client,
        reverse("proposals:benchmark_detail", args=[case.pk]),
        lambda: [BenchmarkCaseFactory(department=case.department) for _ in range(5)],
    )


# --- person pickers ------------------------------------------------------------------------------


def test_no_proposals_form_offers_staff_in_a_select() -> None:
    # 51,358 staff: a person is picked with org.people.PersonField (search as you type).
    found = []
    for name in dir(forms):
        cls = getattr(forms, name)
        if isinstance(cls, type) and issubclass(cls, django_forms.BaseForm):
            for field_name, field in cls.base_fields.items():
                model = getattr(getattr(field, "queryset", None), "model", None)
                if model is not None and issubclass(model, User):
                    found.append(f"{name}.{field_name}")
    assert found == []
