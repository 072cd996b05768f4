"""factory_boy factories for the org chart; other apps' tests build on these."""

import factory
from django.contrib.auth import get_user_model

from org.models import Bureau, Department, StaffProfile, Team
from org.roles import Role
from org.services import roles_ensure

TEST_PASSWORD = "test-pass-2016"


class BureauFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Bureau
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"테스트{n}국")


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department
        django_get_or_create = ("name",)

    bureau = factory.SubFactory(BureauFactory)
    name = factory.Sequence(lambda n: f"테스트{n}과")


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team

    department = factory.SubFactory(DepartmentFactory)
    name = factory.Sequence(lambda n: f"{n}팀")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    last_name = "김"
    first_name = factory.Sequence(lambda n: f"직원{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@junggu.example.kr")
    password = factory.PostGenerationMethodCall("set_password", TEST_PASSWORD)

    @factory.post_generation
    def roles(self, create: bool, extracted: list[Role] | None, **kwargs: object) -> None:
        if create and extracted:
            groups = roles_ensure()
            self.groups.add(*(groups[r] for r in extracted))
            if Role.PORTAL_ADMIN in extracted:
                self.is_staff = True
        if create:
            self.save()


class StaffProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StaffProfile

    user = factory.SubFactory(UserFactory)
    department = factory.SubFactory(DepartmentFactory)
    position = StaffProfile.Position.OFFICER


def staff_user(department: Department | None = None, roles: list[Role] | None = None, **kw: object):
    """A user with a staff profile in ``department`` (a new one when not given)."""
    user = UserFactory(roles=roles or [Role.STAFF], **kw)
    StaffProfileFactory(user=user, department=department or DepartmentFactory())
    return user


def portal_admin(**kw: object):
    return staff_user(roles=[Role.PORTAL_ADMIN, Role.STAFF], **kw)
