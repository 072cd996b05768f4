from django.urls import path

from . import views

app_name = "scoring"
urlpatterns = [
    path("me/", views.me, name="me"),
    path("leaderboard/", views.leaderboard_view, name="leaderboard"),
    path("leaderboard/export.xlsx", views.export, name="export"),
    path("leaderboard/export.csv", views.export_csv, name="export_csv"),
]
