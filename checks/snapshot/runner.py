"""Run the snapshot rules over one source: discover, plan, count per table, report.

Per table there is one aggregate query (the row count and ``SUM(CASE WHEN ... THEN 1 ELSE 0
END)`` for each row-level check), one bounded key query for each check that matched, one
streamed query for the candidates of forbidden kinds (rows the database pre-selects in a full
scan), and at most one sample for the value checks. A table that fails is reported (SEL001)
and the others are still checked.
"""

from __future__ import annotations

import os
from dataclasses import replace
from datetime import datetime
from types import ModuleType

import sqlalchemy as sa
from seloste.checks import rules
from seloste.checks.context import BoundPolicy
from seloste.checks.findings import Finding
from seloste.checks.memory import out_of_memory
from seloste.checks.progress import Progress
from seloste.checks.snapshot import SourceText, reading, sampling
from seloste.checks.snapshot.context import Result, SnapshotContext, not_checked, pinned
from seloste.checks.snapshot.plan import RowCheck, ScanCheck, ValueCheck
from seloste.checks.snapshot.sampling import (
    DB_ERRORS,
    SNAPSHOT_ID,
    Sampler,
    scan_checks,
    value_checks,
)
from seloste.checks.snapshot.sources import (
    Source,
    TableInfo,
    Unavailable,
    mask,
    open_source,
    reason,
    scrub,
    secrets_in,
)
from sqlalchemy.engine import Connection


def snapshot_rules() -> list[ModuleType]:
    return rules.by_scope("snapshot")


def run(
    bound: BoundPolicy,
    source: SourceText,
    *,
    as_of: datetime,
    sample: int | None,
    max_keys: int,
    timeout: float,
    allow_privileged_role: bool = False,
) -> list[Finding]:
    """``sample``: rows per table for the value checks, or None for every row."""
    name = mask(source.shown)
    secrets = secrets_in(source.text)

    def safe(text: str) -> str:  # no password, and no value from the environment
        return source.hide(scrub(text, secrets))

    try:
        src = open_source(source.text, timeout=timeout, allow_privileged_role=allow_privileged_role)
    except Unavailable as exc:
        return [not_checked(name, None, None, safe(exc.reason))]
    ctx = SnapshotContext(bound, name, src.dialect, as_of, sample, max(max_keys, 0))
    try:
        with src.engine.connect() as conn:
            _check(ctx, src, conn)
    except DB_ERRORS as exc:
        ctx.gap(None, None, safe(reason(exc)))
    except MemoryError:  # past the ceiling (checks/memory.py); the next source may fit
        ctx.gap(None, None, out_of_memory())
    except Exception as exc:
        if os.environ.get("SELOSTE_DEBUG"):
            raise
        # The command prints unexpected errors in one line: without the URL's password.
        raise RuntimeError(safe(f"{type(exc).__name__}: {exc}")) from None
    finally:
        src.close()
    findings = [f for rule in snapshot_rules() for f in rule.check(ctx)]
    gaps = list(ctx.not_checked.values())
    return [pinned(replace(f, message=safe(f.message)), bound.bindings) for f in gaps + findings]


def _check(ctx: SnapshotContext, src: Source, conn: Connection) -> None:
    if ctx.dialect == "postgresql":
        # One snapshot of the database for every query of the run.
        conn = conn.execution_options(isolation_level="REPEATABLE READ")
    if ctx.dialect == "sqlite":
        reading.register(conn.connection.driver_connection)
    _discover(ctx, src, conn)
    for rule in snapshot_rules():
        ctx.add(rule.plan(ctx))
    sampler = _start_sampler(ctx, src, conn)
    sequential = sampler is None
    try:
        with Progress(len(ctx.tables)) as progress:
            failed: set[str] = set()
            for table in ctx.tables:
                progress.start(table)
                if not _run_table(ctx, conn, table, sample=sequential):
                    failed.add(table)
                progress.done(ctx.row_counts.get(table))
    finally:
        if sampler is not None:
            sampler.join()  # its connection is closed before this one, whatever happened
    if sampler is not None:
        _take_samples(ctx, conn, sampler, failed)
    _complete(ctx)


def _start_sampler(ctx: SnapshotContext, src: Source, conn: Connection) -> Sampler | None:
    """On PostgreSQL, sample on a second connection in this connection's snapshot, while the
    aggregates run here. Elsewhere (or when the snapshot cannot be shared) sampling follows
    each table's aggregate on this connection: MariaDB cannot share a snapshot, and SQLite
    and DuckDB run their queries in this process, holding the CPU the sampling would need.
    """
    tables = [t for t in ctx.tables if value_checks(ctx, t)]
    if ctx.dialect != "postgresql" or not tables:
        return None
    try:
        snapshot = str(conn.exec_driver_sql("SELECT pg_export_snapshot()").scalar_one())
    except DB_ERRORS:
        conn.rollback()
        return None
    if not SNAPSHOT_ID.fullmatch(snapshot):
        return None
    for table in tables:
        ctx.scope(table)  # made here, as sampling would, so that the sampler only reads them
    # No need to wait for the sampler to take the snapshot: should this transaction end
    # first (a failed aggregate is rolled back), taking it fails, and the tables the
    # sampler did not reach are sampled here afterwards.
    sampler = Sampler(ctx, src.engine, snapshot, tables)
    sampler.start()
    return sampler


