"""Thin views: check permission, validate, call a service, render."""

from datetime import date
from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from org.files import generated_download, protected_download
from org.rules import is_portal_admin
from org.selectors import department_of

from . import exports, selectors, services
from .forms import CaseForm, ConfirmForm, QuotaForm, RecusalForm, RoundForm, ScoreSheetForm
from .models import GRADE_ORDER, Award, Entry, Grade, Result, Round, RoundKind, Stage, StageStatus

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _require(request: HttpRequest, perm: str, obj: object = None) -> None:
    if not request.user.has_perm(perm, obj):
        raise PermissionDenied


def _error_text(exc: ValidationError) -> str:
    return " ".join(exc.messages)


def _download(content: bytes, filename: str, content_type: str) -> HttpResponse:
    return generated_download(content, filename=filename, content_type=content_type)


@login_required
def index(request: HttpRequest) -> HttpResponse:
    """My open reviews (committee members) and the rounds (admins)."""
    is_admin = is_portal_admin(request.user)
    return render(
        request,
        "contests/index.html",
        {
            "open_stages": selectors.open_stages_for(request.user),
            "case_rounds": selectors.rounds_accepting_cases(),
            "closed_stages": selectors.closed_stages_for(request.user),
            "rounds": selectors.rounds_list() if is_admin else None,
            "is_admin": is_admin,
            "can_access": request.user.has_perm("contests.access"),
        },
    )


# --- Admin pages -----------------------------------------------------------------------------


@login_required
def round_new(request: HttpRequest) -> HttpResponse:
    _require(request, "contests.manage")
    form = RoundForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            rnd = services.round_create(**form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, _error_text(exc))
        else:
            messages.success(
                request, "회차를 만들었습니다. 기본 심사 단계와 시상 기준이 들어 있습니다."
            )
            return redirect("contests:round_detail", pk=rnd.pk)
    return render(request, "contests/round_form.html", {"form": form})


@login_required
def round_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _require(request, "contests.manage")
    rnd = get_object_or_404(Round, pk=pk)
    stages = list(
        rnd.stages.select_related("committee").prefetch_related("criteria").order_by("order")
    )
    progress = selectors.stage_progress(round=rnd)
    for stage in stages:
        stage.assigned, stage.submitted, stage.recused = progress.get(stage.pk, (0, 0, 0))
    entries = list(
        Entry.objects.filter(round=rnd).select_related("owner", "department").order_by("id")
    )
    quotas = sorted(rnd.quotas.all(), key=lambda q: GRADE_ORDER.index(q.grade))
    return render(
        request,
        "contests/round_detail.html",
        {
            "round": rnd,
            "stages": stages,
            "entries": entries,
            "quotas": quotas,
            "awards": list(selectors.round_awards(round=rnd)),
            "final_stage": stages[-1] if stages else None,
        },
    )


@login_required
def round_quotas(request: HttpRequest, pk: int) -> HttpResponse:
    _require(request, "contests.manage")
    rnd = get_object_or_404(Round, pk=pk)
    form = QuotaForm(request.POST or None, round=rnd)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        quotas = [
            services.QuotaSpec(
                grade,
                data[f"{grade}_count"],
                data[f"{grade}_prize"],
                data[f"{grade}_points"] or Decimal(0),
            )
            for grade in GRADE_ORDER
        ]
        try:
            services.round_quotas_set(round=rnd, quotas=quotas, by=request.user)
        except ValidationError as exc:
            form.add_error(None, _error_text(exc))
        else:
            messages.success(request, "시상 기준을 저장했습니다.")
            return redirect("contests:round_detail", pk=rnd.pk)
    return render(request, "contests/round_quotas.html", {"round": rnd, "form": form})


@login_required
@require_POST
def stage_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    _require(request, "contests.manage")
    stage = get_object_or_404(Stage.objects.select_related("round"), pk=pk)
    try:
        if action == "open":
            services.stage_open(stage=stage, by=request.user)
            messages.success(request, f"「{stage.name}」 심사를 시작했습니다.")
        elif action == "close":
            services.stage_close(stage=stage, by=request.user)
            messages.success(request, f"「{stage.name}」 심사를 마감하고 결과를 산출했습니다.")
            return redirect("contests:stage_results", pk=stage.pk)
        elif action == "advance":
            include = [int(x) for x in request.POST.getlist("include") if x.isdigit()]
            going = services.stage_advance(stage=stage, by=request.user, include=include)
            messages.success(request, f"{len(going)}건이 다음 단계로 진출했습니다.")
            return redirect("contests:round_detail", pk=stage.round_id)
        else:
            raise PermissionDenied
    except ValidationError as exc:
        messages.error(request, _error_text(exc))
    return redirect("contests:round_detail", pk=stage.round_id)


