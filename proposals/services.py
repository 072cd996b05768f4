"""Every write of the proposals app. Views, admin, tasks, commands and the demo call these."""

import logging
import uuid
from collections.abc import Iterable
from datetime import date, datetime

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.mail import send_mail
from django.db import IntegrityError, connection, transaction
from django.db.models import Count, QuerySet
from django.db.models.functions import TruncMonth
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from board.models import Post, PostStatus
from board.services import post_approve, post_mark_duplicate, post_reject, post_submit
from board.textsim import normalize
from common import periods
from common.errors import ServiceError
from common.once import create_once
from common.queries import add_to_counter_row
from contests import services as contests_services
from contests.models import Grade
from contests.selectors import awards_for_source
from notifications.services import notification_send
from org.files import check_upload, safe_original_name
from org.models import Department
from org.selectors import department_of

from . import calculations as calc
from . import selectors
from .calculations import Status
from .consent import NOTICES
from .models import (
    BENCHMARK_NEXT,
    BenchmarkCase,
    Channel,
    Evaluation,
    HistoricalStatistic,
    LinkKind,
    MonthlyTally,
    PersonalDataAccess,
    Proposal,
    ProposalEvent,
    ProposerKind,
    ReceiptCounter,
    ThemeRound,
    ThemeTask,
)
from .selectors import duplicate_candidates

logger = logging.getLogger(__name__)
SOURCE_TYPE = "proposals.proposal"  # how contests entries name a proposal
ANONYMIZED_NAME = "(익명 처리)"


# --- Receipt numbers -----------------------------------------------------------------------------


def _receipt_next(*, year: int, kind: str) -> str:
    """The next receipt number of the year. The counter row is locked (SELECT … FOR UPDATE)
    so two submissions at the same moment never get the same number; the unique constraint on
    ``receipt_number`` is the last guard."""
    with transaction.atomic():
        try:
            with transaction.atomic():
                ReceiptCounter.objects.get_or_create(year=year, kind=kind)
        except IntegrityError:  # created by a concurrent request a moment ago
            pass
        counter = ReceiptCounter.objects.select_for_update().get(year=year, kind=kind)
        counter.last += 1
        counter.save(update_fields=["last"])
        return calc.receipt_number(year, kind, counter.last)


def _normalized(*texts: str) -> str:
    return normalize(" ".join(t for t in texts if t))


def _similar_check(proposal: Proposal) -> None:
    """Check a new proposal against earlier and adopted ones (board.textsim, Korean-aware)
    and remember the closest, so admins see it in the list. Linking stays an admin's call."""
    found = duplicate_candidates(proposal=proposal, limit=1)
    if found:
        proposal.similar_to = found[0].proposal
        proposal.similar_score = round(found[0].score, 3)
        proposal.save(update_fields=["similar_to", "similar_score"])


def _event(
    *, proposal: Proposal, from_status: str, to_status: str, actor: User | None,
    at: datetime, reason: str = "",
) -> ProposalEvent:  # fmt: skip
    return ProposalEvent.objects.create(
        proposal=proposal,
        from_status=from_status,
        to_status=to_status,
        actor=actor,
        at=at,
        reason=reason,
    )


# --- The statistics summary ----------------------------------------------------------------------


def _tally(*, received_at: datetime, kind: str, channel: str, grade: str = "", delta: int = 1
           ) -> None:  # fmt: skip
    """Add ``delta`` to one cell of the monthly summary (inside the caller's transaction)."""
    month = periods.month_of(received_at)
    add_to_counter_row(
        MonthlyTally.objects.filter(month=month, kind=kind, channel=channel, grade=grade),
        {"month": month, "kind": kind, "channel": channel, "grade": grade},
        {"n": delta},
    )


@transaction.atomic
def statistics_tally_rebuild() -> int:
    """Recompute the monthly summary from the proposals (after a bulk import or a fix made
    outside the services). Returns the number of cells; running it twice changes nothing."""
    MonthlyTally.objects.all().delete()
    month = TruncMonth("received_at", tzinfo=periods.KST)
    cells = [
        MonthlyTally(month=row["m"], kind=row["kind"], channel=row["channel"], grade="",
                     n=row["n"])
        for row in Proposal.objects.annotate(m=month).values("m", "kind", "channel")
        .annotate(n=Count("id")).order_by()
    ] + [
        MonthlyTally(month=row["m"], kind=row["kind"], channel=row["channel"],
                     grade=row["grade"], n=row["n"])
        for row in Proposal.objects.exclude(grade="").annotate(m=month)
        .values("m", "kind", "channel", "grade").annotate(n=Count("id")).order_by()
    ]  # fmt: skip
    for cell in cells:
        if isinstance(cell.month, datetime):
            cell.month = periods.local_date(cell.month)
    MonthlyTally.objects.bulk_create(cells)
    return len(cells)


