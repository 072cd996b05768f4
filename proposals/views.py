"""Staff and admin pages of the proposals app: thin — check permission, validate, call a service."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.core.paginator import Page, Paginator
from django.db import transaction
from django.db.models import QuerySet
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    StreamingHttpResponse,
)
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from common.access import allowed, get_for_user, require
from common.errors import ServiceError, add_to_form
from common.web import message_error
from contests.models import Grade
from org.files import protected_download
from org.models import display_name
from org.selectors import department_of

from . import calculations as calc
from . import exports, selectors, services
from .consent import CURRENT_VERSION
from .forms import (
    BenchmarkAdvanceForm,
    BenchmarkForm,
    EvaluationForm,
    HrExportForm,
    LinkForm,
    OnBehalfForm,
    StaffProposalForm,
    ThemeRoundForm,
    ThemeTaskForm,
    TransitionForm,
)
from .models import (
    BENCHMARK_NEXT,
    BenchmarkCase,
    Channel,
    Evaluation,
    PersonalDataAccess,
    Proposal,
    ProposalStatus,
    ProposerKind,
    ThemeRound,
)

PAGE_SIZE = 50
OVERDUE_SHOWN = 5


def _user(request: HttpRequest) -> User:
    """The signed-in person (every view here is behind ``login_required``)."""
    if not isinstance(request.user, User):
        raise PermissionDenied
    return request.user


class CountedPaginator(Paginator):
    """A paginator told its count (a capped count at city scale) instead of running COUNT(*).

    A page is read as a "deferred join": the page's ids first, skipped over in a covering
    index (``proposals_*_recent``), then only those rows with their joins — rather than
    joining every skipped row of a deep page's OFFSET. Still one query (``id IN (…)``)."""

    object_list: QuerySet[Proposal]

    def __init__(self, object_list: QuerySet[Proposal], per_page: int, *, count: int) -> None:
        super().__init__(object_list, per_page)
        self._known_count = count

    @property
    def count(self) -> int:
        return self._known_count

    def page(self, number: int | str) -> Page:
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = min(bottom + self.per_page, self.count)
        ids = self.object_list.values("pk")[bottom:top]
        return Page(self.object_list.filter(pk__in=ids), number, self)


# The rows' detail links: reversed once with this number, then the row's pk put in its place.
_PK_SLOT = "987654321"


# The list only reads, so it runs without the request's transaction: no BEGIN and COMMIT
# round trips.
@transaction.non_atomic_requests
@login_required
def index(request: HttpRequest) -> HttpResponse:
    """Admins: every proposal, names masked, overdue ones marked. Staff: their own.
    A bounded number of queries and rows whatever the table's size (issue 14): a count
    capped at ``selectors.LIST_COUNT_CAP``, one page of rows, the overdue banner's count and
    oldest five. The rows' links and dates come as text (the link reversed once, the dates
    in ISO, what ``date:"Y-m-d"`` printed): 50 ``{% url %}`` and 100 date filters were a
    fifth of the page's time."""
    require(request.user, "proposals.view_index")
    is_admin = allowed(request.user, "proposals.manage_proposals")
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
    author = None if is_admin else _user(request)
    rows = selectors.proposal_list(**filters, author=author)
    count = selectors.proposal_count(**filters, author=author, cap=selectors.LIST_COUNT_CAP)
    page = CountedPaginator(rows, PAGE_SIZE, count=count).get_page(request.GET.get("page"))
    today = timezone.localdate()
    # Labels translated once per page, not once per row.
    channels = {value: str(label) for value, label in Channel.choices}
    statuses = {value: str(label) for value, label in ProposalStatus.choices}
    kinds = {value: str(label) for value, label in ProposerKind.choices}
    detail_url = reverse("proposals:detail", args=[_PK_SLOT])
    items = [
        {
            "p": p,
            "name": _proposer_label(p, full=False),
            "channel": channels.get(p.channel, p.channel),
            "status": statuses.get(p.status, p.status),
            "overdue": selectors.is_overdue(p, today),
            "url": detail_url.replace(_PK_SLOT, str(p.pk)),
            "received": p.received_on.isoformat(),
            "due": selectors.decision_due(p, today).isoformat(),
        }
        for p in page
    ]
    overdue = selectors.overdue_summary(today=today, limit=OVERDUE_SHOWN) if is_admin else None
    return render(
        request,
        "proposals/index.html",
        {
            "page": page,
            "items": items,
            "is_admin": is_admin,
            "filters": filters,
            "count_capped": count >= selectors.LIST_COUNT_CAP,
            "kinds": list(kinds.items()),
            "statuses": list(statuses.items()),
            "channels": list(channels.items()),
            "overdue": overdue,
            "overdue_count": overdue.count if overdue else 0,
        },
    )


