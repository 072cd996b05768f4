"""Thin views of the learning clubs: fetch and check (``common.access``), parse the form, call a
service; a service's refusal goes on the form (``add_to_form``) or into a message."""

from collections.abc import Callable
from typing import TypeVar

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from common import periods
from common.access import allowed, get_for_user, require
from common.errors import ServiceError, add_to_form
from common.web import message_error
from org.files import generated_download
from org.models import display_name

from . import calculations as calc
from . import exports, selectors, services
from .forms import (
    ClubForm,
    ExpenseForm,
    GroupForm,
    HalfYearForm,
    IncentiveWithdrawForm,
    MeetingForm,
    MembershipAddForm,
    MembershipEndForm,
    MonthlyReportForm,
    ResearchReportForm,
    RoleChangeForm,
    TopContributorForm,
    year_or,
)
from .models import Club, Membership, StudyGroup
from .rules import club_access

MEETINGS_PER_PAGE = 20  # the club page lists meetings a page at a time, newest first
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
T = TypeVar("T")


def _user(request: HttpRequest) -> User:
    """The signed-in person (every view here is behind ``login_required``)."""
    if not isinstance(request.user, User):
        raise PermissionDenied
    return request.user


def _run(form: Form, action: Callable[[], T]) -> T | None:
    """Call a service; its refusal goes on the form, which keeps what was typed."""
    try:
        return action()
    except ServiceError as exc:
        add_to_form(form, exc)
        return None


def _xlsx(content: bytes, filename: str) -> HttpResponse:
    return generated_download(content, filename=filename, content_type=XLSX)


@login_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    today = timezone.localdate()
    year = year_or(request.GET.get("year"), today.year)
    return render(
        request,
        "clubs/index.html",
        {
            "year": year,
            "years": selectors.club_years(),
            "clubs": selectors.clubs_for_year(year=year),
            "my_groups": selectors.my_groups(user=user),
            "review": selectors.review_for(year=year),
            "can_manage": allowed(user, "clubs.manage"),
            "can_export": allowed(user, "clubs.export_hr"),
            "half_form": HalfYearForm(initial={"year": year, "half": periods.half_of(today)}),
        },
    )


@login_required
def club_create(request: HttpRequest) -> HttpResponse:
    require(_user(request), "clubs.manage")
    form = ClubForm(request.POST or None, initial={"year": timezone.localdate().year})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        club = _run(
            form,
            lambda: services.club_create(
                bureau=d["bureau"],
                year=d["year"],
                name=d["name"],
                topics=[
                    services.TopicChoice(topic=d["topic_1"], free_text=d["topic_1_free"]),
                    services.TopicChoice(topic=d["topic_2"], free_text=d["topic_2_free"]),
                ],
            ),
        )
        if club:
            messages.success(request, _("%(name)s을(를) 만들었습니다.") % {"name": club.name})
            return redirect("clubs:club_detail", club.pk)
    return render(request, "clubs/club_form.html", {"form": form})


