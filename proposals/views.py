"""Staff and admin pages of the proposals app: thin — check permission, validate, call a service."""

import csv
from datetime import datetime, time

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from org.files import protected_download
from org.selectors import department_of

from . import calculations as calc
from . import selectors, services
from .consent import CURRENT_VERSION
from .forms import (
    BenchmarkAdvanceForm,
    BenchmarkForm,
    EvaluationForm,
    LinkForm,
    OnBehalfForm,
    StaffProposalForm,
    ThemeRoundForm,
    ThemeTaskForm,
    TransitionForm,
)
from .models import (
    Channel,
    Evaluation,
    PersonalDataAccess,
    Proposal,
    ProposalStatus,
    ProposerKind,
    ThemeRound,
)

PAGE_SIZE = 50


def _require(request: HttpRequest, perm: str, obj: object = None) -> None:
    if not request.user.has_perm(perm, obj):
        raise PermissionDenied


def _errors(form: object, exc: ValidationError) -> None:
    for message in exc.messages:
        form.add_error(None, message)  # type: ignore[attr-defined]


@login_required
def index(request: HttpRequest) -> HttpResponse:
    """Admins: every proposal, names masked, overdue ones marked. Staff: their own."""
    is_admin = request.user.has_perm("proposals.manage_proposals")
    filters = {
        "kind": request.GET.get("kind", ""),
        "status": request.GET.get("status", ""),
        "channel": request.GET.get("channel", ""),
    }
    filters = {
        "kind": filters["kind"] if filters["kind"] in ProposerKind.values else "",
        "status": filters["status"] if filters["status"] in ProposalStatus.values else "",
        "channel": filters["channel"] if filters["channel"] in Channel.values else "",
    }
    rows = selectors.proposal_list(**filters, author=None if is_admin else request.user)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    today = timezone.localdate()
    items = [
        {
            "p": p,
            "name": _proposer_label(p, full=False),
            "overdue": selectors.is_overdue(p, today),
            "due": selectors.decision_due(p, today),
        }
        for p in page
    ]
    return render(
        request,
        "proposals/index.html",
        {
            "page": page,
            "items": items,
            "is_admin": is_admin,
            "filters": filters,
            "kinds": ProposerKind.choices,
            "statuses": ProposalStatus.choices,
            "channels": Channel.choices,
            "overdue_count": len(selectors.overdue_proposals(today=today)) if is_admin else 0,
        },
    )


def _proposer_label(p: Proposal, *, full: bool) -> str:
    if p.kind == ProposerKind.STAFF:
        from org.models import display_name

        return display_name(p.author) if p.author_id else ""
    return p.proposer_name if full else calc.mask_name(p.proposer_name)


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        proposal = selectors.proposal_detail(pk=pk)
    except Proposal.DoesNotExist:
        raise Http404 from None
    _require(request, "proposals.view_proposal", proposal)
    full = request.user.has_perm("proposals.view_personal_data") and proposal.is_resident
    if full and not proposal.anonymized_at:
        services.personal_data_access_record(
            actor=request.user,
            proposals=[proposal],
            action=PersonalDataAccess.Action.VIEW,
            detail=_("제안 상세 화면"),
        )
    is_admin = request.user.has_perm("proposals.manage_proposals")
    return render(
        request,
        "proposals/detail.html",
        {
            "proposal": proposal,
            "full": full,
            "name": _proposer_label(proposal, full=full),
            "phone": proposal.phone if full else calc.mask_phone(proposal.phone),
            "email": proposal.email if full else calc.mask_email(proposal.email),
            "is_admin": is_admin,
            "overdue": selectors.is_overdue(proposal),
            "due": selectors.decision_due(proposal),
            "transition_form": TransitionForm(current=proposal.status) if is_admin else None,
            "link_form": LinkForm() if is_admin else None,
            "candidates": selectors.duplicate_candidates(proposal=proposal) if is_admin else [],
        },
    )