def _proposer_label(p: Proposal, *, full: bool) -> str:
    if p.kind == ProposerKind.STAFF:
        return display_name(p.author) if p.author is not None else ""
    return p.proposer_name if full else calc.mask_name(p.proposer_name)


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = get_for_user(
        request.user, selectors.proposal_detail_queryset(), "proposals.view_proposal", pk=pk
    )
    full = allowed(request.user, "proposals.view_personal_data") and proposal.is_resident
    if proposal.is_resident and not proposal.anonymized_at:
        # A resident's 거주 동 and free text are personal data too: every view is logged,
        # the 실무평가단's (masked name) as well as the admins' (full).
        services.personal_data_access_record(
            actor=_user(request),
            proposals=[proposal],
            action=PersonalDataAccess.Action.VIEW,
            detail=_("제안 상세 화면") if full else _("제안 상세 화면 (성명·연락처 가림)"),
        )
    is_admin = allowed(request.user, "proposals.manage_proposals")
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
    proposal = get_for_user(request.user, Proposal, "proposals.change_status", pk=pk)
    form = TransitionForm(request.POST, current=proposal.status)
    if form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                services.proposal_status_change(
                    proposal=proposal,
                    to_status=data["to_status"],
                    actor=_user(request),
                    reason=data["reason"],
                    answer=data["answer"],
                    planned_on=data["planned_on"],
                    implemented_on=data["implemented_on"],
                    delay_reason=data["delay_reason"],
                )
        except ServiceError as exc:
            message_error(request, exc)
        else:
            messages.success(request, _("처리 단계를 바꾸었습니다."))
    else:
        messages.error(request, _("처리 단계를 선택해 주세요."))
    return redirect("proposals:detail", pk=pk)


@login_required
@require_POST
def link(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = get_for_user(request.user, Proposal, "proposals.link_proposal", pk=pk)
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
                        actor=_user(request),
                    )
            except ServiceError as exc:
                message_error(request, exc)
            else:
                messages.success(request, _("먼저 접수된 제안에 연결했습니다."))
    return redirect("proposals:detail", pk=pk)


@login_required
def attachment(request: HttpRequest, pk: int) -> FileResponse:
    """Served only here, after the permission check; uploads are never under static."""
    proposal = get_for_user(request.user, Proposal, "proposals.view_attachment", pk=pk)
    if not proposal.attachment:
        raise Http404
    services.personal_data_access_record(
        actor=_user(request),
        proposals=[proposal],
        action=PersonalDataAccess.Action.ATTACHMENT,
        detail=proposal.attachment_name,
    )
    return protected_download(
        proposal.attachment.open("rb"), filename=proposal.attachment_name or "attachment"
    )


@login_required
def export(request: HttpRequest) -> StreamingHttpResponse:
    """Residents' proposals with full personal data, as CSV streamed row by row; each
    proposal's export is logged (in bulk) before the first byte goes out."""
    require(request.user, "proposals.view_personal_data")
    rows = selectors.resident_export_rows()
    services.personal_data_export_record(
        actor=_user(request), proposals=rows, detail=_("구민 제안 목록 CSV")
    )
    response = StreamingHttpResponse(
        exports.resident_csv(rows), content_type="text/csv; charset=utf-8"
    )
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="resident-proposals-{stamp}.csv"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def access_log(request: HttpRequest) -> HttpResponse:
    require(request.user, "proposals.view_personal_data")
    return render(request, "proposals/access_log.html", {"rows": selectors.access_log()})


@login_required
def register(request: HttpRequest) -> HttpResponse:
    """Staff register a resident's proposal received by mail, visit or 국민신문고."""
    require(request.user, "proposals.register_on_behalf")
    form = OnBehalfForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
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
                consented_at=data["consented_at"],
                channel=data["channel"],
                registered_by=_user(request),
                department=data["department"],
                at=form.received_at(),
            )
        except ServiceError as exc:
            add_to_form(form, exc)
        else:
            messages.success(
                request,
                _("대리 접수했습니다. 접수번호 %(no)s를 제안자에게 알려 주세요.")
                % {"no": proposal.receipt_number},
            )
            if allowed(request.user, "proposals.view_proposal", proposal):
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
    require(request.user, "proposals.write_proposal")
    initial: dict[str, object] = {"department": department_of(request.user)}
    if request.GET.get("task"):
        initial["theme_task"] = request.GET["task"]
    form = StaffProposalForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            proposal = services.staff_proposal_submit(
                author=_user(request),
                title=data["title"],
                current_problem=data["current_problem"],
                content=data["content"],
                expected_effect=data["expected_effect"],
                department=data["department"],
                theme_task=data["theme_task"],
                submission_token=data.get("submission_token"),
            )
        except ServiceError as exc:
            add_to_form(form, exc)
        else:
            messages.success(
                request,
                _("제안을 제출했습니다 (접수번호 %(no)s). 관리자 승인 후 게시판에 공개됩니다.")
                % {"no": proposal.receipt_number},
            )
            if proposal.similar_to is not None:
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
    require(request.user, "proposals.view_statistics")
    years = selectors.statistics_years()
    per_year = selectors.statistics_by_year(years=years)
    # Each half-year's cells in column order, so the template loops once per cell
    # (a history row has no channel figures: None, shown as "-").
    rows = [
        {
            "s": s,
            "channels": [s.by_channel.get(c) if s.by_channel else None for c in Channel.values],
            "awards": [s.awards.get(g) for g in Grade.values],
        }
        for _year, halves in per_year
        for s in halves
    ]
    return render(
        request,
        "proposals/statistics.html",
        {
            "rows": rows,
            "totals": selectors.totals_of(per_year),
            "channels": [str(label) for label in Channel.labels],
            "grades": [str(label) for label in Grade.labels],
        },
    )


