from django.urls import path

from . import views

app_name = "clubs"
urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.club_create, name="club_create"),
    path("review/open/", views.review_open, name="review_open"),
    path("export/hours.xlsx", views.export_hours, name="export_hours"),
    path("export/incentives.xlsx", views.export_incentives, name="export_incentives"),
    path("<int:pk>/", views.club_detail, name="club_detail"),
    path("<int:pk>/groups/", views.group_create, name="group_create"),
    path("<int:pk>/members/", views.membership_add, name="membership_add"),
    path("<int:pk>/research-report/", views.research_report_create, name="research_report_create"),
    path("<int:pk>/expenses/", views.expense_add, name="expense_add"),
    path("<int:pk>/incentives/", views.incentives, name="incentives"),
    path("memberships/<int:pk>/end/", views.membership_end, name="membership_end"),
    path("memberships/<int:pk>/role/", views.membership_role, name="membership_role"),
    path("groups/<int:pk>/meetings/new/", views.meeting_create, name="meeting_create"),
    path("groups/<int:pk>/reports/new/", views.report_create, name="report_create"),
    path("meetings/<int:pk>/", views.meeting_detail, name="meeting_detail"),
]
