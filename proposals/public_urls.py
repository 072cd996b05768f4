from django.urls import path

from . import public_views

# The public pages for residents (no login), mounted at /propose/.
app_name = "propose"
urlpatterns = [
    path("", public_views.propose_form, name="form"),
    path("done/", public_views.propose_done, name="done"),
    path("status/", public_views.propose_status, name="status"),
    path("adopted/", public_views.adopted_list, name="adopted"),
    path("adopted/<int:pk>/", public_views.adopted_detail, name="adopted_detail"),
]
