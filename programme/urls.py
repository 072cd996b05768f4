from django.urls import path

from . import views

app_name = "programme"
urlpatterns = [
    path("", views.calendar, name="calendar"),
    path("<int:year>/", views.calendar, name="calendar_year"),
]
