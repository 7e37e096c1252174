"""Find a data subject in a snapshot and read their rows, in the database.

A subject is the row at the end of a matching row's ``subject`` chain (its root: a
customer for a contact, a domain's mailbox or an invoice); their data is every row of every
bound table whose chain ends in the root's table and leads to that row.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from seloste.checks.retention import anchor
from seloste.checks.snapshot.context import Scope, SnapshotContext
from seloste.checks.snapshot.sources import Unavailable
from seloste.checks.subject import FIELD_KINDS, Selector
from seloste.checks.subject.matching import candidates, normalised
from seloste.policy.model import subject_chain
from sqlalchemy.engine import Connection

# Rows one table may give for one subject, and candidate rows one search may give: past
# them the answer would be incomplete, which is an error, never a silent cut.
MAX_ROWS = 10_000


class LookupFailed(Exception):
    """The subject cannot be looked up as asked; the message holds no value."""


@dataclass(frozen=True)
class Root:
    table: str
    key: Any


@dataclass
class Found:
    """A subject's rows by table (in the bindings' order), each row as a mapping of its
    columns, and for each table the times its retention rules count from (by label)."""

    roots: list[Root]
    rows: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    anchors: dict[str, list[tuple[str, str]]] = field(default_factory=dict)


def discover(ctx: SnapshotContext, src: Any, conn: Connection) -> None:
    """Describe the bound tables; one that is missing, or lacks a bound column, stops the
    lookup: an answer to a data subject must be complete."""
    for table, binding in ctx.bindings.tables.items():
        if table not in src.table_names(conn, binding.db_schema):
            raise Unavailable(f"table {table!r} is not in the snapshot")
        ctx.tables[table] = src.describe(conn, table, binding.db_schema)
        missing = binding.declared_columns() - set(ctx.tables[table].columns)
        if missing:
            raise Unavailable(f"table {table!r} lacks the bound column {sorted(missing)[0]!r}")


def _typed(ctx: SnapshotContext, table: str, column: str, value: str) -> Any:
    """A key given as text, typed as its column holds it (PostgreSQL compares no integer
    with text)."""
    kind = ctx.tables[table].columns[column]
    if isinstance(kind, sa.Integer):
        try:
            return int(value)
        except ValueError:
            raise LookupFailed(f"{table}.{column} holds whole numbers") from None
    return value


def root_of(ctx: SnapshotContext, table: str) -> str:
    return subject_chain(ctx.bindings.tables, table)[-1]


def roots(ctx: SnapshotContext, conn: Connection, selector: Selector) -> set[Root]:
    """Every subject the selector matches."""
    if selector.kind == "key":
        table, column = selector.table or "", selector.column or ""
        if table not in ctx.bindings.tables:
            raise LookupFailed(f"table {table!r} is not bound")
        if column not in ctx.tables[table].columns:
            raise LookupFailed(f"table {table!r} has no column {column!r}")
        scope = ctx.scope(table)
        where = scope.aliases[table].c[column] == _typed(ctx, table, column, selector.value)
        return set(_roots_where(ctx, conn, scope, where))
    kind = FIELD_KINDS[selector.kind]
    wanted = normalised(selector.kind, selector.value)
    if wanted is None:
        raise LookupFailed(f"the {selector.kind.replace('_', ' ')} given is not one")
    found: set[Root] = set()
    for table, binding in ctx.bindings.tables.items():
        fields = ctx.policy.fields
        columns = [c for c, f in binding.columns.items() if f in fields and fields[f].kind == kind]
        scope = ctx.scope(table)
        for column in columns:
            col = scope.aliases[table].c[column]
            matched = _roots_where(ctx, conn, scope, candidates(selector.kind, col, wanted), col)
            found.update(r for r, value in matched if normalised(selector.kind, value) == wanted)
    return found


def _roots_where(
    ctx: SnapshotContext, conn: Connection, scope: Scope, where: Any, value: Any = None
) -> Iterator[Any]:
    """The roots of the rows where ``where`` holds (with the column's value, when given)."""
    root = root_of(ctx, scope.table)
    if root not in scope.aliases:
        raise LookupFailed(f"the rows of {scope.table!r} cannot be followed to {root!r}")
    key = scope.aliases[root].c[ctx.bindings.tables[root].key]
    picked = [key] if value is None else [key, value]
    query = sa.select(*picked).select_from(scope.from_clause).where(where).limit(MAX_ROWS + 1)
    rows = conn.execute(query).all()
    if len(rows) > MAX_ROWS:
        raise LookupFailed(f"more than {MAX_ROWS} rows of {scope.table!r} match")
    for row in rows:
        if row[0] is None:
            raise LookupFailed(f"a matching row of {scope.table!r} links to no {root!r} row")
        yield Root(root, row[0]) if value is None else (Root(root, row[0]), row[1])


def anchors(ctx: SnapshotContext, table: str) -> list[tuple[str, str]]:
    """The (table, column) each retention rule and exception of the table's register counts
    from, as SNP004 finds it (checks/rules/snp004_retention_expired.py)."""
    binding = ctx.bindings.tables[table]
    register = ctx.policy.registers.get(binding.register_id)
    if register is None:
        return []
    scope = ctx.scope(table)
    found: list[tuple[str, str]] = []
    for rule in register.retention.values():
        triggers = [(rule.trigger, rule.date_field)]
        triggers += [
            (e.trigger, e.date_field) for e in rule.exceptions.values() if e.trigger is not None
        ]
        for trigger, date_field in triggers:
            place = anchor(scope.bindings(), binding.register_id, trigger, date_field)
            if place is not None and place not in found:
                found.append(place)
    return found


def one_subject(ctx: SnapshotContext, roots: set[Root]) -> bool:
    """The roots are one data subject: one row, or one row each in tables of registers that
    declare the same data subject (the policy says they share their subjects)."""
    tables = [r.table for r in roots]
    if len(set(tables)) != len(tables):
        return False
    groups = [
        set(ctx.policy.registers[ctx.bindings.tables[t].register_id].data_subjects)
        if ctx.bindings.tables[t].register_id in ctx.policy.registers
        else set()
        for t in tables
    ]
    return bool(set.intersection(*groups)) if groups else True


def rows_of(ctx: SnapshotContext, conn: Connection, roots: set[Root]) -> Found:
    """Every row that leads to one of ``roots`` (one subject), table by table in the
    bindings' order, with its retention anchors."""
    found = Found(sorted(roots, key=lambda r: list(ctx.bindings.tables).index(r.table)))
    by_table = {r.table: r for r in roots}
    for table in ctx.bindings.tables:
        root = by_table.get(root_of(ctx, table))
        if root is None:
            continue
        scope = ctx.scope(table)
        if root.table not in scope.aliases:
            raise LookupFailed(f"the rows of {table!r} cannot be followed to {root.table!r}")
        own = scope.aliases[table]
        marks = anchors(ctx, table)
        extra = [scope.aliases[t].c[c].label(f"_anchor{i}") for i, (t, c) in enumerate(marks)]
        key = ctx.bindings.tables[table].key
        root_key = scope.aliases[root.table].c[ctx.bindings.tables[root.table].key]
        query = (
            sa.select(*own.c, *extra)
            .select_from(scope.from_clause)
            .where(root_key == root.key)
            .order_by(own.c[key])
            .limit(MAX_ROWS + 1)
        )
        rows = [dict(r._mapping) for r in conn.execute(query)]
        if len(rows) > MAX_ROWS:
            raise LookupFailed(f"the subject has more than {MAX_ROWS} rows in {table!r}")
        if rows:
            found.rows[table] = rows
            found.anchors[table] = marks
    return found
