"""Thin views: fetch and check with ``common.access``, validate, call a service, render."""

from decimal import Decimal
from typing import cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from common.access import allowed, get_for_user, require
from common.errors import ServiceError, add_to_form
from common.web import message_error
from downloads.services import download_request
from org.files import generated_download, protected_download
from org.models import display_name
from org.selectors import department_of

from . import exports, selectors, services
from .forms import (
    CaseForm,
    CommitteeMemberForm,
    ConfirmForm,
    QuotaForm,
    RecusalForm,
    ReopenForm,
    RoundForm,
    ScoreSheetForm,
)
from .models import (
    GRADE_ORDER,
    Assignment,
    Award,
    Committee,
    Entry,
    Grade,
    Round,
    RoundKind,
    Stage,
    StageStatus,
)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
AUDIT_PAGE_SIZE = 50
RESULTS_PAGE_SIZE = 50
FIRST_BUDGET_YEAR = 2016


def _user(request: HttpRequest) -> User:
    """The logged-in user (every view here is behind ``login_required``)."""
    return cast(User, request.user)


def _download(content: bytes, filename: str, content_type: str) -> HttpResponse:
    return generated_download(content, filename=filename, content_type=content_type)


@login_required
def index(request: HttpRequest) -> HttpResponse:
    """My open reviews (committee members) and the rounds (admins)."""
    user = _user(request)
    is_admin = allowed(user, "contests.manage")
    return render(
        request,
        "contests/index.html",
        {
            "open_stages": selectors.open_stages_for(user),
            # Only a department's head or designated person files its case.
            "case_rounds": [
                r for r in selectors.rounds_accepting_cases() if allowed(user, "contests.file_case")
            ],
            "closed_stages": selectors.closed_stages_for(user),
            "rounds": selectors.rounds_list() if is_admin else None,
            "is_admin": is_admin,
            "can_access": allowed(user, "contests.access"),
        },
    )


# --- Admin pages -----------------------------------------------------------------------------


@login_required
def round_new(request: HttpRequest) -> HttpResponse:
    require(request.user, "contests.manage")
    form = RoundForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            rnd = services.round_create(**form.cleaned_data)
        except ServiceError as exc:
            add_to_form(form, exc)
        else:
            messages.success(
                request, _("회차를 만들었습니다. 기본 심사 단계와 시상 기준이 들어 있습니다.")
            )
            return redirect("contests:round_detail", pk=rnd.pk)
    return render(request, "contests/round_form.html", {"form": form})


@login_required
def round_detail(request: HttpRequest, pk: int) -> HttpResponse:
    rnd = get_for_user(request.user, Round, "contests.manage", pk=pk)
    stages = selectors.round_stages(round=rnd)
    return render(
        request,
        "contests/round_detail.html",
        {
            "round": rnd,
            "stages": stages,
            "entries": selectors.round_entries(round=rnd),
            "quotas": selectors.round_quotas(round=rnd),
            "awards": list(selectors.round_awards(round=rnd)),
            "final_stage": stages[-1].stage if stages else None,
        },
    )


@login_required
def round_quotas(request: HttpRequest, pk: int) -> HttpResponse:
    rnd = get_for_user(request.user, Round, "contests.manage", pk=pk)
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
        except ServiceError as exc:
            add_to_form(form, exc)
        else:
            messages.success(request, _("시상 기준을 저장했습니다."))
            return redirect("contests:round_detail", pk=rnd.pk)
    return render(request, "contests/round_quotas.html", {"round": rnd, "form": form})


@login_required
@require_POST
def stage_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """Open a stage, or carry its advancing entries on; closing asks first (``stage_close``)."""
    stage = get_for_user(
        request.user, Stage.objects.select_related("round"), "contests.manage", pk=pk
    )
    if action == "close":
        return stage_close(request, pk)
    try:
        if action == "open":
            services.stage_open(stage=stage, by=request.user)
            messages.success(request, _("「%(name)s」 심사를 시작했습니다.") % {"name": stage.name})
        elif action == "advance":
            include = [int(x) for x in request.POST.getlist("include") if x.isdigit()]
            going = services.stage_advance(stage=stage, by=request.user, include=include)
            messages.success(request, _("%(n)s건이 다음 단계로 진출했습니다.") % {"n": len(going)})
        else:
            raise Http404
    except ServiceError as exc:
        message_error(request, exc)
    return redirect("contests:round_detail", pk=stage.round_id)


