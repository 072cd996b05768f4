from django.contrib import admin
from django.http import HttpRequest

from org.admin_people import PeopleAdminMixin

from .forms import PlanActivityForm
from .models import JobRun, PlanActivity, PlanYear


class PlanActivityInline(PeopleAdminMixin, admin.TabularInline):
    model = PlanActivity
    form = PlanActivityForm
    extra = 1


@admin.register(PlanYear)
class PlanYearAdmin(PeopleAdminMixin, admin.ModelAdmin):
    list_display = ["year", "__str__", "budget_thousand_won"]
    inlines = [PlanActivityInline]


@admin.register(JobRun)
class JobRunAdmin(PeopleAdminMixin, admin.ModelAdmin):
    """The log is written by the jobs only; admins read it (re-run with ``run_job --force``)."""

    list_display = ["job", "period", "status", "attempts", "started_at", "finished_at"]
    list_filter = ["job", "status"]
    search_fields = ["job", "period"]
    readonly_fields = [f.name for f in JobRun._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: JobRun | None = None) -> bool:
        return False
