"""The list page's covering index, per database (Meta can't say "INCLUDE on PostgreSQL only"
without a system-check warning on SQLite): see the note in ``board.models.Post.Meta``."""

from django.db import migrations

POSTGRES = (
    "CREATE INDEX IF NOT EXISTS board_post_visible ON board_post "
    "(area, status, author_id) INCLUDE (department_id, created_at)"
)
OTHER = "CREATE INDEX IF NOT EXISTS board_post_visible ON board_post (area, status, author_id)"


def create(apps, schema_editor) -> None:
    postgres = schema_editor.connection.vendor == "postgresql"
    schema_editor.execute(POSTGRES if postgres else OTHER)


def drop(apps, schema_editor) -> None:
    schema_editor.execute("DROP INDEX IF EXISTS board_post_visible")


class Migration(migrations.Migration):
    dependencies = [("board", "0004_list_count_index")]

    operations = [
        # Drop the Meta version (state and table), then create the per-database one.
        migrations.RemoveIndex(model_name="post", name="board_post_visible"),
        migrations.RunPython(create, drop, elidable=False),
    ]
