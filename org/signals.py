from django.apps import AppConfig


def ensure_roles_after_migrate(sender: AppConfig, **kwargs: object) -> None:
    from .services import roles_ensure

    roles_ensure()
