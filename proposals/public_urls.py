from django.urls import path
from django.views.generic import TemplateView

# Placeholder until the proposals issue lands: the public form for residents (no login).
app_name = "propose"
urlpatterns = [
    path(
        "",
        TemplateView.as_view(
            template_name="coming_soon.html", extra_context={"title": "구민 제안"}
        ),
        name="form",
    ),
]
