from django.apps import AppConfig
from django.db.models.signals import post_migrate


class OrgConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "org"
    verbose_name = "조직"

    def ready(self) -> None:
        from .signals import ensure_roles_after_migrate

        # After the last app migrates, so every model's permissions exist.
        post_migrate.connect(ensure_roles_after_migrate, dispatch_uid="org.roles_ensure")
