"""Thin views of the learning clubs: check the permission, parse the form, call a service."""

from collections.abc import Callable

import rules
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from org.files import generated_download
from org.rules import is_portal_admin

from . import calculations as calc
from . import exports, selectors, services
from .forms import (
    ClubForm,
    ExpenseForm,
    GroupForm,
    HalfYearForm,
    MeetingForm,
    MembershipAddForm,
    MembershipEndForm,
    MonthlyReportForm,
    ResearchReportForm,
    RoleChangeForm,
    TopContributorForm,
)
from .models import Club, Incentive, Membership, StudyGroup

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _require(perm: str, user: object, obj: object = None) -> None:
    if not rules.has_perm(perm, user, obj):
        raise PermissionDenied


def _run(form: Form, action: Callable[[], object]) -> object | None:
    """Call a service; its Korean ValidationError messages go on the form."""
    try:
        return action()
    except ValidationError as exc:
        if hasattr(exc, "error_dict"):
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            for message in exc.messages:
                form.add_error(None, message)
        return None


def _xlsx(content: bytes, filename: str) -> HttpResponse:
    return generated_download(content, filename=filename, content_type=XLSX)


@login_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        year = timezone.localdate().year
    return render(
        request,
        "clubs/index.html",
        {
            "year": year,
            "years": selectors.club_years(),
            "clubs": selectors.clubs_for_year(year=year),
            "my_groups": selectors.my_groups(user=request.user),
            "review": selectors.review_for(year=year),
            "can_manage": rules.has_perm("clubs.manage", request.user),
            "can_export": rules.has_perm("clubs.export_hr", request.user),
            "half_form": HalfYearForm(
                initial={"year": year, "half": calc.half_year_of(timezone.localdate()).half}
            ),
        },
    )


@login_required
def club_create(request: HttpRequest) -> HttpResponse:
    _require("clubs.manage", request.user)
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
            messages.success(request, f"{club.name}을(를) 만들었습니다.")
            return redirect("clubs:club_detail", club.pk)
    return render(request, "clubs/club_form.html", {"form": form})


@login_required
@require_GET
def club_detail(request: HttpRequest, pk: int) -> HttpResponse:
    club = get_object_or_404(Club, pk=pk)
    club = selectors.club_detail(club_id=club.pk)
    user = request.user
    expenses, expense_total = selectors.expenses_for_club(club=club)
    can_members = rules.has_perm("clubs.manage_members", user, club)
    return render(
        request,
        "clubs/club_detail.html",
        {
            "club": club,
            "meetings": selectors.meetings_for_club(club=club)[:50],
            "grid": selectors.report_grid(club=club),
            "hours": selectors.learning_hours_for_club(club=club),
            "expenses": expenses,
            "expense_total": expense_total,
            "grade": selectors.club_grade(club=club),
            "grade_labels": calc.GRADE_LABELS,
            "research_report": getattr(club, "research_report", None),
            "record_groups": (
                {g.pk for g in club.groups.all()}
                if is_portal_admin(user)
                else selectors.groups_user_can_record(user=user, club=club)
            ),
            "secretary_groups": selectors.secretary_groups(user=user, club=club),
            "can_members": can_members,
            "can_manage": rules.has_perm("clubs.manage", user),
            "can_research": rules.has_perm("clubs.file_research_report", user, club),
            "can_incentives": rules.has_perm("clubs.recommend_incentives", user, club),
            "group_form": GroupForm() if can_members else None,
            "member_form": MembershipAddForm(club=club) if can_members else None,
            "expense_form": ExpenseForm() if rules.has_perm("clubs.manage", user) else None,
            "cap": calc.LEARNING_HOURS_CAP,
        },
    )


@login_required
@require_POST
def group_create(request: HttpRequest, pk: int) -> HttpResponse:
    club = get_object_or_404(Club, pk=pk)
    _require("clubs.manage_members", request.user, club)
    form = GroupForm(request.POST)
    if form.is_valid() and _run(
        form, lambda: services.group_create(club=club, name=form.cleaned_data["name"])
    ):
        messages.success(request, "분임을 만들었습니다.")
    else:
        for error in form.errors.values():
            messages.error(request, " ".join(error))
    return redirect("clubs:club_detail", club.pk)


