"""The value checks: the first ``--sample`` rows of a table by key, streamed and judged.

Rows arrive ``FETCH`` at a time and are judged a column at a time, so memory holds one batch
whatever the table's size, and only counts and the first row keys are kept.

On PostgreSQL the samples are read by a :class:`Sampler` on a second connection while the
runner's aggregate queries run: those wait on the server, and judging values is Python's
work, so the two overlap. The second connection imports the first one's snapshot, so both
see the same data.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import DBAPIError, SQLAlchemyError

from checks.snapshot import values
from checks.snapshot.context import Result, SnapshotContext
from checks.snapshot.plan import ValueCheck
from checks.snapshot.sources import reason

# Rows fetched at a time while sampling, so memory does not grow with the table.
FETCH = 500
DB_ERRORS = (SQLAlchemyError, DBAPIError, OSError)
# What pg_export_snapshot() returns (e.g. 00000003-0000001B-1): checked before it is put in
# SET TRANSACTION SNAPSHOT, which takes no bind parameters.
SNAPSHOT_ID = re.compile(r"[0-9A-Fa-f]+(?:-[0-9A-Fa-f]+)+")


def value_checks(ctx: SnapshotContext, table: str) -> list[ValueCheck]:
    return [c for c in ctx.checks if isinstance(c, ValueCheck) and c.table == table]


def sample(
    ctx: SnapshotContext, conn: Connection, table: str, checks: list[ValueCheck]
) -> dict[int, Result]:
    """Test values of the first ``sample`` rows by key; the results by check identity."""
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
    tally = _Tally(checks, columns, ctx.max_keys if key is not None else 0)
    with conn.execute(query, execution_options={"yield_per": FETCH}) as result:
        for rows in result.partitions():
            tally.add(rows)
    return tally.results()


class _Tally:
    """Counts and first keys of each check over the batches of one sample."""

    def __init__(self, checks: list[ValueCheck], columns: list[str], max_keys: int) -> None:
        self.checks = checks
        self.position = {c: i + 1 for i, c in enumerate(columns)}  # 0 is the key
        self.max_keys = max_keys
        self.counts = [0] * len(checks)
        self.keys: list[list[str]] = [[] for _ in checks]
        self.sampled = 0

    def add(self, rows: Sequence[Any]) -> None:
        self.sampled += len(rows)
        by_column = list(zip(*rows, strict=True))
        for i, check in enumerate(self.checks):
            hits = _flagged(check, by_column[self.position[check.column]])
            self.counts[i] += len(hits)
            room = self.max_keys - len(self.keys[i])
            if room > 0:
                self.keys[i] += [str(rows[j][0]) for j in hits[:room]]

    def results(self) -> dict[int, Result]:
        return {
            id(check): Result(self.counts[i], tuple(self.keys[i]), self.sampled)
            for i, check in enumerate(self.checks)
        }


def _flagged(check: ValueCheck, column: Sequence[Any]) -> list[int]:
    """Positions of the non-NULL values ``check.test`` flags, in order."""
    test = check.test
    screen = values.screen(test)
    if screen is not None and screen([str(v) for v in column if v is not None]):
        return []
    return [j for j, v in enumerate(column) if v is not None and test(v)]


# --- the second connection ------------------------------------------------------------------


class Sampler(threading.Thread):
    """Reads and judges every table's sample on its own connection, in the given snapshot.

    Nothing here touches the context's results: the runner takes ``results`` and ``failed``
    (table -> why) after :meth:`join`, and samples the tables not ``done`` itself. A failed
    sample ends the transaction; the next one takes the snapshot again, for as long as the
    runner's transaction, which exported it, lasts.
    """

    def __init__(
        self, ctx: SnapshotContext, engine: Engine, snapshot: str, tables: list[str]
    ) -> None:
        super().__init__(name="seloste-sampler", daemon=True)
        self.ctx = ctx
        self.engine = engine
        self.snapshot = snapshot
        self.tables = tables
        self.results: dict[int, Result] = {}
        self.failed: dict[str, str] = {}
        self.done: set[str] = set()
        self.crash: Exception | None = None  # not a database error: raised again by the runner

    def run(self) -> None:
        try:
            with self.engine.connect() as conn:
                conn = conn.execution_options(isolation_level="REPEATABLE READ")
                self._import(conn)
                for table in self.tables:
                    self._table(conn, table)
                conn.rollback()
        except DB_ERRORS:
            pass  # the snapshot or the connection is gone: the runner samples the rest
        except Exception as exc:
            self.crash = exc

    def _import(self, conn: Connection) -> None:
        conn.exec_driver_sql(f"SET TRANSACTION SNAPSHOT '{self.snapshot}'")

    def _table(self, conn: Connection, table: str) -> None:
        try:
            self.results.update(sample(self.ctx, conn, table, value_checks(self.ctx, table)))
        except DB_ERRORS as exc:
            self.failed[table] = reason(exc)
            self.done.add(table)
            conn.rollback()
            self._import(conn)
            return
        self.done.add(table)
