"""What a database holds, read the way the checks read it: tables, keys, foreign keys and
column types from SQLAlchemy's inspector, and a profile of each text column's values.

The profile is counted in the database, one aggregate query per table: for each text column,
its non-NULL values and how many of them match each kind's cheap pattern (GLOB on SQLite, a
regular expression elsewhere). Where a pattern matches, a bounded sample spread over the
table (``checks/snapshot/sampling.py``) is judged by the validators the accuracy checks use
(``checks/snapshot/values.py``): python-stdnum, email-validator, phonenumbers. Only counts
are kept, never a value.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from seloste.checks.discover import names
from seloste.checks.snapshot import values
from seloste.checks.snapshot.reading import Reader
from seloste.checks.snapshot.sampling import spread_sample
from seloste.checks.snapshot.sources import Source, TableInfo
from seloste.checks.snapshot.values import Candidates
from seloste.policy import times
from sqlalchemy.engine import Connection

# A pattern must match this share of a column's values before its sample is judged.
CANDIDATE_SHARE = 0.5

_DOMAIN = re.compile(r"(?!-)[a-z0-9-]{1,63}(?<!-)(\.(?!-)[a-z0-9-]{1,63}(?<!-))*\.[a-z]{2,63}")
# The endings of a company's name in the Nordic countries and English.
_COMPANY_FORMS = ("Oy", "Oyj", "Ky", "Ay", "Ab", "Abp", "Tmi", "ry", "Ltd", "Inc", "GmbH", "AS")
_COMPANY = re.compile(rf".+ ({'|'.join(_COMPANY_FORMS)})\.?")


def _company_glob() -> str:
    """One GLOB for every company form (a GLOB per form would try every position each): a
    space, a form's first letter, and a form's last letter at the end."""
    firsts = "".join(sorted({form[0] for form in _COMPANY_FORMS}))
    lasts = "".join(sorted({form[-1] for form in _COMPANY_FORMS}))
    return f"* [{firsts}]*[{lasts}]"


def _domain(value: Any) -> bool:
    return _DOMAIN.fullmatch(str(value)) is not None


def _company(value: Any) -> bool:
    return _COMPANY.fullmatch(str(value).strip()) is not None


# The kinds a text value can show by itself, each with a superset pattern the database
# searches for and the test that confirms a sampled value; most telling first.
PATTERNS: dict[str, Candidates] = {
    "email": Candidates(("*?@?*.?*",), "^[^@ ]+@[^@ ]+[.][^@ ]+$", values.is_email, 5),
    "fi_personal_identity_code": Candidates(
        tuple(f"{d}{values._HETU_TAIL}" for d in "0123"),
        f"^{values.CANDIDATES['fi_personal_identity_code'].regex}$",
        values.contains_hetu,
        11,
    ),
    "fi_business_id": Candidates(
        ("[0-9][0-9][0-9][0-9][0-9][0-9][0-9]-[0-9]",), "^[0-9]{7}-[0-9]$", values.is_business_id, 9
    ),
    "iban": Candidates(
        ("[A-Z][A-Z][0-9][0-9]*",), "^[A-Z]{2}[0-9]{2}[A-Z0-9 ]{10,40}$", values.is_iban, 15
    ),
    "phone": Candidates(("+[0-9]*", "0[0-9]*"), "^[+0][0-9 ()./-]{5,19}$", values.is_phone, 6),
    "ip_address": Candidates(
        ("[0-9]*.*.*.*[0-9]", "*:*:*"),
        "^([0-9]{1,3}[.]){3}[0-9]{1,3}$|^[0-9A-Fa-f]*:[0-9A-Fa-f:.]+$",
        values.is_ip_address,
        3,
    ),
    "domain_name": Candidates(("*?.[a-z][a-z]*",), "^[a-z0-9.-]+[.][a-z]{2,63}$", _domain, 4),
    "organisation_name": Candidates(
        (_company_glob(),),
        f"^.+ ({'|'.join(_COMPANY_FORMS)})$",
        _company,
        4,
    ),
}


# The ways of writing times as text that a time column's values are tested for, besides
# ISO 8601 (which needs no time_formats entry): each becomes a glob and a regular expression.
TEXT_TIMES = ("%d.%m.%Y %H:%M:%S", "%d.%m.%Y %H:%M", "%d.%m.%Y", "%d/%m/%Y %H:%M:%S", "%d/%m/%Y")
_DIGITS = {"d": "[0-3][0-9]", "m": "[01][0-9]", "Y": "[12][0-9][0-9][0-9]", "H": "[0-2][0-9]"}
_DIGITS |= {"M": "[0-5][0-9]", "S": "[0-5][0-9]"}


def _time_candidates(fmt: str) -> Candidates:
    pieces = re.split(r"%([dmYHMS])", fmt)  # literal, directive, literal, ...
    glob = "".join(_DIGITS[p] if i % 2 else p for i, p in enumerate(pieces))
    regex = "".join(
        _DIGITS[p] if i % 2 else "".join(f"[{c}]" for c in p) for i, p in enumerate(pieces)
    )
    return Candidates((glob,), f"^{regex}$", lambda v: times.read(str(v), fmt) is not None, 8)


def _epoch_candidates(fmt: str, digits: int) -> Candidates:
    """Unix times written as text (2001 to 2033: ten digits from 1 for seconds)."""
    glob = "1" + "[0-9]" * (digits - 1)
    regex = f"^1[0-9]{{{digits - 1}}}$"
    return Candidates((glob,), regex, lambda v: times.read(str(v), fmt) is not None, digits)


TIME_PATTERNS = {fmt: _time_candidates(fmt) for fmt in TEXT_TIMES}
TIME_PATTERNS["epoch_seconds"] = _epoch_candidates("epoch_seconds", 10)
TIME_PATTERNS["epoch_milliseconds"] = _epoch_candidates("epoch_milliseconds", 13)


def pattern(key: str) -> Candidates:
    """A kind's pattern, or a way of writing times'."""
    return PATTERNS[key] if key in PATTERNS else TIME_PATTERNS[key]


@dataclass
class ValueShare:
    """How many of a column's values look like a kind (in the database, every row) and how
    many of a sample of them are one (judged here)."""

    matched: int
    sampled: int = 0
    valid: int = 0


@dataclass
class Column:
    name: str
    type: Any
    non_null: int | None = None
    shares: dict[str, ValueShare] = field(default_factory=dict)
    least: Any = None  # of a whole-number column whose name says it holds a time
    greatest: Any = None


@dataclass
class Table:
    name: str
    schema: str | None
    columns: dict[str, Column]
    primary_key: tuple[str, ...]
    foreign_keys: list[tuple[str, str]]  # (column, referred table), one-column keys only
    rows: int = 0
    # Columns named after another table's key (customer_id: customers) with no foreign key
    # declared, as CSV files and many databases have them: (column, that table).
    named_keys: list[tuple[str, str]] = field(default_factory=list)

    def links(self) -> list[tuple[str, str]]:
        """The declared foreign keys, then the columns named after another table's key."""
        return self.foreign_keys + self.named_keys


