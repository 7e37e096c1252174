"""What the snapshot rules read: the bound policy, the snapshot's tables, and what was counted.

Rules build their conditions through :class:`Scope` (a table joined along its ``subject``
links, so that a mailbox can be judged by its customer's flags), and read their results
with :meth:`SnapshotContext.findings` once the runner has counted them.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa

from checks.context import BoundPolicy
from checks.findings import NOT_CHECKED, Finding, Location
from checks.snapshot.plan import Check, RowCheck
from checks.snapshot.sources import TableInfo
from policy.model import Bindings, Policy, TableBinding

# Subject links are followed this far at most; the bindings lint (BND003) reports cycles.
MAX_HOPS = 4


@dataclass(frozen=True)
class Result:
    """What the runner counted for one check."""

    rows: int
    row_keys: tuple[str, ...]
    sampled: int | None = None


@dataclass
class SnapshotContext:
    """One snapshot being checked: what the rules plan from, and what the runner counted.

    ``results`` is keyed by the identity of each planned check (all kept in ``checks``);
    ``row_counts`` holds each table's row count from its aggregate query.
    """

    bound: BoundPolicy
    source: str  # as printed: any password masked
    dialect: str
    as_of: datetime
    sample: int
    max_keys: int
    tables: dict[str, TableInfo] = field(default_factory=dict)
    checks: list[Check] = field(default_factory=list)
    results: dict[int, Result] = field(default_factory=dict)
    row_counts: dict[str, int] = field(default_factory=dict)
    not_checked: dict[tuple[str | None, str | None], Finding] = field(default_factory=dict)
    _scopes: dict[str, Scope] = field(default_factory=dict)

    @property
    def policy(self) -> Policy:
        return self.bound.policy.model

    @property
    def bindings(self) -> Bindings:
        return self.bound.bindings.model

    def bound_tables(self) -> Iterator[tuple[str, TableBinding]]:
        """The bound tables the snapshot has, in the bindings' order."""
        for name, binding in self.bindings.tables.items():
            if name in self.tables:
                yield name, binding

    def unbound_tables(self) -> list[str]:
        """Tables the snapshot has that the bindings neither bind nor ignore."""
        return [t for t in self.tables if t not in self.bindings.tables]

    def key(self, table: str) -> str | None:
        """The column that names a row in reports: the bound key, else a one-column PK or id.

        Row keys are printed, so a key that is itself personal data is not used (findings
        then give counts only): a bound key mapped to a personal field, or, in a table the
        bindings do not declare, any key that is not a number (it may be an e-mail address).
        """
        binding = self.bindings.tables.get(table)
        if binding is not None:
            field = self.policy.fields.get(binding.columns.get(binding.key, ""))
            return None if field is not None and field.personal else binding.key
        info = self.tables[table]
        key = info.primary_key[0] if len(info.primary_key) == 1 else None
        key = key or ("id" if "id" in info.columns else None)
        return key if key and isinstance(info.columns[key], sa.Integer) else None

    def scope(self, table: str) -> Scope:
        if table not in self._scopes:
            self._scopes[table] = Scope(self, table)
        return self._scopes[table]

    def cutoff(self, period: str) -> datetime:
        """``as_of`` minus an ISO 8601 period, by the calendar (P3M from 31 May is 28 Feb)."""
        import isodate

        return self.as_of - isodate.parse_duration(period)

    def add(self, checks: Iterator[Check]) -> None:
        self.checks.extend(checks)

    def gap(self, table: str | None, column: str | None, why: str) -> None:
        """Record that something could not be checked: an error (SEL001), never a pass."""
        if (table, column) in self.not_checked:
            return
        what = table or self.source
        if table and column:
            what = f"{table}.{column}"
        self.not_checked[(table, column)] = Finding(
            rule=NOT_CHECKED,
            severity="error",
            message=f"could not check {what}: {why}",
            location=Location(source=self.source, table=table, table_column=column),
            target=f"{table or '*'}.{column or '*'}",
        )

    def findings(self, rule: str) -> Iterator[Finding]:
        """The findings of one rule's checks, as the runner counted them."""
        for check in self.checks:
            result = self.results.get(id(check))
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
            )


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
        """``column < cutoff``, comparing as the column stores time (typed, or ISO text)."""
        col = self.col(table, column)
        if col is None:
            return None
        kind = self.type_of(table, column)
        utc = cutoff.astimezone(UTC)
        typed = isinstance(kind, sa.Date | sa.DateTime) and self.ctx.dialect != "sqlite"
        if not typed:
            # ISO 8601 text in UTC sorts by time: SQLite, and text columns elsewhere.
            return col < sa.bindparam(None, utc.strftime("%Y-%m-%dT%H:%M:%S"), type_=sa.String())
        if getattr(kind, "timezone", False):
            return col < sa.bindparam(None, utc, type_=sa.DateTime(timezone=True))
        return col < sa.bindparam(None, utc.replace(tzinfo=None), type_=sa.DateTime())

    def truthy(self, table: str, column: str) -> Any:
        """The flag is set: true, non-zero, a time (``opted_out_at``) or 'yes'-like text."""
        col = self.col(table, column)
        if col is None:
            return None
        kind = self.type_of(table, column)
        if isinstance(kind, sa.Boolean):
            return col.is_(sa.true())
        if isinstance(kind, sa.Integer | sa.Numeric | sa.Float):
            return col != 0
        if isinstance(kind, sa.Date | sa.DateTime):
            return col.is_not(None)
        return sa.func.lower(col).in_(["1", "true", "t", "yes", "y", "x"])

    def not_null(self, table: str, column: str) -> Any:
        col = self.col(table, column)
        return None if col is None else col.is_not(None)


RULE_COLUMNS = ("relationship_end", "collected_at", "last_activity", "marketing_opt_out")
RULE_COLUMNS += ("restricted",)


def declared_columns(binding: TableBinding) -> set[str]:
    """Every column the binding says something about: key, link, mapped, other, rule columns."""
    names = {binding.key, *binding.columns, *binding.other_columns}
    if binding.subject is not None:
        names.add(binding.subject.column)
    names.update(getattr(binding, attr) for attr in RULE_COLUMNS if getattr(binding, attr))
    return names


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
    columns = [sa.column(name, kind) for name, kind in info.columns.items()]
    return sa.table(info.name, *columns, schema=info.schema).alias(f"s{hop}")


def is_text(kind: Any) -> bool:
    """A column that may hold free text (untyped SQLite columns included)."""
    return isinstance(kind, sa.String | sa.types.NullType)
