from django.contrib import admin
from django.http import HttpRequest

from org.admin_people import PeopleAdminMixin

from .models import Download


@admin.register(Download)
class DownloadAdmin(PeopleAdminMixin, admin.ModelAdmin[Download]):
    """Read-only: downloads are made by the background build, never by hand."""

    list_display = ["label", "requested_by", "status", "done", "total", "created_at"]
    list_filter = ["status", "kind"]
    list_select_related = ["requested_by"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Download | None = None) -> bool:
        return False
