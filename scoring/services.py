"""Writes to the points ledger and its roll-ups, the rules, and the quarterly 창의왕 round.

Callers (the board, proposals) know users, area codes and their own sources; this app knows
nothing of them. Every ledger write updates the monthly roll-up (UserMonth) and the quarter
roll-up (UserQuarter) in the same transaction, so the pages read one row per person.
"""

import logging
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from urllib.parse import urlencode

from django.contrib.auth.models import User
from django.db import IntegrityError, connection, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from common import periods
from common.errors import ServiceError
from common.queries import add_to_rows, insert_new_rows
from contests.services import prize_record
from notifications.services import notification_send
from org.models import StaffProfile, display_name
from org.selectors import department_id_of

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
    UserYear,
)
from .selectors import quarter_ranking, rules_for_year

logger = logging.getLogger(__name__)


# --- Rules -------------------------------------------------------------------------------------


def rules_copy_year(*, from_year: int, to_year: int) -> int:
    """Give ``to_year`` its own copy of ``from_year``'s table and caps (then edit it in admin).
    Existing rows of ``to_year`` are kept. Returns how many rows were created."""
    created = 0
    with transaction.atomic():
        for r in PointRule.objects.filter(year=from_year):
            _row, new = PointRule.objects.get_or_create(
                year=to_year, area=r.area, kind=r.kind, defaults={"points": r.points}
            )
            created += new
        for c in MonthlyCap.objects.filter(year=from_year):
            _cap, new = MonthlyCap.objects.get_or_create(
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
    department_id: int | None = None,
    n: int = 1,
) -> None:
    """Add (sign=1) or remove (sign=-1) one ledger row from the roll-ups (``n`` rows of one
    person, month and kind, ``points`` their sum: activities_record): three statements
    (``common.queries.add_to_rows``: each adds to its rows, creating them if missing, and
    locks them; one order everywhere: month, quarter, then half-year and year, so no
    deadlock). The quarter, the half-year and the year get the change of the *capped* month
    value, which keeps min(sum, cap) order-independent: the month's value before is its value
    after less the change. A new row (sign=1) stamps the month with the person's department
    at that moment; a void keeps the month where it was earned."""
    caps = rules_for_year(month.year).caps if caps is None else caps
    change = {f: Decimal(0) for f in ("approval_points", "comment_points", "view_points")}
    counts = {"approvals": 0, "proposals": 0}
    if kind == ActivityKind.PROPOSAL_SUBMITTED:
        counts["proposals"] = sign * n
    else:
        change[f"{kind}_points"] = sign * points
        if kind == ActivityKind.APPROVAL:
            counts["approvals"] = sign * n
    ((approval, comment, view, proposals),) = add_to_rows(
        UserMonth,
        [{"user_id": user_id, "month": month}],
        {**change, **counts},
        assign={"department_id": department_id} if sign > 0 else None,
        returning=("approval_points", "comment_points", "view_points", "proposals"),
    )
    after = _month_contribution(approval, comment, view, proposals, caps)
    before = _month_contribution(
        approval - change["approval_points"],
        comment - change["comment_points"],
        view - change["view_points"],
        proposals - counts["proposals"],
        caps,
    )
    diff = {
        "approval_points": after[0] - before[0],
        "comment_points": after[1] - before[1],
        "view_points": after[2] - before[2],
        "total": sum(after[:3], Decimal(0)) - sum(before[:3], Decimal(0)),
        "proposals": after[3] - before[3],
    }
    year, quarter = month.year, periods.quarter_of(month)
    add_to_rows(UserQuarter, [{"user_id": user_id, "year": year, "quarter": quarter}], diff)
    # The half-year and the year get the same change (locked after the quarter, half first).
    add_to_rows(
        UserYear,
        [
            {"user_id": user_id, "year": year, "half": h}
            for h in (periods.half_of(month), UserYear.YEAR)
        ],
        diff,
    )


def _month_contribution(
    approval: Decimal, comment: Decimal, view: Decimal, proposals: int, caps: dict[str, Decimal]
) -> tuple[Decimal, Decimal, Decimal, int]:
    return (
        approval,
        calc.capped(comment, caps.get(calc.COMMENT)),
        calc.capped(view, caps.get(calc.VIEW)),
        proposals,
    )


