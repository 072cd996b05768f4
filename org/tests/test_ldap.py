"""Directory login against a REAL OpenLDAP server (the ``slapd`` fixture in conftest.py)."""

import uuid
from datetime import timedelta

import ldap
import ldap.modlist
import pytest
from django.contrib.auth import get_user_model
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from django_auth_ldap.config import GroupOfNamesType, LDAPSearch

from org.models import Assignment, Department, StaffProfile
from org.roles import Role
from org.selectors import department_at
from org.services import staff_transfer
from org.tests.factories import BureauFactory, DepartmentFactory

User = get_user_model()
# Skipped (by the slapd fixture) only where Debian's slapd is not installed.
pytestmark = pytest.mark.django_db


@pytest.fixture
def directory(slapd):
    """A connection as the directory's root, and a tree of this test's own (so tests don't
    see each other's people): ou=<unique> with people and groups under it."""
    conn = ldap.initialize(slapd["uri"])
    conn.simple_bind_s(slapd["root_dn"], slapd["root_password"])
    base = f"ou=t{uuid.uuid4().hex[:8]},{slapd['suffix']}"
    conn.add_s(
        base,
        ldap.modlist.addModlist(
            {"objectClass": [b"organizationalUnit"], "ou": [base[3:12].encode()]}
        ),
    )
    for ou in ("people", "dong", "groups"):
        conn.add_s(
            f"ou={ou},{base}",
            ldap.modlist.addModlist({"objectClass": [b"organizationalUnit"], "ou": [ou.encode()]}),
        )

    def person(uid, password, *, number, sn, given, dept="", ou="people", locked=False):
        attrs = {
            "objectClass": [b"inetOrgPerson"], "uid": [uid.encode()], "cn": [f"{sn}{given}".encode()],
            "sn": [sn.encode()], "givenName": [given.encode()], "employeeNumber": [number.encode()],
            "mail": [f"{uid}@junggu.example.kr".encode()], "userPassword": [password.encode()],
        }  # fmt: skip
        if dept:
            attrs["departmentNumber"] = [dept.encode()]
        if locked:
            attrs["pwdAccountLockedTime"] = [b"000001010000Z"]
        dn = f"uid={uid},ou={ou},{base}"
        conn.add_s(dn, ldap.modlist.addModlist(attrs))
        return dn

    def group(cn, members):
        conn.add_s(f"cn={cn},ou=groups,{base}", ldap.modlist.addModlist({
            "objectClass": [b"groupOfNames"], "cn": [cn.encode()],
            "member": [m.encode() for m in members],
        }))  # fmt: skip
        return f"cn={cn},ou=groups,{base}"

    settings = {
        "AUTHENTICATION_BACKENDS": [
            "axes.backends.AxesStandaloneBackend",
            "rules.permissions.ObjectPermissionBackend",
            "org.directory.DirectoryBackend",
            "django.contrib.auth.backends.ModelBackend",
        ],
        "AUTH_LDAP_SERVER_URI": slapd["uri"],
        "AUTH_LDAP_BIND_DN": slapd["root_dn"],
        "AUTH_LDAP_BIND_PASSWORD": slapd["root_password"],
        "AUTH_LDAP_USER_SEARCH": LDAPSearch(base, ldap.SCOPE_SUBTREE, "(uid=%(user)s)"),
        "AUTH_LDAP_USER_ATTR_MAP": {"first_name": "givenName", "last_name": "sn", "email": "mail"},
        "AUTH_LDAP_GROUP_SEARCH": LDAPSearch(f"ou=groups,{base}", ldap.SCOPE_SUBTREE, "(objectClass=groupOfNames)"),
        "AUTH_LDAP_GROUP_TYPE": GroupOfNamesType(),
        "DIRECTORY_EMPLOYEE_NUMBER_ATTR": "employeeNumber",
        "DIRECTORY_DEPARTMENT_ATTR": "departmentNumber",
        "DIRECTORY_ROLE_GROUPS": {Role.WORKING_PANEL.value: f"cn=panel,ou=groups,{base}"},
    }  # fmt: skip
    with override_settings(**settings):
        yield type(
            "Directory",
            (),
            {
                "conn": conn,
                "base": base,
                "person": staticmethod(person),
                "group": staticmethod(group),
            },
        )
    conn.unbind_s()


