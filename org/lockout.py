"""Login lockouts: per account and address, and per address across accounts (issue 12 #10).

django-axes locks a username from one address after ``AXES_FAILURE_LIMIT`` failures (a person
who mistyped; a success clears it). That alone let one address guess 240 passwords over many
usernames. This handler also counts every failure from the address, whatever the username,
and locks the address once they reach ``AXES_ADDRESS_FAILURE_LIMIT`` within the cool-off time;
a success does not clear that count, so an attacker cannot reset it by logging in to an
account of their own. The address is THE client address (``common.clientip``).
"""

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_cool_off, get_failure_limit
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import QuerySet, Sum
from django.http import HttpRequest
from django.utils import timezone


def address_failure_limit() -> int:
    return int(getattr(settings, "AXES_ADDRESS_FAILURE_LIMIT", 20))


def expired_attempts(request: HttpRequest) -> QuerySet[AccessAttempt]:
    """The attempts older than the cool-off time, which lock nobody any more (none when no
    cool-off is set). axes' own ``clean_expired_user_attempts`` needs the attempt time that
    only its login handling puts on a request, so an admin page asks here."""
    cool_off = get_cool_off(request)
    if cool_off is None:
        return AccessAttempt.objects.none()
    return AccessAttempt.objects.filter(attempt_time__lte=timezone.now() - cool_off)


def expired_attempts_delete(request: HttpRequest) -> int:
    """Deletes :func:`expired_attempts`; returns how many."""
    count, _ = expired_attempts(request).delete()
    return int(count)


class AddressLockoutHandler(AxesDatabaseHandler):
    """The database handler of django-axes, with the per-address count beside it."""

    def address_failures(self, request: HttpRequest) -> int:
        address = getattr(request, "axes_ip_address", None)
        if not address:
            return 0
        recent = AccessAttempt.objects.filter(
            ip_address=address, attempt_time__gte=get_cool_off_threshold(request)
        )
        return int(recent.aggregate(total=Sum("failures_since_start"))["total"] or 0)

    def get_failures(self, request: HttpRequest, credentials: dict | None = None) -> int:
        failures = int(super().get_failures(request, credentials))
        if self.address_failures(request) >= address_failure_limit():
            # Report the address as over the per-account limit: axes then locks it.
            return max(failures, int(get_failure_limit(request, credentials)))
        return failures
