"""factory_boy factories for the learning clubs."""

from datetime import date

import factory
from django.utils import timezone

from clubs.models import Club, Membership, StudyGroup, Topic
from org.tests.factories import BureauFactory, DepartmentFactory, UserFactory, staff_user


class TopicFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Topic
        django_get_or_create = ("source", "number")

    source = Topic.Source.VISION_2018
    number = factory.Sequence(lambda n: 100 + n)
    title = factory.Sequence(lambda n: f"테스트 과제 {n}")


class ClubFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Club

    bureau = factory.SubFactory(BureauFactory)
    year = 2026
    name = factory.LazyAttribute(lambda c: f"{c.bureau.name} 학습동아리")
    chair = factory.SubFactory(UserFactory)
    created_at = factory.LazyFunction(timezone.now)


class StudyGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StudyGroup

    club = factory.SubFactory(ClubFactory)
    name = factory.Sequence(lambda n: f"{n}분임")
    order = 1


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    group = factory.SubFactory(StudyGroupFactory)
    club = factory.LazyAttribute(lambda m: m.group.club)
    user = factory.LazyAttribute(
        lambda m: staff_user(department=DepartmentFactory(bureau=m.group.club.bureau))
    )
    role = Membership.Role.MEMBER
    start_date = factory.LazyAttribute(lambda m: date(m.group.club.year, 2, 1))


def group_with_members(
    *, club: Club | None = None, members: int = 3, name: str | None = None
) -> tuple[StudyGroup, Membership, Membership, list[Membership]]:
    """A group with a 분임장, a 총무 and ``members`` plain members, all from 1 February."""
    club = club or ClubFactory()
    group = StudyGroupFactory(club=club, **({"name": name} if name else {}))
    leader = MembershipFactory(group=group, role=Membership.Role.LEADER)
    secretary = MembershipFactory(group=group, role=Membership.Role.SECRETARY)
    plain = [MembershipFactory(group=group) for _ in range(members)]
    return group, leader, secretary, plain
