"""Forbidden kinds are searched in every row; samples are spread over the table and say so.

The tables are made in the database with one statement (``WITH RECURSIVE`` on SQLite,
``generate_series`` on PostgreSQL), with values planted at rows drawn by a seeded generator.
"""

from __future__ import annotations

import random
import sqlite3
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from seloste.checks.cli import main
from seloste.checks.context import BoundPolicy
from seloste.checks.findings import Finding
from seloste.policy.loader import load_bindings, load_policy

DATA = Path(__file__).parent / "data" / "scan"
AS_OF = datetime(2026, 11, 1, tzinfo=UTC)
ROWS = 1_000_000
CHECKS = "0123456789ABCDEFHJKLMNPRSTUVWXY"


def _hetu(day: date, individual: int, *, valid: bool = True) -> str:
    digits = f"{day:%d%m%y}{individual:03d}"
    right = CHECKS[int(digits) % 31]
    check = right if valid else CHECKS[(CHECKS.index(right) + 7) % 31]
    return f"{day:%d%m%y}{'-' if day.year < 2000 else 'A'}{individual:03d}{check}"


def _planted() -> dict[int, str]:
    """13 valid hetus and 12 with a wrong check character, in text, at random rows."""
    rng = random.Random(20261201)
    rows = rng.sample(range(1, ROWS + 1), 25)
    planted = {}
    for n, row in enumerate(rows):
        day = date(1950 + n, 1 + n % 12, 1 + n % 28)
        code = _hetu(day, 100 + n, valid=n < 13)
        planted[row] = f"Soitti, kertoi tunnuksensa {code} ja pyysi laskun."
    return planted


PLANTED = _planted()


def _valid_rows() -> list[int]:
    from stdnum.fi import hetu

    out = []
    for row, text in PLANTED.items():
        code = text.split("tunnuksensa ")[1].split()[0]
        if hetu.is_valid(code):
            out.append(row)
    return sorted(out)


def bound() -> BoundPolicy:
    return BoundPolicy(load_policy(DATA / "policy.yaml"), load_bindings(DATA / "bindings.yaml"))


def check(source: str, **options: Any) -> list[Finding]:
    from seloste.checks.snapshot import check_snapshot

    settings = {"as_of": AS_OF, "sample": 5000, "max_keys": 100} | options
    return check_snapshot(bound(), source, **settings)


def _members_sqlite(path: Path, rows: int, notes: dict[int, str], email: str) -> Path:
    with sqlite3.connect(path) as conn:
        conn.execute(
            "CREATE TABLE members (id INTEGER PRIMARY KEY, email TEXT, notes TEXT, left_at TEXT)"
        )
        conn.execute(
            "INSERT INTO members SELECT x, " + email + ", 'Jäsen ' || x, NULL FROM "
            "(WITH RECURSIVE seq(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM seq WHERE x < ?) "
            "SELECT x FROM seq)",
            (rows,),
        )
        conn.executemany(
            "UPDATE members SET notes = ? WHERE id = ?", [(t, r) for r, t in notes.items()]
        )
    conn.close()
    return path


def _of(findings: list[Finding], rule: str) -> list[Finding]:
    return [f for f in findings if f.rule == rule]


def test_13_codes_among_a_million_rows_are_all_found_on_sqlite(tmp_path: Path) -> None:
    db = _members_sqlite(tmp_path / "m.db", ROWS, PLANTED, "'etu' || x || '@esimerkki.fi'")
    findings = check(str(db))
    assert [f for f in findings if f.rule == "SEL001"] == []
    [found] = _of(findings, "SNP003")
    assert (found.location.table, found.location.table_column) == ("members", "notes")
    assert found.rows == 13
    assert found.row_keys == tuple(str(r) for r in _valid_rows())
    assert (found.sampled, found.table_rows) == (None, ROWS)


