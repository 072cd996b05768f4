"""django-axes under a Korean name in the admin (로그인 잠금): its app has no verbose name
of its own, so the admin index would say "Axes". Installed in settings in place of "axes"
(Django's documented way to rename a third-party app); everything else is axes' own.
Its model and field names come from ``locale/ko/LC_MESSAGES/django.po``."""

from axes.apps import AppConfig as BaseAxesConfig
from django.utils.translation import gettext_lazy as _


class AxesConfig(BaseAxesConfig):
    verbose_name = _("로그인 잠금")
