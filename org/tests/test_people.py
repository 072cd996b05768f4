"""The people search behind every person picker, and the form field that resolves a typed
직원 아이디/이름 when there is no JavaScript."""

import json

import pytest
from django import forms
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from org.models import StaffProfile
from org.people import MAX_RESULTS, PersonField, people_matching
from org.tests.factories import DepartmentFactory, UserFactory, staff_user

pytestmark = [pytest.mark.django_db]


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _client(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def _search(client: Client, q: str) -> list[dict]:
    response = client.get(reverse("people_search"), {"q": q})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    return json.loads(response.content)["results"]


class PickForm(forms.Form):
    user = PersonField(label="직원")


def test_it_needs_a_login() -> None:
    response = Client().get(reverse("people_search"), {"q": "김"})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_it_finds_people_by_name_username_and_department_and_tells_only_id_name_department() -> (
    None
):
    hr = DepartmentFactory(name="총무과")
    hong = staff_user(
        department=hr, username="hong.gd", last_name="홍", first_name="길동", email="h@x.kr"
    )
    staff_user(username="kim.cs", last_name="김", first_name="철수")
    client = _client(staff_user())
    assert _search(client, "길동") == [{"id": hong.pk, "name": "홍길동", "department": "총무과"}]
    assert [p["id"] for p in _search(client, "홍길동")] == [hong.pk]  # 이름 as written
    assert [p["id"] for p in _search(client, "HONG")] == [hong.pk]  # 아이디, any case
    assert [p["id"] for p in _search(client, "총무")] == [hong.pk]  # 부서
    assert [p["id"] for p in _search(client, "총무과 홍")] == [hong.pk]  # every word counts
    assert _search(client, "총무과 김") == []
    assert _search(client, "") == [] and _search(client, "   ") == []
    assert "h@x.kr" not in json.dumps(_search(client, "홍"))


def test_it_lists_staff_only_active_and_with_a_profile() -> None:
    UserFactory(username="noprofile", last_name="박", first_name="외부")
    staff_user(username="gone", last_name="박", first_name="퇴직", is_active=False)
    client = _client(staff_user())
    assert _search(client, "박") == []


def test_it_gives_at_most_twenty_in_one_query_however_many_match(
    django_assert_max_num_queries,
) -> None:
    dept = DepartmentFactory(name="세무과")
    staff_user(department=dept, username="tax_first", last_name="이", first_name="세무")
    client = _client(staff_user())
    client.get(reverse("people_search"), {"q": "세무"})  # warm the session
    # session, the signed-in user, the departments holding the word, the people (the search
    # runs outside the request's transaction: no savepoint and release)
    with django_assert_max_num_queries(4) as small:
        assert len(_search(client, "세무")) == 1
    for n in range(MAX_RESULTS + 5):
        staff_user(department=dept, username=f"tax{n:02d}", last_name="이", first_name=f"세무{n}")
    with django_assert_max_num_queries(4) as large:
        assert len(_search(client, "세무")) == MAX_RESULTS
    assert len(large.captured_queries) == len(small.captured_queries)
    assert len(people_matching("세무", limit=3)) == 3


def test_a_very_long_query_is_cut_not_refused() -> None:
    client = _client(staff_user())
    assert _search(client, "가" * 10_000) == []


def test_the_field_takes_the_picked_id() -> None:
    person = staff_user(last_name="정", first_name="민서")
    form = PickForm({"user": str(person.pk), "user_query": "정민서 (아무 부서)"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["user"] == person


@pytest.mark.parametrize("bad", ["abc", "99999999", "9" * 40, "-1", "²"])
def test_a_forged_id_is_a_form_error(bad: str) -> None:
    form = PickForm({"user": bad, "user_query": ""})
    assert not form.is_valid()
    assert "맞는 직원이 없습니다" in form.errors["user"][0]


def test_without_javascript_a_typed_username_or_unique_name_is_resolved() -> None:
    person = staff_user(username="jms", last_name="정", first_name="민서")
    assert PickForm({"user": "", "user_query": "JMS"}).is_valid()
    form = PickForm({"user": "", "user_query": " 정 민서 "})
    assert form.is_valid() and form.cleaned_data["user"] == person


def test_two_people_of_one_name_are_told_apart_by_department() -> None:
    a = staff_user(department=DepartmentFactory(name="총무과"), last_name="김", first_name="민준")
    staff_user(department=DepartmentFactory(name="세무과"), last_name="김", first_name="민준")
    form = PickForm({"user": "", "user_query": "김민준"})
    assert not form.is_valid()
    error = form.errors["user"][0]
    assert "2명" in error and "김민준 (총무과)" in error and "김민준 (세무과)" in error
    form = PickForm({"user": "", "user_query": "김민준 (총무과)"})
    assert form.is_valid() and form.cleaned_data["user"] == a


def test_nothing_typed_is_required_and_nobody_found_says_so() -> None:
    assert "직원을 입력하세요" in PickForm({"user": "", "user_query": ""}).errors["user"][0]
    assert "맞는 직원이 없습니다" in PickForm({"user_query": "없는사람"}).errors["user"][0]


def test_the_widget_renders_a_text_input_and_a_hidden_id_for_the_script() -> None:
    person = staff_user(
        department=DepartmentFactory(name="총무과"), last_name="홍", first_name="길동"
    )
    html = str(PickForm(initial={"user": person.pk})["user"])
    assert 'type="text" name="user_query" id="id_user"' in html
    assert (
        "data-person-picker" in html
        and f'data-person-picker-url="{reverse("people_search")}"' in html
    )
    assert f'type="hidden" name="user" id="id_user_value" value="{person.pk}"' in html
    assert 'value="홍길동 (총무과)"' in html
    assert "js/person-picker.js" in str(PickForm().media)
    # what was typed comes back after an error
    bound = str(PickForm({"user": "", "user_query": "없는사람"})["user"])
    assert 'value="없는사람"' in bound


def test_the_grams_find_exactly_what_the_words_match() -> None:
    """On PostgreSQL a word is first looked up by its character pairs (org migration 0004);
    what comes back must be what a plain 'contains' finds: no one missing, no one extra."""
    hong = staff_user(username="Hong.GD", last_name="홍", first_name="길동")
    kim = staff_user(username="kim_cs", last_name="김", first_name="철수")
    dong = staff_user(username="dong%x", last_name="동", first_name="방")

    def ids(q: str) -> set[int]:
        return {u.pk for u in people_matching(q)}

    assert ids("홍") == {hong.pk}  # one character: the character itself
    assert ids("길동") == {hong.pk}  # inside the name
    assert ids("홍길동") == {hong.pk}  # family name and given name together
    assert ids("ONG.g") == {hong.pk}  # 아이디, any case
    assert ids("동") == {hong.pk, dong.pk}
    assert ids("동h") == set()  # the name's end and the 아이디's start are not one word
    assert ids("동길") == set()  # both pairs' characters are in 홍길동, not in that order
    assert ids("g%x") == {dong.pk} and ids("_") == {kim.pk}  # LIKE's wildcards are letters
    assert ids("철수 kim") == {kim.pk} and ids("철수 hong") == set()


def _city_staff(families: list[str], n: int = 6000) -> None:
    """``n`` staff (``city00000``…, named family + 직원N) in one department, and statistics
    the planner reads, as at a city's scale."""
    department = DepartmentFactory(name="행정지원과")
    users = User.objects.bulk_create(
        User(
            username=f"city{i:05d}",
            last_name=families[i % len(families)],
            first_name=f"직원{i}",
            password="!",
        )
        for i in range(n)
    )
    StaffProfile.objects.bulk_create(StaffProfile(user=u, department=department) for u in users)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE auth_user")
        cursor.execute("ANALYZE org_staffprofile")


def _plan_of_last(queries: CaptureQueriesContext) -> str:
    """PostgreSQL's plan for the last statement ``queries`` captured."""
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN " + queries.captured_queries[-1]["sql"])
        return "\n".join(row[0] for row in cursor.fetchall())


@pytest.mark.postgres
def test_a_rare_word_and_a_common_word_read_no_table_of_every_staff_row() -> None:
    """At thousands of staff the planner, told the grams' frequencies by ANALYZE, finds a
    rare name through the gram index and walks the names in order for a common one; it
    never scans ``auth_user`` whole (what every keystroke did before migration 0004)."""
    _city_staff(["김", "이", "박", "최", "정"])

    def plan(q: str) -> str:
        with CaptureQueriesContext(connection) as queries:
            found = people_matching(q)
        assert found, q
        return _plan_of_last(queries)

    rare, common = plan("직원4321"), plan("김")
    assert "auth_user_person_grams" in rare, rare
    assert "auth_user_name_order" in common, common
    assert "Seq Scan on auth_user" not in rare + common
    assert [u.username for u in people_matching("직원4321")] == ["city04321"]


@pytest.mark.postgres
def test_a_typed_username_or_name_without_javascript_reads_through_an_index() -> None:
    """PersonField resolves a typed 아이디 (any case) and a typed 이름 through the indexes of
    org migration 0004, not a scan of every staff row, once the planner knows the table."""
    _city_staff(["김"])
    for typed, expected in (("CITY04321", "city04321"), ("김직원4321", "city04321")):
        with CaptureQueriesContext(connection) as queries:
            form = PickForm({"user": "", "user_query": typed})
            assert form.is_valid(), form.errors
        assert form.cleaned_data["user"].username == expected
        plan = _plan_of_last(queries)
        assert "Seq Scan on auth_user" not in plan, plan


def test_a_word_a_department_holds_finds_its_members_and_the_people_named_so() -> None:
    """A word may match by department or by name: on PostgreSQL the two ways are separate
    branches of one UNION, on SQLite one OR; what is found is the same, once, by name."""
    civil = DepartmentFactory(name="민원과")
    staff_user(department=civil, username="kim.a", last_name="김", first_name="하나")
    staff_user(username="park.b", last_name="박", first_name="민원")
    staff_user(department=civil, username="minwon", last_name="이", first_name="민원")
    for n in range(6):  # a word most departments hold stays one condition (FEW_DEPARTMENTS)
        staff_user(
            department=DepartmentFactory(name=f"지원{n}과"), last_name="최", first_name=f"{n}"
        )

    def names(q: str) -> list[str]:
        return [u.username for u in people_matching(q)]

    assert names("민원") == ["kim.a", "park.b", "minwon"]  # 김, 박, 이: by name, each once
    assert names("민원 김") == ["kim.a"] and names("민원 박") == ["park.b"]
    assert names("민원과 민원") == ["kim.a", "minwon"]  # the department's members
    assert len(names("과")) == 3 + 6  # every department here is a …과
    assert len(names("과 최")) == 6 and names("과 하나") == ["kim.a"]
