"""Hostile input: each file gives exactly its expected lines and exit code, fast, no traceback.

What cannot be committed (a FIFO, a link out of the repository, a file named with a newline,
a SQLite file) an entry makes at test time (``make``), in a copy of the corpus that is a
repository of its own; ``env`` sets environment variables, none of which may be printed.
"""

from __future__ import annotations

import os
import re
import resource
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import yaml
from seloste.checks.cli import main
from seloste.checks.reports import FORMATS
from seloste.policy.errors import printable

HOSTILE = Path(__file__).parent / "hostile"
POLICY = Path(__file__).parent.parent / "fixtures" / "k-systems" / "policy.yaml"
# The command each file is run with, unless its entry names another: ``{file}`` is the file,
# ``{dir}`` its folder, ``{policy}`` the K-Systems policy (waivers are judged in a run over it).
VALIDATE = ["validate", "{file}"]
EXPECTED: dict[str, dict[str, Any]] = yaml.safe_load(
    (HOSTILE / "expected.yaml").read_text(encoding="utf-8")
)
# Lines of a file no output may quote (an entry names it as a policy).
PASSWD = [line for line in Path("/etc/passwd").read_text().splitlines() if len(line) > 8]
TIMEOUT = 10  # seconds a file may take (and 1 GiB); a read that blocks is stopped and fails


def _made(entry: dict[str, Any]) -> dict[str, Any]:
    return entry.get("make", {})  # type: ignore[no-any-return]


def test_the_corpus_is_complete() -> None:
    files = {p.name for p in HOSTILE.glob("*.yaml")} - {"expected.yaml"}
    committed = {
        name for name, entry in EXPECTED.items() if entry.get("file", name) not in _made(entry)
    }
    assert files == committed
    assert len(files) >= 85


def _make(directory: Path, made: dict[str, Any]) -> None:
    """Make each ``name: how`` in ``directory``: ``fifo``, ``link:TARGET``, ``copy:NAME`` or
    ``{sqlite: [SQL, ...]}`` (a database built by those statements)."""
    for name, how in made.items():
        path = directory / name
        if how == "fifo":
            os.mkfifo(path)
        elif isinstance(how, dict):
            with sqlite3.connect(path) as conn:
                for statement in how["sqlite"]:
                    conn.execute(statement)
            conn.close()
        elif how.startswith("link:"):
            path.symlink_to(how.removeprefix("link:"))
        else:
            shutil.copy(directory / how.removeprefix("copy:"), path)


def _corpus(name: str, tmp_path: Path) -> Path:
    """Where the entry runs: the corpus itself, or a copy (a repository) with what it makes."""
    made = _made(EXPECTED[name])
    if not made:
        return HOSTILE
    directory = tmp_path / "hostile"
    shutil.copytree(HOSTILE, directory)
    (directory / ".git").mkdir()
    _make(directory, made)
    return directory


def _placeholders(text: str, path: Path, directory: Path) -> str:
    """Paths back to ``{file}`` and ``{dir}``, absolute or relative to the cwd, as printed."""
    for form in (str(path), os.path.relpath(path)):
        text = text.replace(printable(form), "{file}")
    for form in (str(directory.resolve()), os.path.relpath(directory)):
        text = text.replace(form, "{dir}")
    return text


def _address_space() -> int:
    """This process's address space now, in bytes (Linux)."""
    status = Path("/proc/self/status").read_text(encoding="ascii")
    return int(re.search(r"VmSize:\s+(\d+) kB", status)[1]) * 1024  # type: ignore[index]