@login_required
def stage_close(request: HttpRequest, pk: int) -> HttpResponse:
    """심사 마감, in two steps that work without JavaScript: the page (GET, or a POST without
    ``confirm``) says what closing does in numbers; only a POST with ``confirm`` closes."""
    stage = get_for_user(
        request.user, Stage.objects.select_related("round", "committee"), "contests.manage", pk=pk
    )
    if request.method == "POST" and request.POST.get("confirm") == "1":
        require(
            request.user,
            "contests.close_stage",
            stage,
            reason=_("심사 중인 단계만 마감할 수 있습니다."),
        )
        try:
            services.stage_close(stage=stage, by=request.user)
        except ServiceError as exc:
            message_error(request, exc)
            return redirect("contests:round_detail", pk=stage.round_id)
        messages.success(
            request, _("「%(name)s」 심사를 마감하고 결과를 산출했습니다.") % {"name": stage.name}
        )
        return redirect("contests:stage_results", pk=stage.pk)
    return render(
        request,
        "contests/stage_close.html",
        {"stage": stage, "progress": selectors.stage_counts(stage=stage)},
    )


@login_required
def stage_reopen(request: HttpRequest, pk: int) -> HttpResponse:
    """An admin reopens a closed stage, with a reason kept in the audit log."""
    stage = get_for_user(
        request.user,
        Stage.objects.select_related("round", "committee"),
        "contests.reopen_stage",
        reason=_("마감된 단계만 다시 열 수 있습니다."),
        pk=pk,
    )
    form = ReopenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.stage_reopen(
                stage=stage, by=_user(request), reason=form.cleaned_data["reason"]
            )
        except ServiceError as exc:
            add_to_form(form, exc)
        else:
            messages.success(
                request, _("「%(name)s」 심사를 다시 열었습니다.") % {"name": stage.name}
            )
            return redirect("contests:round_detail", pk=stage.round_id)
    return render(request, "contests/stage_reopen.html", {"stage": stage, "form": form})


@login_required
def round_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    """The admin confirms the awards from the final stage's results (ties decided here), in
    two steps: the grades, then a summary in numbers; only a POST with ``confirm`` records."""
    rnd = get_for_user(request.user, Round, "contests.manage", pk=pk)
    final = rnd.stages.order_by("-order").first()
    if final is None or not final.is_closed:
        messages.error(request, _("마지막 심사 단계를 마감한 뒤에 수상을 확정할 수 있습니다."))
        return redirect("contests:round_detail", pk=rnd.pk)
    results = selectors.final_results(stage=final)
    quotas = selectors.round_quotas(round=rnd)
    form = ConfirmForm(request.POST or None, results=results)
    summary = None
    if request.method == "POST" and form.is_valid():
        if not allowed(request.user, "contests.confirm_awards", rnd):
            # A second click on 확정 (or another admin's): the awards stand as recorded once.
            messages.info(request, _("이미 수상이 확정된 회차입니다."))
            return redirect("contests:round_detail", pk=rnd.pk)
        if request.POST.get("confirm") == "1":
            try:
                awards = services.awards_confirm(round=rnd, by=_user(request), grades=form.grades())
            except ServiceError as exc:
                if exc.code == "confirmed":  # lost the race to an identical POST
                    messages.info(request, str(exc))
                    return redirect("contests:round_detail", pk=rnd.pk)
                add_to_form(form, exc)
            else:
                messages.success(
                    request,
                    _("수상 %(n)s건을 확정하고 포상금을 기록했습니다.") % {"n": len(awards)},
                )
                return redirect("contests:round_detail", pk=rnd.pk)
        else:
            summary = selectors.awards_summary(grades=form.grades(), quotas=quotas)
    rows = [(r, form[f"grade_{r.entry_id}"]) for r in results]
    return render(
        request,
        "contests/round_confirm.html",
        {
            "round": rnd,
            "stage": final,
            "rows": rows,
            "form": form,
            "quotas": quotas,
            "summary": summary,
        },
    )


@login_required
def round_audit(request: HttpRequest, pk: int) -> HttpResponse:
    rnd = get_for_user(request.user, Round, "contests.manage", pk=pk)
    page = Paginator(selectors.audit_for_round(round=rnd), AUDIT_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "contests/round_audit.html",
        {
            "round": rnd,
            "page": page,
            "rows": selectors.audit_rows(
                page.object_list,
                # Scores stay private until scoring ends, from the admins too.
                show_scores=allowed(request.user, "contests.view_audit_values", rnd),
            ),
        },
    )


@login_required
def round_minutes(request: HttpRequest, pk: int) -> HttpResponse:
    rnd = get_for_user(request.user, Round, "contests.manage", pk=pk)
    return _download(exports.minutes_workbook(round=rnd), f"minutes-{rnd.pk}.xlsx", XLSX)


@login_required
def award_certificate(request: HttpRequest, pk: int) -> HttpResponse:
    require(request.user, "contests.manage")
    award = get_object_or_404(Award.objects.select_related("round", "entry"), pk=pk)
    return _download(
        exports.certificate_pdf(award=award), f"certificate-{award.pk}.pdf", "application/pdf"
    )