# --- Intake ---------------------------------------------------------------------------------------


def _attachment_check(attachment: UploadedFile) -> None:
    """The upload checker of every app (``org.files``), here too: no caller can store an
    unchecked file by calling the service directly."""
    try:
        check_upload(attachment, attachment.name or "", attachment.size or 0)
    except ValidationError as exc:
        raise ServiceError.from_validation(exc, code="upload") from exc
    except ServiceError as exc:
        exc.field = exc.field or "attachment"
        raise
    finally:
        attachment.seek(0)


def _resident_check(
    *, consent_version: str, phone: str, email: str, channel: str,
    registered_by: User | None, received_on: date, consented_at: datetime,
    now: datetime,
) -> None:  # fmt: skip
    """Why a resident's proposal cannot be taken as given (raises), before anything is saved."""
    if consent_version not in NOTICES:
        raise ServiceError(_("개인정보 수집·이용 동의가 필요합니다."), code="consent")
    if not (phone.strip() or email.strip()):
        raise ServiceError(
            _("휴대전화나 전자우편 중 하나는 적어 주세요."), code="contact", field="phone"
        )
    if channel == Channel.BOARD:
        raise ServiceError(
            _("구민 제안의 접수 경로가 올바르지 않습니다."), code="channel", field="channel"
        )
    if channel != Channel.WEB and registered_by is None:
        raise ServiceError(
            _("홈페이지 외 경로는 직원이 대리 접수해야 합니다."), code="on_behalf", field="channel"
        )
    if channel == Channel.WEB:
        return  # received now, consented now: nothing typed by staff to bound
    # 대리 접수: the dates staff type are bounded (not in the future, not before the portal).
    today = timezone.localdate(now)
    error = calc.received_on_error(received_on, today)
    if error:
        raise ServiceError(error, code="received_on", field="received_on")
    if calc.received_on_error(timezone.localdate(consented_at), today) or consented_at > now:
        raise ServiceError(
            _("동의 일시가 올바르지 않습니다. 동의를 받은 실제 일시를 적어 주세요."),
            code="consented_at",
            field="consented_at",
        )


@transaction.atomic
def resident_proposal_submit(
    *,
    title: str,
    content: str,
    expected_effect: str = "",
    proposer_name: str,
    phone: str = "",
    email: str = "",
    dong: str = "",
    consent_version: str,
    consented_at: datetime | None = None,
    publish_if_adopted: bool = False,
    channel: str = Channel.WEB,
    registered_by: User | None = None,
    department: Department | None = None,
    attachment: UploadedFile | None = None,
    submission_token: uuid.UUID | None = None,
    at: datetime | None = None,
) -> Proposal:
    """A resident's proposal 구민 제안 from any channel. Non-web channels are registered by
    staff on the resident's behalf, with ``at`` the date the proposal was received and
    ``consented_at`` the time the resident gave consent (as given; default ``at``).

    One ``submission_token`` stores one proposal with one receipt number: the same form sent
    twice (a double click, two requests released together) returns the first proposal."""
    now = timezone.now()
    at = at or now
    consented_at = consented_at or at
    received_on = timezone.localdate(at)
    _resident_check(
        consent_version=consent_version, phone=phone, email=email, channel=channel,
        registered_by=registered_by, received_on=received_on, consented_at=consented_at,
        now=now,
    )  # fmt: skip
    if attachment is not None:
        _attachment_check(attachment)

    def create() -> Proposal:
        proposal = Proposal(
            receipt_number=_receipt_next(year=received_on.year, kind="R"),
            kind=ProposerKind.RESIDENT,
            channel=channel,
            received_at=at,
            registered_by=registered_by,
            title=title.strip(),
            content=content.strip(),
            expected_effect=expected_effect.strip(),
            department=department,
            proposer_name=proposer_name.strip(),
            phone=phone.strip(),
            email=email.strip(),
            dong=dong,
            consent_version=consent_version,
            consented_at=consented_at,
            publish_if_adopted=publish_if_adopted,
            retain_until=calc.retention_end(received_on, NOTICES[consent_version].retention_years),
            status=Status.RECEIVED,
            status_changed_at=at,
            normalized_text=_normalized(title, content),
            submission_token=submission_token,
        )
        if attachment is not None:
            # Stored under a random name (models.attachment_path); the person's name is kept
            # only in this field, which anonymization blanks.
            proposal.attachment_name = safe_original_name(attachment.name or "")[:200]
            proposal.attachment = attachment
        proposal.save()
        return proposal

    proposal, created = create_once(Proposal, submission_token, create)
    if not created:
        return proposal
    _tally(received_at=at, kind=ProposerKind.RESIDENT, channel=channel)
    _similar_check(proposal)
    _event(
        proposal=proposal,
        from_status="",
        to_status=Status.RECEIVED,
        actor=registered_by,
        at=at,
        reason=str(Channel(channel).label),
    )
    return proposal


