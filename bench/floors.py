"""The floors seloste is measured against: the least work any checker must do.

    .venv/bin/python bench/floors.py sqlite FILE [--as-of TIME]
    .venv/bin/python bench/floors.py postgres URL [--as-of TIME]     # through psql
    .venv/bin/python bench/floors.py mariadb URL [--as-of TIME]      # through the mariadb client
    .venv/bin/python bench/floors.py scan-sqlite FILE
    .venv/bin/python bench/floors.py scan-postgres URL
    .venv/bin/python bench/floors.py yaml FILE...

``sqlite`` runs, through the bare driver (sqlite3), every check ``seloste check`` makes in
every row of the K-Systems-shaped snapshot, written by hand; ``postgres`` runs the same as one
script through ``psql -X -q -A -t -f`` (:func:`postgres_script`), and MariaDB's floor is the
``mariadb -N -B`` client with a script of the same statements, its few candidates confirmed
by a Python tally it pipes into (:func:`mariadb_command`):

- per table one aggregate query with the row rules (SNP001, SNP002 by name, SNP004-SNP006,
  and SNP010: values a rule cannot read; on SQLite, where a column holds whatever it is
  given, times are read with ``julianday`` and a value it cannot read is counted);
- per table one query for the candidates of a personal identity code, in every text column
  (SQLite: every column, a non-text one only where a value is text), by the same patterns,
  each candidate confirmed by python-stdnum (SNP003); on PostgreSQL the confirmation is in
  the script itself, by stdnum's rules, so the floor is psql alone.

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

MARIADB = Spell(
    count_if="SUM({c})",
    flag="{c} = 1",
    before="{c} < TIMESTAMP '{t:%Y-%m-%d %H:%M:%S}'",
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


# One statement of a script and what its output row stands for: the table, and the name of
# each value in it ("rows" for the table's row count).
Layout = list[tuple[str, list[str]]]
# stdnum's hetu alphabet: the check character is this string's (DDMMYYNNN mod 31)-th.
_CHECKS = "0123456789ABCDEFHJKLMNPRSTUVWXY"
# A hetu anywhere in a text, as seloste finds them (checks/snapshot/values.py).
_HETU_IN_TEXT = r"(?<![0-9A-Za-z])([0-9]{6}[-+A-FU-Y][0-9]{3}[0-9A-Y])(?![0-9A-Za-z])"


def postgres_hetu_valid(h: str) -> str:
    """SQL: the 11-character text ``h`` is a valid hetu, as python-stdnum decides it: a real
    day in its century, an individual number from 002 to 899, and the check character. CASE,
    not AND, guards make_date: PostgreSQL does not promise to evaluate AND left to right."""
    day, month, year = (f"substr({h}, {i}, 2)::int" for i in (1, 3, 5))
    sign, individual = f"substr({h}, 7, 1)", f"substr({h}, 8, 3)::int"
    century = (
        f"CASE WHEN {sign} = '+' THEN 1800 WHEN {sign} BETWEEN 'A' AND 'F' THEN 2000 ELSE 1900 END"
    )
    last_day = (
        f"extract(day FROM make_date({century} + {year}, {month}, 1)"
        " + interval '1 month' - interval '1 day')"
    )
    check = (
        f"substr('{_CHECKS}', ((substr({h}, 1, 6) || substr({h}, 8, 3))::bigint % 31)::int + 1, 1)"
    )
    return (
        f"CASE WHEN {month} BETWEEN 1 AND 12 AND {day} >= 1 THEN {day} <= {last_day}"
        f" AND {individual} BETWEEN 2 AND 899 AND substr({h}, 11, 1) = {check} ELSE false END"
    )


def postgres_script(url: str, as_of: datetime) -> tuple[str, Layout]:
    """The whole PostgreSQL floor as one SQL script for ``psql -X -q -A -t -f``: per table the
    aggregate, and per searched table the candidate search with every candidate confirmed in
    the database (each hetu-shaped part of a value, by stdnum's rules), one row of counts per
    statement. The text columns are read from the catalog here, before anything is timed: a
    checker written for this schema would know them."""
    import psycopg

    statements, layout = [], []
    for table, (sql, names) in queries(POSTGRES, as_of).items():
        statements.append(sql)
        layout.append((table, ["rows", *names]))
    with psycopg.connect(url) as conn:
        text_columns: dict[str, list[str]] = {t: [] for t in SEARCHED}
        for table, name in conn.execute(
            "SELECT table_name, column_name FROM information_schema.columns WHERE "
            "table_schema = 'public' AND data_type = 'text' ORDER BY ordinal_position"
        ):
            if table in text_columns:
                text_columns[table].append(name)
    for table, columns in text_columns.items():
        if not columns:
            continue
        where = " OR ".join(f"{c} ~ '{REGEX}'" for c in columns)
        confirmed = ", ".join(
            f"count(*) FILTER (WHERE EXISTS (SELECT 1 FROM regexp_matches({c}, "
            f"'{_HETU_IN_TEXT}', 'g') AS m(h) WHERE {postgres_hetu_valid('m.h[1]')}))"
            for c in columns
        )
        candidates = f"SELECT {', '.join(columns)} FROM {table} WHERE {where}"
        statements.append(f"SELECT {confirmed} FROM ({candidates}) AS candidates")
        layout.append((table, [f"SNP003 {c}" for c in columns]))
    return "".join(f"{sql};\n" for sql in statements), layout


def read_counts(output: str, layout: Layout, separator: str = "|") -> Counts:
    """A script's output (one line of counts per statement, in order) as the floor's counts."""
    lines = [line for line in output.splitlines() if line.strip()]
    if len(lines) != len(layout):
        raise SystemExit(f"expected {len(layout)} lines of counts, got {len(lines)}")
    out: Counts = {}
    for line, (table, names) in zip(lines, layout, strict=True):
        values = line.split(separator)
        counts = zip(names, values, strict=True)
        out.setdefault(table, {}).update({k: int(v) if v != "NULL" else 0 for k, v in counts})
    return out


def postgres_counts(url: str, as_of: datetime) -> Counts:
    """The PostgreSQL floor's counts, through psql as bench/run.py times it."""
    import subprocess
    import tempfile

    sql, layout = postgres_script(url, as_of)
    with tempfile.NamedTemporaryFile("w", suffix=".sql") as script:
        script.write(sql)
        script.flush()
        done = subprocess.run(psql_command(url, script.name), capture_output=True, text=True)
    if done.returncode:
        raise SystemExit(f"psql exited {done.returncode}: {done.stderr.strip()}")
    return read_counts(done.stdout, layout)


def psql_command(url: str, script: str) -> list[str]:
    """psql as the floor runs it: no psqlrc, quiet, unaligned, tuples only, stop on error."""
    return ["psql", "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-f", script, url]


# --- MariaDB: the mariadb client, candidates confirmed by a Python tally on its output ---


def mariadb_script(url: str, as_of: datetime) -> str:
    """The MariaDB floor as one script for ``mariadb -N -B``: per table the aggregate, and
    per searched table its candidate rows (MariaDB's REGEXP returns no list of matches to
    confirm in SQL, so :func:`tally` confirms them). Each output row starts with what it
    stands for: ``count:TABLE:NAMES`` or ``candidates:TABLE:COLUMNS``. Text columns are read
    from the catalog here, before anything is timed."""
    import pymysql
    from sqlalchemy.engine import make_url

    statements = []
    for table, (sql, names) in queries(MARIADB, as_of).items():
        what = f"count:{table}:{','.join(['rows', *names])}"
        statements.append(sql.replace("SELECT ", f"SELECT '{what}', ", 1))
    where = make_url(url)
    conn = pymysql.connect(
        host=where.host, port=where.port or 3306, user=where.username, database=where.database
    )
    try:
        with conn.cursor() as cursor:
            cursor.execute(
                "SELECT table_name, column_name FROM information_schema.columns WHERE "
                "table_schema = DATABASE() AND data_type IN ('varchar', 'text', 'char') "
                "ORDER BY ordinal_position"
            )
            text_columns: dict[str, list[str]] = {t: [] for t in SEARCHED}
            for table, name in cursor.fetchall():
                if table in text_columns:
                    text_columns[table].append(name)
    finally:
        conn.close()
    for table, columns in text_columns.items():
        if columns:
            # (?-i): REGEXP follows the column's collation, usually case-insensitive
            where_any = " OR ".join(f"{c} REGEXP '(?-i){REGEX}'" for c in columns)
            what = f"candidates:{table}:{','.join(columns)}"
            statements.append(
                f"SELECT '{what}', {', '.join(columns)} FROM {table} WHERE {where_any}"
            )
    return "".join(f"{sql};\n" for sql in statements)


def mariadb_command(url: str, script: str) -> list[str]:
    """``mariadb -N -B < script | floors.py tally``, as one command to time."""
    import shlex

    from sqlalchemy.engine import make_url

    where = make_url(url)
    client = ["mariadb", "-N", "-B", "-h", where.host or "127.0.0.1"]
    client += ["-P", str(where.port or 3306), "-u", where.username or "root"]
    client += [where.database or ""]
    tally = [sys.executable, str(Path(__file__).resolve()), "tally", "-"]
    line = f"{shlex.join(client)} < {shlex.quote(script)} | {shlex.join(tally)}"
    return ["bash", "-o", "pipefail", "-c", line]


_ESCAPES = {"\\\\": "\\", "\\t": "\t", "\\n": "\n", "\\0": "\0"}


def _unescaped(value: str) -> str:
    """A value as ``mariadb -B`` printed it, with its backslash escapes undone."""
    if "\\" not in value:
        return value
    return re.sub(r"\\[\\tn0]", lambda m: _ESCAPES[m.group(0)], value)


def tally(lines: list[str]) -> Counts:
    """The counts from the MariaDB script's output: aggregates as they are, candidates
    confirmed by python-stdnum, each value on its own (SNP003 counts rows per column)."""
    out: Counts = {}
    for line in lines:
        what, *values = line.rstrip("\n").split("\t")
        kind, table, names = what.split(":")
        found = out.setdefault(table, {})
        if kind == "count":
            found.update(
                {
                    k: int(v) if v != "NULL" else 0
                    for k, v in zip(names.split(","), values, strict=True)
                }
            )
            continue
        for name, value in zip(names.split(","), values, strict=True):
            if value != "NULL" and _confirmed([_unescaped(value)]):
                found[f"SNP003 {name}"] = found.get(f"SNP003 {name}", 0) + 1
    return out


def mariadb_counts(url: str, as_of: datetime) -> Counts:
    """The MariaDB floor's counts, through the mariadb client as bench/run.py times it."""
    import subprocess
    import tempfile

    with tempfile.NamedTemporaryFile("w", suffix=".sql") as script:
        script.write(mariadb_script(url, as_of))
        script.flush()
        done = subprocess.run(mariadb_command(url, script.name), capture_output=True, text=True)
    if done.returncode:
        raise SystemExit(f"the mariadb floor exited {done.returncode}: {done.stderr.strip()}")
    return json.loads(done.stdout)  # type: ignore[no-any-return]


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
        "kind",
        choices=["sqlite", "postgres", "mariadb", "scan-sqlite", "scan-postgres", "tally", "yaml"],
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
    elif args.kind == "mariadb":
        print(json.dumps(mariadb_counts(args.targets[0], as_of)))
    elif args.kind == "tally":  # the mariadb client's output, on stdin
        print(json.dumps(tally(sys.stdin.readlines())))
    else:
        start = time.perf_counter()
        scan = sqlite_scan if args.kind == "scan-sqlite" else postgres_scan
        found = scan(args.targets[0])
        # The time of the search itself, as the benchmark times seloste's: no start-up.
        print(json.dumps({"found": found, "seconds": time.perf_counter() - start}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
