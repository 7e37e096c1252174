"""Generate a K-Systems-shaped snapshot of any size, in a SQLite file or a PostgreSQL or
MariaDB database.

    .venv/bin/python bench/generate.py sqlite /tmp/k.db --customers 10000000
    .venv/bin/python bench/generate.py postgres "$EMPTY_DATABASE_URL" --customers 1000000
    .venv/bin/python bench/generate.py mariadb mysql://root@127.0.0.1/empty --customers 1000000

The tables, columns and bindings are those of ``fixtures/k-systems`` (its ``bindings.yaml``
checks this snapshot unchanged). Rows are made in the database, by one ``INSERT ... SELECT``
per table over a counter (``WITH RECURSIVE`` in SQLite, ``generate_series`` in PostgreSQL,
the sequence engine's ``seq_1_to_N`` in MariaDB), so
10 million customers take minutes, not hours. Values cycle through a few hundred names and
are "random" by a multiplicative hash of the row number and ``--seed``: the same flags give
the same rows. Violations are planted at fixed rates, spread evenly, so that every snapshot
rule has findings at every size.
"""

from __future__ import annotations

import argparse
import sqlite3
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

AS_OF = datetime(2026, 11, 1, tzinfo=UTC)
SEED = 20261101
# Hash buckets: a condition ``h(k) < rate * BUCKETS`` holds for about ``rate`` of the rows.
BUCKETS = 1_000_003
_EPOCH = {
    "2012": int(datetime(2012, 1, 1, tzinfo=UTC).timestamp()),
    "2024": int(datetime(2024, 1, 1, tzinfo=UTC).timestamp()),
    "2026-08-02": int(datetime(2026, 8, 2, tzinfo=UTC).timestamp()),
    "as_of": int(AS_OF.timestamp()),
}
YEAR = 365 * 86_400