def activity_record(
    *,
    user: User,
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
    month = periods.month_of(at)
    rules = rules_for_year(month.year)
    points = calc.event_points(rules.table, area, kind)
    try:
        with transaction.atomic():
            row = Activity.objects.create(
                **key, area=area, occurred_at=at, month=month, points=points
            )
            _rollups_apply(
                user_id=row.user_id,
                month=month,
                kind=kind,
                points=points,
                sign=1,
                caps=rules.caps,
                department_id=department_id_of(user),
            )
            return row
    except IntegrityError:  # a concurrent request recorded it first
        return live.get()


@dataclass(frozen=True)
class NewActivity:
    """One scoring activity for :func:`activities_record` (activity_record's arguments)."""

    user: User
    area: str
    kind: str
    source_type: str
    source_id: int
    at: datetime


def activities_record(activities: Sequence[NewActivity]) -> int:
    """:func:`activity_record` for many activities at once (the board's batched views), in
    one transaction: the new rows in one statement (``INSERT … ON CONFLICT DO NOTHING`` on
    the live rows' unique index: one already live is left as it is, a concurrent writer's
    row wins, as in activity_record), then the roll-ups once per person, month and kind,
    with the sum of their points (``min(sum, cap)`` does not depend on the order). Returns
    how many rows were new."""
    wanted: dict[tuple[int, str, str, int], NewActivity] = {}
    for a in activities:
        wanted.setdefault((a.user.pk, str(a.kind), a.source_type, a.source_id), a)
    if not wanted:
        return 0
    wanted_user = {a.user.pk: a.user for a in wanted.values()}
    rows, rules = [], {}
    for key, a in wanted.items():
        month = periods.month_of(a.at)
        if month.year not in rules:
            rules[month.year] = rules_for_year(month.year)
        rows.append((key, a, month, calc.event_points(rules[month.year].table, a.area, key[1])))
    with transaction.atomic():
        new = insert_new_rows(
            Activity,
            [
                {
                    "user_id": key[0],
                    "area": a.area,
                    "kind": key[1],
                    "source_type": key[2],
                    "source_id": key[3],
                    "occurred_at": a.at,
                    "month": month,
                    "points": points,
                }
                for key, a, month, points in rows
            ],  # fmt: skip
            unique=("user_id", "kind", "source_type", "source_id"),
            unique_where=f"{connection.ops.quote_name('voided_at')} IS NULL",
        )
        totals: dict[tuple[int, date, str], Decimal] = {}
        counts: Counter[tuple[int, date, str]] = Counter()
        for key, _a, month, points in rows:
            if key in new:
                group = (key[0], month, key[1])
                totals[group] = totals.get(group, Decimal(0)) + points
                counts[group] += 1
        for (user_id, month, kind), points in totals.items():
            _rollups_apply(
                user_id=user_id,
                month=month,
                kind=kind,
                points=points,
                sign=1,
                caps=rules[month.year].caps,
                department_id=department_id_of(wanted_user[user_id]),
                n=counts[(user_id, month, kind)],
            )
    return len(new)


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
    span = periods.year(year)
    rows = Activity.objects.filter(month__gte=span.start, month__lt=span.end)
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
    span = periods.year(year)
    um, uq, act = UserMonth._meta.db_table, UserQuarter._meta.db_table, Activity._meta.db_table
    profile = StaffProfile._meta.db_table
    with transaction.atomic(), connection.cursor() as cur:
        # The department each month was earned in is history, not something the ledger can
        # tell again: keep it across the rebuild (new months take the current profile's).
        cur.execute(
            f"""
            CREATE TEMPORARY TABLE scoring_rebuild_dept AS
            SELECT user_id, month, department_id FROM {um} WHERE month >= %s AND month < %s
            """,  # noqa: S608 - table names from models; values are parameters
            [span.start, span.end],
        )
        UserYear.objects.filter(year=year).delete()
        UserQuarter.objects.filter(year=year).delete()
        UserMonth.objects.filter(month__gte=span.start, month__lt=span.end).delete()
        cur.execute(
            f"""
            INSERT INTO {um} (user_id, month, department_id, approval_points, comment_points,
                              view_points, approvals, proposals)
            SELECT a.user_id, a.month, COALESCE(d.department_id, sp.department_id),
                   a.approval_points, a.comment_points, a.view_points, a.approvals, a.proposals
            FROM (
                SELECT user_id, month,
                       COALESCE(SUM(CASE WHEN kind = 'approval' THEN points END), 0)
                           AS approval_points,
                       COALESCE(SUM(CASE WHEN kind = 'comment' THEN points END), 0)
                           AS comment_points,
                       COALESCE(SUM(CASE WHEN kind = 'view' THEN points END), 0) AS view_points,
                       SUM(CASE WHEN kind = 'approval' THEN 1 ELSE 0 END) AS approvals,
                       SUM(CASE WHEN kind = 'proposal_submitted' THEN 1 ELSE 0 END) AS proposals
                FROM {act}
                WHERE month >= %s AND month < %s AND voided_at IS NULL
                GROUP BY user_id, month
            ) a
            LEFT JOIN scoring_rebuild_dept d ON d.user_id = a.user_id AND d.month = a.month
            LEFT JOIN {profile} sp ON sp.user_id = a.user_id
            """,  # noqa: S608
            [span.start, span.end],
        )
        cur.execute("DROP TABLE scoring_rebuild_dept")
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
            q = periods.quarter(year, quarter)
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
                [year, quarter, *cap_params, q.start, q.end],
            )
        # The halves (quarters 1–2 and 3–4) and the year: sums of the quarters.
        uy = UserYear._meta.db_table
        sums = "SUM(approval_points), SUM(comment_points), SUM(view_points), SUM(total), SUM(proposals)"
        half = "CASE WHEN quarter <= 2 THEN 1 ELSE 2 END"
        cur.execute(
            f"""
            INSERT INTO {uy} (user_id, year, half, approval_points, comment_points,
                              view_points, total, proposals)
            SELECT user_id, year, {half}, {sums} FROM {uq} WHERE year = %s
            GROUP BY user_id, year, {half}
            UNION ALL
            SELECT user_id, year, %s, {sums} FROM {uq} WHERE year = %s GROUP BY user_id, year
            """,  # noqa: S608
            [year, UserYear.YEAR, year],
        )


