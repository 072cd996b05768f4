from django.contrib import admin
from django.urls import include, path

from . import views
from .health import healthz

admin.site.site_header = "지식나눔 관리"
admin.site.site_title = "지식나눔 관리"
admin.site.index_title = "창의구정 관리"

urlpatterns = [
    path("", views.home, name="home"),
    path("accounts/", include("org.urls")),
    path("admin/", admin.site.urls),
    path("board/", include("board.urls")),
    path("proposals/", include("proposals.urls")),
    path("propose/", include("proposals.public_urls")),
    path("clubs/", include("clubs.urls")),
    path("contests/", include("contests.urls")),
    path("scoring/", include("scoring.urls")),
    path("notifications/", include("notifications.urls")),
    path("downloads/", include("downloads.urls")),
    path("programme/", include("programme.urls")),
    path("healthz", healthz, name="healthz"),
]
