"""Snapshot checks on Apache Spark (local mode): the same plan and the same ground truth.

One Spark session serves the whole module (it takes seconds to start); it listens on
loopback only, with no UI. The K-Systems snapshot is written as Parquet files and as catalog
tables, and each gives exactly the findings SQLite gives.
"""

from __future__ import annotations

import hashlib
import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from snapshot_truth import bound, check, errors, expected, export_csv, observed

LOOPBACK = "127.0.0.1"
DATABASE = "k_systems_spark"


CONNECT_PORT = 0


def _free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind((LOOPBACK, 0))
        return int(probe.getsockname()[1])


def _needed() -> str | None:
    """Why Spark cannot run here, or None."""
    import importlib.util

    if importlib.util.find_spec("pyspark") is None:
        return "PySpark is not installed (seloste[spark])"
    if importlib.util.find_spec("duckdb") is None:
        return "DuckDB is not installed (it writes the Parquet files)"
    if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
        return "no Java runtime"
    if any(importlib.util.find_spec(m) is None for m in ("grpc", "pyarrow", "pandas")):
        return "the Spark Connect client is not installed (seloste[spark-connect])"
    return None


@pytest.fixture(scope="module")
def spark(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    if (why := _needed()) is not None:
        if os.environ.get("CI") == "true":
            pytest.fail(f"Spark is needed under CI=true: {why}")
        pytest.skip(f"Spark unavailable: {why}")
    from pyspark.sql import SparkSession

    os.environ["SPARK_LOCAL_IP"] = LOOPBACK
    warehouse = tmp_path_factory.mktemp("spark-warehouse")
    # The same driver serves Spark Connect, on loopback, for the sc:// tests.
    global CONNECT_PORT
    CONNECT_PORT = _free_port()
    session = (
        SparkSession.builder.master("local[2]")
        .appName("seloste-tests")
        .config("spark.driver.bindAddress", LOOPBACK)
        .config("spark.driver.host", LOOPBACK)
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.shuffle.partitions", "2")
        .config("spark.sql.warehouse.dir", str(warehouse))
        .config("spark.plugins", "org.apache.spark.sql.connect.SparkConnectPlugin")
        .config("spark.connect.grpc.binding.address", LOOPBACK)
        .config("spark.connect.grpc.binding.port", str(CONNECT_PORT))
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    yield session
    from pyspark.sql.connect.session import SparkSession as ConnectSession

    # A Connect client calls its server once more as Python exits: stopped first, it does
    # not wait for a server that is gone.
    if (remote := ConnectSession.getActiveSession()) is not None:
        remote.stop()
    session.stop()


@pytest.fixture(scope="module")
def parquet(spark: Any, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The K-Systems tables as Parquet files, typed as seloste reads CSV (numbers and
    booleans; times as the text they are written in)."""
    import duckdb
    from seloste.checks.snapshot.sources import CSV_TYPES

    csv_dir = export_csv(tmp_path_factory.mktemp("csv"))
    out = tmp_path_factory.mktemp("parquet")
    con = duckdb.connect()
    for path in sorted(csv_dir.iterdir()):
        relation = con.read_csv(str(path), auto_type_candidates=CSV_TYPES)
        relation.write_parquet(str(out / f"{path.stem}.parquet"))
    con.close()
    return out


def _tree(directory: Path) -> dict[str, str]:
    """Every file under ``directory`` with its SHA-256, and every directory as one."""
    out = {}
    for path in sorted(directory.rglob("*")):
        key = str(path.relative_to(directory))
        out[key] = hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else "dir"
    return out


def test_parquet_files_give_exactly_the_ground_truth(parquet: Path) -> None:
    before = _tree(parquet)
    findings = check(f"spark:local[2]?path={parquet}")
    assert errors(findings) == []
    assert observed(findings) == expected()
    assert _tree(parquet) == before  # nothing written, nothing touched


@pytest.fixture(scope="module")
def catalog(spark: Any, parquet: Path) -> str:
    """The same tables in the session's catalog (a warehouse under tmp), as database
    ``DATABASE``; written here by the test, never by seloste."""
    spark.sql(f"CREATE DATABASE {DATABASE}")
    for path in sorted(parquet.iterdir()):
        spark.read.parquet(str(path)).write.saveAsTable(f"{DATABASE}.{path.stem}")
    return DATABASE


def test_catalog_tables_give_exactly_the_ground_truth(spark: Any, catalog: str) -> None:
    warehouse = Path(spark.conf.get("spark.sql.warehouse.dir").removeprefix("file:"))
    before = _tree(warehouse)
    assert len(before) > 12  # the tables' files are there to be watched
    findings = check(f"spark:local[2]?database={catalog}")
    assert errors(findings) == []
    assert observed(findings) == expected()
    assert _tree(warehouse) == before


def test_seloste_leaves_no_view_behind(spark: Any, parquet: Path) -> None:
    check(f"spark:local[2]?path={parquet}")
    assert [t.name for t in spark.catalog.listTables() if t.isTemporary] == []


# --- faults: each is an SEL001 for what it hides, never a pass ---------------------------------


def _copy(parquet: Path, to: Path, without: str) -> Path:
    shutil.copytree(parquet, to)
    (to / f"{without}.parquet").unlink()
    return to


def test_a_missing_table_file_is_that_table_not_checked(parquet: Path, tmp_path: Path) -> None:
    lake = _copy(parquet, tmp_path / "lake", "invoices")
    findings = check(f"spark:local[2]?path={lake}")
    assert errors(findings) == ["could not check invoices: the table is not in the snapshot"]
    rest = [f for f in findings if f.rule != "SEL001"]
    assert observed(rest) == expected(without=frozenset({"invoices"}))


def test_a_missing_catalog_table_is_that_table_not_checked(spark: Any, catalog: str) -> None:
    spark.sql(f"CREATE DATABASE partial_{catalog}")
    try:
        for table in spark.catalog.listTables(catalog):
            if table.name != "invoices":
                spark.table(f"{catalog}.{table.name}").write.saveAsTable(
                    f"partial_{catalog}.{table.name}"
                )
        findings = check(f"spark:local[2]?database=partial_{catalog}")
    finally:
        spark.sql(f"DROP DATABASE partial_{catalog} CASCADE")
    assert errors(findings) == ["could not check invoices: the table is not in the snapshot"]
    rest = [f for f in findings if f.rule != "SEL001"]
    assert observed(rest) == expected(without=frozenset({"invoices"}))


def test_a_missing_directory_or_database_is_the_source_not_checked(
    spark: Any, tmp_path: Path
) -> None:
    missing = tmp_path / "nowhere"
    assert errors(check(f"spark:local[2]?path={missing}")) == [
        f"could not check spark:local[2]?path={missing}: {missing} is not a directory"
    ]
    assert errors(check("spark:local[2]?database=no_such_db")) == [
        "could not check spark:local[2]?database=no_such_db: "
        "the database no_such_db is not in the Spark catalog"
    ]
    assert errors(check("spark:local[2]?table=x")) == [
        "could not check spark:local[2]?table=x: "
        "unknown Spark source option 'table'; use database= or path="
    ]


def test_a_corrupt_parquet_file_is_that_table_not_checked(parquet: Path, tmp_path: Path) -> None:
    lake = _copy(parquet, tmp_path / "lake", "invoices")
    (lake / "invoices.parquet").write_bytes(b"not parquet at all")
    findings = check(f"spark:local[2]?path={lake}")
    [message] = errors(findings)
    assert message.startswith("could not check invoices: invoices.parquet cannot be read: ")
    rest = [f for f in findings if f.rule != "SEL001"]
    assert observed(rest) == expected(without=frozenset({"invoices"}))


def test_a_corrupt_part_among_good_ones_is_not_skipped(parquet: Path, tmp_path: Path) -> None:
    """Spark reads the schema from one part; the corrupt part fails the table's first query,
    even where the session was told to skip corrupt files."""
    lake = _copy(parquet, tmp_path / "lake", "invoices")
    parts = lake / "invoices.parquet"
    parts.mkdir()
    shutil.copy(parquet / "invoices.parquet", parts / "part-0.parquet")
    (parts / "part-1.parquet").write_bytes(b"PAR1" + b"\0" * 64 + b"PAR1")
    findings = check(f"spark:local[2]?path={lake}")
    [message] = errors(findings)
    assert message.startswith("could not check invoices: ")
    rest = [f for f in findings if f.rule != "SEL001"]
    assert observed(rest) == expected(without=frozenset({"invoices"}))


def test_a_statement_past_the_timeout_is_an_error(parquet: Path) -> None:
    findings = check(f"spark:local[2]?path={parquet}", timeout=0.001)
    ignored = set(bound().bindings.model.ignore_tables)  # nothing to count there
    tables = {p.stem for p in parquet.iterdir()} - ignored
    assert len(tables) == 10
    assert sorted(errors(findings)) == sorted(
        f"could not check {table}: the statement ran past the timeout" for table in tables
    )


def test_the_timeout_cancels_the_running_job(spark: Any) -> None:
    """A statement that would run for minutes is stopped (its job interrupted by its group)."""
    _assert_cancelled_at_the_timeout(spark, spark)


def _assert_cancelled_at_the_timeout(session: Any, spark: Any) -> None:
    """A statement sent through ``session`` that would run for minutes is stopped within
    seconds of a one-second timeout, and ``spark``'s driver runs no job of it afterwards."""
    import time

    import sqlalchemy as sa
    from seloste.checks.snapshot import spark_sql

    engine = spark_sql.engine(session, 1.0)
    started = time.monotonic()
    with engine.connect() as conn, pytest.raises(sa.exc.OperationalError) as raised:
        conn.exec_driver_sql("SELECT count(*) FROM range(0, 1000000000000)").all()
    assert "the statement ran past the timeout" in str(raised.value)
    assert time.monotonic() - started < 30
    assert spark.sparkContext.statusTracker().getActiveJobsIds() == []


# --- read-only by construction -----------------------------------------------------------------


@pytest.mark.parametrize(
    "statement",
    [
        "CREATE TABLE seloste_probe (id INT)",
        "INSERT INTO seloste_probe VALUES (1)",
        "DROP DATABASE default",
        "CACHE TABLE seloste_probe",
        "  create temporary view seloste_probe AS SELECT 1",
        "SET spark.sql.ansi.enabled = false",
    ],
)
def test_the_connection_refuses_anything_but_a_query(spark: Any, statement: str) -> None:
    import sqlalchemy as sa
    from seloste.checks.snapshot import spark_sql

    engine = spark_sql.engine(spark, 0)
    with engine.connect() as conn, pytest.raises(sa.exc.ProgrammingError, match="only reads"):
        conn.exec_driver_sql(statement)
    assert "seloste_probe" not in {t.name for t in spark.catalog.listTables()}


def test_a_failed_cast_does_not_put_the_value_in_the_message(spark: Any) -> None:
    import sqlalchemy as sa
    from seloste.checks.snapshot import spark_sql

    engine = spark_sql.engine(spark, 0)
    with engine.connect() as conn, pytest.raises(sa.exc.OperationalError) as raised:
        conn.exec_driver_sql("SELECT CAST('010203-123X' AS INT)").all()
    text = str(raised.value.orig)
    assert "CAST_INVALID_INPUT" in text
    assert "010203-123X" not in text


# --- through the command -----------------------------------------------------------------------


def test_the_command_reads_a_lake_named_in_the_configuration_and_exits_2_on_a_fault(
    parquet: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``path=`` in seloste.yaml is relative to the file, like any snapshot path; a corrupt
    table makes the run exit 2 with that table's SEL001 and every other finding exact."""
    import json

    from seloste.checks.cli import main
    from snapshot_truth import BINDINGS, TRUTH

    lake = _copy(parquet, tmp_path / "lake", "invoices")
    (lake / "invoices.parquet").write_bytes(b"PAR1 truncated")
    config = tmp_path / "seloste.yaml"
    settings = {"seloste": 1, "kind": "config", "bindings": str(BINDINGS), "as_of": TRUTH["as_of"]}
    settings["snapshots"] = ["spark:local[2]?path=lake"]
    config.write_text(json.dumps(settings), encoding="utf-8")
    argv = ["check", "--format", "json", "--max-keys", "10000", "--config", str(config)]
    code = main([*argv, "--allow-outside-root"])
    report = json.loads(capsys.readouterr().out)
    assert code == 2
    [message] = [f["message"] for f in report["findings"] if f["rule"] == "SEL001"]
    assert message.startswith("could not check invoices: invoices.parquet cannot be read: ")
    assert len(report["findings"]) == len(expected(without=frozenset({"invoices"}))) + 1


def test_one_aggregate_per_table_and_nothing_big_comes_back(
    spark: Any, parquet: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every statement is a SELECT on one table (with its subject links); each checked table
    gets exactly one aggregate, whose one row is the counts, and Spark runs it as one scan
    (its jobs counted by the statement's job group); what is collected at once is never more
    than the bounded keys or candidates, and only a stream (a sample) reads more."""
    import re

    from seloste.checks.snapshot import sampling, spark_sql

    sent: list[tuple[str, bool, int]] = []
    groups: list[str] = []  # each statement's job group, in the order they were sent
    execute, fetch = spark_sql.Cursor.execute, spark_sql.Cursor._next
    start = spark_sql._Deadline.__init__

    def counting_execute(self: Any, operation: str, parameters: Any = None) -> None:
        sent.append((operation, self.stream, 0))
        execute(self, operation, parameters)

    def named_deadline(self: Any, session: Any, timeout: float) -> None:
        start(self, session, timeout)
        groups.append(self.name)

    def counting_next(self: Any) -> Any:
        row = fetch(self)
        if row is not None:
            operation, stream, rows = sent[-1]
            sent[-1] = (operation, stream, rows + 1)
        return row

    monkeypatch.setattr(spark_sql.Cursor, "execute", counting_execute)
    monkeypatch.setattr(spark_sql.Cursor, "_next", counting_next)
    monkeypatch.setattr(spark_sql._Deadline, "__init__", named_deadline)
    findings = check(f"spark:local[2]?path={parquet}", max_keys=5)
    assert len(groups) == len(sent)
    assert errors(findings) == []
    table_of = re.compile(r"FROM `?seloste_[0-9a-f]+_(\w+)`? AS s0")
    aggregates: dict[str, int] = {}
    jobs: dict[str, int] = {}  # Spark's jobs for each table's aggregate, less its joins
    tracker = spark.sparkContext.statusTracker()
    for (operation, stream, rows), group in zip(sent, groups, strict=True):
        assert operation.startswith("SELECT ")
        [table] = table_of.findall(operation)
        if operation.startswith("SELECT count(*) AS count_1"):
            assert rows == 1
            aggregates[table] = aggregates.get(table, 0) + 1
            jobs[table] = len(tracker.getJobIdsForGroup(group)) - operation.count(" JOIN ")
        elif not stream:
            assert rows <= max(5, sampling.CANDIDATES + 1)
    ignored = set(bound().bindings.model.ignore_tables)
    assert aggregates == {p.stem: 1 for p in parquet.iterdir() if p.stem not in ignored}
    # Spark's own jobs: each aggregate is one scan stage and one result stage (adaptive
    # execution submits each stage as a job of its own), plus one broadcast job for each
    # table it joins to follow a subject link; no table is read twice for its counts.
    assert jobs == {table: 2 for table in aggregates}


@pytest.mark.parametrize("naive", [False, True], ids=["instants", "wall-clock"])
def test_native_time_types_give_exactly_the_ground_truth(
    spark: Any, tmp_path: Path, naive: bool
) -> None:
    """Times in Parquet's own types: an instant (Spark's TIMESTAMP), a wall-clock time
    (TIMESTAMP_NTZ) and a DATE, each compared as reading.py says; converted as load_into
    converts them for the servers (a value that is not a time becomes NULL)."""
    from pyspark.sql import types as T
    from snapshot_truth import NATIVE, _converter, tables

    kinds = {
        "INTEGER": T.LongType(),
        "REAL": T.DoubleType(),
        "BOOLEAN": T.BooleanType(),
        "DATE": T.DateType(),
        "TIMESTAMP": T.TimestampNTZType() if naive else T.TimestampType(),
    }
    for name, columns, rows in tables():
        schema = T.StructType(
            [T.StructField(c, kinds.get(kind, T.StringType())) for c, kind, _ in columns]
        )
        convert = [_converter(kind, naive, True) for _, kind, _ in columns]
        records = [tuple(f(v) for f, v in zip(convert, row, strict=True)) for row in rows]
        frame = spark.createDataFrame(records, schema)
        frame.coalesce(1).write.parquet(str(tmp_path / f"{name}.parquet"))
    findings = check(f"spark:local[2]?path={tmp_path}")
    assert errors(findings) == []
    assert observed(findings) == expected(storage=NATIVE)


# --- reading times and flags as policy/times.py defines them -----------------------------------


def test_spark_reads_text_as_the_reference_does(spark: Any) -> None:
    """The values test_snapshot_reading.py holds every source to (boundaries around a cut-off,
    near misses of the ISO grammar, declared patterns and epochs), in a Spark view: for each
    one Spark SQL's answers equal the Python reference's, in UTC and in Europe/Helsinki."""
    import sqlalchemy as sa
    from pyspark.sql import types as T
    from seloste.checks.snapshot import spark_sql
    from seloste.policy import times
    from test_snapshot_reading import (
        PATTERN_VALUES,
        PATTERNS,
        VALUES,
        ZONES,
        _epoch_values,
        _expected,
        _flags,
        _observed,
        _observed_flags,
    )

    schema = T.StructType([T.StructField("id", T.LongType()), T.StructField("v", T.StringType())])
    engine = spark_sql.engine(spark, 0)

    def view(values: list[Any]) -> sa.TableClause:
        spark.createDataFrame(list(enumerate(values)), schema).createOrReplaceTempView(
            "reading_values"
        )
        return sa.table("reading_values", sa.column("id", sa.Integer()), sa.column("v", sa.Text()))

    with engine.connect() as conn:
        table = view(VALUES)
        for zone in ZONES:
            assert _observed(conn, "spark", table, "v", "iso", zone) == _expected(
                VALUES, "iso", zone
            )
        assert _observed_flags(conn, "spark", table) == _flags(VALUES)
        table = view(PATTERN_VALUES)
        for fmt in PATTERNS:
            for zone in ZONES:
                observed = _observed(conn, "spark", table, "v", fmt, zone)
                assert observed == _expected(PATTERN_VALUES, fmt, zone), fmt
        for fmt, per_second in times.EPOCHS.items():
            values = [v for v in _epoch_values(per_second) if isinstance(v, str)]
            table = view(values)
            observed = _observed(conn, "spark", table, "v", fmt, "UTC")
            assert observed == _expected(values, fmt, "UTC"), fmt
    spark.catalog.dropTempView("reading_values")


# --- Spark Connect ----------------------------------------------------------------------------


def test_spark_connect_gives_exactly_the_ground_truth(spark: Any, parquet: Path) -> None:
    """``sc://`` to the Connect server the test's driver runs on loopback: the same plan over
    gRPC, the same findings, nothing written and no view left behind."""
    before = _tree(parquet)
    findings = check(f"sc://{LOOPBACK}:{CONNECT_PORT}?path={parquet}")
    assert errors(findings) == []
    assert observed(findings) == expected()
    assert _tree(parquet) == before
    assert [t.name for t in spark.catalog.listTables() if t.isTemporary] == []


def test_spark_connect_cancels_a_statement_past_the_timeout(spark: Any) -> None:
    """Over Connect the statement's jobs are interrupted by its tag."""
    from seloste.checks.snapshot.spark import _connect

    _assert_cancelled_at_the_timeout(_connect(f"sc://{LOOPBACK}:{CONNECT_PORT}"), spark)


def test_names_reach_spark_as_quoted_names(spark: Any) -> None:
    """A column whose name holds a backtick, a quote, ``;`` and ``--`` is a name to Spark SQL,
    quoted by the dialect: the query reads it, and nothing else runs. (Spark refuses such
    names for views, so a file named so is a table not checked.)"""
    import sqlalchemy as sa
    from seloste.checks.snapshot import spark_sql

    table, column = "hostile_names", "c`'; DROP TABLE y --"
    spark.createDataFrame([(1, "a")], ["id", column]).createOrReplaceTempView(table)
    try:
        engine = spark_sql.engine(spark, 0)
        hostile = sa.table(table, sa.column("id"), sa.column(column))
        query = sa.select(hostile.c.id, hostile.c[column]).where(hostile.c[column] == "a")
        with engine.connect() as conn:
            assert conn.execute(query).all() == [(1, "a")]
            listed = sa.select(hostile.c.id).where(hostile.c[column].in_(["z", "a"]))
            assert conn.execute(listed).all() == [(1,)]
        assert "`c``'; DROP TABLE y --`" in str(query.compile(engine))
    finally:
        spark.catalog.dropTempView(table)