@transaction.atomic
def staff_proposal_submit(
    *,
    author: User,
    title: str,
    current_problem: str,
    content: str,
    expected_effect: str,
    department: Department | None = None,
    theme_task: ThemeTask | None = None,
    submission_token: uuid.UUID | None = None,
    at: datetime | None = None,
) -> Proposal:
    """A staff proposal: a 창의제안 board post (approval, points and the board's duplicate check
    happen there) plus the proposal's own fields, in one transaction."""
    at = at or timezone.now()
    if theme_task is not None and not theme_task.round.is_open(timezone.localdate(at)):
        raise ServiceError(
            _("이 테마제안 회차는 접수 기간이 아닙니다."), code="closed", field="theme_task"
        )
    body = "\n\n".join(
        [
            f"## {_('현황 및 문제점')}\n\n{current_problem.strip()}",
            f"## {_('제안 내용')}\n\n{content.strip()}",
            f"## {_('기대효과')}\n\n{expected_effect.strip()}",
        ]
    )
    post = post_submit(
        author=author, area="proposal", title=title.strip(), body=body, at=at,
        submission_token=submission_token,
    )  # fmt: skip
    existing = Proposal.objects.filter(post=post).first()
    if existing is not None:  # the same form sent twice: the board kept one post
        return existing
    received_on = timezone.localdate(at)
    proposal = Proposal.objects.create(
        receipt_number=_receipt_next(year=received_on.year, kind="S"),
        kind=ProposerKind.STAFF,
        channel=Channel.BOARD,
        received_at=at,
        title=title.strip(),
        current_problem=current_problem.strip(),
        content=content.strip(),
        expected_effect=expected_effect.strip(),
        department=department or (theme_task.department if theme_task else None),
        theme_task=theme_task,
        author=author,
        post=post,
        status=Status.RECEIVED,
        status_changed_at=at,
        normalized_text=_normalized(title, current_problem, content),
    )
    _tally(received_at=at, kind=ProposerKind.STAFF, channel=Channel.BOARD)
    _similar_check(proposal)
    _event(
        proposal=proposal, from_status="", to_status=Status.RECEIVED, actor=author, at=at,
        reason=str(Channel.BOARD.label),
    )  # fmt: skip
    return proposal


# --- Lifecycle ------------------------------------------------------------------------------------


@transaction.atomic
def proposal_transition(
    *,
    proposal: Proposal,
    to_status: str,
    actor: User | None,
    reason: str = "",
    answer: str = "",
    planned_on: date | None = None,
    implemented_on: date | None = None,
    delay_reason: str = "",
    notify: bool = True,
    at: datetime | None = None,
) -> Proposal:
    """Move a proposal one step along the table in calculations.TRANSITIONS, with a history
    row (who, when, why). 보완요청 pauses the processing clock; returning to 검토중 resumes it.
    (A staff proposal's board review moves it through :func:`proposal_board_step`.)"""
    at = at or timezone.now()
    proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
    error = calc.transition_error(proposal.status, to_status, reason)
    if error:
        raise ServiceError(error, code="transition", field="to_status")
    return _move(
        proposal=proposal, to_status=to_status, actor=actor, reason=reason, answer=answer,
        planned_on=planned_on, implemented_on=implemented_on, delay_reason=delay_reason,
        notify=notify, at=at,
    )  # fmt: skip


