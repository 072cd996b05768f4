"""Writes to the points ledger and its roll-ups, the rules, and the quarterly 창의왕 round.

Callers (the board, proposals) know users, area codes and their own sources; this app knows
nothing of them. Every ledger write updates the monthly roll-up (UserMonth) and the quarter
roll-up (UserQuarter) in the same transaction, so the pages read one row per person.
"""

import logging
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from . import calculations as calc
from .models import (
    Activity,
    ActivityKind,
    MonthlyCap,
    PointRule,
    QuarterRound,
    RoundEntry,
    RoundEvent,
    RoundWinner,
    RuleRecompute,
    UserMonth,
    UserQuarter,
)

logger = logging.getLogger(__name__)


# --- Rules -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class YearRules:
    """The table and caps that apply to one year (its own or the latest earlier year's)."""

    year: int
    table_year: int | None
    table: dict[tuple[str, str], Decimal]
    caps: dict[str, Decimal]


def rules_for_year(year: int) -> YearRules:
    """Two small queries; the fallback rule is calculations.rule_year."""
    rows = list(
        PointRule.objects.filter(year__lte=year).values_list("year", "area", "kind", "points")
    )
    table_year = calc.rule_year({r[0] for r in rows}, year)
    table = (
        {(a, k): p for y, a, k, p in rows if y == table_year}
        if table_year is not None
        else dict(calc.DEFAULT_TABLE)
    )
    cap_rows = list(MonthlyCap.objects.filter(year__lte=year).values_list("year", "kind", "cap"))
    cap_year = calc.rule_year({r[0] for r in cap_rows}, year)
    caps = (
        {k: c for y, k, c in cap_rows if y == cap_year}
        if cap_year is not None
        else dict(calc.DEFAULT_CAPS)
    )
    return YearRules(year, table_year, table, caps)


def rules_copy_year(*, from_year: int, to_year: int) -> int:
    """Give ``to_year`` its own copy of ``from_year``'s table and caps (then edit it in admin).
    Existing rows of ``to_year`` are kept. Returns how many rows were created."""
    created = 0
    with transaction.atomic():
        for r in PointRule.objects.filter(year=from_year):
            _, new = PointRule.objects.get_or_create(
                year=to_year, area=r.area, kind=r.kind, defaults={"points": r.points}
            )
            created += new
        for c in MonthlyCap.objects.filter(year=from_year):
            _, new = MonthlyCap.objects.get_or_create(
                year=to_year, kind=c.kind, defaults={"cap": c.cap}
            )
            created += new
    return created


# --- The ledger --------------------------------------------------------------------------------


def _rollups_apply(
    *,
    user_id: int,
    month: date,
    kind: str,
    points: Decimal,
    sign: int,
    caps: dict[str, Decimal] | None = None,
) -> None:
    """Add (sign=1) or remove (sign=-1) one ledger row from the roll-ups. Both rows are locked
    (month first, then quarter: one order everywhere, so no deadlock). The quarter gets the
    change of the *capped* month value, which keeps min(sum, cap) order-independent."""
    caps = rules_for_year(month.year).caps if caps is None else caps
    um, _ = UserMonth.objects.select_for_update().get_or_create(user_id=user_id, month=month)
    before = _month_contribution(um, caps)
    if kind == ActivityKind.PROPOSAL_SUBMITTED:
        um.proposals += sign
    else:
        field = f"{kind}_points"
        setattr(um, field, getattr(um, field) + sign * points)
    um.save()
    after = _month_contribution(um, caps)
    year, quarter = calc.quarter_of(month)
    uq, _ = UserQuarter.objects.select_for_update().get_or_create(
        user_id=user_id, year=year, quarter=quarter
    )
    uq.approval_points += after[0] - before[0]
    uq.comment_points += after[1] - before[1]
    uq.view_points += after[2] - before[2]
    uq.proposals += after[3] - before[3]
    uq.total = uq.approval_points + uq.comment_points + uq.view_points
    uq.save()