@login_required
def round_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    """The admin confirms the awards from the final stage's results (ties decided here)."""
    _require(request, "contests.manage")
    rnd = get_object_or_404(Round, pk=pk)
    final = rnd.stages.order_by("-order").first()
    if final is None or not final.is_closed:
        messages.error(request, "마지막 심사 단계를 마감한 뒤에 수상을 확정할 수 있습니다.")
        return redirect("contests:round_detail", pk=rnd.pk)
    results = list(
        Result.objects.filter(stage=final)
        .select_related("entry__owner", "entry__department")
        .order_by("rank", "entry_id")
    )
    quotas = {q.grade: q for q in rnd.quotas.all()}
    form = ConfirmForm(request.POST or None, results=results)
    if request.method == "POST" and form.is_valid():
        try:
            awards = services.awards_confirm(round=rnd, by=request.user, grades=form.grades())
        except ValidationError as exc:
            form.add_error(None, _error_text(exc))
        else:
            messages.success(request, f"수상 {len(awards)}건을 확정하고 포상금을 기록했습니다.")
            return redirect("contests:round_detail", pk=rnd.pk)
    rows = [(r, form[f"grade_{r.entry_id}"]) for r in results]
    return render(
        request,
        "contests/round_confirm.html",
        {
            "round": rnd,
            "stage": final,
            "rows": rows,
            "form": form,
            "quotas": [quotas[g] for g in GRADE_ORDER if g in quotas],
        },
    )


@login_required
def round_audit(request: HttpRequest, pk: int) -> HttpResponse:
    _require(request, "contests.manage")
    rnd = get_object_or_404(Round, pk=pk)
    return render(
        request,
        "contests/round_audit.html",
        {
            "round": rnd,
            "entries": selectors.audit_for_round(round=rnd)[:500],
            # Scores stay private until scoring ends, from the admins too.
            "hide_scores": rnd.stages.filter(status=StageStatus.OPEN).exists(),
            "score_actions": ("score_saved", "score_submitted", "recused"),
        },
    )


@login_required
def round_minutes(request: HttpRequest, pk: int) -> HttpResponse:
    _require(request, "contests.manage")
    rnd = get_object_or_404(Round, pk=pk)
    return _download(exports.minutes_workbook(round=rnd), f"minutes-{rnd.pk}.xlsx", XLSX)


@login_required
def award_certificate(request: HttpRequest, pk: int) -> HttpResponse:
    _require(request, "contests.manage")
    award = get_object_or_404(Award.objects.select_related("round", "entry"), pk=pk)
    return _download(
        exports.certificate_pdf(award=award), f"certificate-{award.pk}.pdf", "application/pdf"
    )


@login_required
def committees(request: HttpRequest) -> HttpResponse:
    _require(request, "contests.access")
    return render(
        request,
        "contests/committees.html",
        {"committees": selectors.committees_overview(), "today": timezone.localdate()},
    )


@login_required
def budget(request: HttpRequest, year: int | None = None) -> HttpResponse:
    _require(request, "contests.manage")
    year = year or timezone.localdate().year
    summary = selectors.budget_summary(year=year)
    used_pct = round(summary.spent_won * 100 / summary.budget_won) if summary.budget_won else 0
    return render(
        request,
        "contests/budget.html",
        {
            "summary": summary,
            "used_pct": min(used_pct, 100),
            "payments": selectors.payments_for_year(year=year)[:200],
            "years": range(date.today().year, 2015, -1),  # noqa: DTZ011 - a list of years only
        },
    )


# --- Committee members -----------------------------------------------------------------------


def _stage_and_member(request: HttpRequest, pk: int) -> tuple[Stage, object]:
    stage = get_object_or_404(Stage.objects.select_related("round", "committee"), pk=pk)
    try:
        member = services.member_for(stage=stage, user=request.user)
    except ValidationError as exc:
        raise PermissionDenied(_error_text(exc)) from exc
    return stage, member


@login_required
def review_list(request: HttpRequest, pk: int) -> HttpResponse:
    stage, member = _stage_and_member(request, pk)
    rows = selectors.review_queue(stage=stage, member=member)
    return render(
        request,
        "contests/review_list.html",
        {"stage": stage, "rows": rows, "blind": stage.round.blind},
    )


@login_required
def review_entry(request: HttpRequest, pk: int, entry_pk: int) -> HttpResponse:
    """Score one entry: save a draft or submit. Only the member's own sheet is shown."""
    stage, member = _stage_and_member(request, pk)
    entry = get_object_or_404(Entry.objects.select_related("owner", "department"), pk=entry_pk)
    if not stage.assignments.filter(entry=entry, member=member).exists():
        raise PermissionDenied("배정되지 않은 출품작입니다.")
    sheet = selectors.own_sheet(stage=stage, entry=entry, member=member)
    recusal = stage.recusals.filter(entry=entry, member=member).first()
    criteria = list(stage.criteria.order_by("order"))
    scores = {s.criterion_id: s for s in sheet.scores.all()} if sheet else {}
    form = ScoreSheetForm(
        request.POST or None,
        criteria=criteria,
        scores=scores,
        comment=sheet.comment if sheet else "",
    )
    if request.method == "POST" and form.is_valid():
        submit = request.POST.get("action") == "submit"
        try:
            services.score_sheet_save(
                stage=stage, entry=entry, user=request.user, submit=submit, **form.service_kwargs()
            )
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(
                request,
                "심사표를 제출했습니다."
                if submit
                else "임시 저장했습니다. 제출해야 점수가 반영됩니다.",
            )
            if submit:
                return redirect("contests:review_list", pk=stage.pk)
            return redirect("contests:review_entry", pk=stage.pk, entry_pk=entry.pk)
    return render(
        request,
        "contests/review_entry.html",
        {
            "stage": stage,
            "entry": entry,
            "sheet": sheet,
            "recusal": recusal,
            "form": form,
            "recusal_form": RecusalForm(),
            "blind": stage.round.blind,
            "locked": not stage.is_open or (sheet and sheet.status == "submitted") or recusal,
        },
    )


