from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _


class DownloadsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "downloads"
    verbose_name = _("내려받기")

    def ready(self) -> None:
        # Apps register their background exports in their own ``exports`` module (as the admin
        # finds ``admin`` modules): the web process and the worker both see every builder.
        autodiscover_modules("exports")