@pytest.mark.postgres
def test_13_codes_among_a_million_rows_are_all_found_on_postgres(empty_postgres: str) -> None:
    import sqlalchemy as sa
    from servers import admin_url

    engine = sa.create_engine(admin_url(empty_postgres))
    with engine.begin() as conn:
        conn.execute(
            sa.text(
                "CREATE TABLE members (id BIGINT PRIMARY KEY, email TEXT, notes TEXT, "
                "left_at TIMESTAMPTZ)"
            )
        )
        conn.execute(
            sa.text(
                "INSERT INTO members SELECT x, 'etu' || x || '@esimerkki.fi', 'Jäsen ' || x, "
                "NULL FROM generate_series(1, :n) AS x"
            ),
            {"n": ROWS},
        )
        conn.execute(
            sa.text("UPDATE members SET notes = :t WHERE id = :r"),
            [{"t": t, "r": r} for r, t in PLANTED.items()],
        )
    engine.dispose()
    findings = check(empty_postgres)
    assert [f for f in findings if f.rule == "SEL001"] == []
    [found] = _of(findings, "SNP003")
    assert found.rows == 13
    assert found.row_keys == tuple(str(r) for r in _valid_rows())


# --- samples ------------------------------------------------------------------------------


def test_a_sample_is_spread_over_the_table_and_the_same_every_run(tmp_path: Path) -> None:
    """Every address is invalid, so the flagged rows are the sample itself."""
    db = _members_sqlite(tmp_path / "m.db", 10_000, {}, "'etu' || x || '(a)esimerkki.fi'")
    first = _of(check(str(db), sample=100, max_keys=100), "SNP008")
    again = _of(check(str(db), sample=100, max_keys=100), "SNP008")
    assert first == again
    [found] = first
    assert (found.rows, found.sampled, found.table_rows) == (100, 100, 10_000)
    keys = [int(k) for k in found.row_keys]
    deciles = {(k - 1) // 1000 for k in keys}
    assert deciles == set(range(10)), "every tenth of the table is in the sample"


def test_a_sparse_key_still_gives_a_full_sample(tmp_path: Path) -> None:
    db = tmp_path / "m.db"
    with sqlite3.connect(db) as conn:
        conn.execute(
            "CREATE TABLE members (id INTEGER PRIMARY KEY, email TEXT, notes TEXT, left_at TEXT)"
        )
        conn.executemany(
            "INSERT INTO members VALUES (?, 'x(a)y.fi', NULL, NULL)",
            [(i * 9973,) for i in range(1, 2001)],
        )
    conn.close()
    [found] = _of(check(str(db), sample=200), "SNP008")
    assert (found.rows, found.sampled, found.table_rows) == (200, 200, 2000)


def test_a_table_no_larger_than_the_sample_is_read_in_full(tmp_path: Path) -> None:
    db = _members_sqlite(tmp_path / "m.db", 300, {}, "'x(a)y.fi'")
    findings = check(str(db), sample=300)
    [found] = _of(findings, "SNP008")
    assert (found.rows, found.sampled, found.table_rows) == (300, 300, 300)
    assert _of(findings, "SNP011") == []


def test_sample_all_reads_every_row_and_a_partial_sample_is_a_note(tmp_path: Path) -> None:
    db = _members_sqlite(tmp_path / "m.db", 3000, {}, "'x(a)y.fi'")
    [every] = _of(check(str(db), sample=None), "SNP008")
    assert (every.rows, every.sampled, every.table_rows) == (3000, 3000, 3000)
    findings = check(str(db), sample=1000)
    [note] = _of(findings, "SNP011")
    assert note.severity == "note"
    assert note.location.table == "members"
    assert "a sample of 1000 of its 3000 rows" in note.message


@pytest.mark.parametrize("value", ["0", "-5", "many", "1.5", ""])
def test_a_sample_that_is_not_a_positive_number_or_all_is_a_usage_error(
    value: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(
            [
                "check",
                "--no-config",
                "--bindings",
                str(DATA / "bindings.yaml"),
                "--snapshot",
                "x.db",
                "--sample",
                value,
            ]
        )
    assert exit_.value.code == 2
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 1 and "--sample" in err[0] and "'all'" in err[0]


def test_a_column_full_of_candidates_is_streamed_and_still_exact(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """More candidates than are fetched at once: the search is read again as a stream, and
    counts and keys are what they would be otherwise."""
    from seloste.checks.snapshot import sampling

    planted = dict(list(PLANTED.items())[:25])
    keys = {i + 1: text for i, text in enumerate(planted.values())}
    db = _members_sqlite(tmp_path / "m.db", 40, keys, "'etu' || x || '@esimerkki.fi'")
    once = _of(check(str(db)), "SNP003")
    monkeypatch.setattr(sampling, "CANDIDATES", 3)
    streamed = _of(check(str(db)), "SNP003")
    assert once == streamed
    assert [f.rows for f in once] == [13]