def _move(
    *, proposal: Proposal, to_status: str, actor: User | None, reason: str, answer: str = "",
    planned_on: date | None = None, implemented_on: date | None = None, delay_reason: str = "",
    notify: bool = True, at: datetime,
) -> Proposal:  # fmt: skip
    """Apply one checked step to a locked proposal: the clock, the answer, the history row."""
    today = timezone.localdate(at)
    if to_status == Status.IMPLEMENTED:
        implemented_on = implemented_on or today
        planned = planned_on or proposal.planned_on
        if planned and implemented_on > planned and not delay_reason.strip():
            raise ServiceError(
                _("실시일이 예정일보다 늦으면 지연 사유를 적어야 합니다."),
                code="delay_reason",
                field="delay_reason",
            )
    from_status = proposal.status
    fields = ["status", "status_changed_at"]
    if from_status == Status.SUPPLEMENT and proposal.paused_since:
        proposal.paused_days += max((today - proposal.paused_since).days, 0)
        proposal.paused_since = None
        fields += ["paused_days", "paused_since"]
    if to_status == Status.SUPPLEMENT:
        proposal.paused_since = today
        fields.append("paused_since")
    if to_status in calc.CLOCK_STOP_STATES and proposal.decided_at is None:
        proposal.decided_at = at
        fields.append("decided_at")
    elif to_status not in calc.CLOCK_STOP_STATES and proposal.decided_at is not None:
        proposal.decided_at = None  # reopened on the board (재검토): the clock runs again
        fields.append("decided_at")
    if answer.strip():
        proposal.answer = answer.strip()
        fields.append("answer")
    elif to_status == Status.REJECTED:
        proposal.answer = reason.strip()
        fields.append("answer")
    if planned_on:
        proposal.planned_on = planned_on
        fields.append("planned_on")
    if to_status == Status.IMPLEMENTED:
        proposal.implemented_on = implemented_on
        proposal.delay_reason = delay_reason.strip()
        fields += ["implemented_on", "delay_reason"]
    proposal.status = to_status
    proposal.status_changed_at = at
    proposal.save(update_fields=fields)
    _event(
        proposal=proposal, from_status=from_status, to_status=to_status, actor=actor, at=at,
        reason=reason.strip(),
    )  # fmt: skip
    if notify and to_status in calc.NOTIFY_STATES:
        # The stages with a result (calculations.NOTIFY_STATES): staff in the portal with a
        # link to the proposal page, residents by email. (The board tells of its own 승인.)
        _proposer_tell(proposal=proposal, reason=reason.strip(), at=at)
    return proposal


BOARD_REASONS: dict[str, Promise] = {
    PostStatus.APPROVED: gettext_lazy("게시판 승인: 검토를 시작합니다"),
    PostStatus.SUBMITTED: gettext_lazy("게시글 수정: 다시 접수되었습니다"),
}


@transaction.atomic
def proposal_board_step(
    *, post: Post, new_status: str, by: User | None, reason: str = "",
    original: Post | None = None, at: datetime | None = None,
) -> Proposal | None:  # fmt: skip
    """The board changed a 창의제안 post (``board.signals.post_status_changed``): move its
    staff proposal along ``calculations.BOARD_STEPS`` in the same transaction, so the board,
    the proposal page and the half-year evaluation agree whichever page an admin used. A
    change the proposal cannot follow (the committee has it) is refused, which undoes the
    board's change too. A duplicate mark links the proposal to the original's."""
    at = at or timezone.now()
    proposal = Proposal.objects.select_for_update().filter(post=post).first()
    if proposal is None:  # not a staff proposal's post
        return None
    if original is not None:
        return _board_duplicate(proposal=proposal, original=original, by=by, at=at)
    error = calc.board_step_error(proposal.status, new_status)
    if error:
        raise ServiceError(error, code="state")
    target = calc.board_step(proposal.status, new_status)
    if target is None:
        return proposal
    why = reason.strip() or str(BOARD_REASONS.get(new_status, ""))
    return _move(proposal=proposal, to_status=target, actor=by, reason=why, at=at)


def _board_duplicate(*, proposal: Proposal, original: Post, by: User | None, at: datetime
                     ) -> Proposal:  # fmt: skip
    primary = Proposal.objects.filter(post=original).first()
    if primary is None or proposal.linked_to_id is not None:
        return proposal
    if proposal.evaluation_id:
        raise ServiceError(
            _("이미 심사에 회부된 제안입니다. 같은 아이디어가 두 번 시상되지 않도록 심사 전에 연결하세요."),
            code="state",
        )  # fmt: skip
    return _link_save(proposal=proposal, root=_root_of(primary), kind=LinkKind.DUPLICATE,
                      actor=by, at=at)  # fmt: skip


@transaction.atomic
def proposal_status_change(
    *,
    proposal: Proposal,
    to_status: str,
    actor: User,
    reason: str = "",
    answer: str = "",
    planned_on: date | None = None,
    implemented_on: date | None = None,
    delay_reason: str = "",
    at: datetime | None = None,
) -> Proposal:
    """The proposal page's step. For a staff proposal, opening the review (검토중) and 불채택
    are the board's 승인 and 반려: they go through ``board.services`` (one write path), whose
    signal moves the proposal. Every other step is :func:`proposal_transition`."""
    at = at or timezone.now()
    post = proposal.post
    if post is not None:
        error = calc.transition_error(proposal.status, to_status, reason)
        if error:
            raise ServiceError(error, code="transition", field="to_status")
        routed = False
        if to_status == Status.REJECTED and post.status in (
            PostStatus.SUBMITTED, PostStatus.APPROVED,
        ):  # fmt: skip
            post_reject(post=post, reviewer=actor, reason=reason, at=at)
            routed = True
        elif to_status == Status.REVIEWING and post.status in (
            PostStatus.SUBMITTED, PostStatus.REJECTED,
        ):  # fmt: skip
            post_approve(post=post, reviewer=actor, at=at)
            routed = True
        if routed:
            proposal = Proposal.objects.get(pk=proposal.pk)
            if proposal.status != to_status:  # the board refused or did not move it
                raise ServiceError(_("게시판 승인·반려와 맞지 않는 처리입니다."), code="state")
            if answer.strip():
                proposal.answer = answer.strip()
                proposal.save(update_fields=["answer"])
            return proposal
    return proposal_transition(
        proposal=proposal, to_status=to_status, actor=actor, reason=reason, answer=answer,
        planned_on=planned_on, implemented_on=implemented_on, delay_reason=delay_reason, at=at,
    )  # fmt: skip