def _hetu(day: date, individual: int) -> str:
    """A personal identity code with a correct check character."""
    digits = f"{day:%d%m%y}{individual:03d}"
    sign = {19: "-", 20: "A"}[day.year // 100]
    check = "0123456789ABCDEFHJKLMNPRSTUVWXY"[int(digits) % 31]
    return f"{day:%d%m%y}{sign}{individual:03d}{check}"


def _business_ids(count: int) -> str:
    """``count`` valid Y-tunnus values of 9 characters each, packed for ``substr``."""
    out: list[str] = []
    digits = 1_000_000
    while len(out) < count:
        digits += 7_919
        text = f"{digits:07d}"
        rest = sum(int(d) * w for d, w in zip(text, (7, 9, 10, 5, 8, 4, 2), strict=True)) % 11
        if rest != 1:
            out.append(f"{text}-{0 if rest == 0 else 11 - rest}")
    return "".join(out)


HETU = _hetu(date(1952, 10, 13), 308)
CALLER = "Soittaja kertoi henkilötunnuksensa"
HELPED = "Asiakas pyysi apua; ohjeistettu puhelimessa."
BAD_BUSINESS_ID, BAD_EMAIL, BAD_PHONE = "1234567-8", "myynti(a)firma.fi", "040 123"
BUSINESS_IDS = 97
_PACKED_IDS = _business_ids(BUSINESS_IDS)


@dataclass(frozen=True)
class Dialect:
    """How the generator's few dialect-specific expressions are spelled."""

    name: str
    types: dict[str, str]
    timestamp: Callable[[str], str]
    day: Callable[[str], str]
    series: Callable[[int], str]


SQLITE = Dialect(
    "sqlite",
    {"int": "INTEGER", "text": "TEXT", "ts": "TIMESTAMP", "date": "DATE", "bool": "BOOLEAN"}
    | {"real": "REAL"},
    lambda s: f"strftime('%Y-%m-%dT%H:%M:%SZ', {s}, 'unixepoch')",
    lambda s: f"date({s}, 'unixepoch')",
    lambda n: (
        f"(WITH RECURSIVE seq(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM seq "
        f"WHERE x < {n}) SELECT x FROM seq) AS seq"
    ),
)
POSTGRES = Dialect(
    "postgresql",
    {"int": "BIGINT", "text": "TEXT", "ts": "TIMESTAMPTZ", "date": "DATE", "bool": "BOOLEAN"}
    | {"real": "DOUBLE PRECISION"},
    lambda s: f"to_timestamp({s})",
    lambda s: f"to_timestamp({s})::date",
    lambda n: f"generate_series(1::bigint, {n}::bigint) AS seq(x)",
)


# Times are naive DATETIMEs in UTC, as the bindings read them (their timezone is UTC); no
# FROM_UNIXTIME, which follows the session's zone and stops at 2038 before MariaDB 11.5.
MARIADB = Dialect(
    "mariadb",
    {"int": "BIGINT", "text": "VARCHAR(255)", "ts": "DATETIME", "date": "DATE"}
    | {"bool": "BOOLEAN", "real": "DOUBLE"},
    lambda s: f"TIMESTAMPADD(SECOND, {s}, TIMESTAMP '1970-01-01 00:00:00')",
    lambda s: f"DATE(TIMESTAMPADD(SECOND, {s}, TIMESTAMP '1970-01-01 00:00:00'))",
    lambda n: f"(SELECT seq AS x FROM seq_1_to_{n}) AS seq",
)


def h(k: int, seed: int) -> str:
    """A hash of the row number ``x`` into ``[0, BUCKETS)``; ``k`` picks an independent one."""
    # A different multiplier per k: shifts of one sequence would make every planted
    # violation land on the same rows.
    return f"(((x + {seed}) * {2654435761 + 7919 * k * k} + {k * 40503}) % {BUCKETS})"


def rate(share: float) -> int:
    return int(share * BUCKETS)


def _tables(d: Dialect, n: int, seed: int) -> dict[str, tuple[int, list[tuple[str, str, str]]]]:
    """Each table's row count and columns as (name, type, expression over ``x``)."""

    def hh(k: int) -> str:
        return h(k, seed)

    def moment(k: int, start: int, span: int) -> str:
        return f"{start} + {hh(k)} * {max(span // BUCKETS, 1)}"

    ts, day = d.timestamp, d.day
    quarter, tenth, hundredth = max(n // 4, 1), max(n // 10, 1), max(n // 100, 10)
    created = ts(moment(1, _EPOCH["2012"], 14 * YEAR))
    expired = ts(moment(21, _EPOCH["2024"], 2 * YEAR))
    grace = ts(moment(22, _EPOCH["2026-08-02"], 80 * 86_400))
    business = f"substr('{_PACKED_IDS}', CAST((x % {BUSINESS_IDS}) * 9 + 1 AS INTEGER), 9)"
    person = "'Etu' || (x % 211) || ' Suku' || (x % 307)"
    email = "'etu' || (x % 211) || '.suku' || (x % 307) || '@firma' || (x % 997) || '.fi'"
    phone = f"'0' || (4 + x % 2) || '0 ' || (1000000 + {hh(7)} * 8)"
    street = "'Katu ' || (x % 301)"
    postal = "'00' || (100 + x % 900)"
    city = "'Kaupunki ' || (x % 53)"
    address = f"{street} || ', ' || {postal} || ' ' || {city}"
    issued = day(moment(15, _EPOCH["2012"], 14 * YEAR))
    # The .fi register's transfer times are Unix times (the bindings: epoch_seconds).
    fi_expired = moment(21, _EPOCH["2024"], 2 * YEAR)
    fi_grace = moment(24, _EPOCH["as_of"] - 20 * 86_400, 19 * 86_400)

    def planted(k: int, share: float, bad: str, good: str) -> str:
        """``bad`` in about ``share`` of the rows, ``good`` in the others."""
        return f"CASE WHEN {hh(k)} < {rate(share)} THEN {bad} ELSE {good} END"

    def unreadable(k: int, good: str) -> str:
        """A value no rule can read in every 199th row (from the ``k``-th): text where a time
        or flag belongs, which only SQLite can hold; a database with types holds NULL there."""
        bad = "'N/A'" if d.name == "sqlite" else "NULL"
        return f"CASE WHEN x % 199 = {k} THEN {bad} ELSE {good} END"

    def ended(k: int, past: str, recent: str) -> str:
        """Ended long ago in 2% of rows (past retention), recently in 1%, else still on."""
        soon = f"WHEN {hh(k)} < {rate(0.03)} THEN {recent}"
        return f"CASE WHEN {hh(k)} < {rate(0.02)} THEN {past} {soon} END"

    # The n-th row of a linked table points at every 4th (10th) parent, spread over all.
    every = {q: f"((x - 1) * {n // q} % {n}) + 1" for q in (quarter, tenth)}
    return {
        "plans": (3, [("id", "int", "x"), ("name", "text", "'plan' || x")]),
        "schema_migrations": (
            3,
            [("version", "text", "'2024_0' || x"), ("applied_at", "ts", created)],
        ),
        "customers": (
            n,
            [
                ("id", "int", "x"),
                ("org_name", "text", "'Yritys ' || (x % 997) || ' Oy'"),
                ("business_id", "text", planted(8, 0.001, f"'{BAD_BUSINESS_ID}'", business)),
                ("street_address", "text", street),
                ("postal_code", "text", postal),
                ("city", "text", city),
                (
                    "billing_address",
                    "text",
                    address + " || " + planted(9, 0.0005, f"' (toiminimi, hetu {HETU})'", "''"),
                ),
                (
                    "plan",
                    "text",
                    "CASE x % 3 WHEN 0 THEN 'perus' WHEN 1 THEN 'yritys' ELSE 'pro' END",
                ),
                ("created_at", "ts", created),
                ("ended_at", "ts", unreadable(27, ended(2, expired, grace))),
                ("marketing_opt_out", "bool", unreadable(28, f"({hh(3)} < {rate(0.01)})")),
                ("processing_restricted", "bool", unreadable(31, f"({hh(4)} < {rate(0.005)})")),
            ],
        ),
        "contacts": (
            n,
            [
                ("id", "int", "x"),
                ("customer_id", "int", "x"),
                ("name", "text", person),
                (
                    "email",
                    "text",
                    f"CASE WHEN {hh(10)} < {rate(0.001)} THEN '{BAD_EMAIL}' ELSE {email} END",
                ),
                (
                    "phone",
                    "text",
                    f"CASE WHEN {hh(11)} < {rate(0.001)} THEN '{BAD_PHONE}' ELSE {phone} END",
                ),
                (
                    "role",
                    "text",
                    "CASE x % 3 WHEN 0 THEN 'admin' WHEN 1 THEN 'billing' ELSE 'technical' END",
                ),
                ("created_at", "ts", created),
                (
                    "birth_date",
                    "date",
                    f"CASE WHEN {hh(12)} < {rate(0.001)} THEN {day(moment(13, 0, 30 * YEAR))} END",
                ),
            ],
        ),
        "domains": (
            n,
            [
                ("id", "int", "x"),
                ("customer_id", "int", "x"),
                ("name", "text", "'firma' || x || '.fi'"),
                ("registered_at", "date", day(moment(14, _EPOCH["2012"], 14 * YEAR))),
                ("expires_at", "date", day(moment(14, _EPOCH["2012"] + 12 * YEAR, 14 * YEAR))),
            ],
        ),
        "mailboxes": (
            quarter,
            [
                ("id", "int", "x"),
                ("domain_id", "int", every[quarter]),
                ("address", "text", f"'info@firma' || ({every[quarter]}) || '.fi'"),
                ("quota_mb", "int", "1024"),
            ],
        ),
        "invoices": (
            n,
            [
                ("id", "int", "x"),
                ("customer_id", "int", "x"),
                # an invoice without a date in every 199th row
                (
                    "issued_on",
                    "date",
                    f"CASE WHEN x % 199 = 29 THEN NULL ELSE {issued} END",
                ),
                ("reference", "text", f"'RF' || (10 + x % 89) || (100000000 + {hh(16)})"),
                ("amount_cents", "int", f"900 + {hh(17)} % 49000"),
                ("paid", "bool", "(x % 4 <> 0)"),
            ],
        ),
        "newsletter_recipients": (
            quarter,
            [
                ("id", "int", "x"),
                ("contact_id", "int", every[quarter]),
                ("email", "text", email),
                ("subscribed_at", "ts", created),
            ],
        ),
        "hosting_provisioning": (
            tenth,
            [
                ("id", "int", "x"),
                ("domain_id", "int", every[tenth]),
                ("partner", "text", "CASE x % 2 WHEN 0 THEN 'webhotelli-a' ELSE 'palvelin-b' END"),
                (
                    "contact_email",
                    "text",
                    f"CASE WHEN {hh(18)} < {rate(0.001)} THEN '{BAD_EMAIL}' ELSE {email} END",
                ),
                (
                    "contact_phone",
                    "text",
                    f"CASE WHEN {hh(19)} < {rate(0.001)} THEN '{BAD_PHONE}' ELSE {phone} END",
                ),
                ("queued_at", "ts", created),
            ],
        ),
        "fi_domain_holders": (
            tenth,
            [
                ("id", "int", "x"),
                ("domain", "text", "'firma' || x || '.fi'"),
                ("holder_name", "text", "'Yritys ' || (x % 997) || ' Oy'"),
                (
                    "holder_business_id",
                    "text",
                    planted(20, 0.001, f"'{BAD_BUSINESS_ID}'", business),
                ),
                ("contact_name", "text", person),
                ("contact_email", "text", email),
                ("contact_phone", "text", phone),
                ("postal_address", "text", address),
                ("registered_at", "ts", created),
                ("transferred_out_at", "int", unreadable(30, ended(23, fi_expired, fi_grace))),
                ("processing_restricted", "bool", unreadable(32, f"({hh(25)} < {rate(0.005)})")),
            ],
        ),
        "support_tickets": (
            hundredth,
            [
                ("id", "int", "x"),
                ("customer_id", "int", f"(x * 97) % {n} + 1"),
                ("opened_at", "ts", created),
                ("reporter_name", "text", person),
                ("reporter_email", "text", email),
                ("subject", "text", "'Laskutus ' || (x % 7)"),
                ("body", "text", planted(26, 0.01, f"'{CALLER} {HETU}.'", f"'{HELPED}'")),
            ],
        ),
        "server_stats": (
            hundredth,
            [
                ("id", "int", "x"),
                ("host", "text", "'web' || (x % 3 + 1) || '.k-systems.fi'"),
                ("sampled_at", "ts", created),
                ("load_avg", "real", "(x % 100) / 10.0"),
            ],
        ),
    }


def statements(d: Dialect, customers: int, seed: int = SEED) -> list[str]:
    """The DDL and ``INSERT ... SELECT`` statements that make the snapshot."""
    out = []
    for table, (rows, columns) in _tables(d, customers, seed).items():
        key = columns[0][0]
        defs = ", ".join(
            f"{c} {d.types[t]}{' PRIMARY KEY' if c == key else ''}" for c, t, _ in columns
        )
        out.append(f"CREATE TABLE {table} ({defs})")
        names = ", ".join(c for c, _, _ in columns)
        exprs = ", ".join(e for _, _, e in columns)
        out.append(f"INSERT INTO {table} ({names}) SELECT {exprs} FROM {d.series(rows)}")
    return out


def sqlite_file(path: Path, customers: int, seed: int = SEED) -> Path:
    """Write a fresh SQLite snapshot at ``path`` (through a temporary name, so a half-made
    file is never mistaken for a finished one)."""
    part = path.with_name(path.name + ".part")
    part.unlink(missing_ok=True)
    db = sqlite3.connect(part)
    try:
        # Nothing to recover if this crashes: the file is made again from the flags.
        db.executescript("PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;")
        db.execute("PRAGMA cache_size = -262144")
        for sql in statements(SQLITE, customers, seed):
            db.execute(sql)
        db.commit()
        db.execute("ANALYZE")
        db.commit()
    finally:
        db.close()
    part.replace(path)
    return path


def postgres(url: str, customers: int, seed: int = SEED) -> None:
    """Make the snapshot's tables in the (empty) database at ``url``, a libpq URL."""
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        for sql in statements(POSTGRES, customers, seed):
            conn.execute(sql)  # type: ignore[arg-type]
        # Settle the new tables before anything is timed: set hint bits and the visibility
        # map now, or the first reader pays for it and autovacuum runs in the middle.
        conn.execute("VACUUM ANALYZE")


def mariadb(url: str, customers: int, seed: int = SEED) -> None:
    """Make the snapshot's tables in the (empty) MariaDB database at ``url``
    (``mysql://user@host:port/database``, an account that may create tables)."""
    import pymysql
    from sqlalchemy.engine import make_url

    where = make_url(url)
    conn = pymysql.connect(
        host=where.host or "127.0.0.1",
        port=where.port or 3306,
        user=where.username or "root",
        password=where.password or "",
        database=where.database,
        charset="utf8mb4",
        autocommit=True,
    )
    try:
        with conn.cursor() as cursor:
            # '||' concatenates, as in the other dialects' expressions
            cursor.execute("SET SESSION sql_mode = CONCAT(@@sql_mode, ',PIPES_AS_CONCAT')")
            for sql in statements(MARIADB, customers, seed):
                cursor.execute(sql)
            tables = ", ".join(_tables(MARIADB, customers, seed))
            cursor.execute(f"ANALYZE TABLE {tables}")
            cursor.fetchall()
    finally:
        conn.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("backend", choices=["sqlite", "postgres", "mariadb"])
    parser.add_argument("target", help="SQLite file to write, or the URL of an empty database")
    parser.add_argument("--customers", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=SEED)
    args = parser.parse_args(argv)
    start = time.perf_counter()
    if args.backend == "sqlite":
        sqlite_file(Path(args.target), args.customers, args.seed)
    elif args.backend == "postgres":
        postgres(args.target, args.customers, args.seed)
    else:
        mariadb(args.target, args.customers, args.seed)
    print(f"{args.customers} customers in {time.perf_counter() - start:.1f} s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