def _month_contribution(um: UserMonth, caps: dict[str, Decimal]) -> tuple:
    return (
        um.approval_points,
        calc.capped(um.comment_points, caps.get(calc.COMMENT)),
        calc.capped(um.view_points, caps.get(calc.VIEW)),
        um.proposals,
    )


def activity_record(
    *,
    user: AbstractBaseUser,
    area: str,
    kind: ActivityKind | str,
    source_type: str,
    source_id: int,
    at: datetime | None = None,
) -> Activity:
    """Append one scoring activity. Recording the same (user, kind, source) again while its
    row is live returns that row unchanged, so a retried request or task changes nothing.
    Once voided (e.g. a post rejected after approval), recording again appends a new live
    row and the voided one stays as history (a re-approval earns its points again)."""
    at = at or timezone.now()
    kind = str(kind.value if isinstance(kind, ActivityKind) else kind)
    key = {"user": user, "kind": kind, "source_type": source_type, "source_id": source_id}
    live = Activity.objects.filter(**key, voided_at__isnull=True)
    existing = live.first()
    if existing:
        return existing
    month = calc.month_of(at)
    rules = rules_for_year(month.year)
    points = calc.event_points(rules.table, area, kind)
    try:
        with transaction.atomic():
            row = Activity.objects.create(
                **key, area=area, occurred_at=at, month=month, points=points
            )
            _rollups_apply(
                user_id=row.user_id, month=month, kind=kind, points=points, sign=1, caps=rules.caps
            )
            return row
    except IntegrityError:  # a concurrent request recorded it first
        return live.get()


def activity_void(
    *,
    source_type: str,
    source_id: int,
    reason: str,
    kind: ActivityKind | str | None = None,
    at: datetime | None = None,
) -> int:
    """Void the live rows of a source (a removed comment, a post marked duplicate).
    Returns how many rows were voided; voiding again changes nothing."""
    at = at or timezone.now()
    with transaction.atomic():
        rows = Activity.objects.select_for_update().filter(
            source_type=source_type, source_id=source_id, voided_at__isnull=True
        )
        if kind is not None:
            rows = rows.filter(kind=kind)
        voided = 0
        caps: dict[int, dict[str, Decimal]] = {}
        # One lock order everywhere (person, month): concurrent voids cannot deadlock.
        for row in rows.order_by("user_id", "month", "id"):
            row.voided_at, row.void_reason = at, str(reason)[:200]
            row.save(update_fields=["voided_at", "void_reason"])
            year = row.month.year
            if year not in caps:
                caps[year] = rules_for_year(year).caps
            _rollups_apply(
                user_id=row.user_id,
                month=row.month,
                kind=row.kind,
                points=row.points,
                sign=-1,
                caps=caps[year],
            )
            voided += 1
    return voided


# --- Recompute (after a rule or cap edit) -----------------------------------------------------


def points_reapply(*, year: int) -> int:
    """Rewrite the stored points of every ledger row of ``year`` from the year's table."""
    start, end = date(year, 1, 1), date(year + 1, 1, 1)
    rows = Activity.objects.filter(month__gte=start, month__lt=end)
    table = rules_for_year(year).table
    changed = 0
    for (area, kind), points in table.items():
        changed += rows.filter(area=area, kind=kind).exclude(points=points).update(points=points)
    # Anything the table doesn't price (proposal_submitted, an unknown area) is worth 0.
    priced = [(a, k) for (a, k) in table if k != calc.PROPOSAL_SUBMITTED]
    unpriced = rows.exclude(points=0)
    for area, kind in priced:
        unpriced = unpriced.exclude(area=area, kind=kind)
    changed += unpriced.update(points=0)
    return changed