def _proposer_tell(*, proposal: Proposal, reason: str, at: datetime) -> None:
    """Tell the proposer of a decision: staff in the portal, residents by email when given
    (after commit). The status page always shows the current state to residents."""
    label = calc.STATUS_LABELS[proposal.status]
    title = _("제안 [%(no)s] 처리 상태: %(label)s") % {
        "no": proposal.receipt_number,
        "label": label,
    }
    if proposal.kind == ProposerKind.STAFF and proposal.author is not None:
        notification_send(
            recipient=proposal.author,
            verb="proposals.stage_changed",
            title=title,
            url=reverse("proposals:detail", args=[proposal.pk]),
            at=at,
        )
        return
    if proposal.email and not proposal.anonymized_at:
        body = _(
            "%(name)s님, 제안하신 「%(title)s」(접수번호 %(no)s)의 처리 상태가 "
            "'%(label)s'(으)로 바뀌었습니다.\n\n%(answer)s\n\n"
            "접수번호와 연락처로 처리 상황을 조회할 수 있습니다."
        ) % {
            "name": proposal.proposer_name,
            "title": proposal.title,
            "no": proposal.receipt_number,
            "label": label,
            "answer": proposal.answer or reason,
        }
        recipient = proposal.email

        def _send() -> None:
            try:
                send_mail(title, body, None, [recipient])
            except Exception:  # a mail failure must not undo the decision
                logger.exception("proposal mail to proposer failed: %s", proposal.pk)

        transaction.on_commit(_send)


@transaction.atomic
def proposal_link(
    *,
    proposal: Proposal,
    primary: Proposal,
    kind: str,
    actor: User,
    at: datetime | None = None,
) -> Proposal:
    """Mark ``proposal`` as a duplicate of (or the same idea as) ``primary``. The earlier
    received keeps the priority, so ``primary`` must be the earlier one; a linked proposal
    is never entered into an evaluation, so one idea is awarded once."""
    at = at or timezone.now()
    if primary.pk == proposal.pk:
        raise ServiceError(_("같은 제안끼리는 연결할 수 없습니다."), code="self_link")
    if (primary.received_at, primary.pk) > (proposal.received_at, proposal.pk):
        raise ServiceError(
            _("먼저 접수된 제안이 우선합니다. 나중 제안을 먼저 제안에 연결하세요."),
            code="priority",
        )
    if proposal.evaluation_id:
        raise ServiceError(
            _(
                "이미 심사에 회부된 제안입니다. 같은 아이디어가 두 번 시상되지 않도록 심사 전에 연결하세요."
            ),
            code="state",
        )
    root = _root_of(primary)
    proposal = _link_save(proposal=proposal, root=root, kind=kind, actor=actor, at=at)
    if kind == LinkKind.DUPLICATE and proposal.post is not None and root.post is not None:
        # A staff post repeating an earlier staff proposal earns no approval points. (The
        # link is saved first: the board's signal then finds it and changes nothing more.)
        post_mark_duplicate(post=proposal.post, original=root.post, reviewer=actor, at=at)
    return proposal


def _root_of(primary: Proposal) -> Proposal:
    root = primary
    while root.linked_to is not None:  # link to the first of the chain
        root = root.linked_to
    return root


def _link_save(*, proposal: Proposal, root: Proposal, kind: str, actor: User | None,
               at: datetime) -> Proposal:  # fmt: skip
    proposal.linked_to = root
    proposal.link_kind = kind
    proposal.save(update_fields=["linked_to", "link_kind"])
    _event(
        proposal=proposal, from_status=proposal.status, to_status=proposal.status, actor=actor,
        at=at, reason=_("%(kind)s: %(no)s") % {"kind": LinkKind(kind).label, "no": root.receipt_number},
    )  # fmt: skip
    return proposal


