"""PostgreSQL only: the search key as a stored tsvector (a generated column the database
keeps up to date from ``search_grams``), with the GIN index ``board_post_grams_fts`` on it.

A search then tests each row with a stored vector instead of parsing its key again: walking
the newest posts for a common word costs microseconds a row, and the planner has real
statistics for rare words. The model does not know the column (SQLite has no tsvector);
``board.selectors.search`` filters on it by name."""

from django.db import migrations

CREATE = [
    "DROP INDEX IF EXISTS board_post_grams_fts",
    "ALTER TABLE board_post ADD COLUMN IF NOT EXISTS search_vector tsvector "
    "GENERATED ALWAYS AS (to_tsvector('simple'::regconfig, COALESCE(search_grams, ''))) STORED",
    "CREATE INDEX IF NOT EXISTS board_post_grams_fts ON board_post USING gin (search_vector)",
]
DROP = [
    "DROP INDEX IF EXISTS board_post_grams_fts",
    "ALTER TABLE board_post DROP COLUMN IF EXISTS search_vector",
    "CREATE INDEX IF NOT EXISTS board_post_grams_fts ON board_post "
    "USING gin (to_tsvector('simple'::regconfig, COALESCE(search_grams, '')))",
]


def _run(statements: list[str]):
    def run(apps, schema_editor) -> None:
        if schema_editor.connection.vendor != "postgresql":
            return
        for sql in statements:
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("board", "0009_sort_indexes")]
    operations = [migrations.RunPython(_run(CREATE), _run(DROP), elidable=False)]
