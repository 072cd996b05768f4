"""The admin names people 이름 (부서), picks them by search, and keeps list queries constant
(issue 13 #2, issue 14's admin pickers)."""

import re

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from board import services as board_services
from board.models import Comment
from org.admin_people import person_label
from org.tests.factories import DepartmentFactory, portal_admin, staff_user
from scoring.models import Activity

pytestmark = pytest.mark.django_db

User = get_user_model()
MANY_USERS = 120
MAX_OPTIONS = 100  # a <select> longer than this would grow with the staff
SELECT = re.compile(r"<select\b.*?</select>", re.S)


@pytest.fixture
def root(client):
    user = User.objects.create_superuser("root", "root@junggu.example.kr", "x")
    client.force_login(user)
    client.user = user
    return client


def _posts(n: int, department=None):
    department = department or DepartmentFactory(name="총무과")
    posts = []
    for i in range(n):
        author = staff_user(department=department, last_name="홍", first_name=f"길동{i}")
        posts.append(
            board_services.post_submit(
                author=author, area="proposal", title=f"제안 {i}", body="본문"
            )
        )
    return posts


def test_the_label_is_name_and_current_department() -> None:
    user = staff_user(
        department=DepartmentFactory(name="총무과"), last_name="홍", first_name="길동"
    )
    assert person_label(user) == "홍길동 (총무과)"
    assert person_label(User.objects.create(username="nobody")) == "nobody (미지정)"
    assert person_label(None) == "-"


def test_the_post_list_and_page_show_people_as_name_and_department(root) -> None:
    post = _posts(1)[0]
    board_services.post_approve(post=post, reviewer=root.user)
    html = root.get(reverse("admin:board_post_changelist")).content.decode()
    assert "홍길동0 (총무과)" in html and f">{post.author.username}<" not in html
    html = root.get(reverse("admin:board_post_change", args=[post.pk])).content.decode()
    assert "홍길동0 (총무과)" in html and "root (미지정)" in html  # author and reviewer


@pytest.mark.parametrize(
    "url",
    [
        "admin:board_post_changelist",
        "admin:board_comment_changelist",
        "admin:notifications_notification_changelist",
        "admin:scoring_activity_changelist",
    ],
)
def test_list_pages_keep_their_query_count_as_rows_grow(root, url) -> None:
    def count() -> int:
        root.get(reverse(url))  # warm: the session and content types are read once
        with CaptureQueriesContext(connection) as captured:
            assert root.get(reverse(url)).status_code == 200
        return len(captured.captured_queries)

    def grow(n: int) -> None:
        for post in _posts(n, DepartmentFactory()):
            board_services.post_approve(post=post, reviewer=root.user)  # notification, points
            board_services.comment_add(post=post, author=post.author, body="좋은 의견입니다")

    grow(2)
    small = count()
    grow(6)
    assert count() == small


def test_the_comment_list_names_the_author(root) -> None:
    post = _posts(1)[0]
    board_services.post_approve(post=post, reviewer=root.user)
    board_services.comment_add(post=post, author=post.author, body="주차장 야간 개방에 찬성합니다")
    assert Comment.objects.count() == 1
    html = root.get(reverse("admin:board_comment_changelist")).content.decode()
    assert "홍길동0 (총무과)" in html and ">주차장 야간 개방에 찬성합니다<" in html


def test_the_person_search_finds_a_whole_korean_name_and_answers_name_and_department(
    root,
) -> None:
    staff_user(department=DepartmentFactory(name="총무과"), last_name="홍", first_name="길동")
    staff_user(department=DepartmentFactory(name="세무과"), last_name="김", first_name="철수")
    url = reverse("admin:org_person_autocomplete")
    params = {"app_label": "clubs", "model_name": "club", "field_name": "chair"}
    found = root.get(url, {**params, "term": "홍길동"}).json()["results"]
    assert [r["text"] for r in found] == ["홍길동 (총무과)"]
    by_department = root.get(url, {**params, "term": "세무과"}).json()["results"]
    assert [r["text"] for r in by_department] == ["김철수 (세무과)"]


AUTOCOMPLETE = {"app_label": "clubs", "model_name": "club", "field_name": "chair"}


def _autocomplete(client, term: str, page: int = 1) -> dict:
    url = reverse("admin:org_person_autocomplete")
    return client.get(url, {**AUTOCOMPLETE, "term": term, "page": page}).json()


def _namesakes(n: int, department=None) -> list[str]:
    """``n`` staff named 이직원NN (in name order as numbered); their labels in that order."""
    department = department or DepartmentFactory(name="세무과")
    for i in range(n):
        staff_user(department=department, last_name="이", first_name=f"직원{i:02}")
    return [f"이직원{i:02} (세무과)" for i in range(n)]


def test_the_person_autocomplete_pages_through_the_name_search_in_name_order(root) -> None:
    expected = _namesakes(45)
    staff_user(department=DepartmentFactory(name="총무과"), last_name="홍", first_name="길동")
    pages = [_autocomplete(root, "이직원", page) for page in (1, 2, 3)]
    assert [len(p["results"]) for p in pages] == [20, 20, 5]
    assert [p["pagination"]["more"] for p in pages] == [True, True, False]
    assert [r["text"] for p in pages for r in p["results"]] == expected
    # a department word and a name part, as the portal's pickers take them
    both = _autocomplete(root, "세무과 직원4")["results"]
    assert [r["text"] for r in both] == [t for t in expected if t.startswith("이직원4")]


