"""PostgreSQL's sampler thread hands the GIL back itself and leaves the process's settings
alone: a check run inside another program changes nothing of that program's."""

from __future__ import annotations

import sys
import threading

import pytest
from snapshot_truth import NATIVE, check, errors, expected, observed


@pytest.mark.postgres
def test_the_sampler_gives_way_between_batches_and_sets_nothing(
    postgres: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from seloste.checks.snapshot import sampling

    given: list[str] = []
    monkeypatch.setattr(sampling, "give_way", lambda: given.append(threading.current_thread().name))

    def refuse(_: float) -> None:
        raise AssertionError("the switch interval is the process's, not seloste's")

    monkeypatch.setattr(sys, "setswitchinterval", refuse)
    before = sys.getswitchinterval()
    findings = check(postgres)
    assert errors(findings) == []
    assert observed(findings) == expected(storage=NATIVE)
    assert sys.getswitchinterval() == before
    # one batch (or more) for each of the 8 tables with value checks, all on the sampler
    assert len(given) >= 8 and set(given) == {"seloste-sampler"}


def test_a_sqlite_sample_finds_its_key_range_without_reading_the_table(tmp_path) -> None:
    """The lowest and highest key, each from an end of the index: SQLite scans the whole
    table for min() and max() asked in one query (a full read per sampled table)."""
    import sqlite3

    import sqlalchemy as sa
    from snapshot_truth import sqlite_from_dump

    db = sqlite_from_dump(tmp_path / "k.db")
    asked: list[str] = []

    def record(_conn, _cursor, statement, *_args) -> None:
        if "min(" in statement:
            asked.append(statement)

    sa.event.listen(sa.engine.Engine, "before_cursor_execute", record)
    try:
        findings = check(str(db), sample=2)  # fewer than the rows: the keys are drawn
    finally:
        sa.event.remove(sa.engine.Engine, "before_cursor_execute", record)
    assert errors(findings) == []
    assert len(asked) >= 5  # one for each table with value checks and more than 2 rows
    with sqlite3.connect(db) as conn:
        plans = [conn.execute(f"EXPLAIN QUERY PLAN {q}").fetchall() for q in asked]
    conn.close()
    assert [[step[3] for step in plan if step[3].startswith("SCAN s")] for plan in plans] == [
        [] for _ in plans
    ]
