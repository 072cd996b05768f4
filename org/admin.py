from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from .models import Bureau, Department, StaffProfile, Team

User = get_user_model()


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


@admin.register(StaffProfile)
class StaffProfileAdmin(admin.ModelAdmin):
    list_display = ["user", "department", "team", "position", "employee_number"]
    list_filter = ["position", "department__bureau"]
    search_fields = ["user__username", "user__last_name", "user__first_name", "employee_number"]
    list_select_related = ["user", "department", "team__department"]
    autocomplete_fields = ["user", "department"]


class StaffProfileInline(admin.StackedInline):
    model = StaffProfile
    can_delete = False


admin.site.unregister(User)


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    inlines = [StaffProfileInline]
    list_select_related = ["staff_profile__department"]