def rollups_rebuild(*, year: int) -> None:
    """Rebuild the year's monthly and quarterly roll-ups from the ledger with two set-based
    statements per quarter (portable SQL: PostgreSQL and SQLite)."""
    caps = rules_for_year(year).caps
    start, end = date(year, 1, 1), date(year + 1, 1, 1)
    um, uq, act = UserMonth._meta.db_table, UserQuarter._meta.db_table, Activity._meta.db_table
    with transaction.atomic(), connection.cursor() as cur:
        UserQuarter.objects.filter(year=year).delete()
        UserMonth.objects.filter(month__gte=start, month__lt=end).delete()
        cur.execute(
            f"""
            INSERT INTO {um} (user_id, month, approval_points, comment_points, view_points,
                              proposals)
            SELECT user_id, month,
                   COALESCE(SUM(CASE WHEN kind = 'approval' THEN points END), 0),
                   COALESCE(SUM(CASE WHEN kind = 'comment' THEN points END), 0),
                   COALESCE(SUM(CASE WHEN kind = 'view' THEN points END), 0),
                   SUM(CASE WHEN kind = 'proposal_submitted' THEN 1 ELSE 0 END)
            FROM {act}
            WHERE month >= %s AND month < %s AND voided_at IS NULL
            GROUP BY user_id, month
            """,  # noqa: S608 - table names from models; values are parameters
            [start, end],
        )
        # CASE rather than LEAST/MIN: the same text on both databases (STYLE: NULL caveat).
        c_cap = caps.get(calc.COMMENT)
        v_cap = caps.get(calc.VIEW)
        comment = (
            "comment_points" if c_cap is None else
            "CASE WHEN comment_points > %s THEN %s ELSE comment_points END"
        )  # fmt: skip
        view = (
            "view_points" if v_cap is None else
            "CASE WHEN view_points > %s THEN %s ELSE view_points END"
        )  # fmt: skip
        cap_params = ([c_cap, c_cap] if c_cap is not None else []) + (
            [v_cap, v_cap] if v_cap is not None else []
        )
        for quarter in (1, 2, 3, 4):
            q_start, q_end = calc.quarter_span(year, quarter)
            cur.execute(
                f"""
                INSERT INTO {uq} (user_id, year, quarter, approval_points, comment_points,
                                  view_points, total, proposals)
                SELECT user_id, %s, %s, a, c, v, a + c + v, p FROM (
                    SELECT user_id, SUM(approval_points) AS a, SUM({comment}) AS c,
                           SUM({view}) AS v, SUM(proposals) AS p
                    FROM {um} WHERE month >= %s AND month < %s GROUP BY user_id
                ) q
                """,  # noqa: S608
                [year, quarter, *cap_params, q_start, q_end],
            )


def scoring_recompute(
    *, year: int, by: AbstractBaseUser | None = None, at: datetime | None = None
) -> RuleRecompute:
    """Apply the year's current table and caps to its whole ledger (an admin action, logged).
    Frozen rounds keep their snapshot; recomputing a round is a separate admin action."""
    with transaction.atomic():
        changed = points_reapply(year=year)
        rollups_rebuild(year=year)
        log = RuleRecompute.objects.create(year=year, by=by, at=at or timezone.now(), rows=changed)
    logger.info("scoring recompute %s: %s ledger rows repriced", year, changed)
    return log


# --- The quarterly 창의왕 round ----------------------------------------------------------------


class RoundError(ValueError):
    """A round operation that the round's state doesn't allow (message in Korean)."""


WINNERS_PER_ROUND = 3


