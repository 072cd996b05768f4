"""Entries 출품작 of a round, and a department's best-practice case 우수사례."""

from collections.abc import Iterable, Sequence
from datetime import datetime

from django.contrib.auth.models import AnonymousUser, User
from django.core.files import File
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from common.errors import ServiceError
from common.periods import local_date
from org.files import safe_original_name, upload_check
from org.models import Department, display_name
from org.selectors import department_of

from .. import calculations as calc
from ..models import (
    CASE_SOURCE,
    Assignment,
    AuditAction,
    CommitteeMember,
    Entry,
    Recusal,
    Round,
    RoundKind,
    Stage,
    StageEntry,
    StageStatus,
)
from ..selectors import active_members
from .audit import audit_record, now_or

CASE_FILE_KINDS = ("pdf", "hwp", "hwpx", "docx", "pptx", "xlsx")


@transaction.atomic
def entry_create(
    *,
    round: Round,
    title: str,
    summary: str = "",
    owner: User | None = None,
    owner_name: str = "",
    department: Department | None = None,
    source_type: str,
    source_id: int,
    at: datetime | None = None,
) -> Entry:
    """Put a source (a proposal, a club, a best-practice case, a resident's policy proposal)
    into a round's first stage. Idempotent per round + (source_type, source_id): calling it
    again returns the existing entry unchanged. If the first stage is already open the entry
    is assigned to its committee at once (with automatic recusal)."""
    existing = Entry.objects.filter(
        round=round, source_type=source_type, source_id=source_id
    ).first()
    if existing:
        return existing
    if round.confirmed_at:
        raise ServiceError(
            _("수상이 확정된 회차에는 출품작을 추가할 수 없습니다."), code="confirmed"
        )
    if not title.strip():
        raise ServiceError(_("출품작 제목을 입력하세요."), code="invalid", field="title")
    first = round.stages.order_by("order").first()
    if first and first.is_closed:
        raise ServiceError(
            _("첫 심사 단계가 마감된 회차에는 출품작을 추가할 수 없습니다."), code="closed"
        )
    try:
        with transaction.atomic():
            entry = Entry.objects.create(
                round=round,
                source_type=source_type,
                source_id=source_id,
                title=title.strip()[:200],
                summary=summary,
                owner=owner,
                owner_name=owner_name or (display_name(owner) if owner else ""),
                department=department if department is not None else department_of(owner),
                created_at=now_or(at),
            )
    except IntegrityError:  # a concurrent call created it first
        return Entry.objects.get(round=round, source_type=source_type, source_id=source_id)
    if first:
        StageEntry.objects.get_or_create(stage=first, entry=entry)
        if first.is_open:
            assign(first, [entry], active_members(first.committee, local_date(now_or(at))), at)
    return entry


def assign(
    stage: Stage, entries: Iterable[Entry], members: Sequence[CommitteeMember], at: datetime | None
) -> None:
    """Give every entry to every member; a member recuses automatically from a conflict."""
    assignments, recusals = [], []
    for entry in entries:
        for member in members:
            assignments.append(Assignment(stage=stage, entry=entry, member=member))
            dept = department_of(member.user)
            reason = calc.conflict_reason(
                entry_owner_id=entry.owner_id,
                entry_department_id=entry.department_id,
                member_user_id=member.user_id,
                member_department_id=dept.pk if dept else None,
            )
            if reason:
                recusals.append(
                    Recusal(
                        stage=stage,
                        entry=entry,
                        member=member,
                        automatic=True,
                        reason=reason,
                        created_at=now_or(at),
                    )
                )
    Assignment.objects.bulk_create(assignments, ignore_conflicts=True)
    Recusal.objects.bulk_create(recusals, ignore_conflicts=True)


# --- Best-practice cases ---------------------------------------------------------------------


def _checked_file(file: File) -> str:
    """The user's file name, once the file's content is one of the case kinds (org.files)."""
    try:
        upload_check(file, kinds=CASE_FILE_KINDS)
    except ServiceError as exc:
        raise ServiceError(str(exc), code=exc.code, field="file") from None
    file.seek(0)
    return safe_original_name(file.name or "")


def _case_open(rnd: Round) -> None:
    """Cases are filed and replaced until the first stage starts (the filing deadline)."""
    if rnd.kind != RoundKind.BEST_PRACTICE:
        raise ServiceError(
            _("창의행정 우수사례 경진대회 회차에만 사례를 제출할 수 있습니다."), code="invalid"
        )
    first = rnd.stages.order_by("order").first()
    if rnd.confirmed_at or (first is not None and first.status != StageStatus.PENDING):
        raise ServiceError(_("사례 접수가 끝난 회차입니다."), code="closed")


@transaction.atomic
def case_submit(
    *,
    round: Round,
    department: Department | None,
    title: str,
    summary: str = "",
    file: File | None = None,
    at: datetime | None = None,
) -> Entry:
    """A department files its case 우수사례 for the best-practice contest: one per department
    per round, with its file (checked by content here, whoever calls), before the deadline.
    Who may file for the department is the view's rule (``contests.file_case``)."""
    _case_open(round)
    if department is None:
        raise ServiceError(
            _("소속 부서가 있는 직원만 부서 사례를 제출할 수 있습니다."), code="forbidden"
        )
    file_name = _checked_file(file) if file is not None else ""
    Department.objects.select_for_update().filter(pk=department.pk).first()
    if Entry.objects.filter(round=round, source_type=CASE_SOURCE, source_id=department.pk).exists():
        raise ServiceError(
            _("%(department)s의 사례가 이미 제출되었습니다. 부서당 한 건만 제출할 수 있습니다.")
            % {"department": department},
            code="conflict",
        )
    entry = entry_create(
        round=round,
        title=title,
        summary=summary,
        owner_name=str(department),
        department=department,
        source_type=CASE_SOURCE,
        source_id=department.pk,
        at=at,
    )
    if file is not None:
        entry.file_name = file_name
        entry.file.save(file_name, file, save=False)
        entry.save(update_fields=["file", "file_name"])
    return entry


@transaction.atomic
def case_replace(
    *,
    entry: Entry,
    title: str,
    summary: str = "",
    file: File | None = None,
    by: User | AnonymousUser | None = None,
    at: datetime | None = None,
) -> Entry:
    """Replace a department's filed case (title, summary and, when given, the file) before
    the deadline; the old version is kept in the audit log."""
    entry = Entry.objects.select_for_update().select_related("round").get(pk=entry.pk)
    if entry.source_type != CASE_SOURCE:
        raise ServiceError(_("부서 사례만 교체할 수 있습니다."), code="invalid")
    _case_open(entry.round)
    if not title.strip():
        raise ServiceError(_("출품작 제목을 입력하세요."), code="invalid", field="title")
    file_name = _checked_file(file) if file is not None else ""
    before = {"title": entry.title, "summary": entry.summary, "file": entry.file_name}
    entry.title, entry.summary = title.strip()[:200], summary
    fields = ["title", "summary"]
    if file is not None:
        old = entry.file.name if entry.file else ""
        entry.file_name = file_name
        entry.file.save(file_name, file, save=False)
        fields += ["file", "file_name"]
        if old:
            storage = entry.file.storage
            transaction.on_commit(lambda: storage.delete(old))
    entry.save(update_fields=fields)
    audit_record(
        actor=by,
        round=entry.round,
        action=AuditAction.CASE_REPLACED,
        obj=entry,
        before=before,
        after={"title": entry.title, "summary": entry.summary, "file": entry.file_name},
        at=at,
    )
    return entry
