import secrets
import time
from pathlib import Path
from typing import Any

from axes.admin import AccessAttemptAdmin as BaseAccessAttemptAdmin
from axes.conf import settings as axes_settings
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.db.models import Model, Q, QuerySet
from django.db.models.functions import Concat
from django.forms import BaseModelFormSet, ModelForm
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from common.access import require
from common.admin import Confirmation, confirmation_page, confirmed
from common.errors import ServiceError
from common.web import message_error

from .admin_people import PeopleAdminMixin, PersonAutocompleteJsonView, person_label
from .forms import StaffImportConfirmForm, StaffImportForm
from .lockout import expired_attempts, expired_attempts_delete
from .models import Assignment, Bureau, Department, StaffImportRun, StaffProfile, Team
from .services import account_invite_send, password_change_require, staff_transfer
from .staff_import import Plan, staff_import

User = get_user_model()

PREVIEW_ROWS = 200  # of each list on the dry-run page; the counts are always whole
UPLOAD_DIR = "staff_import"
UPLOAD_KEEP_SECONDS = 24 * 3600
SESSION_KEY = "org_staff_import_tokens"


class DepartmentInline(admin.TabularInline):
    model = Department
    extra = 0


@admin.register(Bureau)
class BureauAdmin(admin.ModelAdmin):
    list_display = ["name", "order"]
    inlines = [DepartmentInline]


class TeamInline(admin.TabularInline):
    model = Team
    extra = 0


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ["name", "bureau", "kind", "order"]
    list_filter = ["bureau", "kind"]
    search_fields = ["name"]
    list_select_related = ["bureau"]
    inlines = [TeamInline]


class AssignmentInline(PeopleAdminMixin, admin.TabularInline):
    """The person's postings 발령 이력: written by transfers and imports, read here."""

    model = Assignment
    fk_name = "user"
    extra = 0
    can_delete = False
    fields = ("department", "team", "started_at", "ended_at")
    readonly_fields = fields
    ordering = ["started_at"]

    def has_add_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


def _upload_dir() -> Path:
    folder = Path(settings.MEDIA_ROOT) / UPLOAD_DIR
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _stale_uploads_remove(folder: Path) -> None:
    cutoff = time.time() - UPLOAD_KEEP_SECONDS
    for old in folder.iterdir():
        if old.is_file() and old.stat().st_mtime < cutoff:
            old.unlink(missing_ok=True)


