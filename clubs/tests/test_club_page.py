"""The club page at scale (issue 14): a fixed number of queries for an admin, whatever the
number of groups, members, meetings, reports and topics; the page's one permission accessor
agrees with the ``clubs.*`` rules."""

from datetime import date
from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from clubs import selectors, services
from clubs.models import ClubTopic, Membership, MissingReportFlag
from clubs.rules import club_access
from common.access import allowed
from org.tests.factories import portal_admin, staff_user

from .factories import ClubFactory, MembershipFactory, TopicFactory, group_with_members

pytestmark = pytest.mark.django_db

BUDGET = 10  # BEGIN/COMMIT included (ATOMIC_REQUESTS)


def _grow(club, *, groups: int, members: int, meetings: int) -> None:
    offset = club.groups.count()
    for g in range(groups):
        group, _leader, secretary, plain = group_with_members(
            club=club, members=members, name=f"{offset + g}분임-추가"
        )
        ids = list(group.memberships.values_list("user_id", flat=True))
        for i in range(meetings):
            services.meeting_record(
                group=group, recorded_by=secretary.user, held_on=date(2026, 2 + i % 9, 1 + i),
                place="회의실", kind="regular", hours=Decimal("2"), minutes="토론",
                attendee_ids=ids,
            )  # fmt: skip
        MissingReportFlag.objects.create(
            group=group, month=date(2026, 2, 1), flagged_at=timezone.now()
        )
        del plain


def _admin_client() -> Client:
    client = Client()
    client.force_login(portal_admin())
    return client


def test_the_admin_club_page_query_count_is_the_same_small_and_large(
    django_assert_max_num_queries, settings
) -> None:
    # Production reads the session from the cache (cached_db on Redis): no session query.
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.signed_cookies"
    club = ClubFactory()
    _grow(club, groups=2, members=1, meetings=1)
    client = _admin_client()
    url = reverse("clubs:club_detail", args=[club.pk])
    client.get(url)  # the session and the role cache settle
    with django_assert_max_num_queries(BUDGET) as small:
        assert client.get(url).status_code == 200
    _grow(club, groups=10, members=6, meetings=3)
    ClubTopic.objects.create(club=club, slot=1, topic=TopicFactory())
    ClubTopic.objects.create(club=club, slot=2, free_text="예산절감")
    services.expense_record(
        club=club, spent_on=date(2026, 3, 1), category="books", amount=10_000,
        description="도서", recorded_by=portal_admin(),
    )  # fmt: skip
    secretary = Membership.objects.filter(
        group__club=club, role=Membership.Role.SECRETARY, end_date__isnull=True
    ).first()
    report = services.monthly_report_submit(
        group=secretary.group, month=date(2026, 2, 1), filed_by=secretary.user,
        title="2월 활동보고", body="토론",
    )  # fmt: skip
    with django_assert_max_num_queries(BUDGET) as large:
        response = client.get(url)
    assert response.status_code == 200
    assert len(large.captured_queries) == len(small.captured_queries)
    html = response.content.decode()
    assert html.count("분임-추가</h3>") == 12
    assert "예산절감" in html
    # the rows' links, each filled in from one reversed URL (clubs_tags.pk_url / with_pk)
    member = Membership.objects.filter(group__club=club, end_date__isnull=True).first()
    meeting = selectors.meetings_for_club(club=club)[0]
    for name, pk in (
        ("clubs:membership_role", member.pk),
        ("clubs:membership_end", member.pk),
        ("clubs:meeting_detail", meeting.pk),
        ("board:post_detail", report.post_id),
    ):
        assert f'href="{reverse(name, args=[pk])}"' in html
    assert "/2147483647/" not in html
    # the person picker stays a search box: no <select> of people
    assert 'name="user_query"' in html
    assert html.count("<option") < 20


def test_the_page_shows_both_half_years_hours_counted_in_any_club() -> None:
    club = ClubFactory()
    group, leader, secretary, _plain = group_with_members(club=club, members=0)
    services.meeting_record(
        group=group, recorded_by=secretary.user, held_on=date(2026, 3, 2), place="회의실",
        kind="regular", hours=Decimal("2"), minutes="토론",
        attendee_ids=[leader.user_id, secretary.user_id],
    )  # fmt: skip
    services.meeting_record(
        group=group, recorded_by=secretary.user, held_on=date(2026, 9, 2), place="회의실",
        kind="regular", hours=Decimal("3"), minutes="토론", attendee_ids=[leader.user_id],
    )  # fmt: skip
    page = selectors.club_page(club_id=club.pk)
    expected = {r.user.pk: r for r in selectors.learning_hours_for_club(club=club)}
    assert {r.user.pk: (r.first_half, r.second_half) for r in page.hours} == {
        uid: (r.first_half, r.second_half) for uid, r in expected.items()
    }
    assert page.meeting_count == 2


