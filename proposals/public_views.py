"""The public pages for residents (no login), on the government design system (KRDS,
``templates/public_base.html``): the proposal form, the receipt, the status, adopted ideas."""

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache

from common.clientip import client_ip
from common.errors import ServiceError, add_to_form

from . import selectors, services
from .calculations import STATUS_LABELS, Status
from .consent import current_notice
from .forms import PublicProposalForm, StatusLookupForm
from .models import Channel

RECEIPT_SESSION_KEY = "proposals_receipt"

# The KRDS step indicator of the form (1), its confirmation (2) and the receipt (3).
PROPOSE_STEPS = [
    gettext_lazy("제안 작성·동의"),
    gettext_lazy("제출 확인"),
    gettext_lazy("접수 완료"),
]
# The status page shows where a proposal is on the same kind of indicator.
STATUS_STEPS = [
    gettext_lazy("접수"),
    gettext_lazy("검토"),
    gettext_lazy("심사"),
    gettext_lazy("결과"),
]
STATUS_STEP = {
    Status.RECEIVED: 1,
    Status.REVIEWING: 2,
    Status.SUPPLEMENT: 2,
    Status.RECOMMENDED: 3,
    Status.JUDGING: 3,
    Status.ADOPTED: 4,
    Status.REJECTED: 4,
    Status.AWARDED: 4,
    Status.IMPLEMENTED: 4,
}


def _client_key(request: HttpRequest, what: str) -> str:
    """A cache key per client address (through our proxies: ``common.clientip``); the address
    itself is hashed, never stored."""
    addr = client_ip(request)
    digest = hashlib.sha256(f"{settings.SECRET_KEY}:{addr}".encode()).hexdigest()[:24]
    return f"proposals:{what}:{digest}"


def _rate_limited(request: HttpRequest, what: str, limit: int, window: int) -> bool:
    """True when this address already did ``what`` ``limit`` times in ``window`` seconds."""
    key = _client_key(request, what)
    cache.add(key, 0, timeout=window)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window)
        count = 1
    return count > limit


def submit_limit() -> tuple[int, int]:
    """(submissions, seconds) allowed per address: enough for a family sharing one line."""
    return (
        getattr(settings, "PROPOSAL_RATE_LIMIT", 5),
        getattr(settings, "PROPOSAL_RATE_WINDOW", 3600),
    )


@never_cache
def propose_form(request: HttpRequest) -> HttpResponse:
    limit, window = submit_limit()
    form = PublicProposalForm(request.POST or None, request.FILES or None)
    limited_message = _(
        "이 인터넷 주소에서 짧은 시간에 제안이 여러 번 접수되었습니다. "
        "%(minutes)d분쯤 뒤에 다시 제출해 주세요. 급하시면 구청 기획예산과(02-3396-4114)로 "
        "전화하시거나 방문해 주세요."
    ) % {"minutes": window // 60}
    if request.method == "POST":
        # Every POST counts, valid or not: refused uploads cost the sender as much as
        # accepted ones (a zip bomb cannot be retried without limit).
        if _rate_limited(request, "submit", limit, window):
            form.add_error(None, limited_message)
        elif form.is_valid():
            data = form.cleaned_data
            existing = selectors.recent_same_submission(
                title=data["title"], content=data["content"], phone=data["phone"],
                email=data["email"],
            )  # fmt: skip
            if existing is not None:
                request.session[RECEIPT_SESSION_KEY] = existing.receipt_number
                request.session["proposals_repeated"] = True
                return redirect("propose:done")
            try:
                proposal = services.resident_proposal_submit(
                    title=data["title"],
                    content=data["content"],
                    expected_effect=data["expected_effect"],
                    proposer_name=data["proposer_name"],
                    phone=data["phone"],
                    email=data["email"],
                    dong=data["dong"],
                    consent_version=data["consent_version"],
                    publish_if_adopted=data["publish_if_adopted"],
                    channel=Channel.WEB,
                    attachment=data.get("attachment"),
                    submission_token=data.get("submission_token"),
                )
            except ServiceError as exc:
                add_to_form(form, exc)
            else:
                request.session[RECEIPT_SESSION_KEY] = proposal.receipt_number
                request.session.pop("proposals_repeated", None)
                return redirect("propose:done")
    return render(
        request,
        "proposals/public/form.html",
        {
            "form": form,
            "notice": current_notice(),
            "file_dropped": bool(request.FILES),
            "nav": "form",
            "steps": PROPOSE_STEPS,
        },
    )


@never_cache
def propose_done(request: HttpRequest) -> HttpResponse:
    receipt = request.session.get(RECEIPT_SESSION_KEY)
    if not receipt:
        return redirect("propose:form")
    return render(
        request,
        "proposals/public/done.html",
        {
            "receipt_number": receipt,
            "repeated": request.session.get("proposals_repeated", False),
            "nav": "form",
            "steps": PROPOSE_STEPS,
        },
    )


@never_cache
def propose_status(request: HttpRequest) -> HttpResponse:
    """Look up one's own proposal with the receipt number and the contact given; a wrong pair
    gets one message that does not say which half was wrong."""
    form = StatusLookupForm(request.POST or None)
    proposal = None
    if request.method == "POST" and form.is_valid():
        if _rate_limited(request, "lookup", limit=20, window=600):
            form.add_error(
                None, _("조회를 너무 여러 번 시도했습니다. 10분쯤 뒤에 다시 시도해 주세요.")
            )
        else:
            proposal = selectors.proposal_by_receipt(
                receipt_number=form.cleaned_data["receipt_number"],
                contact=form.cleaned_data["contact"],
            )
            if proposal is None:
                form.add_error(
                    None,
                    _("접수번호와 연락처가 일치하는 제안이 없습니다. 접수번호(예: 2016-R-00042)와 "
                      "접수할 때 적은 휴대전화 또는 전자우편을 확인해 주세요."),
                )  # fmt: skip
    return render(
        request,
        "proposals/public/status.html",
        {
            "form": form,
            "proposal": proposal,
            "status_labels": STATUS_LABELS,
            "nav": "status",
            "steps": STATUS_STEPS,
            "step": STATUS_STEP.get(proposal.status, 1) if proposal else 0,
        },
    )


ADOPTED_PAGE_SIZE = 20


def adopted_list(request: HttpRequest) -> HttpResponse:
    """채택 제안: adopted ideas and what became of them, for everyone (no login), without any
    personal data; only proposals whose proposer agreed to publication."""
    query = request.GET.get("q", "").strip()[:100]
    page = Paginator(selectors.published_adopted(query=query), ADOPTED_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "proposals/public/adopted.html",
        {
            "page": page,
            "items": [selectors.published_view(p) for p in page],
            "q": query,
            "query": urlencode({"q": query}) if query else "",
            "nav": "adopted",
        },
    )


def adopted_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One adopted idea (a link to share); 404 unless it is on the public list."""
    proposal = selectors.published_adopted().filter(pk=pk).first()
    if proposal is None:
        raise Http404
    return render(
        request,
        "proposals/public/adopted_detail.html",
        {"item": selectors.published_view(proposal, full=True), "nav": "adopted"},
    )
