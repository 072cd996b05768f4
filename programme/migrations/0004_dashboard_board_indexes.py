"""Two covering indexes on the board's posts for the admin dashboard (issue 14: 839 ms
uncached at city scale, two full reads of ``board_post``).

``programme.selectors.board_figures`` counts posts by (area, month, department) over a
submitted-date range and approvals by (area, year) over a review-date range. With every
counted column in the index, PostgreSQL answers both from the index alone instead of reading
tens of thousands of posts (bodies and all) from the table: 2.3 s → 0.3 s on the 200,000-post
bench board (see the programme's bench).

They are the dashboard's, so the dashboard's app creates them, per database as the board's
own list index does (``board/migrations/0005``: Meta can't say INCLUDE on PostgreSQL only);
SQLite (one office, small data) gets none. Created concurrently: no lock on a live board.
"""

from django.db import migrations

INDEXES = {
    "programme_dash_submitted": "(submitted_at) INCLUDE (status, area, department_id)",
    "programme_dash_reviewed": "(status, reviewed_at) INCLUDE (area)",
}


def create(apps, schema_editor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, columns in INDEXES.items():
        schema_editor.execute(
            f"CREATE INDEX CONCURRENTLY IF NOT EXISTS {name} ON board_post {columns}"
        )


def drop(apps, schema_editor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {name}")


class Migration(migrations.Migration):
    atomic = False  # CREATE INDEX CONCURRENTLY runs outside a transaction

    dependencies = [
        ("programme", "0003_historical_figures_live_in_proposals"),
        ("board", "0012_reviewed_index"),
    ]

    operations = [migrations.RunPython(create, drop, elidable=False)]
