"""System checks of the production setup that Django's own do not cover.

Residents' mail (name, receipt number, decision) printed by the console backend ends up in
the server log: outside DEBUG that backend is refused.
"""

from collections.abc import Sequence
from typing import Any

from django.apps import AppConfig
from django.conf import settings
from django.core.checks import CheckMessage, Error, Tags, register

PRINTING_BACKENDS = (
    "django.core.mail.backends.console.EmailBackend",
    "django.core.mail.backends.filebased.EmailBackend",
)
CONSOLE_EMAIL = Error(
    "The console e-mail backend prints residents' mail to the server log.",
    hint="Set EMAIL_URL (smtp://...) in the environment file (deploy/jisik.env.example).",
    id="jisik.E001",
)


def _mail_printed() -> bool:
    return settings.EMAIL_BACKEND in PRINTING_BACKENDS and not settings.DEBUG


@register(Tags.security)
def console_email_in_production(
    app_configs: Sequence[AppConfig] | None = None, **kwargs: Any
) -> list[CheckMessage]:
    """In production (PORTAL_ENV=production) every command refuses to start with it."""
    return [CONSOLE_EMAIL] if getattr(settings, "PRODUCTION", False) and _mail_printed() else []


@register(Tags.security, deploy=True)
def console_email_outside_debug(
    app_configs: Sequence[AppConfig] | None = None, **kwargs: Any
) -> list[CheckMessage]:
    """``check --deploy`` refuses it whenever DEBUG is off."""
    if getattr(settings, "PRODUCTION", False):
        return []  # reported once, by the check above
    return [CONSOLE_EMAIL] if _mail_printed() else []
