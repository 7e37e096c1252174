"""The worked examples' snapshots, their ground truths, and ways to copy them into other
databases.

Each organisation (K-Systems, the default, and the web shop) is an ``Organisation``: its
fixture folder, its dump and the ground truth its generator wrote. Every helper takes one as
``org=`` and defaults to K-Systems, whose names (``FIXTURE``, ``DUMP``, ``TRUTH``...) stay
as they were.
"""

from __future__ import annotations

import csv
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import yaml
from seloste.checks.context import BoundPolicy
from seloste.checks.findings import Finding
from seloste.policy.loader import load_bindings, load_policy

ROOT = Path(__file__).resolve().parent.parent
ALL_KEYS = 10_000


@dataclass(frozen=True)
class Organisation:
    """A worked example: ``fixtures/<folder>`` with policy, bindings and a generated dump
    ``snapshot/<dump>`` next to its ``expected.yaml``."""

    folder: str
    dump_name: str
    fixture: Path = field(init=False)
    truth: dict[str, Any] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        fixture = ROOT / "fixtures" / self.folder
        truth = yaml.safe_load((fixture / "snapshot" / "expected.yaml").read_text("utf-8"))
        object.__setattr__(self, "fixture", fixture)
        object.__setattr__(self, "truth", truth)

    @property
    def dump(self) -> Path:
        return self.fixture / "snapshot" / self.dump_name

    @property
    def bindings(self) -> Path:
        return self.fixture / "bindings.yaml"

    @property
    def as_of(self) -> datetime:
        return datetime.fromisoformat(self.truth["as_of"])


K_SYSTEMS = Organisation("k-systems", "k-systems.sql")
WEB_SHOP = Organisation("web-shop", "web-shop.sql")
FIXTURE = K_SYSTEMS.fixture
DUMP = K_SYSTEMS.dump
BINDINGS = K_SYSTEMS.bindings
TRUTH = K_SYSTEMS.truth
AS_OF = K_SYSTEMS.as_of

Row = tuple[str, str | None, str | None, int | None, tuple[str, ...], int | None, int | None]
# How a database stores the snapshot's times: as text (SQLite, the dump, CSV), or in native
# date and time types (load_into), where a value that is not a time becomes NULL.
TEXT, NATIVE = "text", "native"


def bound(org: Organisation = K_SYSTEMS) -> BoundPolicy:
    return BoundPolicy(load_policy(org.fixture / "policy.yaml"), load_bindings(org.bindings))


def expected(
    max_keys: int = ALL_KEYS,
    *,
    without: frozenset[str] = frozenset(),
    storage: str = TEXT,
    org: Organisation = K_SYSTEMS,
) -> set[Row]:
    """The ground truth as comparable rows, keys cut to ``max_keys``, some tables left out,
    for a database that stores times as ``storage``."""
    return {
        (
            f["rule"],
            f["table"],
            f["column"],
            f.get("rows"),
            tuple(f.get("row_keys", [])[:max_keys]),
            f.get("sampled"),
            f.get("table_rows"),
        )
        for f in org.truth["findings"]
        if f["table"] not in without and f.get("storage", storage) == storage
    }


def observed(findings: list[Finding]) -> set[Row]:
    rows = {
        (
            f.rule,
            f.location.table,
            f.location.table_column,
            f.rows,
            f.row_keys,
            f.sampled,
            f.table_rows,
        )
        for f in findings
    }
    assert len(rows) == len(findings), "two findings with the same rule, place and counts"
    return rows


def check(source: str, *, org: Organisation = K_SYSTEMS, **options: Any) -> list[Finding]:
    from seloste.checks.snapshot import check_snapshot

    settings = {"as_of": org.as_of, "sample": 5000, "max_keys": ALL_KEYS} | options
    return check_snapshot(bound(org), source, **settings)


def errors(findings: list[Finding]) -> list[str]:
    return [f.message for f in findings if f.rule == "SEL001"]


def sqlite_from_dump(path: Path, org: Organisation = K_SYSTEMS) -> Path:
    """The dump loaded into a SQLite file, as ``sqlite3 db < dump.sql`` would."""
    with sqlite3.connect(path) as conn:
        conn.executescript(org.dump.read_text(encoding="utf-8"))
    conn.close()
    return path


