"""axe on every page of the portal at both widths (issue 13 #5).

The demo data (``seed_demo``) gives each page with arguments something real to show. Each page
is opened as the roles it differs for (staff, portal admin, committee member, club secretary,
anonymous for the public pages) at 1280×800 and at 390×844: no serious or critical axe
violation (and nothing the enforced Content-Security-Policy refused), and at phone width no
horizontal scroll of the page on list pages (a wide table scrolls inside its own box).

The list is complete: ``test_every_html_page_is_walked`` fails when a URL pattern is neither in
``PAGES`` nor in ``EXCLUDED`` (file downloads, POST-only endpoints, JSON: each with a reason).
"""

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import pytest
from django.contrib.auth.models import User
from django.contrib.auth.tokens import default_token_generator
from django.core.management import call_command
from django.db.models import Model
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from board.models import Comment, Post
from clubs.models import Club, Meeting, Membership
from contests.models import Assignment, CaseContact, Committee, Round, RoundKind, Stage
from downloads.models import Download
from org.demo import DEMO_PASSWORD
from org.selectors import department_of
from proposals.models import BenchmarkCase, Proposal, ProposalStatus, ThemeRound
from proposals.selectors import published_adopted

DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}

# The roles, as demo logins (None: not logged in). The committee member and the club
# secretary are looked up in the demo data (the member assigned an entry, an open secretary).
STAFF, ADMIN, COMMITTEE, SECRETARY, ANONYMOUS = "staff", "admin", "committee", "secretary", "anon"


@dataclass(frozen=True)
class Page:
    """A page: its URL name, how to find its arguments, who opens it, whether it is a list."""

    name: str
    roles: tuple[str, ...]
    args: Callable[[], list] = field(default=lambda: [])
    query: str = ""
    is_list: bool = False
    redirects: bool = False


def _first(model: type[Model], **filters: object) -> Callable[[], list]:
    def find() -> list:
        obj = model._default_manager.filter(**filters).order_by("pk").first()
        assert obj is not None, f"the demo data has no {model.__name__} {filters}"
        return [obj.pk]

    return find


def _reset_args() -> list:
    user = User.objects.get(username="staff1")
    return [urlsafe_base64_encode(force_bytes(user.pk)), default_token_generator.make_token(user)]


def _assignment_args() -> list:
    assignment = Assignment.objects.order_by("pk").first()
    assert assignment is not None, "the demo data has no contest assignment"
    return [assignment.stage_id, assignment.entry_id]


def _adopted_args() -> list:
    adopted = published_adopted().order_by("pk").first()
    assert adopted is not None, "no adopted proposal is published"
    return [adopted.pk]


def _shape_demo_data() -> None:
    """What the demo leaves out and a page needs: a published adopted proposal (the public
    list's detail page), a download of the portal admin's (the download's page), staff1 as
    its department's contact for best-practice cases (the case form)."""
    staff1 = User.objects.get(username="staff1")
    CaseContact.objects.get_or_create(department=department_of(staff1), defaults={"user": staff1})
    if not published_adopted().exists():
        proposal = Proposal.objects.order_by("pk").first()
        assert proposal is not None, "the demo data has no proposal"
        Proposal.objects.filter(pk=proposal.pk).update(
            status=ProposalStatus.ADOPTED, publish_if_adopted=True
        )
    Download.objects.get_or_create(
        requested_by=User.objects.get(username="innov"),
        kind="demo",
        params_key="axe",
        defaults={"label": "데모 자료", "created_at": timezone.now()},
    )


def _year() -> list:
    return [timezone.localdate().year]


