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
from snapshot_truth import check, errors, expected, export_csv, observed

LOOPBACK = "127.0.0.1"
DATABASE = "k_systems_spark"


def _needed() -> str | None:
    """Why Spark cannot run here, or None."""
    import importlib.util

    if importlib.util.find_spec("pyspark") is None:
        return "PySpark is not installed (seloste[spark])"
    if importlib.util.find_spec("duckdb") is None:
        return "DuckDB is not installed (it writes the Parquet files)"
    if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
        return "no Java runtime"
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
    session = (
        SparkSession.builder.master("local[2]")
        .appName("seloste-tests")
        .config("spark.driver.bindAddress", LOOPBACK)
        .config("spark.driver.host", LOOPBACK)
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "2")
        .config("spark.sql.warehouse.dir", str(warehouse))
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    yield session
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
