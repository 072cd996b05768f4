from django.apps import AppConfig


class ProposalsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "proposals"
    verbose_name = "창의제안"

    def ready(self) -> None:
        # Django's one sanctioned function-local import: the receivers import services and
        # models, which cannot be imported before the app registry is ready (apps.py's top).
        from . import receivers  # noqa: F401, PLC0415
