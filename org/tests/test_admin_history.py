"""The admin's history page names who acted family name first (홍길동), as everywhere else in
the portal, not Django's "username (first last)"."""

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth import get_user_model
from django.urls import reverse

from org.tests.factories import DepartmentFactory

pytestmark = pytest.mark.django_db


def test_the_history_names_the_person_family_name_first(client) -> None:
    User = get_user_model()
    root = User.objects.create_superuser("e20261234", "root@junggu.example.kr", "x")
    root.last_name, root.first_name = "홍", "길동"
    root.save()
    nameless = User.objects.create_superuser("e20269999", "other@junggu.example.kr", "x")
    department = DepartmentFactory(name="총무과")
    for user in (root, nameless):
        LogEntry.objects.log_actions(
            user_id=user.pk, queryset=[department], action_flag=CHANGE, change_message="이름 변경"
        )
    client.force_login(root)
    response = client.get(reverse("admin:org_department_history", args=[department.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "홍길동 (e20261234)" in html
    assert "길동 홍" not in html
    assert "e20269999" in html and "e20269999 (" not in html  # no name: the account alone
