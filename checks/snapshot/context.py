"""What the snapshot rules read: the bound policy, the snapshot's tables, and what was counted.

Rules build their conditions through :class:`Scope` (a table joined along its ``subject``
links, so that a mailbox can be judged by its customer's flags), and read their results
with :meth:`SnapshotContext.findings` once the runner has counted them.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from datetime import datetime, tzinfo
from typing import Any

import sqlalchemy as sa
from seloste.checks.context import BoundPolicy
from seloste.checks.findings import NOT_CHECKED, Anchor, Finding, Location
from seloste.checks.snapshot.keys import Keys
from seloste.checks.snapshot.plan import Check, RowCheck
from seloste.checks.snapshot.reading import Reader
from seloste.checks.snapshot.sources import TableInfo
from seloste.policy import periods, times
from seloste.policy.loader import Loaded
from seloste.policy.model import RULE_COLUMNS, Bindings, Policy, TableBinding

# Subject links are followed this far at most; the bindings lint (BND003) reports cycles.
MAX_HOPS = 4


@dataclass(frozen=True)
class Result:
    """What the runner counted for one check.

    ``table_rows`` is the table's row count; ``sampled``, for a value check, how many of its
    rows the sample held (equal to ``table_rows`` when every row was read); ``withheld``,
    whether some of the first row keys were not shown (they may be personal data).
    """

    rows: int
    row_keys: tuple[str, ...]
    sampled: int | None = None
    table_rows: int | None = None
    withheld: bool = False


@dataclass
class SnapshotContext:
    """One snapshot being checked: what the rules plan from, and what the runner counted.

    ``results`` is keyed by each planned check (all kept in ``checks``); ``row_counts``
    holds each table's row count from its aggregate query.
    """

    bound: BoundPolicy
    source: str  # as printed: any password masked
    dialect: str
    as_of: datetime
    sample: int | None  # None: every row
    max_keys: int
    keys: Keys = field(default_factory=Keys)
    tables: dict[str, TableInfo] = field(default_factory=dict)
    checks: list[Check] = field(default_factory=list)
    results: dict[Check, Result] = field(default_factory=dict)
    row_counts: dict[str, int] = field(default_factory=dict)
    not_checked: dict[tuple[str | None, str | None], Finding] = field(default_factory=dict)
    _scopes: dict[str, Scope] = field(default_factory=dict)

    @property
    def policy(self) -> Policy:
        return self.bound.policy.model

    @property
    def bindings(self) -> Bindings:
        return self.bound.bindings.model

    @property
    def reader(self) -> Reader:
        return Reader(self.dialect)

    def bound_tables(self) -> Iterator[tuple[str, TableBinding]]:
        """The bound tables the snapshot has, in the bindings' order."""
        for name, binding in self.bindings.tables.items():
            if name in self.tables:
                yield name, binding

    def unbound_tables(self) -> list[str]:
        """Tables the snapshot has that the bindings neither bind nor ignore."""
        return [t for t in self.tables if t not in self.bindings.tables]

    def key(self, table: str) -> str | None:
        """The column that names a row in reports: the bound key, else a one-column primary
        key or an ``id`` column. Its values are shown only as ``keys`` allows."""
        binding = self.bindings.tables.get(table)
        if binding is not None:
            return binding.key
        info = self.tables[table]
        key = info.primary_key[0] if len(info.primary_key) == 1 else None
        return key or ("id" if "id" in info.columns else None)

    def personal_key(self, table: str) -> bool:
        """The bindings map the table's key column to a personal field."""
        binding = self.bindings.tables.get(table)
        if binding is None:
            return False
        field = self.policy.fields.get(binding.columns.get(binding.key, ""))
        return field is not None and field.personal

    def shown_keys(self, table: str, values: Iterable[Any]) -> tuple[tuple[str, ...], bool]:
        """The keys a report may show for ``values``, and whether any was withheld."""
        personal = self.personal_key(table)
        shown = [self.keys.shown(table, v, personal_column=personal) for v in values]
        return tuple(k for k in shown if k is not None), None in shown

    def zone(self, table: str) -> tzinfo:
        """The time zone of the table's times written without an offset."""
        binding = self.bindings.tables.get(table)
        return times.zone((binding and binding.timezone) or self.bindings.timezone)

    def time_format(self, table: str, column: str) -> str:
        binding = self.bindings.tables.get(table)
        return binding.time_formats.get(column, times.ISO) if binding else times.ISO

    def scope(self, table: str) -> Scope:
        if table not in self._scopes:
            self._scopes[table] = Scope(self, table)
        return self._scopes[table]

    def cutoff(self, period: str) -> datetime:
        """``as_of`` (to the second) minus an ISO 8601 period, by the calendar (P3M from 31 May
        is 28 Feb): the first instant that is not past the period."""
        return periods.start(period, end=times.whole_second(self.as_of))

    def add(self, checks: Iterator[Check]) -> None:
        self.checks.extend(checks)

    def gap(self, table: str | None, column: str | None, why: str) -> None:
        """Record that something could not be checked: an error (SEL001), never a pass."""
        if (table, column) in self.not_checked:
            return
        self.not_checked[(table, column)] = not_checked(self.source, table, column, why)

    def findings(self, rule: str) -> Iterator[Finding]:
        """The findings of one rule's checks, as the runner counted them."""
        for check in self.checks:
            result = self.results.get(check)
            if check.rule != rule or result is None:
                continue
            if result.rows == 0 and not (isinstance(check, RowCheck) and check.report_empty):
                continue
            target = f"{check.table}.{check.column or '*'}"
            yield Finding(
                rule=check.rule,
                severity=check.severity,
                message=check.message,
                location=Location(source=self.source, table=check.table, table_column=check.column),
                target=f"{target}#{check.detail}" if check.detail else target,
                rows=result.rows,
                row_keys=result.row_keys,
                sampled=result.sampled,
                table_rows=result.table_rows,
                keys_withheld=result.withheld,
            )