@login_required
def membership_add(request: HttpRequest, pk: int) -> HttpResponse:
    club = get_object_or_404(Club, pk=pk)
    _require("clubs.manage_members", request.user, club)
    form = MembershipAddForm(request.POST or None, club=club)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        if _run(
            form,
            lambda: services.membership_add(
                group=d["group"], user=d["user"], role=d["role"], start_date=d["start_date"]
            ),
        ):
            messages.success(request, "회원을 추가했습니다.")
            return redirect("clubs:club_detail", club.pk)
    return render(request, "clubs/simple_form.html", {
        "form": form, "club": club, "title": "분임 회원 추가", "submit": "추가",
    })  # fmt: skip


@login_required
def membership_end(request: HttpRequest, pk: int) -> HttpResponse:
    membership = get_object_or_404(
        Membership.objects.select_related("club", "group", "user"), pk=pk
    )
    _require("clubs.manage_members", request.user, membership.club)
    form = MembershipEndForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        if _run(form, lambda: services.membership_end(
            membership=membership, end_date=d["end_date"], reason=d["reason"]
        )):  # fmt: skip
            messages.success(request, "활동 종료를 기록했습니다.")
            return redirect("clubs:club_detail", membership.club_id)
    return render(request, "clubs/simple_form.html", {
        "form": form, "club": membership.club, "submit": "종료 기록",
        "title": f"{membership.user.last_name}{membership.user.first_name} 활동 종료 (승진·전보 등)",
    })  # fmt: skip


@login_required
def membership_role(request: HttpRequest, pk: int) -> HttpResponse:
    membership = get_object_or_404(
        Membership.objects.select_related("club", "group", "user"), pk=pk
    )
    _require("clubs.manage_members", request.user, membership.club)
    form = RoleChangeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        if _run(form, lambda: services.membership_change_role(
            membership=membership, role=d["role"], on_date=d["on_date"]
        )):  # fmt: skip
            messages.success(request, "역할을 바꾸었습니다.")
            return redirect("clubs:club_detail", membership.club_id)
    return render(request, "clubs/simple_form.html", {
        "form": form, "club": membership.club, "submit": "역할 변경",
        "title": f"{membership.user.last_name}{membership.user.first_name} 역할 변경",
    })  # fmt: skip


