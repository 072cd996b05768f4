from django.contrib.auth.decorators import login_required
from django.urls import path
from django.views.generic import TemplateView

# Placeholder until this app's issue lands; the URL name is the stable one the layout links to.
app_name = "notifications"
urlpatterns = [
    path(
        "",
        login_required(
            TemplateView.as_view(template_name="coming_soon.html", extra_context={"title": "알림"})
        ),
        name="index",
    ),
]