def _take_samples(
    ctx: SnapshotContext, conn: Connection, sampler: Sampler, failed: set[str]
) -> None:
    """The sampler's results, table by table as if sampled in turn; what it could not reach
    is sampled here. A table whose aggregate failed keeps no sample results."""
    if sampler.crash is not None:
        raise sampler.crash
    for table in ctx.tables:
        checks = value_checks(ctx, table)
        if not checks or table in failed:
            continue
        if table in sampler.failed:
            _drop_results(ctx, table)
            ctx.gap(table, None, sampler.failed[table])
            continue
        read = sampler.results.get(checks[0]) if table in sampler.done else None
        rows = ctx.row_counts.get(table, 0)
        if read is None or (read.sampled or 0) < min(rows, ctx.sample or rows):
            # Not reached, or drawn too sparsely to fill a sample the table could fill.
            _run_table(ctx, conn, table, count=False)
            continue
        ctx.results.update((c, sampler.results[c]) for c in checks)


def _complete(ctx: SnapshotContext) -> None:
    """Each value finding says how many rows its table has, for "N of a sample of S from M"."""
    for check, result in list(ctx.results.items()):
        if isinstance(check, ValueCheck | ScanCheck) and check.table in ctx.row_counts:
            ctx.results[check] = replace(result, table_rows=ctx.row_counts[check.table])


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
    described = _describe_many(ctx, src, conn, wanted + unbound, names)
    for table, schema in wanted + unbound:
        if table not in names[schema]:
            ctx.gap(table, None, "the table is not in the snapshot")
            continue
        if table in described.get(schema, {}):
            ctx.tables[table] = described[schema][table]
            continue
        try:
            ctx.tables[table] = src.describe(conn, table, schema)
        except Unavailable as exc:
            ctx.gap(table, None, exc.reason)
        except DB_ERRORS as exc:
            conn.rollback()
            ctx.gap(table, None, reason(exc))
    for table, binding in ctx.bound_tables():
        present = ctx.tables[table].columns
        for column in sorted(binding.declared_columns() - set(present)):
            ctx.gap(table, column, "the bound column is missing from the table")


def _describe_many(
    ctx: SnapshotContext,
    src: Source,
    conn: Connection,
    tables: list[tuple[str, str | None]],
    names: dict[str | None, set[str]],
) -> dict[str | None, dict[str, TableInfo]]:
    """The tables of each schema described at once where the source can; whatever this
    misses, or all of it when it fails, is described table by table."""
    out: dict[str | None, dict[str, TableInfo]] = {}
    for schema in names:
        present = [t for t, s in tables if s == schema and t in names[schema]]
        try:
            out[schema] = src.describe_many(conn, present, schema)
        except DB_ERRORS:
            conn.rollback()
    return out


def _run_table(
    ctx: SnapshotContext, conn: Connection, table: str, *, count: bool = True, sample: bool = True
) -> bool:
    """Count, scan and sample one table; False when it could not be checked (an SEL001)."""
    row_checks = [c for c in ctx.checks if isinstance(c, RowCheck) and c.table == table]
    scans = scan_checks(ctx, table)
    checks = value_checks(ctx, table) if sample else []
    try:
        if count and (row_checks or scans or value_checks(ctx, table)):
            _count(ctx, conn, table, row_checks)
        if count and scans:
            ctx.results.update(sampling.scan(ctx, conn, table, scans))
        if checks:
            rows = ctx.row_counts.get(table)
            ctx.results.update(sampling.sample(ctx, conn, table, checks, rows))
    except DB_ERRORS as exc:
        conn.rollback()  # a failed statement must not take the other tables with it
        _drop_results(ctx, table)
        ctx.gap(table, None, reason(exc))
        return False
    return True


def _drop_results(ctx: SnapshotContext, table: str) -> None:
    """A table that could not be checked in full reports nothing but its SEL001."""
    for check in ctx.checks:
        if check.table == table:
            ctx.results.pop(check, None)


def _count(ctx: SnapshotContext, conn: Connection, table: str, checks: list[RowCheck]) -> None:
    scope = ctx.scope(table)
    sums = [sa.func.sum(sa.case((c.where, 1), else_=0)) for c in checks]
    query = sa.select(sa.func.count(), *sums).select_from(scope.from_clause)
    total, *counts = conn.execute(query).one()
    ctx.row_counts[table] = int(total)
    for check, count in zip(checks, counts, strict=True):
        rows = int(count or 0)
        keys: tuple[str, ...] = ()
        withheld = False
        if rows and ctx.max_keys and scope.key is not None:
            first = (
                sa.select(scope.key)
                .select_from(scope.from_clause)
                .where(check.where)
                .order_by(scope.key)
                .limit(ctx.max_keys)
            )
            keys, withheld = ctx.shown_keys(table, conn.execute(first).scalars())
        ctx.results[check] = Result(rows, keys, withheld=withheld)