@login_required
def meeting_create(request: HttpRequest, pk: int) -> HttpResponse:
    group = get_object_or_404(StudyGroup.objects.select_related("club"), pk=pk)
    _require("clubs.record_meeting", request.user, group)
    form = MeetingForm(request.POST or None, group=group, initial={"held_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        result = _run(
            form,
            lambda: services.meeting_record(
                group=group,
                recorded_by=request.user,
                held_on=d["held_on"],
                place=d["place"],
                kind=d["kind"],
                hours=d["hours"],
                minutes=d["minutes"],
                attendee_ids=[u.pk for u in d["attendees"]],
            ),
        )
        if result:
            messages.success(request, "모임과 출석을 기록했습니다.")
            for note in result.cap_notes:
                messages.warning(request, note)
            return redirect("clubs:meeting_detail", result.meeting.pk)
    return render(request, "clubs/meeting_form.html", {"form": form, "group": group})


@login_required
@require_GET
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_object_or_404(selectors.meeting_detail_queryset(), pk=pk)
    return render(request, "clubs/meeting_detail.html", {"meeting": meeting})


@login_required
def report_create(request: HttpRequest, pk: int) -> HttpResponse:
    group = get_object_or_404(StudyGroup.objects.select_related("club"), pk=pk)
    _require("clubs.file_report", request.user, group)
    months = selectors.reports_due_for(group=group)
    form = MonthlyReportForm(request.POST or None, months=months)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        report = _run(
            form,
            lambda: services.monthly_report_file(
                group=group,
                month=d["month"],
                filed_by=request.user,
                title=d["title"],
                body=d["body"],
            ),
        )
        if report:
            messages.success(request, "활동보고서를 제출했습니다. 관리자 승인 후 게시됩니다.")
            return redirect("clubs:club_detail", group.club_id)
    return render(
        request, "clubs/report_form.html", {"form": form, "group": group, "months": months}
    )


@login_required
def research_report_create(request: HttpRequest, pk: int) -> HttpResponse:
    club = get_object_or_404(Club, pk=pk)
    _require("clubs.file_research_report", request.user, club)
    form = ResearchReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        if _run(form, lambda: services.research_report_file(
            club=club, filed_by=request.user, title=d["title"], summary=d["summary"], body=d["body"]
        )):  # fmt: skip
            messages.success(request, "연구성과 보고서를 제출했습니다.")
            return redirect("clubs:club_detail", club.pk)
    return render(request, "clubs/simple_form.html", {
        "form": form, "club": club, "title": "연구성과 보고서 제출", "submit": "제출",
    })  # fmt: skip


@login_required
@require_POST
def expense_add(request: HttpRequest, pk: int) -> HttpResponse:
    club = get_object_or_404(Club, pk=pk)
    _require("clubs.manage", request.user)
    form = ExpenseForm(request.POST)
    if form.is_valid():
        d = form.cleaned_data
        if _run(form, lambda: services.expense_record(club=club, recorded_by=request.user, **d)):
            messages.success(request, "운영지원 지출을 기록했습니다.")
            return redirect("clubs:club_detail", club.pk)
    return render(request, "clubs/simple_form.html", {
        "form": form, "club": club, "title": "운영지원 지출 기록", "submit": "기록",
    })  # fmt: skip


@login_required
@require_POST
def review_open(request: HttpRequest) -> HttpResponse:
    _require("clubs.manage", request.user)
    try:
        year = int(request.POST.get("year", ""))
        review = services.review_open(year=year, opened_by=request.user)
    except (ValueError, ValidationError) as exc:
        messages.error(request, " ".join(getattr(exc, "messages", ["연도를 확인하세요."])))
        return redirect("clubs:index")
    messages.success(request, f"{review} 회차를 열었습니다. 심사는 '심사' 메뉴에서 진행합니다.")
    return redirect(f"{_index_url()}?year={year}")


def _index_url() -> str:
    from django.urls import reverse

    return reverse("clubs:index")


@login_required
def incentives(request: HttpRequest, pk: int) -> HttpResponse:
    club = get_object_or_404(Club.objects.select_related("bureau", "chair"), pk=pk)
    _require("clubs.recommend_incentives", request.user, club)
    grade = selectors.club_grade(club=club)
    form = TopContributorForm(None, club=club)
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "recommend":
            form = TopContributorForm(request.POST, club=club)
            if form.is_valid() and _run(form, lambda: services.top_contributor_recommend(
                club=club, user=form.cleaned_data["user"], recommended_by=request.user, grade=grade
            )):  # fmt: skip
                messages.success(request, "활동 최고 기여자로 추천했습니다.")
                return redirect("clubs:incentives", club.pk)
        elif action == "withdraw":
            incentive = get_object_or_404(Incentive, pk=request.POST.get("incentive"), club=club)
            services.top_contributor_withdraw(incentive=incentive)
            messages.success(request, "추천을 취소했습니다.")
            return redirect("clubs:incentives", club.pk)
        elif action == "overseas":
            try:
                n = services.overseas_trip_recommend_all(
                    club=club, recommended_by=request.user, grade=grade
                )
                messages.success(
                    request, f"구성원 {n}명을 해외선진문화체험연수 대상으로 추천했습니다."
                )
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
            return redirect("clubs:incentives", club.pk)
    return render(request, "clubs/incentives.html", {
        "club": club, "grade": grade, "grade_label": calc.GRADE_LABELS.get(grade or "", ""),
        "kinds": calc.incentive_kinds_for_grade(grade), "form": form,
        "incentives": selectors.incentives_for_club(club=club),
        "per_group": calc.TOP_CONTRIBUTORS_PER_GROUP,
    })  # fmt: skip


@login_required
@require_GET
def export_hours(request: HttpRequest) -> HttpResponse:
    _require("clubs.export_hr", request.user)
    form = HalfYearForm(request.GET)
    if not form.is_valid():
        messages.error(request, "연도와 반기를 확인하세요.")
        return redirect("clubs:index")
    half = form.half_year()
    return _xlsx(
        exports.learning_hours_xlsx(half=half), f"learning-hours-{half.year}-H{half.half}.xlsx"
    )


@login_required
@require_GET
def export_incentives(request: HttpRequest) -> HttpResponse:
    _require("clubs.export_hr", request.user)
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        year = timezone.localdate().year
    return _xlsx(exports.incentives_xlsx(year=year), f"club-incentives-{year}.xlsx")