@login_required
@require_POST
def transition(request: HttpRequest, pk: int) -> HttpResponse:
    _require(request, "proposals.manage_proposals")
    proposal = get_object_or_404(Proposal, pk=pk)
    form = TransitionForm(request.POST, current=proposal.status)
    if form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                services.proposal_transition(
                    proposal=proposal,
                    to_status=data["to_status"],
                    actor=request.user,
                    reason=data["reason"],
                    answer=data["answer"],
                    planned_on=data["planned_on"],
                    implemented_on=data["implemented_on"],
                    delay_reason=data["delay_reason"],
                )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("처리 단계를 바꾸었습니다."))
    else:
        messages.error(request, _("처리 단계를 선택해 주세요."))
    return redirect("proposals:detail", pk=pk)


@login_required
@require_POST
def link(request: HttpRequest, pk: int) -> HttpResponse:
    _require(request, "proposals.manage_proposals")
    proposal = get_object_or_404(Proposal, pk=pk)
    form = LinkForm(request.POST)
    if form.is_valid():
        primary = Proposal.objects.filter(
            receipt_number=form.cleaned_data["primary_receipt"].strip().upper()
        ).first()
        if primary is None:
            messages.error(request, _("그 접수번호의 제안이 없습니다."))
        else:
            try:
                with transaction.atomic():
                    services.proposal_link(
                        proposal=proposal,
                        primary=primary,
                        kind=form.cleaned_data["kind"],
                        actor=request.user,
                    )
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
            else:
                messages.success(request, _("먼저 접수된 제안에 연결했습니다."))
    return redirect("proposals:detail", pk=pk)


@login_required
def attachment(request: HttpRequest, pk: int) -> FileResponse:
    """Served only here, after the permission check; uploads are never under static."""
    proposal = get_object_or_404(Proposal, pk=pk)
    _require(request, "proposals.view_proposal", proposal)
    if proposal.is_resident:
        _require(request, "proposals.view_personal_data")
    if not proposal.attachment:
        raise Http404
    services.personal_data_access_record(
        actor=request.user,
        proposals=[proposal],
        action=PersonalDataAccess.Action.ATTACHMENT,
        detail=proposal.attachment_name,
    )
    return protected_download(
        proposal.attachment.open("rb"), filename=proposal.attachment_name or "attachment"
    )


@login_required
def export(request: HttpRequest) -> HttpResponse:
    """Residents' proposals with full personal data, as CSV; each row's export is logged."""
    _require(request, "proposals.view_personal_data")
    rows = list(selectors.proposal_list(kind=ProposerKind.RESIDENT).filter(anonymized_at=None))
    services.personal_data_access_record(
        actor=request.user,
        proposals=rows,
        action=PersonalDataAccess.Action.EXPORT,
        detail=_("구민 제안 목록 CSV"),
    )
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="resident-proposals-{stamp}.csv"'
    response.write("\ufeff")  # Excel opens UTF-8 Korean only with a BOM
    writer = csv.writer(response)
    writer.writerow(
        ["접수번호", "접수일", "경로", "성명", "휴대전화", "전자우편", "거주 동", "제목", "상태"]
    )
    for p in rows:
        writer.writerow(
            [p.receipt_number, timezone.localdate(p.received_at), p.get_channel_display(),
             p.proposer_name, p.phone, p.email, p.dong, p.title, p.get_status_display()]
        )  # fmt: skip
    return response


@login_required
def access_log(request: HttpRequest) -> HttpResponse:
    _require(request, "proposals.view_personal_data")
    return render(request, "proposals/access_log.html", {"rows": selectors.access_log()})


@login_required
def register(request: HttpRequest) -> HttpResponse:
    """Staff register a resident's proposal received by mail, visit or 국민신문고."""
    _require(request, "proposals.register_on_behalf")
    form = OnBehalfForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        received_at = timezone.make_aware(datetime.combine(data["received_on"], time(9, 0)))
        if data["received_on"] == timezone.localdate():
            received_at = timezone.now()
        try:
            proposal = services.resident_proposal_submit(
                title=data["title"],
                content=data["content"],
                expected_effect=data["expected_effect"],
                proposer_name=data["proposer_name"],
                phone=data["phone"],
                email=data["email"],
                dong=data["dong"],
                consent_version=CURRENT_VERSION,
                channel=data["channel"],
                registered_by=request.user,
                department=data["department"],
                at=received_at,
            )
        except ValidationError as exc:
            _errors(form, exc)
        else:
            messages.success(
                request,
                _("대리 접수했습니다. 접수번호 %(no)s를 제안자에게 알려 주세요.")
                % {"no": proposal.receipt_number},
            )
            if request.user.has_perm("proposals.view_proposal", proposal):
                return redirect("proposals:detail", pk=proposal.pk)
            return redirect("proposals:register")
    return render(
        request, "proposals/form_page.html",
        {"form": form, "title": _("구민 제안 대리 접수"),
         "intro": _("우편, 방문(구청·주민센터), 국민신문고로 받은 구민 제안을 받은 날짜로 등록합니다.")},
    )  # fmt: skip