def not_checked(source: str, table: str | None, column: str | None, why: str) -> Finding:
    """The SEL001 finding for something that could not be checked."""
    what = table or source
    if table and column:
        what = f"{table}.{column}"
    return Finding(
        rule=NOT_CHECKED,
        severity="error",
        message=f"could not check {what}: {why}",
        location=Location(source=source, table=table, table_column=column),
        target=f"{table or '*'}.{column or '*'}",
    )


def pinned(finding: Finding, bindings: Loaded[Bindings]) -> Finding:
    """``finding`` with the place in the bindings file that binds its table and column, and
    the register the table holds. Resolved here, where the bindings are read, so that no
    report has to read them again.

    A table the bindings do not bind (and a finding on the whole source) has no line of its
    own: it is pinned to the file's ``tables:`` key, or its first line without one, since
    GitHub code scanning drops a result without a line and GitLab would put it at line 1
    anyway. Reports name the table in the message of every finding without a file."""
    loc = finding.location
    binding = bindings.model.tables.get(loc.table) if loc.table else None
    if loc.table is None or binding is None:
        return replace(finding, anchor=_tables_key(bindings))
    line, column = bindings.mark(*_binding_path(loc.table, binding, loc.table_column), key=True)
    anchor = Anchor(bindings.path, line, column)
    return replace(finding, anchor=anchor, register=binding.register_id)


def _tables_key(bindings: Loaded[Bindings]) -> Anchor:
    """The bindings file's ``tables:`` key, or its first line when it has none."""
    data = bindings.doc.data
    if isinstance(data, dict) and "tables" in data:
        line, column = bindings.mark("tables", key=True)
        return Anchor(bindings.path, line, column)
    return Anchor(bindings.path, 1, 1)


def _binding_path(table: str, binding: TableBinding, column: str | None) -> tuple[str, ...]:
    """Where ``column`` is bound: its entry under ``columns``, else the binding key that
    names it (``key`` or a rule column), else the table itself."""
    if column in binding.columns:
        return ("tables", table, "columns", column)
    names = ("key", *RULE_COLUMNS)
    named = next((k for k in names if column and getattr(binding, k) == column), None)
    return ("tables", table, named) if named else ("tables", table)


