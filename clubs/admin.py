"""Django admin for the learning clubs. Topic lists are edited here (to replace the sample
wording); everything else is written through the club pages (services) and only viewed here.
Monthly reports are approved as board posts in the board's admin or review queue."""

from django.contrib import admin
from django.db.models import Model
from django.http import HttpRequest

from org.admin_people import PeopleAdminMixin, person_label

from .models import (
    Attendance,
    Club,
    ClubReview,
    Incentive,
    Meeting,
    Membership,
    MissingReportFlag,
    MonthlyReport,
    ResearchReport,
    StudyGroup,
    SupportExpense,
    Topic,
)


@admin.register(Topic)
class TopicAdmin(PeopleAdminMixin, admin.ModelAdmin):
    list_display = ["source", "number", "title", "is_sample"]
    list_filter = ["source", "is_sample"]
    search_fields = ["title"]


class ViewOnlyAdmin(PeopleAdminMixin, admin.ModelAdmin):
    """Writes go through services (their rules and Korean messages); admin only looks."""

    def has_add_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


@admin.register(Club)
class ClubAdmin(ViewOnlyAdmin):
    list_display = ["year", "name", "bureau", "chair"]
    list_filter = ["year", "bureau"]
    list_select_related = ["bureau", "chair"]
    # A person is picked by search, never from a <select> of every member of staff.
    autocomplete_fields = ["chair"]


@admin.register(StudyGroup)
class StudyGroupAdmin(ViewOnlyAdmin):
    list_display = ["club", "name"]
    list_filter = ["club__year"]
    list_select_related = ["club"]


@admin.register(Membership)
class MembershipAdmin(ViewOnlyAdmin):
    list_display = ["group", "user", "role", "start_date", "end_date", "end_reason"]
    list_filter = ["club__year", "role", "end_reason"]
    list_select_related = ["group__club", "user"]
    autocomplete_fields = ["user"]
    search_fields = ["user__username", "user__last_name", "user__first_name"]

    def object_label(self, obj: Membership) -> str:
        return f"{obj.group} {person_label(obj.user)} ({obj.get_role_display()})"


class AttendanceInline(PeopleAdminMixin, admin.TabularInline):
    model = Attendance
    fields = ["user", "hours"]
    readonly_fields = ["user", "hours"]
    extra = 0
    can_delete = False


@admin.register(Meeting)
class MeetingAdmin(ViewOnlyAdmin):
    list_display = ["held_on", "group", "kind", "place", "hours", "recorded_by"]
    list_filter = ["kind", "group__club__year"]
    list_select_related = ["group__club", "recorded_by"]
    autocomplete_fields = ["recorded_by"]
    inlines = [AttendanceInline]
    date_hierarchy = "held_on"


@admin.register(MonthlyReport)
class MonthlyReportAdmin(ViewOnlyAdmin):
    list_display = ["month", "group", "post", "meeting_count", "attendance_count", "filed_by"]
    list_filter = ["group__club__year", "post__status"]
    list_select_related = ["group__club", "post", "filed_by"]
    autocomplete_fields = ["filed_by"]


@admin.register(ResearchReport)
class ResearchReportAdmin(ViewOnlyAdmin):
    list_display = ["club", "post", "filed_by", "filed_at"]
    list_select_related = ["club", "post", "filed_by"]
    autocomplete_fields = ["filed_by"]


@admin.register(SupportExpense)
class SupportExpenseAdmin(ViewOnlyAdmin):
    list_display = ["club", "spent_on", "category", "amount", "description"]
    list_filter = ["club__year", "category"]
    list_select_related = ["club"]
    autocomplete_fields = ["recorded_by"]


@admin.register(Incentive)
class IncentiveAdmin(ViewOnlyAdmin):
    list_display = ["club", "group", "user", "kind", "grade", "recommended_at"]
    list_filter = ["club__year", "kind"]
    list_select_related = ["club", "group", "user"]
    autocomplete_fields = ["user", "recommended_by"]

    def object_label(self, obj: Incentive) -> str:
        return f"{obj.club} {person_label(obj.user)} {obj.get_kind_display()}"


@admin.register(ClubReview)
class ClubReviewAdmin(ViewOnlyAdmin):
    list_display = ["year", "round", "opened_by", "opened_at"]
    autocomplete_fields = ["opened_by"]


@admin.register(MissingReportFlag)
class MissingReportFlagAdmin(ViewOnlyAdmin):
    list_display = ["month", "group", "flagged_at"]
    list_select_related = ["group__club"]
