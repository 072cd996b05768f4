from django.apps import AppConfig


class BoardConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "board"
    verbose_name = "지식나눔 게시판"

    def ready(self) -> None:
        # Django's one sanctioned function-local import: the receivers import the board's
        # models, which cannot be imported before the app registry is ready.
        from .signals import connect_page_parts  # noqa: PLC0415

        connect_page_parts()