# --- Personal data -------------------------------------------------------------------------------


def personal_data_access_record(
    *,
    actor: User | None,
    proposals: Iterable[Proposal],
    action: str,
    detail: str = "",
    at: datetime | None = None,
) -> int:
    """Log a full view or export of residents' personal data: who, when, whose, what."""
    at = at or timezone.now()
    rows = [
        PersonalDataAccess(
            actor=actor,
            at=at,
            proposal=p,
            subject=f"{p.receipt_number} {calc.mask_name(p.proposer_name)}"[:200],
            action=action,
            detail=detail[:300],
        )
        for p in proposals
        if p.kind == ProposerKind.RESIDENT
    ]
    PersonalDataAccess.objects.bulk_create(rows)
    return len(rows)


# calculations.mask_name in SQL (PostgreSQL and SQLite) over ``q.log_name``, already stripped.
_MASKED_NAME_SQL = (
    "CASE WHEN length(q.log_name) <= 1 THEN q.log_name"
    " WHEN length(q.log_name) = 2 THEN substr(q.log_name, 1, 1) || '*'"
    " ELSE substr(q.log_name, 1, 1) || repeat('*', length(q.log_name) - 2)"
    " || substr(q.log_name, length(q.log_name), 1) END"
)


def personal_data_export_record(
    *,
    actor: User | None,
    proposals: QuerySet[Proposal],
    detail: str = "",
    at: datetime | None = None,
) -> int:
    """Log an export of many residents' data: one row per resident proposal (whose data went
    out), as one ``INSERT … SELECT`` — the masked subject computed in SQL, no row brought to
    Python (133,000 residents' proposals: issue 14). Returns how many rows were logged."""
    at = at or timezone.now()
    source_sql, source_params = selectors.export_log_source(proposals).query.sql_with_params()
    meta = PersonalDataAccess._meta
    quote = connection.ops.quote_name
    column = {f.name: str(f.column) for f in meta.concrete_fields}
    columns = ", ".join(
        quote(column[name]) for name in ("actor", "at", "action", "detail", "proposal", "subject")
    )
    # MATERIALIZED: the stripped name is computed once per row, not once per use. Only
    # names from _meta and the queryset's own SQL go into the text; values are parameters.
    # The statement starts with INSERT (the WITH inside its SELECT): Python's sqlite3 counts
    # the rows of a statement only when it starts so (it said -1 for the WITH first).
    sql = (
        f"INSERT INTO {quote(meta.db_table)} ({columns}) "  # noqa: S608
        f"WITH q AS MATERIALIZED ({source_sql}) SELECT %s, %s, %s, %s, q.log_id, "
        f"substr(q.log_receipt || ' ' || {_MASKED_NAME_SQL}, 1, 200) FROM q"
    )
    with connection.cursor() as cursor:
        cursor.execute(
            sql,
            [
                *source_params,
                actor.pk if actor is not None else None,
                connection.ops.adapt_datetimefield_value(at),
                PersonalDataAccess.Action.EXPORT.value,
                detail[:300],
            ],
        )
        return cursor.rowcount


def personal_data_anonymize_expired(
    *, today: date | None = None, at: datetime | None = None
) -> int:
    """Blank the personal data of resident proposals whose retention period (from the consent
    notice they were given) has ended. Returns how many were anonymized; a second run finds
    none left, so it changes nothing more."""
    at = at or timezone.now()
    today = today or timezone.localdate(at)
    count = 0
    due = Proposal.objects.filter(
        kind=ProposerKind.RESIDENT, anonymized_at__isnull=True, retain_until__lt=today
    ).values_list("pk", flat=True)
    for pk in list(due):
        with transaction.atomic():
            proposal = Proposal.objects.select_for_update().get(pk=pk)
            if proposal.anonymized_at:
                continue
            subject = proposal.receipt_number
            if proposal.attachment:
                proposal.attachment.delete(save=False)
            # Free text keeps no personal data either: phones, e-mails, addresses, the name.
            names = [proposal.proposer_name]
            for field_name in ("title", "current_problem", "content", "expected_effect", "answer"):
                setattr(proposal, field_name, calc.redact(getattr(proposal, field_name), names))
            proposal.normalized_text = _normalized(proposal.title, proposal.content)
            proposal.proposer_name = ANONYMIZED_NAME
            proposal.phone = ""
            proposal.email = ""
            proposal.dong = ""  # 거주 동 was collected under the same consent
            proposal.attachment = ""
            proposal.attachment_name = ""
            proposal.anonymized_at = at
            proposal.save(
                update_fields=[
                    "proposer_name", "phone", "email", "dong", "attachment", "attachment_name",
                    "anonymized_at", "title", "current_problem", "content", "expected_effect",
                    "answer", "normalized_text",
                ]
            )  # fmt: skip
            PersonalDataAccess.objects.create(
                actor=None,
                at=at,
                proposal=proposal,
                subject=subject,
                action=PersonalDataAccess.Action.ANONYMIZE,
                detail=_("보유기간 만료"),
            )
            count += 1
    return count