@login_required
@require_POST
def review_recuse(request: HttpRequest, pk: int, entry_pk: int) -> HttpResponse:
    stage, member = _stage_and_member(request, pk)
    entry = get_object_or_404(Entry, pk=entry_pk)
    form = RecusalForm(request.POST)
    if not form.is_valid():
        messages.error(request, "회피 사유를 입력하세요.")
        return redirect("contests:review_entry", pk=stage.pk, entry_pk=entry.pk)
    try:
        services.recusal_declare(
            stage=stage, entry=entry, user=request.user, reason=form.cleaned_data["reason"]
        )
    except ValidationError as exc:
        messages.error(request, _error_text(exc))
        return redirect("contests:review_entry", pk=stage.pk, entry_pk=entry.pk)
    messages.success(request, f"「{entry.title}」 심사를 회피했습니다.")
    return redirect("contests:review_list", pk=stage.pk)


# --- Results (after closing) -----------------------------------------------------------------


@login_required
def stage_results(request: HttpRequest, pk: int) -> HttpResponse:
    stage = get_object_or_404(Stage.objects.select_related("round", "committee"), pk=pk)
    if stage.status != StageStatus.CLOSED:
        if not (
            is_portal_admin(request.user) or request.user.has_perm("contests.score_stage", stage)
        ):
            raise PermissionDenied
        messages.info(request, "심사가 마감된 뒤에 결과와 다른 위원의 점수를 볼 수 있습니다.")
        return redirect("contests:index")
    _require(request, "contests.view_results", stage)
    rows = selectors.stage_results(stage=stage)
    is_admin = is_portal_admin(request.user)
    nxt = stage.round.stages.filter(order__gt=stage.order).order_by("order").first()
    return render(
        request,
        "contests/stage_results.html",
        {
            "stage": stage,
            "rows": rows,
            "members": selectors.stage_members(stage=stage),
            "is_admin": is_admin,
            "is_final": nxt is None,
            "can_advance": is_admin and nxt is not None and nxt.status == StageStatus.PENDING,
            "has_tie": any(row.result.tie for row in rows),
            "grades": dict(Grade.choices),
        },
    )


@login_required
def stage_scores_export(request: HttpRequest, pk: int) -> HttpResponse:
    stage = get_object_or_404(Stage.objects.select_related("round"), pk=pk)
    _require(request, "contests.view_results", stage)
    return _download(exports.scores_workbook(stage=stage), f"scores-stage-{stage.pk}.xlsx", XLSX)


# --- Best-practice cases (departments) --------------------------------------------------------


@login_required
def case_submit(request: HttpRequest, pk: int) -> HttpResponse:
    """A department files its case for a best-practice contest (one per department)."""
    rnd = get_object_or_404(Round, pk=pk, kind=RoundKind.BEST_PRACTICE)
    department = department_of(request.user)
    existing = (
        Entry.objects.filter(
            round=rnd, source_type=services.CASE_SOURCE, source_id=department.pk
        ).first()
        if department
        else None
    )
    form = CaseForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.case_submit(
                round=rnd,
                department=department,
                title=form.cleaned_data["title"],
                summary=form.cleaned_data["summary"],
                file=form.cleaned_data["file"],
            )
        except ValidationError as exc:
            form.add_error(None, _error_text(exc))
        else:
            messages.success(request, "부서 사례를 제출했습니다.")
            return redirect("contests:case_submit", pk=rnd.pk)
    return render(
        request,
        "contests/case_form.html",
        {"round": rnd, "form": form, "department": department, "existing": existing},
    )


@login_required
def entry_file(request: HttpRequest, pk: int) -> FileResponse:
    """An entry's file, for the admins, the round's committee members and its department
    (media is not served publicly)."""
    entry = get_object_or_404(Entry.objects.select_related("round"), pk=pk)
    allowed = is_portal_admin(request.user) or any(
        request.user.has_perm("contests.view_entry", stage) for stage in entry.round.stages.all()
    )
    dept = department_of(request.user)
    if not (allowed or (dept is not None and dept.pk == entry.department_id)) or not entry.file:
        raise PermissionDenied
    return protected_download(entry.file.open("rb"), filename=entry.file.name.rsplit("/", 1)[-1])


@login_required
def performance_points_export(request: HttpRequest, year: int) -> HttpResponse:
    _require(request, "contests.manage")
    return _download(
        exports.performance_points_workbook(year=year), f"performance-points-{year}.xlsx", XLSX
    )
