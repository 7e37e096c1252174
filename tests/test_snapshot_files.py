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


def test_a_fifo_or_a_link_out_of_the_directory_is_one_table_not_checked(tmp_path: Path) -> None:
    """A FIFO would block the read for ever; a link would read a file outside the directory.
    Each is refused before DuckDB opens it, and every other table is checked."""
    import os
    import time

    export_csv(tmp_path)
    (tmp_path / "invoices.csv").unlink()
    os.mkfifo(tmp_path / "invoices.csv")
    (tmp_path / "newsletter_recipients.csv").unlink()
    (tmp_path / "newsletter_recipients.csv").symlink_to("/etc/passwd")
    started = time.monotonic()
    findings = check(str(tmp_path))
    assert time.monotonic() - started < 30
    assert sorted(errors(findings)) == [
        "could not check invoices: invoices.csv is a FIFO, not a regular file",
        "could not check newsletter_recipients: newsletter_recipients.csv is a symbolic link "
        "that leads outside the directory",
    ]
    assert observed([f for f in findings if f.rule != "SEL001"]) == expected(
        without=frozenset({"invoices", "newsletter_recipients"})
    )


def test_a_fifo_as_the_snapshot_is_refused_at_once(tmp_path: Path) -> None:
    import os

    os.mkfifo(tmp_path / "k.sql")
    assert errors(check(str(tmp_path / "k.sql"))) == [
        f"could not check {tmp_path / 'k.sql'}: is a FIFO, not a regular file"
    ]
