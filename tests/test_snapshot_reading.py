"""Every source reads a stored time or flag as ``policy/times.py`` defines it, in SQL.

The same values (boundary cases around a cut-off and near misses of the ISO grammar) are put
into a text column, and into native columns where the source has them, on SQLite, DuckDB,
PostgreSQL and MariaDB; for each value the database's answers ("unreadable", "before the
cut-off", "flag set") must equal the Python reference's, for a cut-off in UTC and one in
Europe/Helsinki.
"""

from __future__ import annotations

import itertools
import random
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
import sqlalchemy as sa
from hypothesis import given, settings
from hypothesis import strategies as st
from seloste.checks.snapshot import reading
from seloste.policy import times

CUTOFF = datetime(2025, 11, 1, tzinfo=UTC)
ZONES = ("UTC", "Europe/Helsinki")

# Written by hand: each boundary the issue names, and the near misses of the grammar.
BOUNDARIES = [
    "2025-11-01",
    "2025-10-31",
    "2025-11-01T00:00:00",
    "2025-10-31T23:59:59",
    "2025-11-01 00:00:00",
    "2025-10-31 23:59:59",
    "2025-11-01 00:00",
    "2025-10-31 23:59",
    "2025-11-01T00:00:00Z",
    "2025-10-31T23:59:59Z",
    "2025-10-31T23:59:59.999999Z",
    "2025-10-31T23:59:59.9999999999Z",
    "2025-11-01T02:00:00+02:00",
    "2025-11-01T01:59:59+02:00",
    "2025-11-01T01:00:00+03:00",
    "2025-10-31T23:30:00-01:00",
    "2025-10-31T22:59:59-01:00",
    "2025-10-31T23:00:00-01:00",
    "2025-11-01T14:00:00+14:00",
    "2025-11-01T13:59:59+14:00",
    "2025-11-01T02:00:00",
    "2025-11-01T01:59:59",
    "2025-11-01T02:00",
    "2024-02-29",
    "2025-02-29",
    "1900-02-29",
    "2000-02-29",
    "2025-04-31",
    "2025-02-30",
    "0000-01-01",
    "0001-01-01",
    "9999-12-31T23:59:59Z",
    "2025-13-01",
    "2025-00-10",
    "2025-1-01",
    "2025-11-01t00:00:00",
    "2025-11-01T00:00:00z",
    "2025-11-01T24:00:00",
    "2025-11-01T23:60:00",
    "2025-11-01T23:59:60",
    "2025-11-01T00:00:00+0300",
    "2025-11-01T00:00:00+03",
    "2025-11-01T00:00:00 +03:00",
    "2025-11-01T00:00:00+15:00",
    "2025-11-01T00:00:00-00:00",
    "2025-11-01Z",
    "2025-11-01+03:00",
    "2025-11-01T00",
    "2025-11-01T00:00:00.",
    "2025-11-01T00:00:00.12a",
    "2025-11-01 ",
    " 2025-11-01",
    "2025-11-01\n",
    "2025-11-01T00:00:00Z\n",
    "31.12.2015",
    "Dec 31 2015",
    "N/A",
    "now",
    "2460000.5",
    "12:00",
    "",
    "yes",
    "TRUE",
    " y ",
    "0",
    "off",
    "kyllä",
    "２０２５-11-01",
]


def _generated(count: int, seed: int = 20261201) -> list[str]:
    """Values near the cut-off and near the grammar's edges, reproducibly."""
    rng = random.Random(seed)
    pick = rng.choice
    out = []
    for _ in range(count):
        day = f"{pick(['2025', '2024', '2000', '1900', '0000', '12025'])}-"
        day += f"{pick(['10', '11', '02', '12', '13', '00', '1'])}-"
        day += pick(["31", "01", "29", "30", "00", "1"])
        if rng.random() < 0.2:
            out.append(day + pick(["", " ", "Z", "+03:00", "T"]))
            continue
        moment = (
            f"{pick(['00', '01', '02', '22', '23', '24', '9'])}:{pick(['00', '30', '59', '60'])}"
        )
        if rng.random() < 0.7:
            moment += ":" + pick(["00", "59", "60", "5"])
            if rng.random() < 0.4:
                moment += pick([".", ".0", ".5", ".123456", ".9999999", ".12a"])
        zone = pick(["", "", "Z", "z", "+02:00", "-01:00", "+14:59", "+15:00", "+0200"])
        zone = zone if rng.random() < 0.95 else pick([" +02:00", "+02:00 ", "\n"])
        out.append(day + pick(["T", " ", "T", "t", "_"]) + moment + zone)
    return out


