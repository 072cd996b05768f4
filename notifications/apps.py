from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "notifications"
    verbose_name = "알림"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in  # noqa: PLC0415

        from .selectors import unread_fill_at_login  # noqa: PLC0415 - the apps are loaded

        # The unread badge's count is kept from the login on (notifications.selectors).
        user_logged_in.connect(unread_fill_at_login, dispatch_uid="notifications.unread_login")
