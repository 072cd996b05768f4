"""Indexes for the people search behind every person picker (org.people.people_matching).

At city scale (51,358 staff) the search read every staff row on every keystroke: a
``LIKE '%word%'`` on the name and 아이디 can use no index, so each suggestion list was a
sequential scan, a join of all staff with their profiles and a sort (60-110 ms a keystroke).

- ``auth_user_name_order`` (both databases): the list's order (성, 이름, 아이디). For a word in
  many names (a family name like 김) the planner walks the names in order and stops at the
  twentieth match.
- ``auth_user_person_grams`` (PostgreSQL): GIN on the characters and character pairs of the
  name (family name first, no space) and of the 아이디, lower-cased
  (``org_person_grams``). A word in few names is found through its pairs
  (``org_word_grams``: the word's pairs, or the character itself for a one-character word),
  and ``ANALYZE`` gives the planner each gram's frequency to choose between the two.
- ``auth_user_username_upper`` (PostgreSQL): a typed 아이디 in any case, as ``PersonField``
  resolves it without JavaScript (``username__iexact``); its statistics, and those of
  ``auth_user_full_name_stats`` on the name as the search compares it, tell the planner how
  many names hold a word.

The functions are IMMUTABLE SQL, so a query's ``org_word_grams('홍길')`` is computed once at
planning and the planner reads the gram statistics for it. ``org_person_grams`` is declared
``COST 1000`` (measured: ~25 µs a call, not the default 100's ~2.5 µs), so the planner counts
what a filter computing the grams row by row costs.
"""

from django.db import migrations

# Self-contained: only pg_catalog's functions in the body, so the index is rebuilt by a
# pg_restore (which runs with an empty search_path) as by the migration.
PERSON = """
CREATE OR REPLACE FUNCTION org_person_grams(last_name text, first_name text, username text)
RETURNS text[] LANGUAGE sql IMMUTABLE PARALLEL SAFE COST 1000 AS $$
  SELECT coalesce(array_agg(substr(s, i, n)), '{}'::text[])
  FROM unnest(ARRAY[lower(coalesce(last_name, '') || coalesce(first_name, '')),
                    lower(coalesce(username, ''))]) AS s,
       generate_series(1, 2) AS n,
       generate_series(1, char_length(s)) AS i
  WHERE i + n - 1 <= char_length(s)
$$
"""
WORD = """
CREATE OR REPLACE FUNCTION org_word_grams(word text) RETURNS text[]
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
  SELECT CASE WHEN char_length(word) < 2 THEN ARRAY[lower(word)]
    ELSE (SELECT array_agg(DISTINCT substr(lower(word), i, 2))
          FROM generate_series(1, char_length(word) - 1) AS i) END
$$
"""
POSTGRES = [
    PERSON,
    WORD,
    "CREATE INDEX IF NOT EXISTS auth_user_person_grams ON auth_user "
    "USING gin (org_person_grams(last_name, first_name, username))",
    # PersonField's "typed an 아이디" (username__iexact): UPPER(username) = UPPER(%s)
    'CREATE INDEX IF NOT EXISTS auth_user_username_upper ON auth_user (UPPER("username"::text))',
    # What the planner knows of "name contains": without statistics on the expression a
    # LIKE '%직원1%' is guessed to keep 0.5 % of the rows, and a word in a fifth of the names
    # was read through the gram index and sorted instead of walked in order.
    "CREATE STATISTICS IF NOT EXISTS auth_user_full_name_stats"
    " ON (UPPER((COALESCE(last_name, '') || COALESCE(first_name, ''))::text)) FROM auth_user",
    "ANALYZE auth_user",
]
POSTGRES_DROP = [
    "DROP STATISTICS IF EXISTS auth_user_full_name_stats",
    "DROP INDEX IF EXISTS auth_user_person_grams",
    "DROP INDEX IF EXISTS auth_user_username_upper",
    "DROP FUNCTION IF EXISTS org_word_grams(text)",
    "DROP FUNCTION IF EXISTS org_person_grams(text, text, text)",
]
ORDER = (
    "CREATE INDEX IF NOT EXISTS auth_user_name_order ON auth_user (last_name, first_name, username)"
)
ORDER_DROP = "DROP INDEX IF EXISTS auth_user_name_order"


def create(apps, schema_editor) -> None:
    schema_editor.execute(ORDER)
    if schema_editor.connection.vendor == "postgresql":
        for sql in POSTGRES:
            schema_editor.execute(sql)


def drop(apps, schema_editor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        for sql in POSTGRES_DROP:
            schema_editor.execute(sql)
    schema_editor.execute(ORDER_DROP)


class Migration(migrations.Migration):
    dependencies = [
        ("org", "0003_assignment_backfill"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]
    operations = [migrations.RunPython(create, drop, elidable=False)]
