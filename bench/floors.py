"""The floors seloste is measured against: the least work any checker must do.

    .venv/bin/python bench/floors.py sqlite FILE [--as-of TIME]
    .venv/bin/python bench/floors.py postgres URL [--as-of TIME]
    .venv/bin/python bench/floors.py scan-sqlite FILE
    .venv/bin/python bench/floors.py scan-postgres URL
    .venv/bin/python bench/floors.py yaml FILE...

``sqlite`` and ``postgres`` run, through the bare driver (sqlite3, psycopg), every check
``seloste check`` makes in every row of the K-Systems-shaped snapshot, written by hand:

- per table one aggregate query with the row rules (SNP001, SNP002 by name, SNP004-SNP006,
  and SNP010: values a rule cannot read; on SQLite, where a column holds whatever it is
  given, times are read with ``julianday`` and a value it cannot read is counted);
- per table one query for the candidates of a personal identity code, in every text column
  (SQLite: every column, a non-text one only where a value is text), by the same patterns,
  each candidate confirmed by python-stdnum (SNP003).

They print the counts as JSON: ``{"TABLE": {"rows": N, "RULE COLUMN": N, ...}}``. The
``scan-*`` floors run only the candidate search, for the full-scan row of the benchmark.
``yaml`` only parses the files, with libyaml's ``CSafeLoader``. Each is run as its own process by
``bench/run.py``, so a floor pays interpreter start-up just as ``seloste check`` does.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

AS_OF = "2026-11-01T00:00:00+00:00"
# A hetu candidate: a day and month that exist, the year, a century sign, the individual
# number and a check character from stdnum's alphabet. SQLite searches from a plain first
# character (its fast path), so the day's first digit is one of four patterns.
_TAIL = "[0-9][01][0-9][0-9][0-9][-+A-FU-Y][0-9][0-9][0-9][0-9A-FHJ-NPR-Y]"
GLOBS = [f"*{d}{_TAIL}*" for d in "0123"]
REGEX = "[0-3][0-9][01][0-9]{3}[-+A-FU-Y][0-9]{3}[0-9A-FHJ-NPR-Y]"
_HETU = re.compile(r"(?<![0-9A-Za-z])[0-9]{6}[-+A-FU-Y][0-9]{3}[0-9A-Y](?![0-9A-Za-z])")
FLAG_WORDS = "'1', 'true', 't', 'yes', 'y', 'x', 'on', '0', 'false', 'f', 'no', 'n', 'off', ''"
SEARCHED = ["customers", "contacts", "domains", "mailboxes", "invoices"]
SEARCHED += ["newsletter_recipients", "hosting_provisioning", "fi_domain_holders"]
SEARCHED += ["support_tickets", "server_stats"]


def months_before(moment: datetime, months: int) -> datetime:
    """``moment`` minus whole months, by the calendar (the policy's P3M, P1M and P7Y)."""
    index = moment.year * 12 + moment.month - 1 - months
    return moment.replace(year=index // 12, month=index % 12 + 1)


@dataclass(frozen=True)
class Spell:
    """How one database spells the parts of the queries."""

    count_if: str  # {c}: a condition
    flag: str  # {c}: a flag column
    before: str  # {c}: a time column, {t}: a cut-off in UTC
    day_before: str  # {c}: a date column, {t}: a cut-off in UTC
    unreadable_time: str  # {c}: a time column; "" where the type holds only times
    unreadable_flag: str  # {c}: a flag column; "" where the type holds only flags
    epoch_unreadable: str  # {c}: an epoch column; "" where the type holds only numbers


SQLITE = Spell(
    count_if="SUM({c})",
    flag="{c} = 1",
    before="julianday({c}) < julianday('{t:%Y-%m-%d %H:%M:%S}')",
    day_before="julianday({c}) < julianday('{t:%Y-%m-%d %H:%M:%S}')",
    unreadable_time="{c} IS NOT NULL AND julianday({c}) IS NULL",
    unreadable_flag=f"typeof({{c}}) = 'text' AND lower(trim({{c}})) NOT IN ({FLAG_WORDS})",
    epoch_unreadable="typeof({c}) NOT IN ('integer', 'real', 'null')",
)
POSTGRES = Spell(
    count_if="COUNT(*) FILTER (WHERE {c})",
    flag="{c}",
    before="{c} < TIMESTAMPTZ '{t:%Y-%m-%d %H:%M:%S}+00'",
    day_before="{c} < DATE '{t:%Y-%m-%d}'",
    unreadable_time="",
    unreadable_flag="",
    epoch_unreadable="",
)


def queries(spell: Spell, as_of: datetime) -> dict[str, tuple[str, list[str]]]:
    """Per table: the one aggregate query, and the (rule, column) each count after the first
    stands for. The cut-offs are the policy's periods: P3M customers, P1M .fi holders, and the
    P7Y accounting exception for invoices."""
    customer = months_before(as_of, 3)
    fi_holder = int(months_before(as_of, 1).timestamp())
    accounting = months_before(as_of, 84)

    def n(condition: str) -> str:
        return spell.count_if.format(c=condition)

    def counts(pairs: list[tuple[str, str]]) -> tuple[str, list[str]]:
        kept = [(name, cond) for name, cond in pairs if cond]
        return ", ".join(["COUNT(*)", *(n(c) for _, c in kept)]), [name for name, _ in kept]

    def unreadable(template: str, column: str, also: str = "") -> str:
        if not template:
            return also
        condition = template.format(c=column)
        return f"({condition}) OR {also}" if also else condition

    ended = spell.before.format(c="k.ended_at", t=customer)
    opted_out = spell.flag.format(c="k.marketing_opt_out")
    restricted = spell.flag.format(c="k.processing_restricted")
    by_customer = "LEFT JOIN customers k ON k.id = t.customer_id"
    by_domain = (
        "LEFT JOIN domains d ON d.id = t.domain_id LEFT JOIN customers k ON k.id = d.customer_id"
    )
    by_contact = (
        "LEFT JOIN contacts c ON c.id = t.contact_id LEFT JOIN customers k ON k.id = c.customer_id"
    )
    tables: dict[str, tuple[str, list[tuple[str, str]]]] = {
        "customers": (
            "",
            [
                ("SNP004 ended_at", spell.before.format(c="t.ended_at", t=customer)),
                ("SNP010 ended_at", unreadable(spell.unreadable_time, "t.ended_at")),
                (
                    "SNP010 marketing_opt_out",
                    unreadable(spell.unreadable_flag, "t.marketing_opt_out"),
                ),
                (
                    "SNP010 processing_restricted",
                    unreadable(spell.unreadable_flag, "t.processing_restricted"),
                ),
            ],
        ),
        "contacts": (
            by_customer,
            [("SNP001 birth_date", "t.birth_date IS NOT NULL"), ("SNP004 customer_id", ended)],
        ),
        "domains": (by_customer, [("SNP004 customer_id", ended)]),
        "mailboxes": (by_domain, [("SNP004 domain_id", ended)]),
        "invoices": (
            by_customer,
            [
                (
                    "SNP004 customer_id",
                    f"{ended} AND {spell.day_before.format(c='t.issued_on', t=accounting)}",
                ),
                # an empty invoice date leaves the exception unjudged
                (
                    "SNP010 issued_on",
                    unreadable(spell.unreadable_time, "t.issued_on", "t.issued_on IS NULL"),
                ),
            ],
        ),
        "newsletter_recipients": (
            by_contact,
            [
                ("SNP004 contact_id", ended),
                ("SNP005 contact_id", opted_out),
                ("SNP006 contact_id", restricted),
            ],
        ),
        "hosting_provisioning": (
            by_domain,
            [("SNP004 domain_id", ended), ("SNP006 domain_id", restricted)],
        ),
        "fi_domain_holders": (
            "",
            [
                ("SNP004 transferred_out_at", f"t.transferred_out_at < {fi_holder}"),
                (
                    "SNP010 transferred_out_at",
                    unreadable(spell.epoch_unreadable, "t.transferred_out_at"),
                ),
                (
                    "SNP010 processing_restricted",
                    unreadable(spell.unreadable_flag, "t.processing_restricted"),
                ),
            ],
        ),
        "support_tickets": (
            "",
            [
                ("SNP002 reporter_name", "t.reporter_name IS NOT NULL"),
                ("SNP002 reporter_email", "t.reporter_email IS NOT NULL"),
            ],
        ),
        "server_stats": ("", []),
    }
    out = {}
    for table, (joins, pairs) in tables.items():
        select, names = counts(pairs)
        out[table] = (f"SELECT {select} FROM {table} t {joins}".strip(), names)
    return out


Counts = dict[str, dict[str, int]]


def _collect(rows: dict[str, tuple[Any, ...]], spell: Spell, as_of: datetime) -> Counts:
    out: Counts = {}
    for table, (_, names) in queries(spell, as_of).items():
        total, *counts = rows[table]
        out[table] = {"rows": int(total)} | {
            k: int(v or 0) for k, v in zip(names, counts, strict=True)
        }
    return out


def _confirmed(texts: list[Any]) -> bool:
    from stdnum.fi import hetu

    return any(hetu.is_valid(m) for t in texts for m in _HETU.findall(str(t)))


def _scan(
    execute: Callable[[str], Any],
    columns: dict[str, list[tuple[str, bool]]],
    candidate: Callable[[str, bool], str],
) -> Counts:
    """Per table, the rows whose values may hold a hetu, then each value confirmed."""
    out: Counts = {}
    for table, cols in columns.items():
        where = " OR ".join(candidate(name, text) for name, text in cols)
        names = [name for name, _ in cols]
        found: dict[str, int] = {}
        for row in execute(f"SELECT {', '.join(names)} FROM {table} WHERE {where}"):
            for name, value in zip(names, row, strict=True):
                if value is not None and _confirmed([value]):
                    found[f"SNP003 {name}"] = found.get(f"SNP003 {name}", 0) + 1
        out[table] = found
    return out


def _sqlite_candidate(column: str, text: bool) -> str:
    """Text of 11 characters or more (a hetu's length) that one of the patterns matches."""
    globs = " OR ".join(f"{column} GLOB '{g}'" for g in GLOBS)
    long = (
        f"length({column}) >= 11"
        if text
        else f"typeof({column}) = 'text' AND length({column}) >= 11"
    )
    return f"(CASE WHEN {long} THEN {globs} END)"


def _connect_sqlite(path: str) -> Any:
    import sqlite3
    from urllib.parse import quote

    return sqlite3.connect(f"file:{quote(str(Path(path).resolve()))}?mode=ro", uri=True)


def sqlite_scan(path: str) -> Counts:
    db = _connect_sqlite(path)
    try:
        columns = {
            t: [(c[1], c[2].upper() == "TEXT") for c in db.execute(f"PRAGMA table_info({t})")]
            for t in SEARCHED
        }
        return _scan(lambda sql: db.execute(sql), columns, _sqlite_candidate)
    finally:
        db.close()


def postgres_scan(url: str) -> Counts:
    import psycopg

    with psycopg.connect(url) as conn:
        columns: dict[str, list[tuple[str, bool]]] = {t: [] for t in SEARCHED}
        for table, name in conn.execute(
            "SELECT table_name, column_name FROM information_schema.columns WHERE "
            "table_schema = 'public' AND data_type = 'text' ORDER BY ordinal_position"
        ):
            if table in columns:
                columns[table].append((name, True))
        return _scan(
            lambda sql: conn.execute(sql),  # type: ignore[arg-type]
            {t: c for t, c in columns.items() if c},
            lambda name, _: f"{name} ~ '{REGEX}'",
        )


def _merge(rows: Counts, scans: Counts) -> Counts:
    return {t: {**c, **scans.get(t, {})} for t, c in rows.items()}


def sqlite_counts(path: str, as_of: datetime) -> Counts:
    db = _connect_sqlite(path)
    try:
        rows = {t: db.execute(sql).fetchone() for t, (sql, _) in queries(SQLITE, as_of).items()}
    finally:
        db.close()
    return _merge(_collect(rows, SQLITE, as_of), sqlite_scan(path))


def postgres_counts(url: str, as_of: datetime) -> Counts:
    import psycopg

    with psycopg.connect(url) as conn:
        rows = {t: conn.execute(sql).fetchone() for t, (sql, _) in queries(POSTGRES, as_of).items()}  # type: ignore[arg-type]
    return _merge(_collect(rows, POSTGRES, as_of), postgres_scan(url))  # type: ignore[arg-type]


def yaml_load(paths: list[str]) -> int:
    """Parse every file with PyYAML's fastest safe loader, libyaml's ``CSafeLoader`` (the
    pure-Python ``safe_load`` is several times slower, an easy floor); the number of top-level
    keys, so that the result is used."""
    import yaml

    loader = getattr(yaml, "CSafeLoader", None)
    if loader is None:
        raise SystemExit("PyYAML was built without libyaml: no CSafeLoader for the flows floor")
    return sum(len(yaml.load(Path(p).read_bytes(), Loader=loader)) for p in paths)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "kind", choices=["sqlite", "postgres", "scan-sqlite", "scan-postgres", "yaml"]
    )
    parser.add_argument("targets", nargs="+")
    parser.add_argument("--as-of", default=AS_OF)
    args = parser.parse_args(argv)
    as_of = datetime.fromisoformat(args.as_of).astimezone(UTC)
    if args.kind == "yaml":
        print(yaml_load(args.targets))
    elif args.kind == "sqlite":
        print(json.dumps(sqlite_counts(args.targets[0], as_of)))
    elif args.kind == "postgres":
        print(json.dumps(postgres_counts(args.targets[0], as_of)))
    else:
        start = time.perf_counter()
        scan = sqlite_scan if args.kind == "scan-sqlite" else postgres_scan
        found = scan(args.targets[0])
        # The time of the search itself, as the benchmark times seloste's: no start-up.
        print(json.dumps({"found": found, "seconds": time.perf_counter() - start}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
