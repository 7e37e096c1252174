"""The floors seloste is measured against: the least work any checker must do.

    .venv/bin/python bench/floors.py sqlite FILE [--as-of TIME]
    .venv/bin/python bench/floors.py postgres URL [--as-of TIME]
    .venv/bin/python bench/floors.py yaml FILE...

``sqlite`` and ``postgres`` run the K-Systems bindings' row rules (SNP001, SNP004-SNP006)
written by hand as one aggregate query per table, through the bare driver (sqlite3,
psycopg), and print the counts as JSON: ``{"TABLE": {"rows": N, "RULE COLUMN": N, ...}}``.
``yaml`` only parses the files with ``yaml.safe_load``. Each is run as its own process by
``bench/run.py``, so a floor pays interpreter start-up just as ``seloste check`` does.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

AS_OF = "2026-11-01T00:00:00+00:00"


def months_before(moment: datetime, months: int) -> datetime:
    """``moment`` minus whole months, by the calendar (the policy's P3M, P1M and P7Y)."""
    index = moment.year * 12 + moment.month - 1 - months
    return moment.replace(year=index // 12, month=index % 12 + 1)


@dataclass(frozen=True)
class Spell:
    """How one database spells a counted condition, a flag and a moment."""

    count_if: str  # format string with {c}
    flag: str  # format string with {c}
    moment: str  # format string with {t}: a datetime in UTC


SQLITE = Spell("SUM({c})", "{c} = 1", "'{t:%Y-%m-%dT%H:%M:%S}'")
POSTGRES = Spell("COUNT(*) FILTER (WHERE {c})", "{c}", "TIMESTAMPTZ '{t:%Y-%m-%d %H:%M:%S}+00'")


def queries(spell: Spell, as_of: datetime) -> dict[str, tuple[str, list[str]]]:
    """Per table: the one aggregate query, and the (rule, column) each count after the first
    stands for. The cut-offs are the policy's periods: P3M customers, P1M .fi holders, and the
    P7Y accounting exception for invoices."""
    customer = spell.moment.format(t=months_before(as_of, 3))
    fi_holder = spell.moment.format(t=months_before(as_of, 1))
    accounting = spell.moment.format(t=months_before(as_of, 84))

    def n(condition: str) -> str:
        return spell.count_if.format(c=condition)

    ended = n(f"k.ended_at < {customer}")
    restricted = n(spell.flag.format(c="k.processing_restricted"))
    by_customer = "LEFT JOIN customers k ON k.id = t.customer_id"
    by_domain = (
        "LEFT JOIN domains d ON d.id = t.domain_id LEFT JOIN customers k ON k.id = d.customer_id"
    )
    return {
        "customers": (
            f"SELECT COUNT(*), {n(f't.ended_at < {customer}')} FROM customers t",
            ["SNP004 ended_at"],
        ),
        "contacts": (
            f"SELECT COUNT(*), {n('t.birth_date IS NOT NULL')}, {ended} "
            f"FROM contacts t {by_customer}",
            ["SNP001 birth_date", "SNP004 customer_id"],
        ),
        "domains": (
            f"SELECT COUNT(*), {ended}, {restricted} FROM domains t {by_customer}",
            ["SNP004 customer_id", "SNP006 customer_id"],
        ),
        "mailboxes": (
            f"SELECT COUNT(*), {ended} FROM mailboxes t {by_domain}",
            ["SNP004 domain_id"],
        ),
        "invoices": (
            f"SELECT COUNT(*), {n(f'k.ended_at < {customer} AND t.issued_on < {accounting}')} "
            f"FROM invoices t {by_customer}",
            ["SNP004 customer_id"],
        ),
        "newsletter_recipients": (
            f"SELECT COUNT(*), {ended}, {n(spell.flag.format(c='k.marketing_opt_out'))} "
            "FROM newsletter_recipients t LEFT JOIN contacts c ON c.id = t.contact_id "
            "LEFT JOIN customers k ON k.id = c.customer_id",
            ["SNP004 contact_id", "SNP005 contact_id"],
        ),
        "hosting_provisioning": (
            f"SELECT COUNT(*), {ended}, {restricted} FROM hosting_provisioning t {by_domain}",
            ["SNP004 domain_id", "SNP006 domain_id"],
        ),
        "fi_domain_holders": (
            f"SELECT COUNT(*), {n(f't.transferred_out_at < {fi_holder}')}, "
            f"{n(spell.flag.format(c='t.processing_restricted'))} FROM fi_domain_holders t",
            ["SNP004 transferred_out_at", "SNP006 processing_restricted"],
        ),
    }


Counts = dict[str, dict[str, int]]


def _collect(rows: dict[str, tuple[Any, ...]], spell: Spell, as_of: datetime) -> Counts:
    out: Counts = {}
    for table, (_, names) in queries(spell, as_of).items():
        total, *counts = rows[table]
        out[table] = {"rows": int(total)} | {
            k: int(v or 0) for k, v in zip(names, counts, strict=True)
        }
    return out


def sqlite_counts(path: str, as_of: datetime) -> Counts:
    import sqlite3
    from urllib.parse import quote

    db = sqlite3.connect(f"file:{quote(str(Path(path).resolve()))}?mode=ro", uri=True)
    try:
        rows = {t: db.execute(sql).fetchone() for t, (sql, _) in queries(SQLITE, as_of).items()}
    finally:
        db.close()
    return _collect(rows, SQLITE, as_of)


def postgres_counts(url: str, as_of: datetime) -> Counts:
    import psycopg

    with psycopg.connect(url) as conn:
        rows = {t: conn.execute(sql).fetchone() for t, (sql, _) in queries(POSTGRES, as_of).items()}  # type: ignore[arg-type]
    return _collect(rows, POSTGRES, as_of)  # type: ignore[arg-type]


def yaml_load(paths: list[str]) -> int:
    """Parse every file with ``yaml.safe_load``; the number of top-level keys, so it is used."""
    import yaml

    return sum(len(yaml.safe_load(Path(p).read_text(encoding="utf-8"))) for p in paths)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("kind", choices=["sqlite", "postgres", "yaml"])
    parser.add_argument("targets", nargs="+")
    parser.add_argument("--as-of", default=AS_OF)
    args = parser.parse_args(argv)
    as_of = datetime.fromisoformat(args.as_of).astimezone(UTC)
    if args.kind == "yaml":
        print(yaml_load(args.targets))
    elif args.kind == "sqlite":
        print(json.dumps(sqlite_counts(args.targets[0], as_of)))
    else:
        print(json.dumps(postgres_counts(args.targets[0], as_of)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