def quarter_round_run(*, year: int, quarter: int, at: datetime | None = None) -> QuarterRound:
    """Compute the quarter's ranking, freeze it and propose the top 3 eligible as 창의왕.

    Idempotent: a round that exists is returned unchanged (running it twice changes nothing).
    Only a quarter that has ended can be frozen."""
    at = at or timezone.now()
    existing = QuarterRound.objects.filter(year=year, quarter=quarter).first()
    if existing:
        return existing
    _, end = calc.quarter_span(year, quarter)
    if calc.month_of(at) < end:
        raise RoundError(f"{year}년 {quarter}분기가 아직 끝나지 않았습니다.")
    with transaction.atomic():
        try:
            with transaction.atomic():
                rnd = QuarterRound.objects.create(year=year, quarter=quarter, computed_at=at)
        except IntegrityError:  # a concurrent run froze it first
            return QuarterRound.objects.get(year=year, quarter=quarter)
        count, winners = _round_snapshot(rnd)
        RoundEvent.objects.create(
            round=rnd,
            action=RoundEvent.Action.COMPUTED,
            at=at,
            note=f"{count}명 집계, 후보: {', '.join(winners) or '없음'}",
        )
    logger.info("창의왕 round %s/%s frozen: %s people", year, quarter, count)
    return rnd


def _round_snapshot(rnd: QuarterRound) -> tuple[int, list[str]]:
    from org.models import StaffProfile, display_name

    from .selectors import quarter_ranking

    rows = quarter_ranking(year=rnd.year, quarter=rnd.quarter, with_users=False)
    departments = dict(
        StaffProfile.objects.filter(department__isnull=False).values_list(
            "user_id", "department__name"
        )
    )
    RoundEntry.objects.bulk_create(
        (
            RoundEntry(
                round=rnd,
                user_id=r.user_id,
                position=i,
                department=departments.get(r.user_id, ""),
                approval_points=r.approval,
                comment_points=r.comment,
                view_points=r.view,
                total=r.total,
                eligible=r.eligible,
                rank=r.rank,
            )
            for i, r in enumerate(rows, start=1)
        ),
        batch_size=5000,
    )
    top = calc.top_eligible(rows, WINNERS_PER_ROUND)
    winners = RoundWinner.objects.bulk_create(
        RoundWinner(round=rnd, place=place, user_id=r.user_id)
        for place, r in enumerate(top, start=1)
    )
    names = [
        display_name(w.user)
        for w in RoundWinner.objects.filter(pk__in=[w.pk for w in winners]).select_related("user")
    ]
    return len(rows), names


def quarter_round_recompute(
    *, round: QuarterRound, by: AbstractBaseUser, reason: str, at: datetime | None = None
) -> QuarterRound:
    """Re-freeze a round from today's ledger (an explicit admin action, logged with a reason).
    A confirmed round is the official record and cannot be recomputed."""
    at = at or timezone.now()
    if not reason.strip():
        raise RoundError("재집계 사유를 입력하세요.")
    with transaction.atomic():
        rnd = QuarterRound.objects.select_for_update().get(pk=round.pk)
        if rnd.status == QuarterRound.Status.CONFIRMED:
            raise RoundError("확정된 선정은 재집계할 수 없습니다.")
        before = list(rnd.winners.filter(active=True).values_list("user_id", flat=True))
        rnd.entries.all().delete()
        rnd.winners.all().delete()
        count, winners = _round_snapshot(rnd)
        rnd.computed_at = at
        rnd.save(update_fields=["computed_at"])
        RoundEvent.objects.create(
            round=rnd,
            action=RoundEvent.Action.RECOMPUTED,
            by=by,
            at=at,
            note=f"사유: {reason.strip()}\n이전 후보 id: {before}\n{count}명 집계, 후보: "
            f"{', '.join(winners) or '없음'}",
        )
    return rnd


