"""Run the snapshot rules over one source: discover, plan, count per table, report.

Per table there is one aggregate query (``SUM(CASE WHEN ... THEN 1 ELSE 0 END)`` for each
row-level check), one bounded key query for each check that matched, and at most one
streamed sample for the value checks. A table that fails is reported (SEL001) and the
others are still checked.
"""

from __future__ import annotations

import os
from dataclasses import replace
from datetime import datetime
from types import ModuleType

import sqlalchemy as sa
from sqlalchemy.engine import Connection
from sqlalchemy.exc import DBAPIError, SQLAlchemyError

from checks import rules
from checks.context import BoundPolicy
from checks.findings import Finding
from checks.snapshot.context import Result, SnapshotContext, declared_columns
from checks.snapshot.plan import RowCheck, ValueCheck
from checks.snapshot.sources import (
    Source,
    Unavailable,
    mask,
    open_source,
    reason,
    scrub,
    secrets_in,
)

# Rows fetched at a time while sampling, so memory does not grow with the table.
FETCH = 500
_DB_ERRORS = (SQLAlchemyError, DBAPIError, OSError)


def snapshot_rules() -> list[ModuleType]:
    return rules.by_scope("snapshot")


def run(
    bound: BoundPolicy,
    source: str,
    *,
    as_of: datetime,
    sample: int,
    max_keys: int,
    timeout: float,
) -> list[Finding]:
    name = mask(source)
    secrets = secrets_in(source)
    ctx = SnapshotContext(bound, name, "", as_of, max(sample, 1), max(max_keys, 0))
    try:
        src = open_source(source, timeout=timeout)
    except Unavailable as exc:
        ctx.gap(None, None, scrub(exc.reason, secrets))
        return list(ctx.not_checked.values())
    try:
        ctx.dialect = src.dialect
        with src.engine.connect() as conn:
            _check(ctx, src, conn)
    except _DB_ERRORS as exc:
        ctx.gap(None, None, scrub(reason(exc), secrets))
    except Exception as exc:
        if os.environ.get("SELOSTE_DEBUG"):
            raise
        # The command prints unexpected errors in one line: without the URL's password.
        raise RuntimeError(scrub(f"{type(exc).__name__}: {exc}", secrets)) from None
    finally:
        src.close()
    findings = [f for rule in snapshot_rules() for f in rule.check(ctx)]
    gaps = [replace(f, message=scrub(f.message, secrets)) for f in ctx.not_checked.values()]
    return gaps + findings


def _check(ctx: SnapshotContext, src: Source, conn: Connection) -> None:
    if ctx.dialect == "postgresql":
        # One snapshot of the database for every query of the run.
        conn = conn.execution_options(isolation_level="REPEATABLE READ")
    _discover(ctx, src, conn)
    for rule in snapshot_rules():
        ctx.add(rule.plan(ctx))
    for table in ctx.tables:
        _run_table(ctx, conn, table)


def _discover(ctx: SnapshotContext, src: Source, conn: Connection) -> None:
    """Describe every bound table and every table nobody declared; note the missing ones."""
    bindings = ctx.bindings
    schemas = {b.db_schema for b in bindings.tables.values()}
    names = {schema: src.table_names(conn, schema) for schema in sorted(schemas, key=str)}
    wanted = [(t, b.db_schema) for t, b in bindings.tables.items()]
    unbound = sorted(
        (t, schema)
        for schema, found in names.items()
        for t in found
        if t not in bindings.tables and t not in bindings.ignore_tables
    )
    for table, schema in wanted + unbound:
        if table not in names[schema]:
            ctx.gap(table, None, "the table is not in the snapshot")
            continue
        try:
            ctx.tables[table] = src.describe(conn, table, schema)
        except Unavailable as exc:
            ctx.gap(table, None, exc.reason)
        except _DB_ERRORS as exc:
            conn.rollback()
            ctx.gap(table, None, reason(exc))
    for table, binding in ctx.bound_tables():
        present = ctx.tables[table].columns
        for column in sorted(declared_columns(binding) - set(present)):
            ctx.gap(table, column, "the bound column is missing from the table")


def _run_table(ctx: SnapshotContext, conn: Connection, table: str) -> None:
    row_checks = [c for c in ctx.checks if isinstance(c, RowCheck) and c.table == table]
    value_checks = [c for c in ctx.checks if isinstance(c, ValueCheck) and c.table == table]
    try:
        if row_checks:
            _count(ctx, conn, table, row_checks)
        if value_checks:
            _sample(ctx, conn, table, value_checks)
    except _DB_ERRORS as exc:
        conn.rollback()  # a failed statement must not take the other tables with it
        for check in row_checks + value_checks:
            ctx.results.pop(id(check), None)
        ctx.gap(table, None, reason(exc))


def _count(ctx: SnapshotContext, conn: Connection, table: str, checks: list[RowCheck]) -> None:
    scope = ctx.scope(table)
    sums = [sa.func.sum(sa.case((c.where, 1), else_=0)) for c in checks]
    query = sa.select(sa.func.count(), *sums).select_from(scope.from_clause)
    total, *counts = conn.execute(query).one()
    ctx.row_counts[table] = int(total)
    for check, count in zip(checks, counts, strict=True):
        rows = int(count or 0)
        keys: tuple[str, ...] = ()
        if rows and ctx.max_keys and scope.key is not None:
            first = (
                sa.select(scope.key)
                .select_from(scope.from_clause)
                .where(check.where)
                .order_by(scope.key)
                .limit(ctx.max_keys)
            )
            keys = tuple(str(k) for k in conn.execute(first).scalars())
        ctx.results[id(check)] = Result(rows, keys)


def _sample(ctx: SnapshotContext, conn: Connection, table: str, checks: list[ValueCheck]) -> None:
    """Test values of the first ``sample`` rows by key, streamed; only counts and keys stay."""
    scope = ctx.scope(table)
    alias = scope.aliases[table]
    columns = list(dict.fromkeys(c.column for c in checks))
    key = scope.key
    order = key if key is not None else alias.c[next(iter(ctx.tables[table].columns))]
    query = (
        sa.select(order, *(alias.c[c] for c in columns))
        .select_from(alias)
        .order_by(order)
        .limit(ctx.sample)
    )
    position = {c: i + 1 for i, c in enumerate(columns)}
    counts = [0] * len(checks)
    keys: list[list[str]] = [[] for _ in checks]
    sampled = 0
    with conn.execute(query, execution_options={"yield_per": FETCH}) as result:
        for row in result:
            sampled += 1
            for i, check in enumerate(checks):
                value = row[position[check.column]]
                if value is None or not check.test(value):
                    continue
                counts[i] += 1
                if key is not None and len(keys[i]) < ctx.max_keys:
                    keys[i].append(str(row[0]))
    for i, check in enumerate(checks):
        ctx.results[id(check)] = Result(counts[i], tuple(keys[i]), sampled)