@pytest.mark.parametrize("who", ["admin", "chair", "leader", "secretary", "member", "other"])
def test_the_page_accessor_agrees_with_the_rules(who: str) -> None:
    club = ClubFactory()
    group, leader, secretary, plain = group_with_members(club=club, members=1)
    other_group, *_ = group_with_members(club=club, members=0)
    ended = MembershipFactory(
        group=other_group,
        role=Membership.Role.LEADER,
        end_date=date(2026, 3, 1),
        end_reason=Membership.EndReason.TRANSFER,
    )
    user = {
        "admin": portal_admin(),
        "chair": club.chair,
        "leader": leader.user,
        "secretary": secretary.user,
        "member": plain[0].user,
        "other": ended.user,
    }[who]
    page = selectors.club_page(club_id=club.pk)
    access = club_access(user, page.club, page.groups)
    assert access.manage == allowed(user, "clubs.manage")
    assert access.manage_members == allowed(user, "clubs.manage_members", club)
    assert access.file_research_report == allowed(user, "clubs.file_research_report", club)
    assert access.recommend_incentives == allowed(user, "clubs.recommend_incentives", club)
    for g in page.groups:
        assert (g.pk in access.record_groups) == allowed(user, "clubs.record_meeting", g)
        assert (g.pk in access.secretary_groups) == allowed(user, "clubs.file_report", g)


def test_nobody_signed_out_gets_anything_from_the_accessor() -> None:
    club = ClubFactory()
    group_with_members(club=club, members=1)
    page = selectors.club_page(club_id=club.pk)
    access = club_access(AnonymousUser(), page.club, page.groups)
    assert not (access.manage or access.manage_members or access.file_research_report)
    assert not (access.record_groups or access.secretary_groups)


def test_a_missing_club_is_not_found() -> None:
    client = Client()
    client.force_login(staff_user())
    assert client.get(reverse("clubs:club_detail", args=[999_999])).status_code == 404


def test_the_page_grid_and_topics_agree_with_their_plain_queries() -> None:
    """The flagged months (one number per group) and the two topic slots (joined) as the
    plain ``report_grid`` and ``club.topics`` give them; a flag of another year is not shown."""
    club = ClubFactory()
    first, *_ = group_with_members(club=club, members=0)
    second, *_ = group_with_members(club=club, members=0)
    for group, month in ((first, 2), (first, 11), (second, 7), (second, 12)):
        MissingReportFlag.objects.create(
            group=group, month=date(2026, month, 1), flagged_at=timezone.now()
        )
    MissingReportFlag.objects.create(group=first, month=date(2025, 5, 1), flagged_at=timezone.now())
    topic = TopicFactory()
    ClubTopic.objects.create(club=club, slot=2, topic=topic)
    ClubTopic.objects.create(club=club, slot=1, free_text="예산절감")
    today = date(2027, 1, 10)
    page = selectors.club_page(club_id=club.pk, today=today)
    plain = selectors.report_grid(club=club, today=today)
    assert [(g.pk, cells) for g, cells in page.grid] == [(g.pk, cells) for g, cells in plain]
    flagged = {(g.pk, c.month.month) for g, cells in page.grid for c in cells if c.flagged}
    assert flagged == {(first.pk, 2), (first.pk, 11), (second.pk, 7)}
    shown = [(t.slot, t.topic_id, t.free_text) for t in page.club.topics.all()]
    assert shown == [(1, None, "예산절감"), (2, topic.pk, "")]
    assert page.club.topics.all()[1].topic.title == topic.title


def test_shown_gives_what_get_display_gives_in_each_language() -> None:
    from django.utils import translation

    from clubs.models import Meeting, SupportExpense
    from clubs.templatetags.clubs_tags import shown

    rows = [
        (Membership, "role"),
        (Membership, "end_reason"),
        (Meeting, "kind"),
        (SupportExpense, "category"),
    ]
    for language in ("ko", "en"):
        with translation.override(language):
            for model, name in rows:
                for value, _label in model._meta.get_field(name).flatchoices:
                    row = model(**{name: value})
                    assert shown(row, name) == getattr(row, f"get_{name}_display")()
                row = model(**{name: "no-such-choice"})
                assert shown(row, name) == getattr(row, f"get_{name}_display")()