VALUES = list(dict.fromkeys(BOUNDARIES + _generated(1500)))


def _expected(values: list[Any], fmt: str, zone: str) -> list[tuple[int, bool, bool]]:
    tz = times.zone(zone)
    out = []
    for i, value in enumerate(values):
        stored = times.read(value, fmt)
        before = stored is not None and stored.before(CUTOFF, tz)
        out.append((i, value is not None and stored is None, before))
    return out


def _observed(
    conn: Any, dialect: str, table: sa.Table, column: str, fmt: str, zone: str
) -> list[tuple[int, bool, bool]]:
    reader = reading.Reader(dialect)
    col = table.c[column]
    kind = table.c[column].type
    tz = times.zone(zone)
    unreadable = reader.unreadable_time(col, kind, fmt)
    unreadable = sa.false() if unreadable is None else unreadable
    before = reader.before(col, kind, fmt, tz, CUTOFF)
    query = sa.select(
        table.c.id,
        sa.case((unreadable, 1), else_=0),
        sa.case((before, 1), else_=0),
    ).order_by(table.c.id)
    observed = [(int(i), bool(u), bool(b)) for i, u, b in conn.execute(query)]
    # The same conditions in WHERE, where a database may evaluate the parts of a condition
    # in any order: still no error, and the same rows.
    where = sa.select(table.c.id).where(before).order_by(table.c.id)
    assert [int(i) for i in conn.execute(where).scalars()] == [i for i, _, b in observed if b]
    return observed


def _flags(values: list[Any]) -> list[tuple[int, bool, bool]]:
    out = []
    for i, value in enumerate(values):
        word = value.strip().lower() if isinstance(value, str) else None
        iso = isinstance(value, str) and times.read(value) is not None
        known = word in reading.TRUE_WORDS + reading.FALSE_WORDS or iso
        out.append((i, not known, word in reading.TRUE_WORDS or iso))
    return out


def _observed_flags(conn: Any, dialect: str, table: sa.Table) -> list[tuple[int, bool, bool]]:
    reader = reading.Reader(dialect)
    col = table.c.v
    unreadable = reader.unreadable_flag(col, col.type)
    query = sa.select(
        table.c.id,
        sa.case((unreadable, 1), else_=0),
        sa.case((reader.flag_set(col, col.type), 1), else_=0),
    ).order_by(table.c.id)
    return [(int(i), bool(u), bool(s)) for i, u, s in conn.execute(query)]


_TABLES = itertools.count()


@contextmanager
def _text_table(url: str, values: list[Any], **engine_args: Any) -> Iterator[tuple[Any, sa.Table]]:
    engine = sa.create_engine(url, **engine_args)
    table = sa.Table(
        f"reading_values_{next(_TABLES)}",
        sa.MetaData(),
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("v", sa.Text),
        mysql_charset="utf8mb4",
    )
    with engine.connect() as conn:
        if conn.dialect.name == "sqlite":
            reading.register(conn.connection.driver_connection)
        table.create(conn)
        conn.execute(table.insert(), [{"id": i, "v": v} for i, v in enumerate(values)])
        yield conn, table
        conn.rollback()
    engine.dispose()


def _check_text_source(url: str, **engine_args: Any) -> None:
    with _text_table(url, VALUES, **engine_args) as (conn, table):
        dialect = conn.dialect.name
        for zone in ZONES:
            assert _observed(conn, dialect, table, "v", "iso", zone) == _expected(
                VALUES, "iso", zone
            )
        assert _observed_flags(conn, dialect, table) == _flags(VALUES)
    with _text_table(url, PATTERN_VALUES, **engine_args) as (conn, table):
        for fmt in PATTERNS:
            for zone in ZONES:
                observed = _observed(conn, conn.dialect.name, table, "v", fmt, zone)
                assert observed == _expected(PATTERN_VALUES, fmt, zone), fmt
    for fmt, per_second in times.EPOCHS.items():
        values = [v for v in _epoch_values(per_second) if isinstance(v, str)]
        with _text_table(url, values, **engine_args) as (conn, table):
            observed = _observed(conn, conn.dialect.name, table, "v", fmt, "UTC")
            assert observed == _expected(values, fmt, "UTC"), fmt


