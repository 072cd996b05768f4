"""Receivers of the org app, connected in OrgConfig.ready (never imported before it)."""

from typing import Any

from django.apps import AppConfig

from .services import roles_ensure


def ensure_roles_after_migrate(sender: AppConfig, **kwargs: Any) -> None:
    roles_ensure()
