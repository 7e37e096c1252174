"""Values judged in Python: full scans for forbidden kinds, and samples for accuracy checks.

**Full scans** (:class:`ScanCheck`): the database searches every row for candidates with a
pattern (``values.CANDIDATES``), and only candidate rows come back to be confirmed (a hetu by
its check character). Exact, and cheap in Python: real data holds few candidates.

**Samples** (:class:`ValueCheck`): ``--sample N`` rows spread over the whole table, or every
row with ``--sample all``. The rows are picked by drawing values of a whole-number key
(SQLite's ``rowid``, else an integer key column) at random between its least and greatest
value, seeded by the table's name, so the same table gives the same sample, and read by
batches of drawn keys through the key's index. A table whose key range is no larger than
the sample, or that has no whole-number key, is read in full.

Rows arrive ``FETCH`` at a time and are judged a column at a time, so memory holds one batch
whatever the table's size, and only counts and the least few row keys are kept.

On PostgreSQL the samples are read by a :class:`Sampler` on a second connection while the
runner's aggregate queries run: those wait on the server, and judging values is Python's
work, so the two overlap. The second connection imports the first one's snapshot, so both
see the same data.
"""

from __future__ import annotations

import heapq
import math
import random
import re
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from typing import Any

import sqlalchemy as sa
from seloste.checks.snapshot import values
from seloste.checks.snapshot.context import Result, SnapshotContext
from seloste.checks.snapshot.plan import Check, ScanCheck, ValueCheck
from seloste.checks.snapshot.sources import reason
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import DBAPIError, SQLAlchemyError

# Rows fetched at a time, so memory does not grow with the table.
FETCH = 500
# Candidates of a forbidden kind fetched at once; a table with more is streamed.
CANDIDATES = 10_000
DB_ERRORS = (SQLAlchemyError, DBAPIError, OSError)
# What pg_export_snapshot() returns (e.g. 00000003-0000001B-1): checked before it is put in
# SET TRANSACTION SNAPSHOT, which takes no bind parameters.
SNAPSHOT_ID = re.compile(r"[0-9A-Fa-f]+(?:-[0-9A-Fa-f]+)+")
# The seed of every sample; with the table's name it makes the draws.
SEED = "seloste-sample-1"
# Draws stop after this many rounds; a sample of very sparse keys may come out smaller.
ROUNDS = 8
# Keys sparser than this (more draws per row found) are not drawn: one full read costs less.
SPARSE = 20


def value_checks(ctx: SnapshotContext, table: str) -> list[ValueCheck]:
    return [c for c in ctx.checks if isinstance(c, ValueCheck) and c.table == table]


def scan_checks(ctx: SnapshotContext, table: str) -> list[ScanCheck]:
    return [c for c in ctx.checks if isinstance(c, ScanCheck) and c.table == table]


# --- full scans -------------------------------------------------------------------------------


def scan(
    ctx: SnapshotContext, conn: Connection, table: str, checks: list[ScanCheck]
) -> dict[Check, Result]:
    """Every row's candidates for the checks' kinds, found in the database and confirmed here."""
    scope = ctx.scope(table)
    alias = scope.aliases[table]
    columns = list(dict.fromkeys(c.column for c in checks))
    found = sa.or_(
        *(
            ctx.reader.candidate(
                alias.c[c.column], ctx.tables[table].columns[c.column], values.CANDIDATES[c.kind]
            )
            for c in checks
        )
    )
    key = scope.key
    query = sa.select(_key_or_null(key), *(alias.c[c] for c in columns)).where(found)
    # Candidates are few in real data: fetched at once, the search may run in parallel
    # (PostgreSQL plans no parallel scan for a cursor that streams). A column full of them
    # is read again as a stream, so that memory never holds more than CANDIDATES rows.
    rows = conn.execute(query.limit(CANDIDATES + 1)).all()
    tally = _Tally(checks, columns, ctx.max_keys)
    if len(rows) <= CANDIDATES:
        tally.add(rows)
        return tally.results(ctx, table, sampled=None)
    del rows
    with conn.execute(query, execution_options={"yield_per": FETCH}) as result:
        for batch in result.partitions():
            tally.add(batch)
    return tally.results(ctx, table, sampled=None)


# --- samples ----------------------------------------------------------------------------------


