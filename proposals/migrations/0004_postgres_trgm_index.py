"""PostgreSQL-only GIN pg_trgm index on the noun key, for the intake duplicate check
(``normalized_text % key``); a no-op on SQLite. pg_trgm comes from board 0001."""

from django.db import migrations

CREATE = (
    "CREATE INDEX IF NOT EXISTS proposals_normalized_trgm ON proposals_proposal "
    "USING gin (normalized_text gin_trgm_ops)"
)
DROP = "DROP INDEX IF EXISTS proposals_normalized_trgm"


def _run(sql: str):  # noqa: ANN202
    def run(apps, schema_editor) -> None:  # noqa: ANN001
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("proposals", "0003_similar")]
    operations = [migrations.RunPython(_run(CREATE), _run(DROP), elidable=False)]
