from django.contrib import admin

from org.admin_people import PeopleAdminMixin

from .models import Notification


@admin.register(Notification)
class NotificationAdmin(PeopleAdminMixin, admin.ModelAdmin):
    list_display = ["title", "recipient", "verb", "created_at", "read_at", "emailed_at"]
    list_filter = ["verb", ("read_at", admin.EmptyFieldListFilter)]
    search_fields = ["title", "recipient__username", "recipient__last_name"]
    list_select_related = ["recipient"]
    date_hierarchy = "created_at"