@pytest.fixture
def imported(db):
    """김민수 as the HR import made him: 직원번호 10001 in 전산정보과, no usable password."""
    bureau = BureauFactory(name="기획재정국")
    DepartmentFactory(name="전산정보과", bureau=bureau)
    DepartmentFactory(name="총무과", bureau=bureau)
    DepartmentFactory(name="신당동", bureau=bureau)
    user = User.objects.create_user(username="10001", last_name="김", first_name="민수")
    user.set_unusable_password()
    user.save()
    StaffProfile.objects.create(user=user, employee_number="10001")
    staff_transfer(user=user, department=Department.objects.get(name="전산정보과"))
    return user


def _login(client, username, password):
    return client.post(reverse("login"), {"username": username, "password": password})


def test_a_person_signs_in_with_the_directory_into_their_imported_account(
    client, directory, imported
):
    directory.person(
        "mskim", "dir-Pass-16", number="10001", sn="김", given="민수", dept="전산정보과"
    )
    response = _login(client, "mskim", "dir-Pass-16")
    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == imported.pk
    imported.refresh_from_db()
    assert imported.email == "mskim@junggu.example.kr"
    assert not imported.has_usable_password()  # the directory keeps the password
    assert User.objects.filter(username="mskim").count() == 0


def test_a_wrong_directory_password_does_not_sign_in(client, directory, imported):
    directory.person("mskim", "dir-Pass-16", number="10001", sn="김", given="민수")
    response = _login(client, "mskim", "wrong-Pass-16")
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    assert "아이디 또는 비밀번호가 올바르지 않습니다" in response.content.decode()


def test_an_account_locked_in_the_directory_does_not_sign_in(client, directory, imported):
    directory.person("mskim", "dir-Pass-16", number="10001", sn="김", given="민수", locked=True)
    response = _login(client, "mskim", "dir-Pass-16")
    assert response.status_code == 200 and "_auth_user_id" not in client.session


def test_a_deactivated_portal_account_does_not_sign_in_through_the_directory(
    client, directory, imported
):
    directory.person("mskim", "dir-Pass-16", number="10001", sn="김", given="민수")
    User.objects.filter(pk=imported.pk).update(is_active=False)  # retired in the HR file
    response = _login(client, "mskim", "dir-Pass-16")
    assert response.status_code == 200 and "_auth_user_id" not in client.session


def test_a_person_moved_in_the_directory_keeps_their_account_and_history(
    client, directory, imported
):
    dn = directory.person(
        "mskim", "dir-Pass-16", number="10001", sn="김", given="민수", dept="전산정보과"
    )
    assert _login(client, "mskim", "dir-Pass-16").status_code == 302
    client.logout()
    before_move = timezone.now()
    # moved to another branch of the tree, and to another department
    directory.conn.rename_s(dn, "uid=mskim", f"ou=dong,{directory.base}")
    directory.conn.modify_s(
        f"uid=mskim,ou=dong,{directory.base}",
        [(ldap.MOD_REPLACE, "departmentNumber", [b"\xec\x8b\xa0\xeb\x8b\xb9\xeb\x8f\x99"])],
    )  # 신당동
    assert _login(client, "mskim", "dir-Pass-16").status_code == 302
    assert int(client.session["_auth_user_id"]) == imported.pk
    imported = User.objects.get(pk=imported.pk)
    assert department_at(imported).name == "신당동"
    assert department_at(imported, before_move - timedelta(seconds=1)).name == "전산정보과"
    assert Assignment.objects.filter(user=imported).count() == 2


def test_directory_groups_give_and_take_the_configured_roles(client, directory, imported):
    dn = directory.person("mskim", "dir-Pass-16", number="10001", sn="김", given="민수")
    group = directory.group("panel", [dn])
    assert _login(client, "mskim", "dir-Pass-16").status_code == 302
    assert imported.groups.filter(name=Role.WORKING_PANEL).exists()
    client.logout()
    directory.conn.modify_s(
        group, [(ldap.MOD_REPLACE, "member", [f"cn=nobody,{directory.base}".encode()])]
    )
    assert _login(client, "mskim", "dir-Pass-16").status_code == 302
    assert not imported.groups.filter(name=Role.WORKING_PANEL).exists()
    assert imported.groups.filter(name=Role.STAFF).exists()


def test_someone_only_in_the_directory_gets_a_new_account_with_their_number(client, directory, db):
    directory.person("newbie", "dir-Pass-16", number="20009", sn="박", given="새롬")
    assert _login(client, "newbie", "dir-Pass-16").status_code == 302
    user = User.objects.get(username="newbie")
    assert user.staff_profile.employee_number == "20009"
    assert (user.last_name, user.first_name) == ("박", "새롬")
    assert not user.has_usable_password()