def sample(
    ctx: SnapshotContext,
    conn: Connection,
    table: str,
    checks: list[ValueCheck],
    rows: int | None = None,
    pause: Callable[[], None] | None = None,
) -> dict[Check, Result]:
    """The checks judged on the table's sample; ``rows`` is the table's row count when known.
    Every row is read with ``--sample all`` or when the table has no more rows than that.
    ``pause`` runs after each batch is judged (the sampler thread gives up the GIL there)."""
    scope = ctx.scope(table)
    alias = scope.aliases[table]
    columns = list(dict.fromkeys(c.column for c in checks))
    picked = sa.select(_key_or_null(scope.key), *(alias.c[c] for c in columns)).select_from(alias)
    tally = _Tally(checks, columns, ctx.max_keys)
    size = ctx.sample
    if size is None or (rows is not None and rows <= size):
        batches = _every(conn, picked)
    else:
        draw = _draw_column(ctx, conn, table, alias)
        batches = _spread(conn, alias, picked, draw, size, rows, table)
    for batch in batches:
        tally.add(batch)
        if pause is not None:
            pause()
    return tally.results(ctx, table, sampled=tally.sampled)


def _key_or_null(key: Any) -> Any:
    return key if key is not None else sa.null()


def _draw_column(ctx: SnapshotContext, conn: Connection, table: str, alias: Any) -> Any:
    """The whole-number column draws are made on: SQLite's rowid, else an integer key."""
    name = ctx.key(table)
    info = ctx.tables[table]
    integer = name in info.columns and isinstance(info.columns[name], sa.Integer)
    return _whole_number(conn, ctx.dialect, alias, alias.c[name] if integer else None)


def _whole_number(conn: Connection, dialect: str, alias: Any, key: Any) -> Any:
    """SQLite's rowid where the table has one, else ``key`` (an integer key column or None)."""
    if dialect == "sqlite":
        rowid: Any = sa.literal_column(f"{alias.name}.rowid")
        try:
            conn.execute(sa.select(rowid).select_from(alias).limit(1)).all()
            return rowid
        except DB_ERRORS:  # a view or a WITHOUT ROWID table (SQLite: nothing to roll back)
            pass
    return key


def spread_sample(
    conn: Connection, dialect: str, alias: Any, picked: Any, key: Any, size: int, rows: int
) -> Iterator[Sequence[Any]]:
    """``size`` rows of ``picked`` spread over the table ``alias``, drawn as a check's sample
    is, for a caller with no snapshot context (``seloste discover``); every row when the
    table has no more. ``key``: an integer key column to draw on, or None."""
    if rows <= size:
        yield from _every(conn, picked)
        return
    draw = _whole_number(conn, dialect, alias, key)
    yield from _spread(conn, alias, picked, draw, size, rows, alias.name)


def _every(conn: Connection, picked: Any) -> Iterator[Sequence[Any]]:
    with conn.execute(picked, execution_options={"yield_per": FETCH}) as result:
        yield from result.partitions()


def _spread(
    conn: Connection, alias: Any, picked: Any, draw: Any, size: int, rows: int | None, table: str
) -> Iterator[Sequence[Any]]:
    """``size`` rows spread over the table: drawn by key where keys are dense enough for the
    draws to find rows, else a seeded reservoir sample of one full read."""
    if draw is None:
        yield from _reservoir(conn, picked, size, table)
        return
    # Each bound its own subquery: SQLite reads a lone min() or max() of a key from the end
    # of its index, but both in one query from a scan of the whole table.
    ends = (sa.func.min(draw), sa.func.max(draw))
    low_key, high_key = (sa.select(end).select_from(alias).scalar_subquery() for end in ends)
    low, high = conn.execute(sa.select(low_key, high_key)).one()
    if low is None:
        return
    span = int(high) - int(low) + 1
    if span <= size:  # every key of the range is one draw: read them all
        yield from _every(conn, picked)
    elif rows is not None and size * span / max(rows, 1) > SPARSE * size:
        yield from _reservoir(conn, picked, size, table)
    else:
        yield from _drawn(conn, picked, draw, int(low), int(high), size, table)


def _reservoir(conn: Connection, picked: Any, size: int, table: str) -> Iterator[Sequence[Any]]:
    """A uniform sample of ``size`` rows from one streamed read (Algorithm R), seeded like the
    draws; it holds ``size`` rows, never the table."""
    rng = random.Random(f"{SEED}:{table}")
    kept: list[Any] = []
    seen = 0
    for batch in _every(conn, picked):
        for row in batch:
            seen += 1
            if len(kept) < size:
                kept.append(row)
            elif (slot := rng.randrange(seen)) < size:
                kept[slot] = row
    for start in range(0, len(kept), FETCH):
        yield kept[start : start + FETCH]


