"""Committees 심사위원회 and their seats."""

from datetime import date

from django.contrib.auth.models import User
from django.db import transaction
from django.utils.translation import gettext as _

from common.errors import ServiceError

from .. import calculations as calc
from ..models import Committee, CommitteeKind, CommitteeMember, MemberKind, MemberRole


def committee_for_kind(kind: str) -> Committee:
    """The committee of a kind, created empty (named by the kind) when there is none yet."""
    committee = Committee.objects.filter(kind=kind).order_by("id").first()
    if committee:
        return committee
    return Committee.objects.get_or_create(
        name=str(CommitteeKind(kind).label), defaults={"kind": kind}
    )[0]


@transaction.atomic
def committee_member_add(
    *,
    committee: Committee,
    user: User,
    role: str = MemberRole.MEMBER,
    kind: str = MemberKind.EX_OFFICIO,
    term_start: date,
    term_end: date | None = None,
) -> CommitteeMember:
    """Seat a member (idempotent per committee, user and term start). An appointed member
    (위촉직) without an end date serves the appointed term (``calc.appointed_term_end``);
    renewal is a new seat from the new start."""
    if kind == MemberKind.APPOINTED and term_end is None:
        term_end = calc.appointed_term_end(term_start)
    if term_end is not None and term_end < term_start:
        raise ServiceError(
            _("임기 종료일이 시작일보다 빠를 수 없습니다."), code="invalid", field="term_end"
        )
    member, _created = CommitteeMember.objects.update_or_create(
        committee=committee,
        user=user,
        term_start=term_start,
        defaults={"role": role, "kind": kind, "term_end": term_end},
    )
    return member