@admin.register(StaffProfile)
class StaffProfileAdmin(PeopleAdminMixin, admin.ModelAdmin):
    list_display = (
        "user", "department", "team", "position", "grade", "employee_number", "employment_status",
    )  # fmt: skip
    list_filter = ["position", "employment_status", "department__bureau"]
    search_fields = ["user__username", "user__last_name", "user__first_name", "employee_number"]
    list_select_related = ["user", "department", "team__department"]
    autocomplete_fields = ["user", "department"]
    change_list_template = "admin/org/staffprofile/change_list.html"

    def save_model(
        self, request: HttpRequest, obj: StaffProfile, form: ModelForm, change: bool
    ) -> None:
        # A posting changed here is a transfer: it keeps the history like an import does.
        moved = change and {"department", "team"} & set(form.changed_data)
        if moved:
            staff_transfer(user=obj.user, department=obj.department, team=obj.team)
        super().save_model(request, obj, form, change)
        if not change:
            staff_transfer(user=obj.user, department=obj.department, team=obj.team)

    def get_urls(self) -> list[URLPattern]:
        own = [
            path(
                "import/",
                self.admin_site.admin_view(self.import_view),
                name="org_staffprofile_import",
            )
        ]
        return own + super().get_urls()

    def import_view(self, request: HttpRequest) -> HttpResponse:
        """인사 자료 가져오기: upload -> dry run (nothing written) -> import."""
        require(request.user, "org.manage_portal")
        context: dict[str, Any] = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("인사 자료 가져오기"),
        }
        if request.method == "POST" and "token" in request.POST:
            return self._import_confirm(request, context)
        form = StaffImportForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            folder = _upload_dir()
            _stale_uploads_remove(folder)
            suffix = Path(upload.name).suffix.lower()[:8]
            token = secrets.token_urlsafe(24)
            stored = folder / f"{token}{suffix}"
            with stored.open("wb") as out:
                for chunk in upload.chunks():
                    out.write(chunk)
            try:
                with stored.open("rb") as data:
                    plan = staff_import(
                        data=data, filename=upload.name, size=stored.stat().st_size,
                        create_departments=form.cleaned_data["create_departments"], dry_run=True,
                    ).plan  # fmt: skip
            except ServiceError as exc:
                stored.unlink(missing_ok=True)
                form.add_error("file", str(exc))
            else:
                tokens = request.session.get(SESSION_KEY, {})
                tokens[token] = {"name": upload.name, "suffix": suffix}
                request.session[SESSION_KEY] = tokens
                confirm = StaffImportConfirmForm(
                    initial={"token": token, **{k: form.cleaned_data[k] for k in (
                        "create_departments", "skip_bad_lines", "send_invites")}}
                )  # fmt: skip
                context.update(self._preview(plan, skip=form.cleaned_data["skip_bad_lines"]))
                context.update(confirm=confirm, options=form.cleaned_data)
                return TemplateResponse(
                    request, "admin/org/staffprofile/import_preview.html", context
                )
        context["form"] = form
        return TemplateResponse(request, "admin/org/staffprofile/import.html", context)

    def _preview(self, plan: Plan, *, skip: bool) -> dict[str, Any]:
        return {
            "plan": plan,
            "creates": plan.creates[:PREVIEW_ROWS],
            "changes": plan.changes[:PREVIEW_ROWS],
            "deactivations": plan.deactivations[:PREVIEW_ROWS],
            "issues": plan.issues[: PREVIEW_ROWS * 5],
            "preview_rows": PREVIEW_ROWS,
            "can_import": plan.writes_anything and (not plan.issues or skip),
        }

    def _import_confirm(self, request: HttpRequest, context: dict[str, Any]) -> HttpResponse:
        back = reverse("admin:org_staffprofile_import")
        form = StaffImportConfirmForm(request.POST)
        tokens = request.session.get(SESSION_KEY, {})
        if not form.is_valid() or form.cleaned_data["token"] not in tokens:
            messages.error(request, _("미리 보기가 끝난 파일이 없습니다. 파일을 다시 올려 주세요."))
            return HttpResponseRedirect(back)
        token = form.cleaned_data["token"]
        entry = tokens.pop(token)
        request.session[SESSION_KEY] = tokens
        stored = _upload_dir() / f"{token}{entry['suffix']}"
        if not stored.is_file():
            messages.error(request, _("미리 보기가 끝난 파일이 없습니다. 파일을 다시 올려 주세요."))
            return HttpResponseRedirect(back)
        try:
            with stored.open("rb") as data:
                result = staff_import(
                    data=data, filename=entry["name"], size=stored.stat().st_size,
                    create_departments=form.cleaned_data["create_departments"],
                    skip_bad_lines=form.cleaned_data["skip_bad_lines"],
                    by=request.user if isinstance(request.user, User) else None,
                )  # fmt: skip
        except ServiceError as exc:
            message_error(request, exc)
            return HttpResponseRedirect(back)
        finally:
            stored.unlink(missing_ok=True)
        run = result.run
        if run is None:  # only a dry run has none
            return HttpResponseRedirect(back)
        invited = 0
        if form.cleaned_data["send_invites"] and result.plan.creates:
            base = request.build_absolute_uri("/")
            numbers = [r.employee_number for r in result.plan.creates]
            for user in User.objects.filter(staff_profile__employee_number__in=numbers):
                invited += account_invite_send(user=user, base_url=base)
        messages.success(
            request,
            _(
                "가져왔습니다: 새 직원 %(created)d명, 바뀜 %(changed)d명, 사용 중지 "
                "%(deactivated)d명, 건너뛴 줄 %(skipped)d개, 안내 메일 %(invited)d통."
            )
            % {
                "created": run.created,
                "changed": run.changed,
                "deactivated": run.deactivated,
                "skipped": run.skipped,
                "invited": invited,
            },  # fmt: skip
        )
        return HttpResponseRedirect(reverse("admin:org_staffimportrun_change", args=[run.pk]))


@admin.register(StaffImportRun)
class StaffImportRunAdmin(PeopleAdminMixin, admin.ModelAdmin):
    list_display = [
        "started_at", "filename", "started_by", "status", "created", "changed", "deactivated",
        "skipped",
    ]  # fmt: skip
    list_select_related = ["started_by"]
    readonly_fields = [f.name for f in StaffImportRun._meta.fields]

    class Media:
        css = {"all": ["org/admin.css"]}

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


class StaffProfileInline(PeopleAdminMixin, admin.StackedInline):
    model = StaffProfile
    can_delete = False


