"""Nothing hangs and nothing grows without bound: a dump that never finishes loading is stopped by
the timeout, one too large for the heap limit is not checked, Python reads a dump in pieces,
and past the process's memory ceiling a source is not checked while the others still are.

Tests that could hang or take memory without bound on a regression run the real command in a
child process, with a time limit and a memory ceiling of its own.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from seloste.checks.memory import MiB
from seloste.checks.snapshot import dump, runner
from snapshot_truth import BINDINGS, DUMP, TRUTH, check, errors, expected, observed

SELOSTE = Path(sys.executable).parent / "seloste"
NEVER_ENDS = {
    "create table as": (
        "CREATE TABLE t AS WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) "
        "SELECT x FROM c;"
    ),
    "insert select": (
        "CREATE TABLE t (x INTEGER);\n"
        "INSERT INTO t WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) "
        "SELECT x FROM c;"
    ),
}


def _seloste(*argv: str, limit: float = 10) -> subprocess.CompletedProcess[str]:
    """The installed command, as a user runs it (so with its memory ceiling), within ``limit``
    seconds."""
    seloste = SELOSTE if SELOSTE.exists() else Path(shutil.which("seloste") or "seloste")
    base = ["check", "--no-config", "--bindings", str(BINDINGS), "--as-of", TRUTH["as_of"]]
    command = [str(seloste), *base, "--format", "json", "--max-keys", "10000", *argv]
    return subprocess.run(command, capture_output=True, text=True, timeout=limit, check=False)


def _report(done: subprocess.CompletedProcess[str]) -> tuple[dict[str, str], set[tuple]]:
    """SEL001 messages by source, and the other findings as comparable rows."""
    findings = json.loads(done.stdout)["findings"]
    gaps = {f["location"]["source"]: f["message"] for f in findings if f["rule"] == "SEL001"}
    rest = {
        (f["rule"], f["location"].get("table"), f["location"].get("table_column"), f.get("rows"))
        for f in findings
        if f["rule"] != "SEL001"
    }
    return gaps, rest


@pytest.mark.parametrize("sql", list(NEVER_ENDS.values()), ids=list(NEVER_ENDS))
def test_a_dump_that_never_finishes_loading_is_stopped_by_the_timeout(
    tmp_path: Path, sql: str
) -> None:
    endless = tmp_path / "endless.sql"
    endless.write_text(f"BEGIN TRANSACTION;\n{sql}\nCOMMIT;\n", encoding="utf-8")
    started = time.monotonic()
    sources = ["--snapshot", str(endless), "--snapshot", str(DUMP)]
    done = _seloste("--statement-timeout", "0.5", "--max-memory", "512M", *sources)
    assert time.monotonic() - started < 5
    assert done.returncode == 2, done.stderr
    gaps, rest = _report(done)
    assert gaps == {
        str(endless): f"could not check {endless}: the dump did not load within the timeout "
        "(0.5 s); give more with --statement-timeout, or load it into a SQLite file and check "
        "the file"
    }
    assert rest == {row[:4] for row in expected()}  # the other dump is checked, in its time
    assert sorted(p.name for p in tmp_path.iterdir()) == ["endless.sql"]


def _big_dump(path: Path, rows: int, width: int) -> Path:
    """The K-Systems dump with a table of ``rows`` rows of ``width`` characters each inside its
    transaction, as sqlite3 .dump writes one."""
    ours = DUMP.read_text(encoding="utf-8")
    assert ours.endswith("COMMIT;\n")
    with path.open("w", encoding="utf-8") as out:
        out.write(ours.removesuffix("COMMIT;\n") + "CREATE TABLE big (x TEXT);\n")
        for i in range(rows):
            out.write(f"INSERT INTO big VALUES('{i:08d}{'x' * (width - 8)}');\n")
        out.write("COMMIT;\n")
    return path


def _long_statement(path: Path, rows: int, width: int) -> Path:
    """One INSERT of ``rows`` rows: a single statement of ``rows * width`` characters."""
    values = ",\n".join(f"('{i:08d}{'x' * (width - 8)}')" for i in range(rows))
    path.write_text(f"CREATE TABLE big (x TEXT);\nINSERT INTO big VALUES\n{values};\n")
    return path


@pytest.mark.parametrize("make", [_big_dump, _long_statement], ids=["rows", "one statement"])
def test_a_dump_larger_than_the_heap_limit_is_not_checked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, make: Callable[[Path, int, int], Path]
) -> None:
    monkeypatch.setattr(dump, "DUMP_MEMORY", 8 * MiB)
    big = make(tmp_path / "big.sql", 20_000, 1000)
    assert big.stat().st_size > 16 * MiB
    assert errors(check(str(big))) == [
        f"could not check {big}: the dump needs more than 8 MiB of memory; load it into a "
        "SQLite file and check the file"
    ]
    # the limit applied to that dump only
    monkeypatch.undo()
    assert dump._sqlite_library().sqlite3_hard_heap_limit64(-1) == 0
    assert observed(check(str(DUMP))) == expected()


def test_python_reads_a_dump_in_pieces(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Checking a 24 MB dump, Python itself holds no more than a few megabytes of it (what
    SQLite holds is its heap, bounded above). The dump's one transaction spans some 24 pieces,
    and the findings are exactly the K-Systems ones."""
    big = _big_dump(tmp_path / "big.sql", 24_000, 1000)
    loading: list[int] = []  # what Python allocated while the dump loaded, at the most
    opened = runner.open_source

    def measured(*args: Any, **kwargs: Any) -> Any:
        before = tracemalloc.get_traced_memory()[0]
        tracemalloc.reset_peak()
        try:
            return opened(*args, **kwargs)
        finally:
            loading.append(tracemalloc.get_traced_memory()[1] - before)

    monkeypatch.setattr(runner, "open_source", measured)
    tracemalloc.start()
    try:
        findings = check(str(big))
    finally:
        tracemalloc.stop()
    assert errors(findings) == []
    # the big table, which nobody bound, is sampled for personal values: a note says so
    assert observed(findings) == expected() | {("SNP011", "big", None, None, (), None, None)}
    assert loading[0] < 8 * MiB, loading  # of a 24 MB dump


