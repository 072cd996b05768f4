"""Query helpers that any app may use (no app's models here)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.db import IntegrityError, connection, transaction
from django.db.models import F, Model, QuerySet
from django.db.models.expressions import Col


def union_of_slices(parts: list[QuerySet[Any]]) -> list[Any]:
    """The rows of limited querysets in ONE ``UNION ALL`` where the database allows a LIMIT in
    each part (PostgreSQL); SQLite does not (Django refuses it), so there each part is its own
    query: the embedded one-office database, not the city's."""
    if connection.features.supports_slicing_ordering_in_compound:
        return list(parts[0].union(*parts[1:], all=True))
    return [row for part in parts for row in part]


def add_to_counter_row(
    cell: QuerySet[Any], create: Mapping[str, Any], delta: Mapping[str, int]
) -> None:
    """Add ``delta`` ({field: n}) to the one counter row ``cell`` selects, inside the caller's
    transaction, with ``F()`` so that concurrent adds never lose one. A missing row is created
    with ``create`` (its identifying fields) and the deltas as its counts; a request that
    created it a moment earlier (the unique constraint says so) makes this an update again.
    A summary table kept by the services (board's and proposals' monthly tallies) uses it."""
    increments = {name: F(name) + n for name, n in delta.items()}
    if cell.update(**increments):
        return
    model: type[Model] = cell.model
    try:
        with transaction.atomic():  # a savepoint: the IntegrityError leaves the caller's intact
            model.objects.create(**create, **delta)  # type: ignore[attr-defined]
    except IntegrityError:  # created by a concurrent request a moment ago
        cell.update(**increments)


def add_to_rows(
    model: type[Model],
    keys: Sequence[Mapping[str, Any]],
    delta: Mapping[str, Any],
    *,
    assign: Mapping[str, Any] | None = None,
    returning: Sequence[str] = (),
) -> list[tuple[Any, ...]]:
    """Add ``delta`` ({field: amount}) to the rows of ``model`` that ``keys`` name (each the
    fields of one unique constraint, none of them NULL), creating the missing ones with the
    deltas as their values, in ONE ``INSERT … ON CONFLICT DO UPDATE`` (PostgreSQL; SQLite
    3.35+). ``assign`` sets fields outright on both paths; any other column gets its default
    on insert. The rows are written, and locked, in the order of ``keys``. Returns the values
    of ``returning`` of each row after the change, converted as a query's are, in the order
    of ``keys``. Fields are named by attname (``user_id``). Scoring's roll-ups use it: where
    a read, a lock and a write took 2–5 statements a row, this is one for them all."""
    meta = model._meta
    qn = connection.ops.quote_name
    assign = assign or {}
    names = list(keys[0])
    fields = {f.attname: f for f in meta.concrete_fields if not f.primary_key}
    given = [*names, *delta, *assign]
    defaults = [n for n in fields if n not in given]
    table = qn(meta.db_table)

    def col(name: str) -> str:
        return qn(str(fields[name].column))

    def prep(name: str, value: Any) -> Any:
        return fields[name].get_db_prep_save(value, connection)

    same = [prep(n, v) for n, v in [*delta.items(), *assign.items()]]
    same += [prep(n, fields[n].get_default()) for n in defaults]
    params: list[Any] = []
    for key in keys:
        params += [prep(n, key[n]) for n in names] + same
    row = "(" + ", ".join(["%s"] * (len(given) + len(defaults))) + ")"
    updates = [f"{col(n)} = {table}.{col(n)} + EXCLUDED.{col(n)}" for n in delta]
    updates += [f"{col(n)} = EXCLUDED.{col(n)}" for n in assign]
    shown = [*names, *returning] if returning else []
    sql = (
        f"INSERT INTO {table} ({', '.join(col(n) for n in [*given, *defaults])}) "  # noqa: S608
        f"VALUES {', '.join([row] * len(keys))} "  # names from the model, values as parameters
        f"ON CONFLICT ({', '.join(col(n) for n in names)}) DO UPDATE SET {', '.join(updates)}"
        + (f" RETURNING {', '.join(col(n) for n in shown)}" if shown else "")
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        raw = cursor.fetchall() if shown else []
    # Put the rows in the order of ``keys`` (RETURNING's order is not promised).
    after = {}
    for out in _converted(meta.db_table, [fields[n] for n in shown], raw):
        after[out[: len(names)]] = out[len(names) :]
    return [after[tuple(key[n] for n in names)] for key in keys] if shown else []


def _converted(
    table: str, fields: Sequence[Any], raw: Sequence[Sequence[Any]]
) -> list[tuple[Any, ...]]:
    """Rows a raw statement returned for ``fields``, converted as the ORM would (SQLite's
    decimals come back as floats, for one)."""
    exprs = [Col(table, f) for f in fields]
    converters = [
        (e, connection.ops.get_db_converters(e) + e.output_field.get_db_converters(connection))
        for e in exprs
    ]
    rows = []
    for values in raw:
        out = list(values)
        for i, (expr, funcs) in enumerate(converters):
            for func in funcs:
                out[i] = func(out[i], expr, connection)
        rows.append(tuple(out))
    return rows


def insert_new_rows(
    model: type[Model],
    rows: Sequence[Mapping[str, Any]],
    *,
    unique: Sequence[str],
    unique_where: str = "",
) -> set[tuple[Any, ...]]:
    """Insert the ``rows`` (each {attname: value}, the same fields; any other column gets its
    default) that no row of ``model`` holds yet under the unique constraint on ``unique``
    (``unique_where``: the SQL condition of a partial one), in ONE ``INSERT … ON CONFLICT DO
    NOTHING`` (PostgreSQL; SQLite 3.35+); returns the ``unique`` values of the rows this
    statement inserted (a concurrent writer's rows are not among them), converted as a
    query's are."""
    if not rows:
        return set()
    meta = model._meta
    qn = connection.ops.quote_name
    names = list(rows[0])
    fields = {f.attname: f for f in meta.concrete_fields if not f.primary_key}
    defaults = [n for n in fields if n not in names]
    same = [fields[n].get_db_prep_save(fields[n].get_default(), connection) for n in defaults]
    params: list[Any] = []
    for row in rows:
        params += [fields[n].get_db_prep_save(row[n], connection) for n in names] + same
    values = "(" + ", ".join(["%s"] * (len(names) + len(defaults))) + ")"
    columns = ", ".join(qn(str(fields[n].column)) for n in [*names, *defaults])
    target = ", ".join(qn(str(fields[n].column)) for n in unique)
    where = f" WHERE {unique_where}" if unique_where else ""
    sql = (
        f"INSERT INTO {qn(meta.db_table)} ({columns}) VALUES {', '.join([values] * len(rows))} "  # noqa: S608
        f"ON CONFLICT ({target}){where} DO NOTHING RETURNING {target}"  # names from the model
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        raw = cursor.fetchall()
    return set(_converted(meta.db_table, [fields[n] for n in unique], raw))
