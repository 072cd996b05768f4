from django.apps import AppConfig


class PortalConfig(AppConfig):
    """The project package as an app: only to connect the role cache's invalidation in every
    process (web, Celery worker, cron's manage.py: the directory sync changes roles)."""

    name = "jisik_portal"
    verbose_name = "지식나눔"

    def ready(self) -> None:
        # Django's one sanctioned function-local import: the receivers import auth's models,
        # which cannot be imported before the app registry is ready, i.e. at apps.py's top.
        from .roles_cache import connect_invalidation  # noqa: PLC0415

        connect_invalidation()