EVERYONE = (STAFF, ADMIN, COMMITTEE, SECRETARY)
PAGES: list[Page] = [
    Page("home", (*EVERYONE, ANONYMOUS)),
    Page("login", (ANONYMOUS,)),
    Page("password_change", (STAFF,)),
    Page("password_change_done", (STAFF,)),
    Page("password_reset", (ANONYMOUS,)),
    Page("password_reset_done", (ANONYMOUS,)),
    # The link in the e-mail redirects to the form (the token leaves the address).
    Page("password_reset_confirm", (ANONYMOUS,), _reset_args, redirects=True),
    Page("password_reset_complete", (ANONYMOUS,)),
    # Board
    Page("board:review_queue", (ADMIN,), is_list=True),
    Page("board:post_detail", (STAFF, ADMIN), _first(Post, status="approved")),
    Page("board:post_edit", (ADMIN,), _first(Post)),
    Page("board:post_review", (ADMIN,), _first(Post)),
    Page("board:comment_edit", (STAFF,), _first(Comment, author__username="staff1")),
    Page("board:comment_remove", (STAFF,), _first(Comment, author__username="staff1")),
    Page("board:search", (STAFF,), query="?q=%EC%97%85%EB%AC%B4", is_list=True),
    Page("board:area_list", (STAFF, ADMIN), lambda: ["proposal"], is_list=True),
    Page("board:post_create", (STAFF,), lambda: ["worksharing"]),
    # Proposals (the office's side)
    Page("proposals:index", (ADMIN, COMMITTEE), is_list=True),
    Page("proposals:write", (STAFF,)),
    Page("proposals:register", (ADMIN,)),
    Page("proposals:access_log", (ADMIN,), is_list=True),
    Page("proposals:statistics", (ADMIN,)),
    Page("proposals:themes", (ADMIN, STAFF), is_list=True),
    Page("proposals:theme_detail", (ADMIN,), _first(ThemeRound)),
    Page("proposals:benchmarks", (ADMIN, STAFF), is_list=True),
    Page("proposals:benchmark_detail", (ADMIN,), _first(BenchmarkCase)),
    Page("proposals:evaluations", (ADMIN,), is_list=True),
    Page("proposals:detail", (ADMIN,), _first(Proposal)),
    # Proposals (residents)
    Page("propose:form", (ANONYMOUS,)),
    Page("propose:status", (ANONYMOUS,)),
    Page("propose:adopted", (ANONYMOUS,), is_list=True),
    Page("propose:adopted_detail", (ANONYMOUS,), _adopted_args),
    # Clubs
    Page("clubs:index", (STAFF, ADMIN, SECRETARY), is_list=True),
    Page("clubs:club_create", (ADMIN,)),
    Page("clubs:club_detail", (ADMIN, SECRETARY), lambda: [_secretary().club_id]),
    Page("clubs:research_report_create", (SECRETARY,), lambda: [_secretary().club_id]),
    Page("clubs:incentives", (ADMIN,), _first(Club)),
    Page("clubs:meeting_create", (SECRETARY,), lambda: [_secretary().group_id]),
    Page("clubs:report_create", (SECRETARY,), lambda: [_secretary().group_id]),
    Page(
        "clubs:meeting_detail",
        (SECRETARY, ADMIN),
        lambda: _first(Meeting, group=_secretary().group)(),
    ),
    # Contests
    Page("contests:index", (ADMIN, COMMITTEE, STAFF), is_list=True),
    Page("contests:committees", (ADMIN,), is_list=True),
    Page("contests:committee_member_new", (ADMIN,), _first(Committee)),
    Page("contests:budget", (ADMIN,)),
    Page("contests:budget_year", (ADMIN,), _year),
    Page("contests:round_new", (ADMIN,)),
    Page("contests:round_detail", (ADMIN,), _first(Round)),
    Page("contests:round_quotas", (ADMIN,), _first(Round)),
    Page("contests:round_confirm", (ADMIN,), _first(Round)),
    Page("contests:round_audit", (ADMIN,), _first(Round), is_list=True),
    Page("contests:stage_close", (ADMIN,), _first(Stage)),
    Page("contests:stage_reopen", (ADMIN,), _first(Stage)),
    Page("contests:review_list", (COMMITTEE,), lambda: _assignment_args()[:1], is_list=True),
    Page("contests:stage_results", (ADMIN,), _first(Stage), is_list=True),
    Page("contests:review_entry", (COMMITTEE,), _assignment_args),
    Page("contests:case_submit", (STAFF,), _first(Round, kind=RoundKind.BEST_PRACTICE)),
    # Scoring, notifications, downloads, programme
    Page("scoring:me", (STAFF,)),
    Page("scoring:leaderboard", (STAFF, ADMIN), is_list=True),
    Page("notifications:index", (STAFF,), is_list=True),
    Page("downloads:index", (ADMIN,), is_list=True),
    Page("downloads:detail", (ADMIN,), _first(Download)),
    Page("programme:calendar", (STAFF, ADMIN)),
    Page("programme:calendar_year", (STAFF,), _year),
    Page("programme:dashboard", (ADMIN,)),
]

# URL patterns that render no HTML page of their own, each with the reason.
EXCLUDED: dict[str, str] = {
    "logout": "POST only (the layout's logout button)",
    "people_search": "JSON for the person pickers (their pages are walked)",
    "board:comment_add": "POST only (the form on the post page)",
    "board:attachment_download": "file download",
    "board:similar_posts": "JSON for the duplicate lookup on the write page",
    "proposals:export": "file download (Excel)",
    "proposals:evaluation_sync": "POST only (a button on the evaluations page)",
    "proposals:hr_export": "file download (Excel)",
    "proposals:transition": "POST only (the buttons on the proposal page)",
    "proposals:link": "POST only (the form on the proposal page)",
    "proposals:attachment": "file download",
    "propose:done": "shown once after a submission (the public form's browser test)",
    "clubs:review_open": "POST only (a button on the clubs index)",
    "clubs:export_hours": "file download (Excel)",
    "clubs:export_incentives": "file download (Excel)",
    "clubs:group_create": "POST only (a form on the club page)",
    "clubs:membership_add": "POST only (a form on the club page)",
    "clubs:expense_add": "POST only (a form on the club page)",
    "clubs:membership_end": "POST only (a form on the club page)",
    "clubs:membership_role": "POST only (a form on the club page)",
    "contests:performance_points_export": "file download (Excel)",
    "contests:round_minutes": "file download (Excel)",
    "contests:stage_action": "POST only (the buttons on the round page)",
    "contests:stage_scores_export": "file download (Excel)",
    "contests:review_recuse": "POST only (a button on the review page)",
    "contests:entry_file": "file download",
    "contests:award_certificate": "file download (PDF)",
    "scoring:export": "file download (Excel)",
    "scoring:export_csv": "file download (CSV)",
    "notifications:open": "a redirect to the notification's target",
    "notifications:mark_all_read": "POST only (a button on the notifications page)",
    "downloads:file": "file download",
    "programme:dashboard_export": "file download (Excel)",
    "healthz": "JSON for the health check",
}
# Django's admin (its own templates, walked by the admin's tests) is not a portal page.
EXCLUDED_PREFIXES = ("admin/",)