def ledger_recompute(
    *, year: int, by: User | None = None, at: datetime | None = None
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


def round_run(*, year: int, quarter: int, at: datetime | None = None) -> QuarterRound:
    """Compute the quarter's ranking, freeze it and propose the top 3 eligible as 창의왕.

    Idempotent: a round that exists is returned unchanged (running it twice changes nothing).
    Only a quarter that has ended can be frozen."""
    at = at or timezone.now()
    existing = QuarterRound.objects.filter(year=year, quarter=quarter).first()
    if existing:
        return existing
    if periods.month_of(at) < periods.quarter(year, quarter).end:
        raise ServiceError(
            _("%(year)s년 %(quarter)s분기가 아직 끝나지 않았습니다."),
            code="not_ended",
            params={"year": year, "quarter": quarter},
        )
    with transaction.atomic():
        try:
            with transaction.atomic():
                rnd = QuarterRound.objects.create(year=year, quarter=quarter, computed_at=at)
        except IntegrityError:  # a concurrent run froze it first
            return QuarterRound.objects.get(year=year, quarter=quarter)
        note = _round_snapshot(rnd)
        RoundEvent.objects.create(round=rnd, action=RoundEvent.Action.COMPUTED, at=at, note=note)
    logger.info("창의왕 round %s/%s frozen", year, quarter)
    return rnd


def _round_snapshot(rnd: QuarterRound) -> str:
    """Freeze the ranking into entries and propose the clear winners; people tied at the
    last place are flagged for the office to decide. Returns the note for the round's log."""
    rows = quarter_ranking(year=rnd.year, quarter=rnd.quarter, with_users=False)
    places = calc.winner_places(rows)
    tied = {r.user_id for r in places.tied}
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
                tied=r.user_id in tied,
            )
            for i, r in enumerate(rows, start=1)
        ),
        batch_size=5000,
    )
    RoundWinner.objects.bulk_create(
        RoundWinner(round=rnd, place=place, user_id=r.user_id)
        for place, r in enumerate(places.clear, start=1)
    )
    names = _names(rnd, [r.user_id for r in places.clear])
    note = _("%(count)s명 집계, 후보: %(names)s") % {
        "count": len(rows),
        "names": ", ".join(names) or _("없음"),
    }
    if places.has_tie:
        note += "\n" + _("동점(%(open)s자리): %(tied)s — 결정이 필요합니다.") % {
            "open": places.open,
            "tied": ", ".join(_names(rnd, [r.user_id for r in places.tied])),
        }
    return note


