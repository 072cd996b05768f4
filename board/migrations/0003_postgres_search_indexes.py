"""PostgreSQL-only indexes for duplicate lookup and Korean keyword search (no-ops on SQLite).

- ``board_post_normalized_trgm``: GIN pg_trgm on the noun key, for ``normalized % key``.
- ``board_post_grams_fts``: GIN full-text on the bigram key, the same expression
  ``board.selectors.search`` filters on (``to_tsvector('simple', COALESCE(search_grams, ''))``),
  so a two-syllable word like 도서 is found through the index.
"""

from django.db import migrations

CREATE = [
    "CREATE INDEX IF NOT EXISTS board_post_normalized_trgm ON board_post "
    "USING gin (normalized gin_trgm_ops)",
    "CREATE INDEX IF NOT EXISTS board_post_grams_fts ON board_post "
    "USING gin (to_tsvector('simple'::regconfig, COALESCE(search_grams, '')))",
]
DROP = [
    "DROP INDEX IF EXISTS board_post_normalized_trgm",
    "DROP INDEX IF EXISTS board_post_grams_fts",
]


def _run(statements: list[str]):
    def run(apps, schema_editor) -> None:
        if schema_editor.connection.vendor != "postgresql":
            return
        for sql in statements:
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("board", "0002_posts")]
    operations = [migrations.RunPython(_run(CREATE), _run(DROP), elidable=False)]