def _url_names(patterns: list, prefix: str = "", namespace: str = "") -> Iterator[tuple[str, str]]:
    for p in patterns:
        if isinstance(p, URLResolver):
            ns = f"{namespace}{p.namespace}:" if p.namespace else namespace
            yield from _url_names(p.url_patterns, prefix + str(p.pattern), ns)
        elif isinstance(p, URLPattern):
            yield prefix + str(p.pattern), f"{namespace}{p.name}"


@pytest.mark.smoke
def test_every_html_page_is_walked() -> None:
    names = {
        name
        for route, name in _url_names(get_resolver().url_patterns)
        if not route.startswith(EXCLUDED_PREFIXES)
    }
    walked = {page.name for page in PAGES}
    assert walked.isdisjoint(EXCLUDED), walked & set(EXCLUDED)
    assert sorted(names - walked - set(EXCLUDED)) == [], "add these pages to PAGES or EXCLUDED"
    assert sorted((walked | set(EXCLUDED)) - names) == [], "these URL names no longer exist"


# --- The walk ------------------------------------------------------------------------------------


def _secretary() -> Membership:
    """An open club secretary other than the staff login (their club's pages are theirs)."""
    secretaries = Membership.objects.filter(
        role=Membership.Role.SECRETARY, end_date__isnull=True
    ).select_related("user")
    found = (
        secretaries.exclude(user__username="staff1").order_by("pk").first()
        or secretaries.order_by("pk").first()
    )
    assert found is not None, "the demo data has no club secretary"
    return found


def _logins() -> dict[str, str | None]:
    assignment = Assignment.objects.select_related("member__user").order_by("pk").first()
    secretary = _secretary()
    assert assignment is not None and assignment.member.user is not None
    for user in (assignment.member.user, secretary.user):
        if not user.check_password(DEMO_PASSWORD):  # an imported account without a login yet
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
    return {
        STAFF: "staff1",
        ADMIN: "innov",
        COMMITTEE: assignment.member.user.username,
        SECRETARY: secretary.user.username,
        ANONYMOUS: None,
    }


def _check(page: object, axe: Callable, label: str, is_list: bool) -> list[str]:
    problems = []
    for width, size in (("1280", DESKTOP), ("390", PHONE)):
        page.set_viewport_size(size)  # type: ignore[attr-defined]
        page.wait_for_timeout(50)  # type: ignore[attr-defined]
        for violation in axe(page):
            problems.append(f"{label} @{width}: {violation}")
        if width == "390" and is_list:
            overflow = page.evaluate(  # type: ignore[attr-defined]
                "() => document.documentElement.scrollWidth - window.innerWidth"
            )
            if overflow > 0:
                problems.append(f"{label} @390: scrolls sideways by {overflow}px")
    return problems


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_no_page_has_a_serious_axe_violation_at_either_width(
    page: object, login: Callable, axe: Callable
) -> None:
    call_command("seed_demo", "--quiet-logins", stdout=open("/dev/null", "w"))
    _shape_demo_data()
    logins = _logins()
    problems: list[str] = []
    visited = 0
    for role, username in logins.items():
        page.context.clear_cookies()  # type: ignore[attr-defined]
        if username:
            login(username, DEMO_PASSWORD)
            assert page.locator("[data-testid=current-user]").count() == 1, username  # type: ignore[attr-defined]
        for spec in (p for p in PAGES if role in p.roles):
            url = reverse(spec.name, args=spec.args()) + spec.query
            response = page.goto(url)  # type: ignore[attr-defined]
            label = f"{spec.name} as {role} ({url})"
            if response is None or response.status != 200:
                problems.append(f"{label}: HTTP {response.status if response else '?'}")
                continue
            if not spec.redirects:
                assert page.url.endswith(url), f"{label} went to {page.url}"  # type: ignore[attr-defined]
            problems += _check(page, axe, label, spec.is_list)
            visited += 1
    assert visited >= len(PAGES)
    assert problems == [], "\n".join(problems)