@login_required
@require_GET
def club_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The club page: one selector loads what it shows, one accessor decides what the person
    may do there (a fixed number of queries, whatever the size of the club)."""
    user = _user(request)
    try:
        page = selectors.club_page(club_id=pk)
    except Club.DoesNotExist:
        raise Http404 from None
    club = page.club
    require(user, "clubs.view", club)
    access = club_access(user, club, page.groups)
    meetings = Paginator(selectors.meetings_for_club(club=club), MEETINGS_PER_PAGE)
    meetings.count = page.meeting_count  # counted with the club: no second COUNT
    return render(
        request,
        "clubs/club_detail.html",
        {
            "club": club,
            "meetings": meetings.get_page(request.GET.get("page")),
            "grid": page.grid,
            "hours": page.hours,
            "expenses": page.expenses,
            "expense_total": page.expense_total,
            "grade": page.grade,
            "grade_label": calc.grade_label(page.grade),
            "research_report": getattr(club, "research_report", None),
            "record_groups": access.record_groups,
            "secretary_groups": access.secretary_groups,
            "can_members": access.manage_members,
            "can_manage": access.manage,
            "can_research": access.file_research_report,
            "can_incentives": access.recommend_incentives,
            "group_form": GroupForm() if access.manage_members else None,
            "member_form": (
                MembershipAddForm(club=club, groups=page.groups) if access.manage_members else None
            ),
            "expense_form": ExpenseForm() if access.manage else None,
            "cap": calc.LEARNING_HOURS_CAP,
        },
    )


@login_required
@require_POST
def group_create(request: HttpRequest, pk: int) -> HttpResponse:
    club = get_for_user(_user(request), Club, "clubs.manage_members", pk=pk)
    form = GroupForm(request.POST)
    if form.is_valid() and (
        _run(form, lambda: services.group_create(club=club, name=form.cleaned_data["name"]))
        is not None
    ):
        messages.success(request, _("분임을 만들었습니다."))
    else:
        for errors in form.errors.values():
            messages.error(request, " ".join(str(e) for e in errors))
    return redirect("clubs:club_detail", club.pk)


@login_required
def membership_add(request: HttpRequest, pk: int) -> HttpResponse:
    club = get_for_user(_user(request), Club, "clubs.manage_members", pk=pk)
    form = MembershipAddForm(request.POST or None, club=club)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        if _run(
            form,
            lambda: services.membership_add(
                group=d["group"], user=d["user"], role=d["role"], start_date=d["start_date"]
            ),
        ):
            messages.success(request, _("회원을 추가했습니다."))
            return redirect("clubs:club_detail", club.pk)
    return render(request, "clubs/simple_form.html", {
        "form": form, "club": club, "title": _("분임 회원 추가"), "submit": _("추가"),
    })  # fmt: skip


def _membership_for(request: HttpRequest, pk: int) -> Membership:
    membership = get_for_user(
        _user(request),
        Membership.objects.select_related("club", "group", "user"),
        "clubs.manage_members",
        pk=pk,
    )
    return membership


def _confirmed(request: HttpRequest) -> bool:
    return request.POST.get("confirm") == "yes"


def _confirm(
    request: HttpRequest,
    *,
    club: Club | None,
    title: str,
    consequences: list[str],
    submit: str,
    cancel_url: str,
) -> HttpResponse:
    """The confirmation step of an irreversible action: what will happen, in numbers, and a
    form that posts the same fields again with ``confirm=yes`` (a plain page: no script)."""
    fields = [
        (key, value)
        for key in request.POST
        if key not in ("csrfmiddlewaretoken", "confirm")
        for value in request.POST.getlist(key)
    ]
    return render(request, "clubs/confirm.html", {
        "club": club, "title": title, "consequences": consequences, "submit": submit,
        "fields": fields, "cancel_url": cancel_url,
    })  # fmt: skip


@login_required
def membership_end(request: HttpRequest, pk: int) -> HttpResponse:
    membership = _membership_for(request, pk)
    name = display_name(membership.user)
    form = MembershipEndForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        if not _confirmed(request):
            return _confirm(
                request,
                club=membership.club,
                title=_("%(name)s 활동 종료 확인") % {"name": name},
                consequences=[
                    _("%(name)s님의 %(group)s %(role)s 활동을 %(day)s에 종료합니다 (%(reason)s).")
                    % {
                        "name": name,
                        "group": membership.group.name,
                        "role": membership.get_role_display(),
                        "day": f"{d['end_date']:%Y-%m-%d}",
                        "reason": dict(Membership.EndReason.choices)[d["reason"]],
                    },
                    _(
                        "종료한 활동은 되돌릴 수 없습니다. 다시 활동하려면 새로 회원으로 추가합니다."
                    ),
                ],
                submit=_("활동 종료"),
                cancel_url=reverse("clubs:club_detail", args=[membership.club_id]),
            )
        if _run(form, lambda: services.membership_end(
            membership=membership, end_date=d["end_date"], reason=d["reason"]
        )):  # fmt: skip
            messages.success(request, _("활동 종료를 기록했습니다."))
            return redirect("clubs:club_detail", membership.club_id)
    return render(request, "clubs/simple_form.html", {
        "form": form, "club": membership.club, "submit": _("종료 기록"),
        "title": _("%(name)s 활동 종료 (승진·전보 등)") % {"name": name},
    })  # fmt: skip


@login_required
def membership_role(request: HttpRequest, pk: int) -> HttpResponse:
    membership = _membership_for(request, pk)
    name = display_name(membership.user)
    form = RoleChangeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        if not _confirmed(request):
            return _confirm(
                request,
                club=membership.club,
                title=_("%(name)s 역할 변경 확인") % {"name": name},
                consequences=[
                    _("%(name)s님의 역할을 %(day)s부터 %(old)s에서 %(new)s(으)로 바꿉니다.")
                    % {
                        "name": name,
                        "day": f"{d['on_date']:%Y-%m-%d}",
                        "old": membership.get_role_display(),
                        "new": dict(Membership.Role.choices)[d["role"]],
                    },
                    _(
                        "지금 역할은 그 전날로 끝나고 기록으로 남습니다. 되돌리려면 역할을 다시 바꿉니다."
                    ),
                ],
                submit=_("역할 변경"),
                cancel_url=reverse("clubs:club_detail", args=[membership.club_id]),
            )
        if _run(form, lambda: services.membership_change_role(
            membership=membership, role=d["role"], on_date=d["on_date"]
        )):  # fmt: skip
            messages.success(request, _("역할을 바꾸었습니다."))
            return redirect("clubs:club_detail", membership.club_id)
    return render(request, "clubs/simple_form.html", {
        "form": form, "club": membership.club, "submit": _("역할 변경"),
        "title": _("%(name)s 역할 변경") % {"name": name},
    })  # fmt: skip


@login_required
def meeting_create(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    group = get_for_user(
        user, StudyGroup.objects.select_related("club"), "clubs.record_meeting", pk=pk
    )
    form = MeetingForm(request.POST or None, group=group, initial={"held_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        result = _run(
            form,
            lambda: services.meeting_record(
                group=group,
                recorded_by=user,
                held_on=d["held_on"],
                place=d["place"],
                kind=d["kind"],
                hours=d["hours"],
                minutes=d["minutes"],
                attendee_ids=[u.pk for u in d["attendees"]],
            ),
        )
        if result:
            messages.success(request, _("모임과 출석을 기록했습니다."))
            for note in result.cap_notes:
                messages.warning(request, note)
            return redirect("clubs:meeting_detail", result.meeting.pk)
    return render(request, "clubs/meeting_form.html", {"form": form, "group": group})


@login_required
@require_GET
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_for_user(_user(request), selectors.meeting_detail_queryset(), "clubs.view", pk=pk)
    return render(request, "clubs/meeting_detail.html", {"meeting": meeting})


@login_required
def report_create(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    group = get_for_user(
        user, StudyGroup.objects.select_related("club"), "clubs.file_report", pk=pk
    )
    months = selectors.reports_due_for(group=group)
    form = MonthlyReportForm(request.POST or None, months=months)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        report = _run(
            form,
            lambda: services.monthly_report_submit(
                group=group,
                month=d["month"],
                filed_by=user,
                title=d["title"],
                body=d["body"],
            ),
        )
        if report:
            messages.success(request, _("활동보고서를 제출했습니다. 관리자 승인 후 게시됩니다."))
            return redirect("clubs:club_detail", group.club_id)
    return render(
        request, "clubs/report_form.html", {"form": form, "group": group, "months": months}
    )


@login_required
def research_report_create(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    club = get_for_user(user, Club, "clubs.file_research_report", pk=pk)
    form = ResearchReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        if _run(form, lambda: services.research_report_submit(
            club=club, filed_by=user, title=d["title"], summary=d["summary"], body=d["body"]
        )):  # fmt: skip
            messages.success(request, _("연구성과 보고서를 제출했습니다."))
            return redirect("clubs:club_detail", club.pk)
    return render(request, "clubs/simple_form.html", {
        "form": form, "club": club, "title": _("연구성과 보고서 제출"), "submit": _("제출"),
    })  # fmt: skip


@login_required
@require_POST
def expense_add(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    club = get_for_user(user, Club, "clubs.record_expense", pk=pk)
    form = ExpenseForm(request.POST)
    if form.is_valid():
        d = form.cleaned_data
        if _run(form, lambda: services.expense_record(club=club, recorded_by=user, **d)):
            messages.success(request, _("운영지원 지출을 기록했습니다."))
            return redirect("clubs:club_detail", club.pk)
    return render(request, "clubs/simple_form.html", {
        "form": form, "club": club, "title": _("운영지원 지출 기록"), "submit": _("기록"),
    })  # fmt: skip


@login_required
@require_POST
def review_open(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    require(user, "clubs.manage")
    index_url = reverse("clubs:index")
    year = year_or(request.POST.get("year"), 0)
    if not year:
        messages.error(request, _("연도를 확인하세요."))
        return redirect(index_url)
    if not _confirmed(request):
        clubs = selectors.clubs_for_year(year=year).count()
        review = selectors.review_for(year=year)
        return _confirm(
            request,
            club=None,
            title=_("%(year)d년 학습동아리 성과 심사 개시 확인") % {"year": year},
            consequences=[
                _("%(year)d년 동아리 %(n)d개를 심사 회차에 올립니다.") % {"year": year, "n": clubs}
                if review is None
                else _("이미 열린 심사 회차(%(round)s)에 새로 만든 동아리만 더합니다.")
                % {"round": review.round.title},
                _("심사 회차는 열면 되돌릴 수 없고, 심사는 '심사' 메뉴에서 진행합니다."),
            ],
            submit=_("심사 개시"),
            cancel_url=f"{index_url}?year={year}",
        )
    try:
        review = services.review_open(year=year, opened_by=user)
    except ServiceError as exc:
        message_error(request, exc)
        return redirect(index_url)
    messages.success(
        request,
        _("%(review)s 회차를 열었습니다. 심사는 '심사' 메뉴에서 진행합니다.") % {"review": review},
    )
    return redirect(f"{index_url}?year={year}")


@login_required
def incentives(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    club = get_for_user(
        user, Club.objects.select_related("bureau", "chair"), "clubs.recommend_incentives", pk=pk
    )
    grade = selectors.club_grade(club=club)
    here = reverse("clubs:incentives", args=[club.pk])
    form = TopContributorForm(None, club=club)
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "recommend":
            form = TopContributorForm(request.POST, club=club)
            if form.is_valid() and _run(form, lambda: services.top_contributor_recommend(
                club=club, user=form.cleaned_data["user"], recommended_by=user, grade=grade
            )) is not None:  # fmt: skip
                messages.success(request, _("활동 최고 기여자로 추천했습니다."))
                return redirect(here)
        elif action == "withdraw":
            withdraw = IncentiveWithdrawForm(request.POST, club=club)
            if not withdraw.is_valid():
                messages.error(request, _("취소할 추천을 찾을 수 없습니다."))
                return redirect(here)
            incentive = withdraw.cleaned_data["incentive"]
            if not _confirmed(request):
                return _confirm(
                    request,
                    club=club,
                    title=_("추천 취소 확인"),
                    consequences=[
                        _("%(name)s님(%(group)s)의 활동 최고 기여자 추천을 취소합니다.")
                        % {"name": display_name(incentive.user), "group": incentive.group.name},
                        _("취소하면 추천 기록이 지워집니다. 다시 추천할 수 있습니다."),
                    ],
                    submit=_("추천 취소"),
                    cancel_url=here,
                )
            try:
                services.top_contributor_withdraw(incentive=incentive)
                messages.success(request, _("추천을 취소했습니다."))
            except ServiceError as exc:
                message_error(request, exc)
            return redirect(here)
        elif action == "overseas":
            if not _confirmed(request):
                pending = selectors.overseas_trip_pending(club=club)
                return _confirm(
                    request,
                    club=club,
                    title=_("해외선진문화체험연수 추천 확인"),
                    consequences=[
                        _("구성원 %(n)d명을 해외선진문화체험연수 대상으로 추천합니다.")
                        % {"n": pending},
                        _("추천은 총무과(인사) 명단에 오르며 이 화면에서 취소할 수 없습니다."),
                    ],
                    submit=_("구성원 전원 추천"),
                    cancel_url=here,
                )
            try:
                n = services.overseas_trip_recommend(club=club, recommended_by=user, grade=grade)
                messages.success(
                    request,
                    _("구성원 %(n)d명을 해외선진문화체험연수 대상으로 추천했습니다.") % {"n": n},
                )
            except ServiceError as exc:
                message_error(request, exc)
            return redirect(here)
    return render(request, "clubs/incentives.html", {
        "club": club, "grade": grade, "grade_label": calc.grade_label(grade),
        "kinds": calc.incentive_kinds_for_grade(grade), "form": form,
        "incentives": selectors.incentives_for_club(club=club),
        "per_group": calc.TOP_CONTRIBUTORS_PER_GROUP,
    })  # fmt: skip


@login_required
@require_GET
def export_hours(request: HttpRequest) -> HttpResponse:
    require(_user(request), "clubs.export_hr")
    form = HalfYearForm(request.GET)
    if not form.is_valid():
        messages.error(request, _("연도와 반기를 확인하세요."))
        return redirect("clubs:index")
    half = form.half_year()
    return _xlsx(exports.learning_hours_xlsx(half=half), f"learning-hours-{half.key}.xlsx")


@login_required
@require_GET
def export_incentives(request: HttpRequest) -> HttpResponse:
    require(_user(request), "clubs.export_hr")
    year = year_or(request.GET.get("year"), timezone.localdate().year)
    return _xlsx(exports.incentives_xlsx(year=year), f"club-incentives-{year}.xlsx")