# --- Theme rounds -----------------------------------------------------------------------------


@login_required
def themes(request: HttpRequest) -> HttpResponse:
    can_manage = allowed(request.user, "proposals.manage_themes")
    form = ThemeRoundForm(request.POST or None) if can_manage else None
    if request.method == "POST":
        require(request.user, "proposals.manage_themes")
        if form is not None and form.is_valid():
            try:
                round_ = services.theme_round_create(**form.cleaned_data, actor=_user(request))
            except ServiceError as exc:
                add_to_form(form, exc)
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
    can_post = allowed(request.user, "proposals.post_theme_task")
    is_admin = allowed(request.user, "proposals.manage_themes")
    form = None
    if can_post:
        form = ThemeTaskForm(
            request.POST or None,
            initial={"department": department_of(request.user)},
            own_department=None if is_admin else department_of(request.user),
        )
    if request.method == "POST":
        require(request.user, "proposals.post_theme_task")
        if form is not None and form.is_valid():
            try:
                services.theme_task_create(round=round_, **form.cleaned_data, actor=_user(request))
            except ServiceError as exc:
                add_to_form(form, exc)
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
        require(request.user, "proposals.register_benchmark")
        if form.is_valid():
            case = services.benchmark_case_register(
                **form.cleaned_data, registered_by=_user(request)
            )
            messages.success(request, _("벤치마킹 사례를 등록하고 검토 부서에 배정했습니다."))
            return redirect("proposals:benchmark_detail", pk=case.pk)
    mine = request.GET.get("mine") == "1"
    dept = department_of(request.user)
    rows = selectors.benchmark_cases(department_id=dept.pk if (mine and dept) else None)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "proposals/benchmarks.html", {"page": page, "form": form, "mine": mine})


@login_required
def benchmark_detail(request: HttpRequest, pk: int) -> HttpResponse:
    case: BenchmarkCase = get_for_user(
        request.user, selectors.benchmark_cases(), "proposals.view_benchmark", pk=pk
    )
    form = None
    if allowed(request.user, "proposals.advance_benchmark", case):
        form = BenchmarkAdvanceForm(request.POST or None, current=case.state)
    if request.method == "POST":
        require(request.user, "proposals.advance_benchmark", case)
        if form is not None and form.is_valid():
            try:
                services.benchmark_case_advance(
                    case=case, actor=_user(request), **form.cleaned_data
                )
            except ServiceError as exc:
                add_to_form(form, exc)
            else:
                messages.success(request, _("처리했습니다."))
                return redirect("proposals:benchmark_detail", pk=pk)
    return render(
        request,
        "proposals/benchmark_detail.html",
        {"case": case, "form": form, "has_next": bool(BENCHMARK_NEXT[case.state])},
    )


# --- Evaluation ------------------------------------------------------------------------------------


@login_required
def evaluations(request: HttpRequest) -> HttpResponse:
    require(request.user, "proposals.manage_evaluation")
    form = EvaluationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            evaluation = services.evaluation_create(**form.cleaned_data, actor=_user(request))
        except ServiceError as exc:
            add_to_form(form, exc)
        else:
            messages.success(
                request,
                _("심사 회차를 만들고 제안 %(n)d건을 회부했습니다.")
                % {"n": evaluation.proposals.count()},
            )
            return redirect("proposals:evaluations")
    rows = Evaluation.objects.select_related("theme_round").order_by("-period_end")
    return render(
        request,
        "proposals/evaluations.html",
        {"rows": rows, "form": form, "hr_form": HrExportForm()},
    )


@login_required
@require_POST
def evaluation_sync(request: HttpRequest, pk: int) -> HttpResponse:
    evaluation = get_for_user(request.user, Evaluation, "proposals.manage_evaluation", pk=pk)
    count = services.evaluation_results_sync(evaluation=evaluation, actor=_user(request))
    messages.success(request, _("수상 결과 %(n)d건을 반영했습니다.") % {"n": count})
    return redirect("proposals:evaluations")


@login_required
def hr_export(request: HttpRequest) -> HttpResponse | StreamingHttpResponse:
    """성과포인트 and 서열명부 실적가점 of awarded staff, for 총무과 (the figures are the
    contests awards', as in contests' own 성과포인트 명부)."""
    require(request.user, "proposals.export_performance")
    form = HrExportForm(request.GET or None)
    if request.GET and not form.is_valid():
        return HttpResponseBadRequest(
            " ".join(str(m) for errors in form.errors.values() for m in errors),
            content_type="text/plain; charset=utf-8",
        )
    year = form.cleaned_data.get("year") if form.is_bound else None
    rows = exports.staff_performance_rows(year=year)
    response = StreamingHttpResponse(
        exports.performance_csv(rows), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = 'attachment; filename="proposal-performance-points.csv"'
    response["Cache-Control"] = "private, no-store"
    return response