def text_like(kind: Any) -> bool:
    """A column declared as text, or untyped (SQLite's columns without a type)."""
    return isinstance(kind, sa.String | sa.types.NullType) and not isinstance(kind, sa.Enum)


def whole_number(kind: Any) -> bool:
    return isinstance(kind, sa.Integer | sa.Numeric) and not isinstance(kind, sa.Boolean)


def reflect(source: Source, conn: Connection, schema: str | None) -> list[Table]:
    """Every table (and view) of the schema with its columns, keys and foreign keys."""
    tables = []
    inspector = None if source.duck is not None else sa.inspect(conn)
    for name in sorted(source.table_names(conn, schema)):
        info: TableInfo = source.describe(conn, name, schema)
        links: list[tuple[str, str]] = []
        if inspector is not None:
            for fk in inspector.get_foreign_keys(name, schema=schema):
                if len(fk["constrained_columns"]) == 1:
                    links.append((fk["constrained_columns"][0], fk["referred_table"]))
        columns = {c: Column(c, t) for c, t in info.columns.items()}
        tables.append(Table(name, schema, columns, info.primary_key, links))
    _name_keys(tables)
    return tables


def _name_keys(tables: list[Table]) -> None:
    """Find the columns named ``<table>_id`` (``customer_id``: ``customers``) that no foreign
    key declares, pointing at a table with a one-column primary key or an ``id`` column."""
    keyed = {t.name: t for t in tables if len(t.primary_key) == 1 or "id" in t.columns}
    for table in tables:
        declared = {c for c, _ in table.foreign_keys}
        for column in table.columns:
            if column in declared:
                continue
            target = _named_table(column, keyed)
            if target is not None and target != table.name:
                table.named_keys.append((column, target))