def _drawn(
    conn: Connection, picked: Any, draw: Any, low: int, high: int, size: int, table: str
) -> Iterator[Sequence[Any]]:
    """Rows whose key was drawn, until ``size`` rows are found or the rounds run out. Keys are
    tried in the order drawn, so that when a batch finds more rows than are still wanted, the
    ones kept are the earliest drawn, not the lowest keys."""
    rng = random.Random(f"{SEED}:{table}")
    span = high - low + 1
    tried: set[int] = set()
    found = 0
    query = picked.add_columns(draw).where(draw.in_(sa.bindparam("drawn", expanding=True)))
    for _ in range(ROUNDS):
        need = size - found
        if need <= 0 or len(tried) >= span:
            return
        if not tried:
            density = 1.0
        elif not found:  # none found yet: eight times as many draws as so far
            density = need / (8 * len(tried))
        else:
            density = found / len(tried)
        count = min(span - len(tried), math.ceil(need / density * 1.1))
        fresh = _fresh(rng, low, span, count, tried)
        for start in range(0, len(fresh), FETCH):
            batch = fresh[start : start + FETCH]
            rank = {key: i for i, key in enumerate(batch)}
            drawn = sorted(conn.execute(query, {"drawn": batch}).all(), key=lambda r: rank[r[-1]])
            rows = [tuple(row[:-1]) for row in drawn[: size - found]]
            found += len(rows)
            if rows:
                yield rows
            if found >= size:
                return


def _fresh(rng: random.Random, low: int, span: int, count: int, tried: set[int]) -> list[int]:
    """``count`` keys in the range not drawn before (rejection: the range dwarfs the draws)."""
    out: list[int] = []
    while len(out) < count:
        key = low + rng.randrange(span)
        if key not in tried:
            tried.add(key)
            out.append(key)
    return out


# --- judging ----------------------------------------------------------------------------------


class _Tally:
    """Counts and the least few keys of each check over the batches read."""

    def __init__(
        self, checks: Sequence[ScanCheck | ValueCheck], columns: list[str], max_keys: int
    ) -> None:
        self.checks = checks
        self.position = {c: i + 1 for i, c in enumerate(columns)}  # 0 is the key
        self.max_keys = max_keys
        self.counts = [0] * len(checks)
        self.least: list[list[tuple[Any, Any]]] = [[] for _ in checks]  # max-heaps, negated
        self.sampled = 0

    def add(self, rows: Sequence[Any]) -> None:
        if not rows:
            return
        self.sampled += len(rows)
        by_column = list(zip(*rows, strict=True))
        for i, check in enumerate(self.checks):
            hits = _flagged(check, by_column[self.position[check.column]])
            self.counts[i] += len(hits)
            for j in hits:
                self._keep(i, rows[j][0])

    def _keep(self, i: int, key: Any) -> None:
        if key is None or not self.max_keys:
            return
        entry = (_Descending(_order(key)), key)
        heap = self.least[i]
        if len(heap) < self.max_keys:
            heapq.heappush(heap, entry)
        elif entry > heap[0]:
            heapq.heapreplace(heap, entry)

    def results(
        self, ctx: SnapshotContext, table: str, *, sampled: int | None
    ) -> dict[Check, Result]:
        out: dict[Check, Result] = {}
        for i, check in enumerate(self.checks):
            least = sorted((key for _, key in self.least[i]), key=_order)
            keys, withheld = ctx.shown_keys(table, least)
            out[check] = Result(self.counts[i], keys, sampled, withheld=withheld)
        return out


def _order(key: Any) -> tuple[int, Any]:
    """Keys in order: numbers before text (SQLite lets a column hold both)."""
    if isinstance(key, int | float) and not isinstance(key, bool):
        return (0, key)
    return (1, str(key))


class _Descending:
    """Reverses the order of what it holds, so that ``heapq`` keeps the least keys."""

    __slots__ = ("value",)

    def __init__(self, value: Any) -> None:
        self.value = value

    def __lt__(self, other: _Descending) -> bool:
        return bool(other.value < self.value)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Descending) and self.value == other.value


def _flagged(check: ScanCheck | ValueCheck, column: Sequence[Any]) -> list[int]:
    """Positions of the non-NULL values ``check.test`` flags, in order."""
    test = check.test
    screen = values.screen(test)
    if screen is not None and screen([str(v) for v in column if v is not None]):
        return []
    return [j for j, v in enumerate(column) if v is not None and test(v)]


# --- the second connection ------------------------------------------------------------------


def give_way() -> None:
    """Give up the GIL, so that the runner's thread, whose query result has come back while
    this one judged values, takes it now rather than after the switch interval (5 ms): it
    would otherwise wait that long several times a statement while the server idles. Done
    between batches, it needs no process-wide setting (``sys.setswitchinterval``)."""
    time.sleep(0)


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
        self.results: dict[Check, Result] = {}
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
            checks = value_checks(self.ctx, table)
            self.results.update(sample(self.ctx, conn, table, checks, pause=give_way))
        except DB_ERRORS as exc:
            self.failed[table] = reason(exc)
            self.done.add(table)
            conn.rollback()
            self._import(conn)
            return
        self.done.add(table)
