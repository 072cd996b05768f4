from django.urls import path

from . import views

app_name = "contests"
urlpatterns = [
    path("", views.index, name="index"),
    path("committees/", views.committees, name="committees"),
    path(
        "committees/<int:pk>/members/new/",
        views.committee_member_new,
        name="committee_member_new",
    ),
    path("budget/", views.budget, name="budget"),
    path("budget/<int:year>/", views.budget, name="budget_year"),
    path(
        "budget/<int:year>/performance-points.xlsx",
        views.performance_points_export,
        name="performance_points_export",
    ),
    path("rounds/new/", views.round_new, name="round_new"),
    path("rounds/<int:pk>/", views.round_detail, name="round_detail"),
    path("rounds/<int:pk>/quotas/", views.round_quotas, name="round_quotas"),
    path("rounds/<int:pk>/confirm/", views.round_confirm, name="round_confirm"),
    path("rounds/<int:pk>/audit/", views.round_audit, name="round_audit"),
    path("rounds/<int:pk>/minutes.xlsx", views.round_minutes, name="round_minutes"),
    path("stages/<int:pk>/action/<str:action>/", views.stage_action, name="stage_action"),
    path("stages/<int:pk>/close/", views.stage_close, name="stage_close"),
    path("stages/<int:pk>/reopen/", views.stage_reopen, name="stage_reopen"),
    path("stages/<int:pk>/review/", views.review_list, name="review_list"),
    path("stages/<int:pk>/results/", views.stage_results, name="stage_results"),
    path("stages/<int:pk>/scores.xlsx", views.stage_scores_export, name="stage_scores_export"),
    path("stages/<int:pk>/entries/<int:entry_pk>/", views.review_entry, name="review_entry"),
    path(
        "stages/<int:pk>/entries/<int:entry_pk>/recuse/",
        views.review_recuse,
        name="review_recuse",
    ),
    path("rounds/<int:pk>/case/", views.case_submit, name="case_submit"),
    path("entries/<int:pk>/file/", views.entry_file, name="entry_file"),
    path("awards/<int:pk>/certificate.pdf", views.award_certificate, name="award_certificate"),
]