# --- 맞춤형 테마제안 ---------------------------------------------------------------------------------


@transaction.atomic
def theme_round_create(
    *,
    title: str,
    opens_on: date,
    closes_on: date,
    actor: User | None,
    at: datetime | None = None,
) -> ThemeRound:
    if closes_on < opens_on:
        raise ServiceError(
            _("마감일은 시작일보다 빠를 수 없습니다."), code="dates", field="closes_on"
        )
    existing = ThemeRound.objects.filter(title=title.strip()).first()
    if existing is not None:  # a scheduled job run twice opens one round
        return existing
    return ThemeRound.objects.create(
        title=title.strip(), opens_on=opens_on, closes_on=closes_on, created_by=actor
    )


@transaction.atomic
def theme_task_create(
    *,
    round: ThemeRound,
    department: Department,
    title: str,
    description: str = "",
    actor: User | None,
    at: datetime | None = None,
) -> ThemeTask:
    """A department posts a strategic task; only before the round closes."""
    today = timezone.localdate(at or timezone.now())
    if today > round.closes_on:
        raise ServiceError(_("마감된 회차에는 과제를 올릴 수 없습니다."), code="closed")
    return ThemeTask.objects.create(
        round=round,
        department=department,
        title=title.strip(),
        description=description.strip(),
        created_by=actor,
    )


# --- 벤치마킹 -----------------------------------------------------------------------------------------


@transaction.atomic
def benchmark_case_register(
    *,
    title: str,
    origin: str,
    summary: str,
    source: str,
    source_date: date,
    department: Department,
    registered_by: User,
    link: str = "",
    at: datetime | None = None,
) -> BenchmarkCase:
    return BenchmarkCase.objects.create(
        title=title.strip(),
        origin=origin.strip(),
        summary=summary.strip(),
        source=source,
        link=link.strip(),
        source_date=source_date,
        department=department,
        registered_by=registered_by,
        registered_at=at or timezone.now(),
    )


@transaction.atomic
def benchmark_case_advance(
    *,
    case: BenchmarkCase,
    state: str,
    actor: User,
    reason: str = "",
    on: date | None = None,
    at: datetime | None = None,
) -> BenchmarkCase:
    """The department's review (applies here or not, why), then adoption and implementation."""
    at = at or timezone.now()
    case = BenchmarkCase.objects.select_for_update().get(pk=case.pk)
    if state not in BENCHMARK_NEXT[case.state]:
        raise ServiceError(_("지금 상태에서는 할 수 없는 처리입니다."), code="state")
    fields = ["state"]
    if state in (BenchmarkCase.State.APPLICABLE, BenchmarkCase.State.NOT_APPLICABLE):
        if not reason.strip():
            raise ServiceError(
                _("검토 의견(적용 여부와 이유)을 적어 주세요."), code="reason", field="reason"
            )
        case.review_reason = reason.strip()
        case.reviewed_by = actor
        case.reviewed_at = at
        fields += ["review_reason", "reviewed_by", "reviewed_at"]
    elif state == BenchmarkCase.State.ADOPTED:
        case.adopted_on = on or timezone.localdate(at)
        fields.append("adopted_on")
    elif state == BenchmarkCase.State.IMPLEMENTED:
        case.implemented_on = on or timezone.localdate(at)
        fields.append("implemented_on")
    case.state = state
    case.save(update_fields=fields)
    return case


# --- Evaluation hand-off -----------------------------------------------------------------------------


def eligible_for_evaluation(
    *, period_start: date, period_end: date, theme_round: ThemeRound | None = None
) -> "list[Proposal]":
    """Proposals the 실무평가단 recommended in the collection period, not linked to an
    earlier one (one idea is entered once), not yet in an evaluation."""
    rows = Proposal.objects.filter(
        status=Status.RECOMMENDED,
        linked_to__isnull=True,
        evaluation__isnull=True,
        received_at__date__gte=period_start,
        received_at__date__lte=period_end,
    ).select_related("author", "department")
    if theme_round is not None:
        rows = rows.filter(theme_task__round=theme_round)
    else:
        rows = rows.filter(theme_task__isnull=True)
    return list(rows.order_by("received_at", "pk"))


