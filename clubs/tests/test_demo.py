import pytest
from django.core.management import call_command

from clubs.models import Attendance, Club, Meeting, Membership, MonthlyReport, StudyGroup

pytestmark = [pytest.mark.django_db, pytest.mark.smoke]


def _counts() -> tuple[int, ...]:
    return tuple(
        m.objects.count()
        for m in (Club, StudyGroup, Membership, Meeting, Attendance, MonthlyReport)
    )


def test_the_demo_makes_a_club_per_bureau_and_running_it_twice_changes_nothing() -> None:
    with open("/dev/null", "w") as out:
        call_command("seed_demo", "--quiet-logins", stdout=out)
        first = _counts()
        call_command("seed_demo", "--quiet-logins", stdout=out)
    assert _counts() == first
    assert Club.objects.count() == 6
    assert StudyGroup.objects.count() == 12
    # staff1 is the 총무 of 기획재정국 1분임 (a demo login)
    assert Membership.objects.filter(
        user__username="staff1", role="secretary", group__club__bureau__name="기획재정국"
    ).exists()
