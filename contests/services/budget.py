"""The prize budget 포상 예산 and its ledger 포상금 원장: every prize any app pays."""

from datetime import datetime

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from common.errors import ServiceError
from org.models import display_name

from ..models import AuditAction, PrizeBudget, PrizePayment
from .audit import audit_record, now_or


def _recipient_key(recipient: User | None, recipient_name: str) -> str:
    return f"user:{recipient.pk}" if recipient is not None else f"name:{recipient_name}"[:120]


@transaction.atomic
def prize_record(
    *,
    year: int,
    amount_won: int,
    title: str,
    recipient: User | None = None,
    recipient_name: str = "",
    source_type: str,
    source_id: int,
    at: datetime | None = None,
) -> PrizePayment:
    """Record a prize paid from the year's budget (contest awards, proposal and club prizes,
    창의왕 gift certificates). Idempotent per (source_type, source_id, recipient): recording
    again returns the existing row unchanged. ``amount_won`` is integer won — a float or a
    non-positive amount is refused."""
    if isinstance(amount_won, bool) or not isinstance(amount_won, int):
        raise ServiceError(_("금액은 원 단위 정수로 입력하세요."), code="invalid")
    if amount_won <= 0:
        raise ServiceError(_("금액은 0원보다 커야 합니다."), code="invalid")
    if recipient is None and not recipient_name.strip():
        raise ServiceError(_("수령자를 지정하세요."), code="invalid")
    name = recipient_name.strip() or (display_name(recipient) if recipient else "")
    key = {
        "source_type": source_type,
        "source_id": source_id,
        "recipient_key": _recipient_key(recipient, name),
    }
    existing = PrizePayment.objects.filter(**key).first()
    if existing:
        return existing
    try:
        with transaction.atomic():
            payment = PrizePayment.objects.create(
                **key,
                year=year,
                amount_won=amount_won,
                title=title[:200],
                recipient=recipient,
                recipient_name=name[:100],
                paid_at=now_or(at),
            )
    except IntegrityError:
        return PrizePayment.objects.get(**key)
    audit_record(
        actor=None,
        round=None,
        action=AuditAction.PRIZE_RECORDED,
        obj=payment,
        after={"year": year, "amount_won": amount_won, "title": payment.title, "to": name},
        at=at,
    )
    return payment


@transaction.atomic
def budget_set(*, year: int, amount_won: int) -> PrizeBudget:
    """Set the year's prize budget (integer won)."""
    if isinstance(amount_won, bool) or not isinstance(amount_won, int) or amount_won < 0:
        raise ServiceError(_("예산은 0 이상의 원 단위 정수로 입력하세요."), code="invalid")
    budget, _created = PrizeBudget.objects.update_or_create(
        year=year, defaults={"amount_won": amount_won}
    )
    return budget