def test_past_the_memory_ceiling_a_source_is_not_checked_and_the_rest_is(tmp_path: Path) -> None:
    """With ``--max-memory 300M``, a dump whose database needs some 800 MB (within the heap
    limit for dumps, so the ceiling is what stops it) is one SEL001 naming the ceiling, and
    the K-Systems dump after it is checked exactly."""
    hungry = tmp_path / "hungry.sql"
    hungry.write_text(
        "CREATE TABLE t AS WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c "
        "WHERE x < 2000000) SELECT x, randomblob(400) AS b FROM c;\n",
        encoding="utf-8",
    )
    done = _seloste("--max-memory", "300M", "--snapshot", str(hungry), "--snapshot", str(DUMP))
    assert done.returncode == 2, done.stderr
    gaps, rest = _report(done)
    assert gaps == {
        str(hungry): f"could not check {hungry}: seloste ran out of memory: it may use 300 MiB "
        "(--max-memory); give it more with --max-memory SIZE"
    }
    assert rest == {row[:4] for row in expected()}
    assert done.stderr == ""


def test_the_ceiling_is_only_set_when_seloste_runs_as_the_program() -> None:
    """A test, or another program, that calls ``main(argv)`` keeps its own limits."""
    import resource

    from seloste.checks.cli import main

    before = resource.getrlimit(resource.RLIMIT_AS)
    argv = ["check", "--no-config", "--bindings", str(BINDINGS), "--snapshot", str(DUMP)]
    assert main([*argv, "--max-memory", "100M", "--format", "json:/dev/null"]) == 1
    assert resource.getrlimit(resource.RLIMIT_AS) == before


@pytest.mark.parametrize(
    ("size", "why"),
    [
        ("lots", "expected a size such as 8G, 512M or unlimited, got 'lots'"),
        ("1M", "'1M' is too little to run in; give at least 64M"),
    ],
)
def test_a_memory_size_that_is_no_size_is_a_usage_error(
    size: str, why: str, capsys: pytest.CaptureFixture[str]
) -> None:
    from seloste.checks.cli import main

    with pytest.raises(SystemExit) as exited:
        main(["check", "--snapshot", str(DUMP), "--max-memory", size])
    assert exited.value.code == 2
    assert capsys.readouterr().err == (f"seloste check: error: argument --max-memory: {why}\n")


@pytest.mark.parametrize("seconds", ["-1", "inf", "nan", "soon"])
def test_a_statement_timeout_that_is_no_number_of_seconds_is_a_usage_error(seconds: str) -> None:
    done = _seloste("--snapshot", str(DUMP), "--statement-timeout", seconds)
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr.splitlines()[-1].endswith(
        f"argument --statement-timeout/--timeout: expected a number of seconds >= 0, got "
        f"{seconds!r}"
    )


def test_a_negative_statement_timeout_in_the_configuration_is_an_error_at_its_line(
    tmp_path: Path,
) -> None:
    config = tmp_path / "seloste.yaml"
    config.write_text("seloste: 1\nkind: config\nstatement_timeout: -1\n", encoding="utf-8")
    seloste = SELOSTE if SELOSTE.exists() else Path(shutil.which("seloste") or "seloste")
    done = subprocess.run(
        [str(seloste), "check", "--config", "seloste.yaml", "--snapshot", str(DUMP)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=10,
        check=False,
    )
    assert done.returncode == 2
    assert done.stderr.splitlines()[0] == (
        "seloste.yaml:3:20: Input should be greater than or equal to 0 (got '-1')"
    )