@login_required
def write(request: HttpRequest) -> HttpResponse:
    """창의제안 쓰기: a board post in the 창의제안 area plus the proposal's fields."""
    _require(request, "proposals.write_proposal")
    initial = {"department": department_of(request.user)}
    if request.GET.get("task"):
        initial["theme_task"] = request.GET["task"]
    form = StaffProposalForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            proposal = services.staff_proposal_submit(
                author=request.user,
                title=data["title"],
                current_problem=data["current_problem"],
                content=data["content"],
                expected_effect=data["expected_effect"],
                department=data["department"],
                theme_task=data["theme_task"],
            )
        except ValidationError as exc:
            _errors(form, exc)
        else:
            messages.success(
                request,
                _("제안을 제출했습니다 (접수번호 %(no)s). 관리자 승인 후 게시판에 공개됩니다.")
                % {"no": proposal.receipt_number},
            )
            if proposal.similar_to_id:
                # Earlier proposals keep the priority; the author learns it now, not at award time.
                messages.warning(
                    request,
                    _(
                        "먼저 접수된 비슷한 제안(%(no)s)이 있습니다. 같은 내용이면 먼저 접수된 제안이 우선합니다."
                    )
                    % {"no": proposal.similar_to.receipt_number},
                )
            return redirect("proposals:detail", pk=proposal.pk)
    return render(
        request, "proposals/form_page.html",
        {"form": form, "title": _("창의제안 쓰기"),
         "intro": _("더 나은 구정을 위한 제안을 적어 주세요. 기존 제안과 같은 내용은 점수가 없습니다.")},
    )  # fmt: skip


@login_required
def statistics(request: HttpRequest) -> HttpResponse:
    _require(request, "proposals.view_statistics")
    years = selectors.statistics_years()
    per_year = selectors.statistics_by_year(years=years)
    return render(
        request,
        "proposals/statistics.html",
        {
            "per_year": per_year,
            "totals": selectors.totals_of(per_year),
            "channels": Channel.choices,
            "grades": list(calc.GRADE_LABELS.items()),
        },
    )


# --- Theme rounds -----------------------------------------------------------------------------


@login_required
def themes(request: HttpRequest) -> HttpResponse:
    can_manage = request.user.has_perm("proposals.manage_themes")
    form = ThemeRoundForm(request.POST or None) if can_manage else None
    if request.method == "POST":
        _require(request, "proposals.manage_themes")
        if form.is_valid():
            try:
                round_ = services.theme_round_create(**form.cleaned_data, actor=request.user)
            except ValidationError as exc:
                _errors(form, exc)
            else:
                messages.success(request, _("테마제안 회차를 열었습니다."))
                return redirect("proposals:theme_detail", pk=round_.pk)
    return render(
        request,
        "proposals/themes.html",
        {"rounds": selectors.theme_rounds(), "form": form, "today": timezone.localdate()},
    )