@login_required
def committees(request: HttpRequest) -> HttpResponse:
    require(request.user, "contests.access")
    return render(
        request,
        "contests/committees.html",
        {
            "committees": selectors.committees_overview(),
            "today": timezone.localdate(),
            "can_manage": allowed(request.user, "contests.manage"),
        },
    )


@login_required
def committee_member_new(request: HttpRequest, pk: int) -> HttpResponse:
    """An admin seats a member on a committee, found by name or 아이디 as they type."""
    require(request.user, "contests.manage")
    committee = get_object_or_404(Committee, pk=pk)
    form = CommitteeMemberForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            seat = services.committee_member_add(committee=committee, **form.cleaned_data)
        except ServiceError as exc:
            add_to_form(form, exc)
        else:
            messages.success(
                request,
                _("%(name)s 위원을 「%(committee)s」에 추가했습니다.")
                % {"name": display_name(seat.user), "committee": committee.name},
            )
            return redirect(f"{reverse('contests:committees')}#c-{committee.pk}")
    return render(
        request, "contests/committee_member_form.html", {"committee": committee, "form": form}
    )


@login_required
def budget(request: HttpRequest, year: int | None = None) -> HttpResponse:
    require(request.user, "contests.manage")
    this_year = timezone.localdate().year
    year = year or this_year
    summary = selectors.budget_summary(year=year)
    used_pct = round(summary.spent_won * 100 / summary.budget_won) if summary.budget_won else 0
    return render(
        request,
        "contests/budget.html",
        {
            "summary": summary,
            "used_pct": min(used_pct, 100),
            "payments": selectors.payments_for_year(year=year)[:200],
            "years": range(this_year, FIRST_BUDGET_YEAR - 1, -1),
        },
    )


# --- Committee members -----------------------------------------------------------------------


def _stage_for_member(request: HttpRequest, pk: int) -> Stage:
    return get_for_user(
        request.user,
        Stage.objects.select_related("round", "committee"),
        "contests.review_stage",
        reason=_("이 심사위원회의 임기 중인 위원만 볼 수 있습니다."),
        pk=pk,
    )


@login_required
def review_list(request: HttpRequest, pk: int) -> HttpResponse:
    stage = _stage_for_member(request, pk)
    member = selectors.member_for(stage=stage, user=request.user)
    rows = selectors.review_queue(stage=stage, member=member)
    return render(
        request,
        "contests/review_list.html",
        {"stage": stage, "rows": rows, "blind": stage.round.blind},
    )


@login_required
def review_entry(request: HttpRequest, pk: int, entry_pk: int) -> HttpResponse:
    """Score one entry: save a draft or submit. Only the member's own sheet is shown."""
    stage = _stage_for_member(request, pk)
    member = selectors.member_for(stage=stage, user=request.user)
    assignment = get_for_user(
        request.user,
        Assignment.objects.select_related("entry__owner", "entry__department", "member"),
        "contests.review_assignment",
        reason=_("배정되지 않은 출품작입니다."),
        stage=stage,
        entry_id=entry_pk,
        member=member,
    )
    entry = assignment.entry
    sheet = selectors.own_sheet(stage=stage, entry=entry, member=member)
    recusal = stage.recusals.filter(entry=entry, member=member).first()
    criteria = list(stage.criteria.order_by("order"))
    scores = {s.criterion_id: s for s in sheet.scores.all()} if sheet else {}
    form = ScoreSheetForm(
        request.POST or None,
        criteria=criteria,
        scores=scores,
        comment=sheet.comment if sheet else "",
        submit=request.POST.get("action") == "submit",
    )
    if request.method == "POST" and form.is_valid():
        submit = request.POST.get("action") == "submit"
        try:
            services.score_sheet_save(
                stage=stage,
                entry=entry,
                user=_user(request),
                submit=submit,
                **form.service_kwargs(),
            )
        except ServiceError as exc:
            add_to_form(form, exc)
        else:
            messages.success(
                request,
                _("심사표를 제출했습니다.")
                if submit
                else _("임시 저장했습니다. 제출해야 점수가 반영됩니다."),
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
    stage = _stage_for_member(request, pk)
    entry = get_object_or_404(Entry, pk=entry_pk)
    form = RecusalForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("회피 사유를 입력하세요."))
        return redirect("contests:review_entry", pk=stage.pk, entry_pk=entry.pk)
    try:
        services.recusal_declare(
            stage=stage, entry=entry, user=_user(request), reason=form.cleaned_data["reason"]
        )
    except ServiceError as exc:
        message_error(request, exc)
        return redirect("contests:review_entry", pk=stage.pk, entry_pk=entry.pk)
    messages.success(request, _("「%(title)s」 심사를 회피했습니다.") % {"title": entry.title})
    return redirect("contests:review_list", pk=stage.pk)


