"""PostgreSQL only: a larger statistics sample of the search vector, so the planner knows
how common a word is (the most-common-lexeme list grows from 100 to 1,000 entries) and
chooses between walking the newest posts (a common word) and the GIN index (a rarer one)."""

from django.db import migrations


def _run(sql: str):
    def run(apps, schema_editor) -> None:
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("board", "0013_similarity_words")]
    operations = [
        migrations.RunPython(
            _run("ALTER TABLE board_post ALTER COLUMN search_vector SET STATISTICS 1000"),
            _run("ALTER TABLE board_post ALTER COLUMN search_vector SET STATISTICS -1"),
            elidable=False,
        )
    ]