admin.site.unregister(User)


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    """Staff accounts. Also the search behind every person autocomplete of the admin: by
    아이디, 이름 (홍길동, family name first as one word), e-mail or 부서."""

    inlines = [StaffProfileInline, AssignmentInline]
    list_display = ("username", "person", "email", "is_staff", "is_active")
    list_select_related = ["staff_profile__department"]
    search_fields = (
        "username", "first_name", "last_name", "email", "staff_profile__department__name",
    )  # fmt: skip

    @admin.display(description=gettext_lazy("이름 (부서)"), ordering="last_name")
    def person(self, obj: Any) -> str:
        return person_label(obj)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        return super().get_queryset(request).select_related("staff_profile__department")

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet[Any], search_term: str
    ) -> tuple[QuerySet[Any], bool]:
        found, duplicates = super().get_search_results(request, queryset, search_term)
        words = search_term.split()
        if words:
            # A Korean name is typed whole (홍길동) but stored as 홍 + 길동.
            named = queryset.annotate(full_name=Concat("last_name", "first_name"))
            match = Q()
            for word in words:
                match &= Q(full_name__icontains=word)
            found = found | queryset.filter(pk__in=named.filter(match).values("pk"))
        return found, duplicates

    def get_urls(self) -> list[URLPattern]:
        autocomplete = PersonAutocompleteJsonView.as_view(admin_site=self.admin_site)
        own = [
            path(
                "person-autocomplete/",
                self.admin_site.admin_view(autocomplete),
                name="org_person_autocomplete",
            )
        ]
        return own + super().get_urls()

    def save_formset(
        self, request: HttpRequest, form: ModelForm, formset: BaseModelFormSet, change: bool
    ) -> None:
        if formset.model is not StaffProfile:
            super().save_formset(request, form, formset, change)
            return
        for f in formset.forms:  # a posting changed here is a transfer, with history
            if f.instance.pk and {"department", "team"} & set(f.changed_data):
                staff_transfer(
                    user=form.instance,
                    department=f.cleaned_data.get("department"),
                    team=f.cleaned_data.get("team"),
                )
        super().save_formset(request, form, formset, change)
        profile = StaffProfile.objects.filter(user=form.instance).first()
        if profile is not None:
            staff_transfer(user=form.instance, department=profile.department, team=profile.team)

    def save_related(
        self, request: HttpRequest, form: ModelForm, formsets: list[BaseModelFormSet], change: bool
    ) -> None:
        super().save_related(request, form, formsets, change)
        if not change and form.instance.has_usable_password():
            # An admin chose this password: the person must choose their own at first login.
            password_change_require(user=form.instance)

    def user_change_password(
        self, request: HttpRequest, id: str, form_url: str = ""
    ) -> HttpResponse:
        response = super().user_change_password(request, id, form_url)
        if request.method == "POST" and response.status_code == 302:
            user = self.get_object(request, id)
            if user is not None and user != request.user and user.has_usable_password():
                password_change_require(user=user)
        return response


class AccessAttemptAdmin(BaseAccessAttemptAdmin):
    """axes' own admin with Korean headers for its two computed columns and its message
    (the rest is translated by ``locale/ko``)."""

    @admin.action(description=gettext_lazy("만료된 로그인 시도 기록 정리"))
    def cleanup_expired_attempts(
        self, request: HttpRequest, queryset: QuerySet[Any]
    ) -> TemplateResponse | None:
        """Deletes every expired attempt (whatever is selected), after a confirmation page
        that says how many: deleted records cannot be brought back."""
        expired = expired_attempts(request)
        if not expired.exists():
            self.message_user(
                request, _("정리할 만료된 로그인 시도 기록이 없습니다."), messages.INFO
            )
            return None
        if not confirmed(request):
            n = expired.count()
            return confirmation_page(
                self, request, expired, action="cleanup_expired_attempts",
                confirmation=Confirmation(
                    title=_("만료된 로그인 시도 기록 정리"),
                    summary=[
                        _("잠금 유지 시간이 지난 로그인 시도 기록 %(n)d건을 지웁니다.") % {"n": n},
                        _("지운 기록은 되돌릴 수 없습니다. 선택과 관계없이 만료된 기록 전체가 대상입니다."),
                    ],
                    button=_("기록 정리"),
                ),
            )  # fmt: skip
        count = expired_attempts_delete(request)
        self.message_user(request, _("만료된 로그인 시도 %(n)d건을 정리했습니다.") % {"n": count})
        return None

    @admin.display(description=gettext_lazy("만료 시각"))
    def expiration(self, obj: AccessAttempt) -> Any:
        return super().expiration(obj)

    @admin.display(description=gettext_lazy("상태"))
    def status(self, obj: AccessAttempt) -> str:
        remaining = axes_settings.AXES_FAILURE_LIMIT - obj.failures_since_start
        if remaining > 0:
            return _("%(n)d회 남음") % {"n": remaining}
        return _("잠김")


if admin.site.is_registered(AccessAttempt):
    admin.site.unregister(AccessAttempt)
    admin.site.register(AccessAttempt, AccessAttemptAdmin)