def test_sqlite_reads_text_as_the_reference_does() -> None:
    _check_text_source("sqlite://")


def test_duckdb_reads_text_as_the_reference_does() -> None:
    pytest.importorskip("duckdb_engine")
    _check_text_source("duckdb:///:memory:")


@pytest.mark.postgres
def test_postgres_reads_text_as_the_reference_does(empty_postgres: str) -> None:
    from servers import admin_url

    _check_text_source(admin_url(empty_postgres))  # the test makes its own tables


@pytest.mark.mysql
def test_mariadb_reads_text_as_the_reference_does(empty_mariadb: str) -> None:
    from servers import admin_url

    _check_text_source(
        admin_url(empty_mariadb), connect_args={"init_command": "SET time_zone = '+00:00'"}
    )


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(alphabet="0123456789-+:.TZ tz", max_size=32), min_size=1, max_size=20))
def test_sqlite_agrees_on_any_text_of_time_characters(values: list[str]) -> None:
    with _text_table("sqlite://", values) as (conn, table):
        for zone in ZONES:
            assert _observed(conn, "sqlite", table, "v", "iso", zone) == _expected(
                values, "iso", zone
            )


# --- declared formats -----------------------------------------------------------------------

EPOCHS = [
    int(CUTOFF.timestamp()),
    int(CUTOFF.timestamp()) - 1,
    int(CUTOFF.timestamp()) + 1,
    0,
    -1,
]
PATTERN_VALUES = ["1.11.2025", "31.10.2025", "01.11.2025", "31.10.2025 23:59", "1.11.2025 0:00"]
PATTERN_VALUES += ["29.2.2025", "29.2.2024", "31.4.2025", "2025-10-31", "1.11.25", "", "x"]
PATTERN_VALUES += ["31.10.2025 23:59:59", "1.11.2025 1:59", "1.11.2025 2:00", "13.13.2025"]
PATTERNS = ("%d.%m.%Y", "%d.%m.%Y %H:%M", "%m/%d/%Y", "%Y%m%d")


def _epoch_values(per_second: int) -> list[Any]:
    numbers = [e * per_second for e in EPOCHS]
    return [*numbers, *(str(n) for n in numbers), f"{numbers[0]}.5", "1e9", "N/A", numbers[1] + 0.5]


@pytest.mark.parametrize("fmt", ["epoch_seconds", "epoch_milliseconds"])
def test_declared_epochs_are_read_as_the_reference_does(fmt: str) -> None:
    values = _epoch_values(times.EPOCHS[fmt])
    engine = sa.create_engine("sqlite://")
    table = sa.Table(
        "epochs",
        sa.MetaData(),
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("v", sa.types.NullType),
    )
    with engine.connect() as conn:
        conn.exec_driver_sql("CREATE TABLE epochs (id INTEGER PRIMARY KEY, v)")
        conn.execute(table.insert(), [{"id": i, "v": v} for i, v in enumerate(values)])
        assert _observed(conn, "sqlite", table, "v", fmt, "UTC") == _expected(values, fmt, "UTC")


def test_native_dates_are_their_midnight_in_the_zone() -> None:
    helsinki = times.zone("Europe/Helsinki")
    # 2025-11-01T00:00Z is 02:00 in Helsinki: 1 November began before the cut-off there.
    assert times.read(date(2025, 11, 1)).before(CUTOFF, helsinki)
    assert not times.read(date(2025, 11, 1)).before(CUTOFF, UTC)
    assert times.read(date(2025, 10, 31)).before(CUTOFF, UTC)
    cut = reading.Cutoff(CUTOFF, helsinki)
    assert cut.day == date(2025, 11, 2)
    assert reading.Cutoff(CUTOFF, UTC).day == date(2025, 11, 1)
    assert reading.Cutoff(CUTOFF + timedelta(seconds=1), UTC).day == date(2025, 11, 2)