@login_required
def theme_detail(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        round_ = selectors.theme_round_detail(pk=pk)
    except ThemeRound.DoesNotExist:
        raise Http404 from None
    can_post = request.user.has_perm("proposals.post_theme_task")
    is_admin = request.user.has_perm("proposals.manage_themes")
    form = None
    if can_post:
        form = ThemeTaskForm(
            request.POST or None, initial={"department": department_of(request.user)}
        )
        if not is_admin:  # staff post tasks for their own department
            dept = department_of(request.user)
            form.fields["department"].queryset = form.fields["department"].queryset.filter(
                pk=dept.pk if dept else 0
            )
    if request.method == "POST":
        _require(request, "proposals.post_theme_task")
        if form.is_valid():
            try:
                services.theme_task_create(round=round_, **form.cleaned_data, actor=request.user)
            except ValidationError as exc:
                _errors(form, exc)
            else:
                messages.success(request, _("과제를 올렸습니다."))
                return redirect("proposals:theme_detail", pk=pk)
    return render(
        request,
        "proposals/theme_detail.html",
        {"round": round_, "form": form, "is_open": round_.is_open(timezone.localdate())},
    )


# --- Benchmarking --------------------------------------------------------------------------------


@login_required
def benchmarks(request: HttpRequest) -> HttpResponse:
    form = BenchmarkForm(request.POST or None)
    if request.method == "POST":
        _require(request, "proposals.register_benchmark")
        if form.is_valid():
            case = services.benchmark_case_register(**form.cleaned_data, registered_by=request.user)
            messages.success(request, _("벤치마킹 사례를 등록하고 검토 부서에 배정했습니다."))
            return redirect("proposals:benchmark_detail", pk=case.pk)
    mine = request.GET.get("mine") == "1"
    dept = department_of(request.user)
    rows = selectors.benchmark_cases(department_id=dept.pk if (mine and dept) else None)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "proposals/benchmarks.html", {"page": page, "form": form, "mine": mine})


@login_required
def benchmark_detail(request: HttpRequest, pk: int) -> HttpResponse:
    case = get_object_or_404(selectors.benchmark_cases(), pk=pk)
    can_review = request.user.has_perm("proposals.review_benchmark", case)
    form = None
    if can_review and services.BENCHMARK_NEXT[case.state]:
        form = BenchmarkAdvanceForm(request.POST or None, current=case.state)
    if request.method == "POST":
        _require(request, "proposals.review_benchmark", case)
        if form is not None and form.is_valid():
            try:
                services.benchmark_case_advance(case=case, actor=request.user, **form.cleaned_data)
            except ValidationError as exc:
                _errors(form, exc)
            else:
                messages.success(request, _("처리했습니다."))
                return redirect("proposals:benchmark_detail", pk=pk)
    return render(request, "proposals/benchmark_detail.html", {"case": case, "form": form})


# --- Evaluation ------------------------------------------------------------------------------------


@login_required
def evaluations(request: HttpRequest) -> HttpResponse:
    _require(request, "proposals.manage_evaluation")
    form = EvaluationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            evaluation = services.evaluation_create(**form.cleaned_data, actor=request.user)
        except ValidationError as exc:
            _errors(form, exc)
        else:
            messages.success(
                request,
                _("심사 회차를 만들고 제안 %(n)d건을 회부했습니다.")
                % {"n": evaluation.proposals.count()},
            )
            return redirect("proposals:evaluations")
    rows = Evaluation.objects.select_related("theme_round").order_by("-period_end")
    return render(request, "proposals/evaluations.html", {"rows": rows, "form": form})


@login_required
@require_POST
def evaluation_sync(request: HttpRequest, pk: int) -> HttpResponse:
    _require(request, "proposals.manage_evaluation")
    evaluation = get_object_or_404(Evaluation, pk=pk)
    count = services.evaluation_results_sync(evaluation=evaluation, actor=request.user)
    messages.success(request, _("수상 결과 %(n)d건을 반영했습니다.") % {"n": count})
    return redirect("proposals:evaluations")


@login_required
def hr_export(request: HttpRequest) -> HttpResponse:
    """성과포인트 and 서열명부 실적가점 (10%) of awarded staff, for 총무과."""
    _require(request, "proposals.manage_evaluation")
    year = request.GET.get("year")
    rows = selectors.staff_performance_rows(year=int(year) if year and year.isdigit() else None)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="proposal-performance-points.csv"'
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow(
        ["접수번호", "성명", "부서", "직원번호", "제목", "등급", "성과포인트", "서열명부 실적가점"]
    )
    for r in rows:
        writer.writerow(
            [r.receipt_number, r.name, r.department, r.employee_number, r.title, r.grade,
             f"{r.performance_points:.1f}", f"{r.roster_bonus:.2f}"]
        )  # fmt: skip
    return response