@transaction.atomic
def evaluation_create(
    *,
    title: str,
    period_start: date,
    period_end: date,
    actor: User | None,
    theme_round: ThemeRound | None = None,
    at: datetime | None = None,
) -> Evaluation:
    """Hand the recommended proposals of a collection period to the contests app: one round
    (실무평가단 first screening → 구민창안심사위원회), one entry per proposal; the proposals go
    to 심사. Residents' names go masked (the committee needs no personal data). Called again
    with the same title it returns the first evaluation (programme's scheduled job)."""
    at = at or timezone.now()
    existing = Evaluation.objects.filter(title=title.strip()).first()
    if existing is not None:  # a scheduled job run twice hands over once
        return existing
    kind = Evaluation.Kind.THEME if theme_round else Evaluation.Kind.HALF_YEAR
    evaluation = Evaluation.objects.create(
        title=title.strip(),
        kind=kind,
        period_start=period_start,
        period_end=period_end,
        theme_round=theme_round,
        created_by=actor,
        created_at=at,
    )
    proposals = eligible_for_evaluation(
        period_start=period_start, period_end=period_end, theme_round=theme_round
    )
    round_ = contests_services.round_create(
        kind="theme_proposals" if theme_round else "half_year_proposals",
        year=period_end.year,
        title=title.strip(),
        at=at,
    )
    evaluation.contests_round_id = round_.pk
    evaluation.save(update_fields=["contests_round_id"])
    for proposal in proposals:
        is_staff = proposal.kind == ProposerKind.STAFF
        contests_services.entry_create(
            round=round_,
            title=proposal.title,
            summary=proposal.content[:2000],
            owner=proposal.author if is_staff else None,
            owner_name="" if is_staff else calc.mask_name(proposal.proposer_name),
            department=department_of(proposal.author) if is_staff else proposal.department,
            source_type=SOURCE_TYPE,
            source_id=proposal.pk,
            at=at,
        )
        proposal.evaluation = evaluation
        proposal.save(update_fields=["evaluation"])
        proposal_transition(
            proposal=proposal, to_status=Status.JUDGING, actor=actor, at=at,
            reason=_("%(title)s 심사 회부") % {"title": evaluation.title},
        )  # fmt: skip
    return evaluation


@transaction.atomic
def evaluation_results_sync(
    *, evaluation: Evaluation, actor: User | None, at: datetime | None = None
) -> int:
    """Read the confirmed awards back from contests: each awarded proposal gets its grade and
    prize and goes 채택 → 시상. Running it again changes nothing more."""
    at = at or timezone.now()
    count = 0
    for proposal in evaluation.proposals.filter(status__in=[Status.JUDGING, Status.ADOPTED]):
        awards = list(awards_for_source(source_type=SOURCE_TYPE, source_id=proposal.pk))
        if not awards:
            continue
        # The grade and prize are the contests award's (quotas live there), copied once.
        award = awards[0]
        if proposal.grade != award.grade:
            for grade, delta in ((proposal.grade, -1), (award.grade, 1)):
                if grade:
                    _tally(received_at=proposal.received_at, kind=proposal.kind,
                           channel=proposal.channel, grade=grade, delta=delta)  # fmt: skip
        proposal.grade = award.grade
        proposal.prize_won = award.prize_won
        proposal.save(update_fields=["grade", "prize_won"])
        label = Grade(award.grade).label
        if proposal.status == Status.JUDGING:
            proposal_transition(
                proposal=proposal, to_status=Status.ADOPTED, actor=actor, at=at,
                reason=_("구민창안심사위원회 채택"),
            )  # fmt: skip
        proposal_transition(
            proposal=proposal, to_status=Status.AWARDED, actor=actor, at=at,
            reason=str(label), answer=_("%(grade)s 등급으로 시상합니다.") % {"grade": label},
        )  # fmt: skip
        count += 1
    evaluation.results_synced_at = at
    evaluation.save(update_fields=["results_synced_at"])
    return count


# --- History (SPEC §3) ---------------------------------------------------------------------------

HISTORY: tuple[dict[str, int | str], ...] = (
    {"year": 2014, "half": 0, "total": 327, "note": "연간 합계만 남아 있음"},
    {"year": 2015, "half": 1, "total": 207, "residents": 141, "staff": 66,
     "grand": 0, "excellent": 3, "merit": 6},
    {"year": 2015, "half": 2, "total": 177, "residents": 134, "staff": 43,
     "grand": 1, "excellent": 4, "merit": 4},
)  # fmt: skip


def history_seed() -> int:
    """The 2014–2015 figures of the 2016 plan; idempotent."""
    for row in HISTORY:
        values = {k: v for k, v in row.items() if k not in ("year", "half")}
        HistoricalStatistic.objects.update_or_create(
            year=row["year"], half=row["half"], defaults=values
        )
    return len(HISTORY)
