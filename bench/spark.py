"""What a check costs on Spark as the data grows: the generated K-Systems snapshot written as
Parquet, checked by Spark in local mode and, on the same files, by DuckDB.

    .venv/bin/python bench/spark.py --customers 100000 1000000

Each size is generated into SQLite (bench/generate.py, cached next to the runner's), each
table exported to Parquet once (through CSV and DuckDB, typed as seloste reads CSV), and then
checked in one process: Spark's session is started first and not timed (it takes 10-20 s
once per process), each source is checked once untimed and then ``--repeat`` times; the
median is reported, with the rows per second over all tables. Both backends must find the
same findings, or the run fails.
"""

from __future__ import annotations

import argparse
import csv
import os
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
CACHE = Path(os.environ.get("TMPDIR", tempfile.gettempdir())) / "seloste-bench"


def parquet_of(customers: int) -> tuple[Path, int]:
    """The snapshot at ``customers`` as a directory of Parquet files, and its row count."""
    import duckdb
    import generate
    from seloste.checks.snapshot.sources import CSV_TYPES

    out = CACHE / f"spark-{customers}-{generate.SEED}"
    db = CACHE / f"spark-{customers}-{generate.SEED}.db"
    if not out.exists():
        CACHE.mkdir(exist_ok=True)
        if not db.exists():
            generate.main(["sqlite", str(db), "--customers", str(customers)])
        work = Path(tempfile.mkdtemp(dir=CACHE))
        conn = sqlite3.connect(db)
        con = duckdb.connect()
        names = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        for name in names:
            cursor = conn.execute(f'SELECT * FROM "{name}"')
            path = work / f"{name}.csv"
            with path.open("w", newline="", encoding="utf-8") as f:
                writer = csv.writer(f)
                writer.writerow([d[0] for d in cursor.description])
                while rows := cursor.fetchmany(10_000):
                    writer.writerows(["" if v is None else v for v in row] for row in rows)
            relation = con.read_csv(str(path), auto_type_candidates=CSV_TYPES)
            relation.write_parquet(str(work / f"{name}.parquet"))
            path.unlink()
        con.close()
        conn.close()
        work.rename(out)
    rows = 0
    import duckdb

    con = duckdb.connect()
    for path in out.iterdir():
        rows += con.execute("SELECT count(*) FROM read_parquet(?)", [str(path)]).fetchall()[0][0]
    con.close()
    return out, rows


def timed(source: str, repeat: int) -> tuple[float, list[str]]:
    from generate import AS_OF
    from seloste.checks.context import BoundPolicy
    from seloste.checks.snapshot import check_snapshot
    from seloste.policy.loader import load_bindings, load_policy

    fixture = ROOT / "fixtures" / "k-systems"
    bound = BoundPolicy(
        load_policy(fixture / "policy.yaml"), load_bindings(fixture / "bindings.yaml")
    )
    found: list[str] = []
    times = []
    for i in range(repeat + 1):
        started = time.perf_counter()
        findings = check_snapshot(bound, source, as_of=AS_OF, sample=5000, max_keys=5, timeout=0)
        if i:
            times.append(time.perf_counter() - started)
        found = sorted(
            f"{f.rule} {f.location.table}.{f.location.table_column} {f.rows}" for f in findings
        )
    return statistics.median(times), found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--customers", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    from pyspark.sql import SparkSession

    os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    session = (
        SparkSession.builder.master("local[2]")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    print("| customers | rows | Spark local[2] | DuckDB | Spark rows/s |")
    print("|---:|---:|---:|---:|---:|")
    failed = False
    for customers in args.customers:
        lake, rows = parquet_of(customers)
        spark, spark_found = timed(f"spark:local[2]?path={lake}", args.repeat)
        duck, duck_found = timed(str(lake), args.repeat)
        if spark_found != duck_found:
            failed = True
            print(f"findings differ at {customers}: {set(spark_found) ^ set(duck_found)}")
        print(f"| {customers:,} | {rows:,} | {spark:.1f} s | {duck:.1f} s | {rows / spark:,.0f} |")
    session.stop()
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
