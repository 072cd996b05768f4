from django.apps import AppConfig


class CommonConfig(AppConfig):
    """Installed only for its template tags (the KRDS form fields); it has no models."""

    name = "common"
    verbose_name = "공통"