def _names(rnd: QuarterRound, user_ids: list[int]) -> list[str]:
    """이름 (부서) of each user, in the order given, with the department the round froze."""
    entries = {
        e.user_id: e for e in rnd.entries.filter(user_id__in=user_ids).select_related("user")
    }
    return [entries[pk].label for pk in user_ids]


def round_recompute(
    *, round: QuarterRound, by: User, reason: str, at: datetime | None = None
) -> QuarterRound:
    """Re-freeze a round from today's ledger (an explicit admin action, logged with a reason).
    A confirmed round is the official record and cannot be recomputed."""
    at = at or timezone.now()
    if not reason.strip():
        raise ServiceError(_("재집계 사유를 입력하세요."), code="reason_required", field="reason")
    with transaction.atomic():
        rnd = QuarterRound.objects.select_for_update().get(pk=round.pk)
        if rnd.status == QuarterRound.Status.CONFIRMED:
            raise ServiceError(_("확정된 선정은 재집계할 수 없습니다."), code="confirmed")
        before = list(rnd.winners.filter(active=True).values_list("user_id", flat=True))
        rnd.entries.all().delete()
        rnd.winners.all().delete()
        note = _round_snapshot(rnd)
        rnd.computed_at = at
        rnd.tie_settled_at, rnd.tie_settled_by, rnd.tie_reason = None, None, ""
        rnd.save(update_fields=["computed_at", "tie_settled_at", "tie_settled_by", "tie_reason"])
        RoundEvent.objects.create(
            round=rnd,
            action=RoundEvent.Action.RECOMPUTED,
            by=by,
            at=at,
            note=_("사유: %(reason)s\n이전 후보 id: %(before)s\n%(note)s")
            % {"reason": reason.strip(), "before": before, "note": note},
        )
    return rnd


def round_winner_replace(
    *,
    winner: RoundWinner,
    user: User,
    reason: str,
    by: User,
    at: datetime | None = None,
) -> RoundWinner:
    """Replace one proposed 창의왕 with another eligible person of the round, with a reason."""
    at = at or timezone.now()
    if not reason.strip():
        raise ServiceError(_("교체 사유를 입력하세요."), code="reason_required", field="reason")
    with transaction.atomic():
        rnd = QuarterRound.objects.select_for_update().get(pk=winner.round_id)
        if rnd.status == QuarterRound.Status.CONFIRMED:
            raise ServiceError(_("확정된 선정은 바꿀 수 없습니다."), code="confirmed")
        old = RoundWinner.objects.select_for_update().get(pk=winner.pk)
        if not old.active:
            raise ServiceError(_("이미 교체된 창의왕입니다."), code="state")
        if not rnd.entries.filter(user=user, eligible=True).exists():
            raise ServiceError(
                _("이 분기에 제안을 제출한 대상자만 선정할 수 있습니다."),
                code="not_eligible",
                field="entry",
            )
        if rnd.winners.filter(user=user, active=True).exists():
            raise ServiceError(
                _("이미 창의왕으로 선정된 직원입니다."), code="already_winner", field="entry"
            )
        old.active, old.replaced_reason, old.replaced_at = False, reason.strip()[:300], at
        old.save(update_fields=["active", "replaced_reason", "replaced_at"])
        new = RoundWinner.objects.create(round=rnd, place=old.place, user=user)
        RoundEvent.objects.create(
            round=rnd,
            action=RoundEvent.Action.REPLACED,
            by=by,
            at=at,
            note=_("%(place)s번: %(old)s → %(new)s; 사유: %(reason)s")
            % {
                "place": old.place,
                "old": display_name(old.user),
                "new": display_name(user),
                "reason": reason.strip(),
            },
        )
    return new


TIE_MESSAGES = {
    "not_tied": gettext_lazy("동점자 가운데에서만 고를 수 있습니다."),
    "wrong_count": gettext_lazy("남은 %(open)s자리만큼 고르거나, 동점자 모두를 시상하세요."),
    "award_all_with_choice": gettext_lazy("모두 시상할 때는 따로 고르지 않습니다."),
}


