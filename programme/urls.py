from django.urls import path

from . import views

app_name = "programme"
urlpatterns = [
    path("", views.calendar, name="calendar"),
    path("<int:year>/", views.calendar, name="calendar_year"),
    path("dashboard/", views.dashboard_page, name="dashboard"),
    path("dashboard/export.xlsx", views.dashboard_export, name="dashboard_export"),
]
