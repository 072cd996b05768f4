from django.apps import AppConfig
from django.db.models.signals import post_migrate

# Importing the module registers the production checks (console e-mail outside DEBUG).
from . import checks  # noqa: F401


class OrgConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "org"
    verbose_name = "조직"

    def ready(self) -> None:
        # Django's one sanctioned function-local import: signals import services and models,
        # which cannot be imported before the app registry is ready, i.e. at apps.py's top.
        from .selectors import directory_signals_connect  # noqa: PLC0415
        from .signals import ensure_roles_after_migrate  # noqa: PLC0415

        # The people directory's version moves when a name or department change commits.
        directory_signals_connect()

        # After the last app migrates, so every model's permissions exist.
        post_migrate.connect(ensure_roles_after_migrate, dispatch_uid="org.roles_ensure")