def tables(
    org: Organisation = K_SYSTEMS,
) -> Iterator[tuple[str, list[tuple[str, str, bool]], list[tuple[Any, ...]]]]:
    """Each table of the dump: name, columns (name, declared type, is key) and rows."""
    conn = sqlite3.connect(":memory:")
    conn.executescript(org.dump.read_text(encoding="utf-8"))
    names = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
    for name in names:
        info = conn.execute(f'PRAGMA table_info("{name}")').fetchall()
        columns = [(c[1], c[2].upper(), bool(c[5])) for c in info]
        yield name, columns, conn.execute(f'SELECT * FROM "{name}"').fetchall()
    conn.close()


def export_csv(directory: Path, org: Organisation = K_SYSTEMS) -> Path:
    """Every table as ``<table>.csv`` with a header; NULL as an empty field."""
    for name, columns, rows in tables(org):
        with (directory / f"{name}.csv").open("w", newline="", encoding="utf-8") as out:
            writer = csv.writer(out)
            writer.writerow([c[0] for c in columns])
            writer.writerows(["" if v is None else v for v in row] for row in rows)
    return directory


def load_into(
    url: str, *, naive_times: bool, storage: str = NATIVE, org: Organisation = K_SYSTEMS
) -> None:
    """Copy the dump into an empty database with real types for numbers and booleans, and for
    times either native types (``storage`` NATIVE: a value that is not a time becomes NULL)
    or text as the dump has it (TEXT). A number column that holds text (an epoch column with
    an ``N/A``) becomes a text column too, or keeps only its numbers."""
    import sqlalchemy as sa

    native = storage == NATIVE
    types = {
        "INTEGER": sa.BigInteger(),
        "REAL": sa.Float(),
        "BOOLEAN": sa.Boolean(),
        "DATE": sa.Date() if native else sa.Text(),
        "TIMESTAMP": sa.DateTime(timezone=not naive_times) if native else sa.Text(),
    }
    engine = sa.create_engine(url)
    metadata = sa.MetaData()
    loaded = []
    for name, columns, rows in tables(org):
        texts = {i for i, (_, kind, _) in enumerate(columns) if kind == "INTEGER"}
        texts = {i for i in texts if any(isinstance(row[i], str) for row in rows)}
        kinds = [
            "TEXT" if i in texts and not native else kind for i, (_, kind, _) in enumerate(columns)
        ]
        table = sa.Table(
            name,
            metadata,
            *(
                sa.Column(c, types.get(kind, sa.String(255) if key else sa.Text()), primary_key=key)
                for (c, _, key), kind in zip(columns, kinds, strict=True)
            ),
        )
        convert = [_converter(kind, naive_times, native) for kind in kinds]
        records = [
            {c[0]: f(v) for c, f, v in zip(columns, convert, row, strict=True)} for row in rows
        ]
        loaded.append((table, records))
    with engine.begin() as conn:
        metadata.create_all(conn)
        for table, records in loaded:
            conn.execute(table.insert(), records)
    engine.dispose()


def _converter(kind: str, naive_times: bool, native: bool) -> Any:
    """How a dump value goes into a column of ``kind``; None where it cannot (not a time)."""

    def timestamp(value: str) -> datetime | None:
        try:
            moment = datetime.fromisoformat(value)
        except ValueError:
            return None
        moment = moment if moment.tzinfo else moment.replace(tzinfo=UTC)  # bindings: UTC
        return moment.astimezone(UTC).replace(tzinfo=None) if naive_times else moment

    def day(value: str) -> date | None:
        try:
            return date.fromisoformat(value)
        except ValueError:
            return None

    def number(value: Any) -> int | None:
        return value if isinstance(value, int) else None

    convert: dict[str, Any] = {"BOOLEAN": bool, "INTEGER": number}
    if native:
        convert |= {"TIMESTAMP": timestamp, "DATE": day}
    f = convert.get(kind)
    return (lambda v: None if v is None else f(v)) if f else (lambda v: v)
