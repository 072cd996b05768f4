from django.urls import path

from . import views

app_name = "proposals"
urlpatterns = [
    path("", views.index, name="index"),
    path("write/", views.write, name="write"),
    path("register/", views.register, name="register"),
    path("export/", views.export, name="export"),
    path("access-log/", views.access_log, name="access_log"),
    path("statistics/", views.statistics, name="statistics"),
    path("themes/", views.themes, name="themes"),
    path("themes/<int:pk>/", views.theme_detail, name="theme_detail"),
    path("benchmarking/", views.benchmarks, name="benchmarks"),
    path("benchmarking/<int:pk>/", views.benchmark_detail, name="benchmark_detail"),
    path("evaluations/", views.evaluations, name="evaluations"),
    path("evaluations/<int:pk>/sync/", views.evaluation_sync, name="evaluation_sync"),
    path("evaluations/hr-export/", views.hr_export, name="hr_export"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/transition/", views.transition, name="transition"),
    path("<int:pk>/link/", views.link, name="link"),
    path("<int:pk>/attachment/", views.attachment, name="attachment"),
]