def _named_table(column: str, keyed: dict[str, Table]) -> str | None:
    stem, sep, last = column.rpartition("_")
    if not sep or last.lower() != "id" or not stem:
        return None
    plural = stem[:-1] + "ies" if stem.endswith("y") else stem + "s"
    return next((t for t in (stem, plural, stem + "es") if t in keyed), None)


def profile(source: Source, conn: Connection, table: Table, sample: int) -> None:
    """Count the table's rows and its text columns' pattern matches in one aggregate query,
    then judge a sample of the columns that match."""
    # Untyped: values come back as the driver gives them, never through a type's processor
    # (SQLite would fail on a DATE column holding '31.12.2015').
    alias = sa.Table(
        table.name, sa.MetaData(), *(sa.Column(c) for c in table.columns), schema=table.schema
    )
    reader = Reader(source.dialect)
    parts: list[Any] = [sa.func.count()]
    slots: list[tuple[Column, str]] = []  # where each part's value goes: (column, what)
    for column in table.columns.values():
        col: Any = alias.c[column.name]
        if whole_number(column.type) and names.says_time(column.name):
            # Unix times, maybe: their range tells seconds from milliseconds.
            number = col
            if source.dialect == "sqlite":  # any value may be text there: 'N/A' sorts last
                number = sa.case((sa.func.typeof(col).in_(["integer", "real"]), col))
            parts += [sa.func.min(number), sa.func.max(number)]
            slots += [(column, "least"), (column, "greatest")]
        elif text_like(column.type):
            parts.append(sa.func.count(col))
            slots.append((column, "non_null"))
            tested = TIME_PATTERNS if names.says_time(column.name) else PATTERNS
            for key, candidates in tested.items():
                found = reader.candidate(col, column.type, candidates)
                parts.append(sa.func.sum(sa.case((found, 1), else_=0)))
                slots.append((column, key))
    row = conn.execute(sa.select(*parts).select_from(alias)).one()
    table.rows = int(row[0] or 0)
    for (column, what), value in zip(slots, row[1:], strict=True):
        _store(column, what, value)
    _judge_sample(source, conn, table, alias, sample)


def _store(column: Column, what: str, value: Any) -> None:
    if what in ("least", "greatest"):
        setattr(column, what, value)
    elif what == "non_null":
        column.non_null = int(value or 0)
    else:
        column.shares[what] = ValueShare(int(value or 0))


def _candidates(table: Table) -> list[tuple[Column, list[str]]]:
    out = []
    for column in table.columns.values():
        kinds = [
            k
            for k, s in column.shares.items()
            if column.non_null and s.matched >= CANDIDATE_SHARE * column.non_null
        ]
        if kinds:
            out.append((column, kinds))
    return out


def _judge_sample(source: Source, conn: Connection, table: Table, alias: Any, size: int) -> None:
    judged = _candidates(table)
    if not judged:
        return
    key = (
        next((alias.c[k] for k in table.primary_key if whole_number(table.columns[k].type)), None)
        if len(table.primary_key) == 1
        else None
    )
    picked = sa.select(*(alias.c[c.name] for c, _ in judged)).select_from(alias)
    for batch in spread_sample(conn, source.dialect, alias, picked, key, size, table.rows):
        for i, (column, kinds) in enumerate(judged):
            present = [row[i] for row in batch if row[i] is not None]
            for kind in kinds:
                share = column.shares[kind]
                share.sampled += len(present)
                share.valid += sum(1 for v in present if pattern(kind).confirm(v))
