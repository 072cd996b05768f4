"""The duplicate lookup's word index (board.SimilarityWord), kept by PostgreSQL triggers on
board posts and proposals, filled from the keys already stored; the pg_trgm GIN indexes on
the board's keys go (the lookup no longer reads them, and every write paid for them).

On SQLite the table exists but stays empty: the lookup compares in Python there."""

from django.db import migrations, models

# (table, source, key column, time column, scope expression on NEW/OLD/the table's row)
SOURCES = [
    ("board_post", "board.post", "normalized", "created_at", "{row}.area"),
    ("proposals_proposal", "proposals.proposal", "normalized_text", "received_at", "''"),
]


def _trigger_sql(table: str, source: str, key: str, at: str, scope: str) -> list[str]:
    name = f"{table}_simwords"
    new_scope = scope.format(row="NEW")
    old_scope = scope.format(row="OLD")
    return [
        f"""
        CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            -- board_rebuild_keys, rewriting most keys, refills the words once at its end.
            IF current_setting('board.simwords_paused', true) = 'on' THEN
                RETURN NULL;
            END IF;
            IF TG_OP <> 'INSERT' THEN
                DELETE FROM board_similarityword
                WHERE source = '{source}' AND object_id = OLD.id;
            END IF;
            IF TG_OP <> 'DELETE' THEN
                INSERT INTO board_similarityword (source, object_id, scope, word, at)
                SELECT DISTINCT '{source}', NEW.id, {new_scope}, w, NEW.{at}
                FROM unnest(string_to_array(NEW.{key}, ' ')) AS w
                WHERE w <> '';
            END IF;
            RETURN NULL;
        END $$
        """,  # noqa: S608 - names from SOURCES above, no input
        f"DROP TRIGGER IF EXISTS {name} ON {table}",
        f"DROP TRIGGER IF EXISTS {name}_change ON {table}",
        f"""
        CREATE TRIGGER {name} AFTER INSERT OR DELETE ON {table}
        FOR EACH ROW EXECUTE FUNCTION {name}()
        """,
        # Only when the key, the time or the scope really changes (a view count does not).
        f"""
        CREATE TRIGGER {name}_change AFTER UPDATE ON {table} FOR EACH ROW
        WHEN (OLD.{key} IS DISTINCT FROM NEW.{key} OR OLD.{at} IS DISTINCT FROM NEW.{at}
              OR {old_scope} IS DISTINCT FROM {new_scope})
        EXECUTE FUNCTION {name}()
        """,
        f"""
        INSERT INTO board_similarityword (source, object_id, scope, word, at)
        SELECT DISTINCT '{source}', t.id, {scope.format(row="t")}, w, t.{at}
        FROM {table} t, unnest(string_to_array(t.{key}, ' ')) AS w
        WHERE w <> ''
        """,  # noqa: S608 - names from SOURCES above, no input
    ]


def install(apps, schema_editor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    for table, source, key, at, scope in SOURCES:
        for sql in _trigger_sql(table, source, key, at, scope):
            schema_editor.execute(sql)
    schema_editor.execute("DROP INDEX IF EXISTS board_post_normalized_trgm")
    schema_editor.execute("DROP INDEX IF EXISTS board_post_title_key_trgm")
    schema_editor.execute("ANALYZE board_similarityword")


def uninstall(apps, schema_editor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    for table, *_rest in SOURCES:
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_simwords ON {table}")
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_simwords_change ON {table}")
        schema_editor.execute(f"DROP FUNCTION IF EXISTS {table}_simwords()")
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS board_post_normalized_trgm ON board_post "
        "USING gin (normalized gin_trgm_ops)"
    )
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS board_post_title_key_trgm ON board_post "
        "USING gin (title_key gin_trgm_ops)"
    )


class Migration(migrations.Migration):
    dependencies = [
        ("board", "0012_reviewed_index"),
        # The proposals table gets the same trigger: it must exist first.
        ("proposals", "0004_postgres_trgm_index"),
    ]

    operations = [
        migrations.CreateModel(
            name="SimilarityWord",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("source", models.CharField(max_length=30, verbose_name="원본 종류")),
                ("object_id", models.BigIntegerField(verbose_name="원본 번호")),
                ("scope", models.CharField(blank=True, max_length=20, verbose_name="범위")),
                ("word", models.TextField(verbose_name="명사")),
                ("at", models.DateTimeField(verbose_name="작성 일시")),
            ],
            options={
                "verbose_name": "중복 검색 명사",
                "verbose_name_plural": "중복 검색 명사",
                "indexes": [
                    models.Index(
                        fields=["source", "scope", "word", "-at"],
                        include=("object_id",),
                        name="board_simword_walk",
                    ),
                    models.Index(fields=["source", "object_id"], name="board_simword_object"),
                ],
            },
        ),
        migrations.RunPython(install, uninstall, elidable=False),
        migrations.AddField(
            model_name="keyrebuild",
            name="suspended",
            field=models.TextField(blank=True, editable=False, verbose_name="복원할 색인"),
        ),
    ]
