from django.contrib.auth.decorators import login_required
from django.urls import path
from django.views.generic import TemplateView

# Placeholder until the board issue lands; `board:area_list` is the stable name the layout uses.
app_name = "board"
urlpatterns = [
    path(
        "<slug:area>/",
        login_required(
            TemplateView.as_view(
                template_name="coming_soon.html", extra_context={"title": "지식나눔"}
            )
        ),
        name="area_list",
    ),
]
