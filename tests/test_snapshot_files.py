"""Snapshot checks on a directory of CSV or Parquet files, read through DuckDB views."""

from __future__ import annotations

from pathlib import Path

import pytest
from seloste.checks.snapshot.sources import CSV_TYPES
from snapshot_truth import check, errors, expected, export_csv, observed

duckdb = pytest.importorskip("duckdb", reason="the duckdb extra is not installed")


def test_csv_files_give_exactly_the_ground_truth(tmp_path: Path) -> None:
    findings = check(str(export_csv(tmp_path)))
    assert errors(findings) == []
    assert observed(findings) == expected()
    assert sorted(p.suffix for p in tmp_path.iterdir()) == [".csv"] * 12  # nothing written


def test_parquet_files_give_exactly_the_ground_truth(tmp_path: Path) -> None:
    csv_dir, parquet = tmp_path / "csv", tmp_path / "parquet"
    csv_dir.mkdir()
    parquet.mkdir()
    export_csv(csv_dir)
    con = duckdb.connect()
    for path in sorted(csv_dir.iterdir()):
        # typed as seloste reads CSV: numbers and booleans, the rest (times too) as text
        relation = con.read_csv(str(path), auto_type_candidates=CSV_TYPES)
        relation.write_parquet(str(parquet / f"{path.stem}.parquet"))
    con.close()
    findings = check(str(parquet))
    assert errors(findings) == []
    assert observed(findings) == expected()


def test_an_unreadable_file_is_one_table_not_checked(tmp_path: Path) -> None:
    export_csv(tmp_path)
    (tmp_path / "invoices.csv").unlink()
    (tmp_path / "invoices.parquet").write_bytes(b"not parquet at all")
    findings = check(str(tmp_path))
    [message] = errors(findings)
    assert message.startswith("could not check invoices: invoices.parquet cannot be read")
    assert observed([f for f in findings if f.rule != "SEL001"]) == expected(
        without=frozenset({"invoices"})
    )


def test_a_directory_without_data_files(tmp_path: Path) -> None:
    assert errors(check(str(tmp_path))) == [
        f"could not check {tmp_path}: no .csv or .parquet files in the directory"
    ]