class Scope:
    """A table joined to the tables its ``subject`` links lead to (LEFT JOIN, many-to-one).

    Every condition on a table is written over its scope, so a row and its subject are
    judged in one query, in the database.
    """

    def __init__(self, ctx: SnapshotContext, table: str) -> None:
        self.ctx = ctx
        self.table = table
        self.chain: list[str] = [table]
        self.aliases: dict[str, Any] = {table: _alias(ctx.tables[table], 0)}
        self.from_clause = self.aliases[table]
        self.broken_link: str | None = None
        while len(self.chain) <= MAX_HOPS and self._follow(self.chain[-1]):
            pass

    def _follow(self, child: str) -> bool:
        """Join the table ``child``'s subject link leads to; False where the chain ends."""
        binding = self.ctx.bindings.tables.get(child)
        link = binding.subject if binding else None
        if link is None or link.table in self.aliases or link.table not in self.ctx.bindings.tables:
            return False  # an unbound target or a cycle: the bindings lint reports those
        if link.table not in self.ctx.tables:
            # Whose content these rows are cannot be told: every rule on them is a gap.
            self.broken_link = link.table
            self.ctx.gap(
                self.table, None, f"it is linked to table {link.table!r}, which is missing"
            )
            return False
        reference = self.col(child, link.column)
        self.aliases[link.table] = _alias(self.ctx.tables[link.table], len(self.chain))
        target = self.col(link.table, self.ctx.bindings.tables[link.table].key)
        if reference is None or target is None:
            del self.aliases[link.table]
            return False
        self.from_clause = self.from_clause.outerjoin(self.aliases[link.table], reference == target)
        self.chain.append(link.table)
        return True

    @property
    def key(self) -> Any:
        name = self.ctx.key(self.table)
        return (
            self.aliases[self.table].c[name]
            if name in self.ctx.tables[self.table].columns
            else None
        )

    def bindings(self) -> Iterator[tuple[str, TableBinding]]:
        """The bound tables of the chain, nearest first: the table itself, its subject, ..."""
        for name in self.chain:
            binding = self.ctx.bindings.tables.get(name)
            if binding is not None:
                yield name, binding

    def col(self, table: str, column: str) -> Any:
        """The column as a SQL expression, or None (and an SEL001) when the snapshot lacks it."""
        if table not in self.aliases:
            missing = self.broken_link or table
            self.ctx.gap(self.table, None, f"it is linked to table {missing!r}, which is missing")
            return None
        if column not in self.ctx.tables[table].columns:
            self.ctx.gap(table, column, "the bound column is missing from the table")
            return None
        return self.aliases[table].c[column]

    def type_of(self, table: str, column: str) -> Any:
        return self.ctx.tables[table].columns[column]

    def before(self, table: str, column: str, cutoff: datetime) -> Any:
        """Rows whose time in ``column`` is readable and strictly before ``cutoff``, however
        the column stores times (checks/snapshot/reading.py)."""
        col = self.col(table, column)
        if col is None:
            return None
        fmt = self.ctx.time_format(table, column)
        kind = self.type_of(table, column)
        return self.ctx.reader.before(col, kind, fmt, self.ctx.zone(table), cutoff)

    def truthy(self, table: str, column: str) -> Any:
        """The flag is set: true, non-zero, a time (``opted_out_at``) or 'yes'-like text."""
        col = self.col(table, column)
        if col is None:
            return None
        return self.ctx.reader.flag_set(col, self.type_of(table, column))

    def unreadable_time(self, table: str, column: str) -> Any:
        """Rows whose value in ``column`` is not a time; None when the type holds only times."""
        col = self.col(table, column)
        if col is None:
            return None
        fmt = self.ctx.time_format(table, column)
        return self.ctx.reader.unreadable_time(col, self.type_of(table, column), fmt)

    def unreadable_flag(self, table: str, column: str) -> Any:
        """Rows whose flag in ``column`` is neither set nor unset; None when it cannot be."""
        col = self.col(table, column)
        if col is None:
            return None
        return self.ctx.reader.unreadable_flag(col, self.type_of(table, column))

    def not_null(self, table: str, column: str) -> Any:
        col = self.col(table, column)
        return None if col is None else col.is_not(None)


def any_of(conditions: list[Any]) -> Any:
    """OR of the conditions that could be built (None where a column is missing)."""
    present = [c for c in conditions if c is not None]
    return sa.or_(*present) if present else None


def all_of(conditions: list[Any]) -> Any:
    """AND of the conditions, or None when any of them could not be built."""
    if any(c is None for c in conditions):
        return None
    return sa.and_(*conditions)


def _alias(info: TableInfo, hop: int) -> Any:
    """The table as a query reads it. Its columns are untyped for SQLAlchemy: the driver hands
    back values as they are, where SQLAlchemy's own converters (SQLite's text to datetime)
    would fail on a value that is not what the column's type says; conditions take the
    reflected type from ``TableInfo`` instead (checks/snapshot/reading.py)."""
    columns: list[Any] = [sa.column(name) for name in info.columns]
    return sa.table(info.name, *columns, schema=info.schema).alias(f"s{hop}")


def is_text(kind: Any) -> bool:
    """A column that may hold free text (untyped SQLite columns included)."""
    return isinstance(kind, sa.String | sa.types.NullType)