def round_winner_replace(
    *,
    winner: RoundWinner,
    user: AbstractBaseUser,
    reason: str,
    by: AbstractBaseUser,
    at: datetime | None = None,
) -> RoundWinner:
    """Replace one proposed 창의왕 with another eligible person of the round, with a reason."""
    from org.models import display_name

    at = at or timezone.now()
    if not reason.strip():
        raise RoundError("교체 사유를 입력하세요.")
    with transaction.atomic():
        rnd = QuarterRound.objects.select_for_update().get(pk=winner.round_id)
        if rnd.status == QuarterRound.Status.CONFIRMED:
            raise RoundError("확정된 선정은 바꿀 수 없습니다.")
        old = RoundWinner.objects.select_for_update().get(pk=winner.pk)
        if not old.active:
            raise RoundError("이미 교체된 창의왕입니다.")
        if not rnd.entries.filter(user=user, eligible=True).exists():
            raise RoundError("이 분기에 제안을 제출한 대상자만 선정할 수 있습니다.")
        if rnd.winners.filter(user=user, active=True).exists():
            raise RoundError("이미 창의왕으로 선정된 직원입니다.")
        old.active, old.replaced_reason, old.replaced_at = False, reason.strip()[:300], at
        old.save(update_fields=["active", "replaced_reason", "replaced_at"])
        new = RoundWinner.objects.create(round=rnd, place=old.place, user=user)
        RoundEvent.objects.create(
            round=rnd,
            action=RoundEvent.Action.REPLACED,
            by=by,
            at=at,
            note=f"{old.place}번: {display_name(old.user)} → {display_name(user)}; "
            f"사유: {reason.strip()}",
        )
    return new


def quarter_round_confirm(
    *, round: QuarterRound, by: AbstractBaseUser, at: datetime | None = None
) -> QuarterRound:
    """Confirm the winners: each is notified and recorded as a 50,000 won award against the
    year's prize budget (contests). Confirming again changes nothing."""
    at = at or timezone.now()
    with transaction.atomic():
        rnd = QuarterRound.objects.select_for_update().get(pk=round.pk)
        if rnd.status == QuarterRound.Status.CONFIRMED:
            return rnd
        rnd.status, rnd.confirmed_at, rnd.confirmed_by = QuarterRound.Status.CONFIRMED, at, by
        rnd.save(update_fields=["status", "confirmed_at", "confirmed_by"])
        winners = list(rnd.winners.filter(active=True).select_related("user"))
        for w in winners:
            _winner_award(rnd, w, at)
        RoundEvent.objects.create(
            round=rnd,
            action=RoundEvent.Action.CONFIRMED,
            by=by,
            at=at,
            note=f"창의왕 {len(winners)}명 확정, 각 {RoundWinner.PRIZE_WON:,}원",
        )
    return rnd


def _winner_award(rnd: QuarterRound, winner: RoundWinner, at: datetime) -> None:
    from django.urls import reverse

    from notifications.services import notify

    if winner.prize_recorded_at is None and _prize_record(rnd, winner, at):
        winner.prize_recorded_at = at
    if winner.notified_at is None:
        notify(
            recipient=winner.user,
            verb="scoring_winner",
            title=f"{rnd.year}년 {rnd.quarter}분기 창의왕으로 선정되었습니다 "
            f"(상품권 {winner.prize_won:,}원).",
            url=reverse("scoring:leaderboard") + f"?year={rnd.year}&quarter={rnd.quarter}",
            at=at,
        )
        winner.notified_at = at
    winner.save(update_fields=["prize_recorded_at", "notified_at"])


def _prize_record(rnd: QuarterRound, winner: RoundWinner, at: datetime) -> bool:
    """Count the award against the year's prize budget in contests, when that app offers it.
    The award itself is always recorded here (RoundWinner.prize_won)."""
    try:
        from contests.services import prize_record
    except ImportError:
        logger.warning("contests.services.prize_record missing: award kept in scoring only")
        return False
    prize_record(**_prize_kwargs(rnd, winner, at))
    return True


def _prize_kwargs(rnd: QuarterRound, winner: RoundWinner, at: datetime) -> dict:
    return {
        "recipient": winner.user,
        "amount_won": winner.prize_won,
        "year": rnd.year,
        "title": f"{rnd.year}년 {rnd.quarter}분기 창의왕",
        "source_type": "scoring.roundwinner",
        "source_id": winner.pk,
        "at": at,
    }