def round_tie_settle(
    *,
    round: QuarterRound,
    chosen: list[User],
    award_all: bool = False,
    reason: str,
    by: User,
    at: datetime | None = None,
) -> list[RoundWinner]:
    """Decide a tie at the last prize place: the ``chosen`` among the tied people (as many as
    places are left), or with ``award_all`` every tied person (each gets the prize). Logged
    with the tied people's points and the reason; the round can then be confirmed."""
    at = at or timezone.now()
    if not reason.strip():
        raise ServiceError(
            _("동점 결정 사유를 입력하세요."), code="reason_required", field="reason"
        )
    with transaction.atomic():
        rnd = QuarterRound.objects.select_for_update().get(pk=round.pk)
        if rnd.status == QuarterRound.Status.CONFIRMED:
            raise ServiceError(_("확정된 선정은 바꿀 수 없습니다."), code="confirmed")
        if not rnd.tie_open:
            raise ServiceError(_("결정할 동점이 없습니다."), code="no_tie")
        tied = list(rnd.entries.filter(tied=True).select_related("user").order_by("position"))
        winners = rnd.winners.filter(active=True)
        open_places = calc.WINNERS_PER_ROUND - winners.count()
        chosen_ids = {u.pk for u in chosen}
        problem = calc.tie_choice_problem(
            tied={e.user_id for e in tied},
            chosen=chosen_ids,
            open_places=open_places,
            award_all=award_all,
        )
        if problem is not None:
            raise ServiceError(
                TIE_MESSAGES[problem], code=problem, field="chosen", params={"open": open_places}
            )
        picked = [e for e in tied if award_all or e.user_id in chosen_ids]
        place = max(winners.values_list("place", flat=True), default=0)
        created = [
            RoundWinner.objects.create(round=rnd, place=place + i, user_id=e.user_id)
            for i, e in enumerate(picked, start=1)
        ]
        rnd.tie_settled_at, rnd.tie_settled_by, rnd.tie_reason = at, by, reason.strip()[:300]
        rnd.save(update_fields=["tie_settled_at", "tie_settled_by", "tie_reason"])
        RoundEvent.objects.create(
            round=rnd,
            action=RoundEvent.Action.TIE_SETTLED,
            by=by,
            at=at,
            note=_("동점자: %(tied)s\n선정: %(picked)s\n사유: %(reason)s")
            % {
                "tied": ", ".join(
                    _("%(name)s %(total)s점(승인 %(approval)s)")
                    % {
                        "name": e.label,
                        "total": calc.points_text(e.total),
                        "approval": calc.points_text(e.approval_points),
                    }
                    for e in tied
                ),
                "picked": (_("동점자 모두 시상") + ": " if award_all else "")
                + ", ".join(e.label for e in picked),
                "reason": reason.strip(),
            },
        )
    return created


def round_confirm(*, round: QuarterRound, by: User, at: datetime | None = None) -> QuarterRound:
    """Confirm the winners: each is notified and recorded as a 50,000 won award against the
    year's prize budget (contests). Confirming again changes nothing."""
    at = at or timezone.now()
    with transaction.atomic():
        rnd = QuarterRound.objects.select_for_update().get(pk=round.pk)
        if rnd.status == QuarterRound.Status.CONFIRMED:
            return rnd
        if rnd.tie_open:
            raise ServiceError(
                _("시상 경계에 동점자가 있습니다. 동점을 결정한 뒤 확정하세요."), code="tie_open"
            )
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
            note=_("창의왕 %(count)s명 확정, 각 %(won)s원")
            % {"count": len(winners), "won": f"{RoundWinner.PRIZE_WON:,}"},
        )
    return rnd


def _winner_award(rnd: QuarterRound, winner: RoundWinner, at: datetime) -> None:
    """Count the award against the year's prize budget (contests) and tell the winner, once
    each: a second confirm finds both stamps set."""
    if winner.prize_recorded_at is None:
        prize_record(
            recipient=winner.user,
            amount_won=winner.prize_won,
            year=rnd.year,
            title=_("%(year)s년 %(quarter)s분기 창의왕")
            % {"year": rnd.year, "quarter": rnd.quarter},
            source_type="scoring.roundwinner",
            source_id=winner.pk,
            at=at,
        )
        winner.prize_recorded_at = at
    if winner.notified_at is None:
        notification_send(
            recipient=winner.user,
            verb="scoring.prize_confirmed",
            title=_("%(year)s년 %(quarter)s분기 창의왕으로 선정되었습니다 (상품권 %(won)s원).")
            % {"year": rnd.year, "quarter": rnd.quarter, "won": f"{winner.prize_won:,}"},
            url=reverse("scoring:leaderboard")
            + "?"
            + urlencode({"period": "quarter", "year": rnd.year, "quarter": rnd.quarter}),
            at=at,
        )
        winner.notified_at = at
    winner.save(update_fields=["prize_recorded_at", "notified_at"])