def test_the_person_autocomplete_searches_names_not_email_unless_an_address_is_typed(
    root,
) -> None:
    staff_user(
        department=DepartmentFactory(name="총무과"),
        last_name="홍",
        first_name="길동",
        email="parking@junggu.example.kr",
    )
    # a word of the e-mail is no name: the name search answers it (the admin's own search,
    # which also reads every e-mail, is kept for an address)
    assert _autocomplete(root, "parking")["results"] == []
    found = _autocomplete(root, "parking@junggu")["results"]
    assert [r["text"] for r in found] == ["홍길동 (총무과)"]


def test_the_person_autocomplete_query_count_does_not_grow_with_the_matches(root) -> None:
    def statements() -> int:
        with CaptureQueriesContext(connection) as ctx:
            page = _autocomplete(root, "이직원")
        assert page["results"]
        return len(ctx.captured_queries)

    department = DepartmentFactory(name="세무과")
    _namesakes(3, department)
    few = statements()
    _namesakes(45, department)  # same names again: more matches than a page holds
    assert statements() == few


def _every_form_html(request) -> dict[str, str]:
    """The add form of every admin (and each inline's empty form), rendered."""
    pages = {}
    for model, model_admin in admin.site._registry.items():
        form = model_admin.get_form(request, None, change=False)()
        html = [str(form[name]) for name in form.fields]
        for inline in model_admin.get_inline_instances(request, None):
            formset = inline.get_formset(request, None)()
            empty = formset.empty_form
            html.extend(str(empty[name]) for name in empty.fields)
        pages[model._meta.label] = "".join(html)
    return pages


def test_no_admin_form_lists_every_member_of_staff_in_a_select(root) -> None:
    users = User.objects.bulk_create(
        User(username=f"bulk{i}", last_name="이", first_name=f"직원{i}") for i in range(MANY_USERS)
    )
    assert len(users) == MANY_USERS
    request = RequestFactory().get("/admin/")
    request.user = root.user
    pages = _every_form_html(request)
    assert len(pages) > 30  # every registered admin was looked at
    long = {
        label: n
        for label, html in pages.items()
        for select in SELECT.findall(html)
        if (n := select.count("<option")) > MAX_OPTIONS
    }
    # Django's own group form lists the permissions: a fixed set, not the staff.
    assert set(long) <= {"auth.Group"}, long
    listing_staff = {
        label for label, html in pages.items() for s in SELECT.findall(html) if "이직원" in s
    }
    assert listing_staff == set(), listing_staff
    # and the person fields are search boxes against the 이름 (부서) search
    assert "org_person_autocomplete" not in pages["clubs.Club"]
    assert "/admin/auth/user/person-autocomplete/" in pages["clubs.Club"]


def test_a_change_form_with_a_person_shows_the_chosen_person_by_name(root) -> None:
    member = staff_user(
        department=DepartmentFactory(name="총무과"), last_name="홍", first_name="길동"
    )
    profile = member.staff_profile
    html = root.get(reverse("admin:org_staffprofile_change", args=[profile.pk])).content.decode()
    assert f'<option value="{member.pk}" selected>홍길동 (총무과)</option>' in html
    assert "person-autocomplete" in html


def test_a_view_only_page_names_people_too(root) -> None:
    post = _posts(1)[0]
    board_services.post_approve(post=post, reviewer=root.user)
    activity = Activity.objects.filter(user=post.author).first()
    url = reverse("admin:scoring_activity_change", args=[activity.pk])
    html = root.get(url).content.decode()
    # fields, heading and breadcrumbs: the model's __str__ would say the user name
    assert "홍길동0 (총무과) · " in html and post.author.username not in html


def test_every_admin_list_and_add_page_renders(root) -> None:
    """The people columns and joins hold on every registered admin (an unknown join or a
    missing column would be a 500 here)."""
    post = _posts(1)[0]
    board_services.post_approve(post=post, reviewer=root.user)
    board_services.comment_add(post=post, author=post.author, body="의견")
    request = RequestFactory().get("/admin/")
    request.user = root.user
    failed = {}
    for model, model_admin in admin.site._registry.items():
        info = (model._meta.app_label, model._meta.model_name)
        urls = [reverse("admin:{}_{}_changelist".format(*info))]
        if model_admin.has_add_permission(request):
            urls.append(reverse("admin:{}_{}_add".format(*info)))
        first = model._default_manager.first()
        if first is not None:
            urls.append(reverse("admin:{}_{}_change".format(*info), args=[first.pk]))
        for url in urls:
            status = root.get(url).status_code
            if status != 200:
                failed[url] = status
    assert failed == {}


def test_a_programme_admin_may_search_people_without_the_account_admin(client) -> None:
    staff_user(department=DepartmentFactory(name="총무과"), last_name="홍", first_name="길동")
    client.force_login(portal_admin())
    assert client.get(reverse("admin:auth_user_changelist")).status_code == 403
    url = reverse("admin:org_person_autocomplete")
    params = {"app_label": "clubs", "model_name": "club", "field_name": "chair", "term": "홍길"}
    response = client.get(url, params)
    assert response.status_code == 200
    assert [r["text"] for r in response.json()["results"]] == ["홍길동 (총무과)"]
    client.force_login(staff_user())  # not an admin at all: the admin login
    assert client.get(url, params).status_code == 302