# --- Results (after closing) -----------------------------------------------------------------


# The page only reads, so it runs without the request's transaction: no BEGIN and COMMIT
# round trips.
@transaction.non_atomic_requests
@login_required
def stage_results(request: HttpRequest, pk: int) -> HttpResponse:
    stage = get_object_or_404(selectors.stages_for_results(), pk=pk)
    if not allowed(request.user, "contests.view_results", stage):
        if not stage.is_closed and allowed(request.user, "contests.follow_stage", stage):
            messages.info(
                request, _("심사가 마감된 뒤에 결과와 다른 위원의 점수를 볼 수 있습니다.")
            )
            return redirect("contests:index")
        raise PermissionDenied(_("이 심사 결과를 볼 권한이 없습니다."))
    is_admin = allowed(request.user, "contests.manage")
    next_status = stage.next_status  # type: ignore[attr-defined]  # annotated
    page = Paginator(selectors.stage_result_rows(stage=stage), RESULTS_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    members = selectors.stage_members(stage=stage)
    rows = selectors.stage_results(stage=stage, results=list(page.object_list), members=members)
    return render(
        request,
        "contests/stage_results.html",
        {
            "stage": stage,
            "rows": rows,
            "page": page,
            "members": members,
            "is_admin": is_admin,
            "is_final": next_status is None,
            "can_advance": is_admin and next_status == StageStatus.PENDING,
            "can_reopen": allowed(request.user, "contests.reopen_stage", stage),
            "has_tie": stage.has_tie,  # type: ignore[attr-defined]  # annotated
            "grades": dict(Grade.choices),
        },
    )


@login_required
def stage_scores_export(request: HttpRequest, pk: int) -> HttpResponse:
    stage = get_for_user(
        request.user,
        Stage.objects.select_related("round"),
        "contests.view_results",
        reason=_("심사가 마감된 뒤에 점수를 내려받을 수 있습니다."),
        pk=pk,
    )
    # 30,000 scores take seconds: the workbook is built in the background and the download's
    # page shows the progress, then the link.
    download = download_request(
        user=_user(request), kind="contests.scores_xlsx", params={"stage": stage.pk}
    )
    return redirect("downloads:detail", download.pk)


# --- Best-practice cases (departments) --------------------------------------------------------


@login_required
def case_submit(request: HttpRequest, pk: int) -> HttpResponse:
    """A department files its case for a best-practice contest (one per department), and may
    replace it until screening starts; only its head or its designated person may."""
    rnd = get_object_or_404(Round, pk=pk, kind=RoundKind.BEST_PRACTICE)
    require(
        request.user,
        "contests.file_case",
        reason=_("부서 사례는 부서장 또는 부서가 지정한 담당자만 제출할 수 있습니다."),
    )
    department = department_of(request.user)
    existing = selectors.department_case(round=rnd, department=department)
    form = CaseForm(
        request.POST or None,
        request.FILES or None,
        initial={"title": existing.title, "summary": existing.summary} if existing else None,
        replacing=existing is not None,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if existing is not None:
                services.case_replace(
                    entry=existing,
                    title=data["title"],
                    summary=data["summary"],
                    file=data["file"],
                    by=request.user,
                )
            else:
                services.case_submit(
                    round=rnd,
                    department=department,
                    title=data["title"],
                    summary=data["summary"],
                    file=data["file"],
                )
        except ServiceError as exc:
            add_to_form(form, exc)
        else:
            messages.success(
                request,
                _("부서 사례를 교체했습니다.") if existing else _("부서 사례를 제출했습니다."),
            )
            return redirect("contests:case_submit", pk=rnd.pk)
    return render(
        request,
        "contests/case_form.html",
        {"round": rnd, "form": form, "department": department, "existing": existing},
    )


@login_required
def entry_file(request: HttpRequest, pk: int) -> FileResponse:
    """An entry's file, for the admins, the round's committee members and its department
    (media is not served publicly), under the name the user gave it."""
    entry = get_for_user(
        request.user, Entry.objects.select_related("round"), "contests.view_entry_file", pk=pk
    )
    if not entry.file:
        raise Http404
    name = entry.file_name or (entry.file.name or "").rsplit("/", 1)[-1]
    return protected_download(entry.file.open("rb"), filename=name)


@login_required
def performance_points_export(request: HttpRequest, year: int) -> HttpResponse:
    require(request.user, "contests.manage")
    return _download(
        exports.performance_points_workbook(year=year), f"performance-points-{year}.xlsx", XLSX
    )