@contextmanager
def _bounded(seconds: float, memory: int = 1 << 30) -> Iterator[None]:
    """Stop the run after ``seconds``, and let it grow this process by at most ``memory``
    bytes: a read that blocks (a FIFO) or never ends (/dev/zero) fails the test, not CI."""

    def stop(*_: object) -> None:
        raise TimeoutError(f"still running after {seconds} s")

    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    limit = _address_space() + memory
    resource.setrlimit(
        resource.RLIMIT_AS, (limit if hard == resource.RLIM_INFINITY else min(limit, hard), hard)
    )
    previous = signal.signal(signal.SIGALRM, stop)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_hostile_file(
    name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    entry = EXPECTED[name]
    directory = _corpus(name, tmp_path)
    path = directory / entry.get("file", name)
    monkeypatch.delenv("SELOSTE_HOSTILE_UNSET", raising=False)  # config-missing-var.yaml
    for variable, value in entry.get("env", {}).items():
        monkeypatch.setenv(variable, value)
    words = [
        w.format(file=path, dir=directory, policy=POLICY) for w in entry.get("command", VALIDATE)
    ]
    reports = {f: tmp_path / f"report.{f}" for f in FORMATS} if entry.get("env") else {}
    words += [a for f, report in reports.items() for a in ("--format", f"{f}:{report}")]
    words += ["--format", "text"] if reports else []
    started = time.monotonic()
    with _bounded(TIMEOUT):
        code = main(words)
    elapsed = time.monotonic() - started
    out, err = capsys.readouterr()
    lines = [_placeholders(line, path, directory) for line in err.splitlines()]
    lines += [
        _placeholders(line, path, directory)
        for line in out.splitlines()
        if not line.startswith(("Found ", "No findings"))
    ]
    assert (code, lines) == (entry["exit"], entry["output"])
    assert "Traceback" not in out + err
    assert elapsed < TIMEOUT, f"{name} took {elapsed:.1f} s"
    assert [line for line in PASSWD if line in out + err] == []
    texts = [out, err, *(r.read_text(encoding="utf-8") for r in reports.values())]
    assert [v for v in entry.get("env", {}).values() if any(v in t for t in texts)] == []


# A line is a problem, at a place in a file or about a whole file ({dir}/... for one absent or
# made), or a finding about a snapshot (its source, table and column, then rule and severity).
SHAPE = re.compile(
    r"^\{file\}:[1-9]\d*:[1-9]\d*: \S.*$"
    r"|^\{file\}: \S.*$"
    r"|^\{dir\}/\S+: \S.*$"
    r"|^(\{dir\}/\S+|\S+://\S+)( .+)?: [A-Z]{3}\d{3} \[(error|warning|note)\] \S.*$"
)


def test_every_line_is_one_place_and_one_message() -> None:
    bad = [
        (name, line)
        for name, entry in EXPECTED.items()
        for line in entry["output"]
        if not SHAPE.match(line)
    ]
    assert bad == []


def _limited(code: str, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    """Run Python code in a child with 1 GiB of address space, so a blow-up fails, not the host."""

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))

    env = {**os.environ, "PYTHONPATH": str(Path(__file__).parent.parent)}
    return subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        timeout=60,
        preexec_fn=limit,
        cwd=tmp_path,
        env=env,
    )


def test_a_50_mb_scalar_is_refused_in_bounded_time_and_memory(tmp_path: Path) -> None:
    path = tmp_path / "big.yaml"
    with path.open("w") as f:
        f.write("seloste: 1\nkind: policy\nnote: ")
        f.write("x" * (50 * 1024 * 1024))
        f.write("\n")
    result = _limited(
        "import sys; from seloste.checks.cli import main; "
        f"sys.exit(main(['validate', {str(path)!r}]))",
        tmp_path,
    )
    assert result.returncode == 2
    assert result.stderr == f"{path}: file is larger than 16777216 bytes\n"


def test_an_alias_bomb_stays_within_memory(tmp_path: Path) -> None:
    path = HOSTILE / "alias-bomb.yaml"
    result = _limited(
        "import sys; from seloste.checks.cli import main; "
        f"sys.exit(main(['validate', {str(path)!r}]))",
        tmp_path,
    )
    assert result.returncode == 2
    assert "document expands to more than 1000000 values" in result.stderr


# Files at the documented limits (1,000,000 values, under 16 MiB) with a problem in every
# value, or more: each must be read, and its problems counted, in under 10 s of CPU and 1 GiB
# of address space. Each is a head, a body repeated n times, and a tail.
FLOW = "seloste: 1\nkind: flows\nflows:\n  a:\n    register: r\n    purpose: p\n    fields: ["
WORST: dict[str, tuple[str, str, int, str]] = {
    "an unknown key each": ("seloste: 1\nkind: flows\n", "k{i}:\n", 499_990, ""),
    "a wrong item each": (FLOW, "{i}, ", 999_900, "]\n"),
    "an empty flow named by an invalid ID each": (
        "seloste: 1\nkind: flows\nflows:\n",
        "  F{i}: {{}}\n",
        499_990,
        "",
    ),
    "a forbidden tag each": (FLOW, "!x a, ", 999_900, "]\n"),
}
# How many problems each has: one a value, four an empty flow (its ID, three missing keys).
PROBLEMS = {"an empty flow named by an invalid ID each": 4}


@pytest.mark.parametrize("case", sorted(WORST))
def test_a_problem_in_every_value_is_counted_in_bounded_time_and_memory(
    case: str, tmp_path: Path
) -> None:
    head, body, n, tail = WORST[case]
    path = tmp_path / "worst.flows.yaml"
    with path.open("w", encoding="utf-8") as f:
        f.write(head)
        f.writelines(body.format(i=i) for i in range(n))
        f.write(tail)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    result = _limited(
        "import sys; from seloste.checks.cli import main; "
        f"sys.exit(main(['check', '--no-config', '--flows', {str(path)!r}]))",
        tmp_path,
    )
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    lines = result.stderr.splitlines()
    assert result.returncode == 2, result.stderr[-500:]
    assert len(lines) == 101 and all(line.startswith(f"{path}:") for line in lines[:100])
    more = n * PROBLEMS.get(case, 1) - 100
    assert lines[100] == f"{path}: ... and {more} more problems in this file"
    assert cpu < 10, f"{case}: {cpu:.1f} s of CPU"
