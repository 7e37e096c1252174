"""Hostile input: each file gives what it is meant to provoke, fast, and no traceback.

``hostile/intent.yaml`` says, for each file, the exit code and every problem the run must
print: its place, its kind (``KINDS``) and what its message must name. It is written from the
files, not captured from the tool, so a message that loses its substance (the key, the value,
the line of a first definition) or moves fails, while one reworded with the same meaning
passes.

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
INTENT_FILE = "intent.yaml"
INTENT: dict[str, dict[str, Any]] = yaml.safe_load(
    (HOSTILE / INTENT_FILE).read_text(encoding="utf-8")
)
# Lines of a file no output may quote (an entry names it as a policy).
PASSWD = [line for line in Path("/etc/passwd").read_text().splitlines() if len(line) > 8]
TIMEOUT = 10  # seconds a file may take (and 1 GiB); a read that blocks is stopped and fails

# The kinds of problem, each with the words that carry its meaning: a message of that kind
# must match. A few phrasings are allowed for each ("duplicate key" or "key defined twice"),
# so that a message may be reworded but not turned into another kind; what it must name is
# the entry's ``says``.
KINDS: dict[str, str] = {
    # the file and what it names
    "empty": r"\bempty\b|\bgive an? \w+ after\b",
    "too-large": r"\b(more|larger|bigger) than [\d,]+ (values|bytes)\b",
    "not-regular-file": r"\bnot a regular file\b",
    "outside-root": r"\boutside\b.*--allow-outside-root\b",
    "no-such-file": r"\bno such file\b|\bmatches no files?\b|\bnot found\b|\bdoes not exist\b",
    "encoding": r"\bUTF-8\b|\bcharacter U\+[0-9A-F]{4,6}\b",
    # YAML, and what seloste refuses of it
    "syntax": r"\bYAML syntax\b",
    "nesting": r"\bnesting\b|\bnested\b.*\bdeep",
    "documents": r"\b(single|one) YAML document\b|\bmore than one (YAML )?document\b",
    "duplicate-key": r"\bduplicate\b|\brepeated\b|\btwice\b|\bmore than once\b",
    "bad-tag": r"\btag\b.*\bnot (allowed|supported)\b",
    "alias": r"\balias(es)?\b",
    "merge-key": r"\bmerge keys?\b",
    "bad-key": r"\bkeys?\b.*\bmust be\b.*\bstring\b",
    # the schema
    "unknown-key": r"\bunknown key\b|\bnot a known key\b|\bno such key\b",
    "missing": r"\bmissing\b|\bis not set\b|\bno \w+ to check against\b",
    "wrong-type": r"\b(expected|must be|should be) (a|an|true or false)\b",
    "not-one-of": r"\b(expected|must be|should be) one of\b|\bnot one of\b",
    "invalid-id": r"\bnot a valid ID\b|\binvalid ID\b",
    "invalid-value": r"\bis (not|neither)\b|\bmust be\b|\binvalid\b",
    # waivers
    "unknown-rule": r"\bno rule\b|\bunknown rule\b|\bnot a rule\b",
    "not-waivable": r"\bcannot be waived\b|\bnot waivable\b|\bmay not be waived\b",
    # a finding of a rule (its ID is the entry's ``rule``)
    "finding": r"^[A-Z]{3}\d{3} \[(error|warning|note)\] \S",
}
# How a "did you mean" offers a name (``suggests``).
SUGGESTION = r"\b(did you mean|perhaps|maybe|try|instead)\b\W+"
PROBLEM_KEYS = {"line", "column", "source", "kind", "rule", "says", "suggests", "never"}
ENTRY_KEYS = {"exit", "problems", "command", "make", "file", "env", "xfail"}


def _made(entry: dict[str, Any]) -> dict[str, Any]:
    return entry.get("make", {})  # type: ignore[no-any-return]


def test_the_corpus_is_complete() -> None:
    files = {p.name for p in HOSTILE.glob("*.yaml")} - {INTENT_FILE}
    committed = {
        name for name, entry in INTENT.items() if entry.get("file", name) not in _made(entry)
    }
    assert files == committed
    assert len(files) >= 85


def test_the_intent_is_well_formed() -> None:
    """Each problem is of a known kind, at one place (a line and column, a line, the whole
    file, or a source outside it), and names what it must as text: a slip in intent.yaml
    (an unquoted ``on`` read as true, a kind misspelt) fails here, not as a puzzle later."""
    wrong = []
    for name, entry in INTENT.items():
        if set(entry) - ENTRY_KEYS or entry["exit"] not in (0, 1, 2):
            wrong.append((name, "entry"))
        if entry["exit"] and not entry["problems"]:
            wrong.append((name, "a run that fails must say why"))
        for problem in entry["problems"]:
            words = [*problem.get("says", []), *problem.get("never", [])]
            if (
                set(problem) - PROBLEM_KEYS
                or problem["kind"] not in KINDS
                or ("rule" in problem) != (problem["kind"] == "finding")
                or ("source" in problem and ("line" in problem or "column" in problem))
                or ("column" in problem and "line" not in problem)
                or not all(
                    isinstance(problem.get(n, 1), int) and problem.get(n, 1) >= 1
                    for n in ("line", "column")
                )
                or not all(isinstance(w, str) and w for w in words)
                or not isinstance(problem.get("suggests", ""), str)
            ):
                wrong.append((name, problem))
    assert wrong == []


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
    made = _made(INTENT[name])
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


def _said(word: str, message: str) -> bool:
    """Whether ``message`` names ``word``: as written, but not as part of a longer word or
    number (``1`` is not in ``10``, ``output`` not in ``outputs``)."""
    before = r"(?<!\w)" if re.match(r"\w", word) else ""
    after = r"(?!\w)" if re.search(r"\w$", word) else ""
    return re.search(before + re.escape(word) + after, message) is not None


def _fits(problem: dict[str, Any], line: str) -> bool:
    """Whether the printed ``line`` is ``problem``: its place, kind, rule and substance."""
    if "source" in problem:
        place = re.escape(problem["source"])
    elif "line" in problem:
        column = problem.get("column", r"[1-9]\d*")
        place = rf"\{{file\}}:{problem['line']}:{column}"
    else:
        place = r"\{file\}"
    found = re.fullmatch(place + r": (.*)", line, re.DOTALL)
    if found is None:
        return False
    message = found[1]
    rule = problem.get("rule")
    suggests = problem.get("suggests")
    return (
        re.search(KINDS[problem["kind"]], message) is not None
        and (rule is None or message.startswith(f"{rule} "))
        and all(_said(word, message) for word in problem.get("says", []))
        and not any(word in message for word in problem.get("never", []))
        and (suggests is None or re.search(SUGGESTION + re.escape(suggests), message) is not None)
    )


def _pairs(problems: list[dict[str, Any]], lines: list[str]) -> dict[int, int]:
    """The line each problem is printed as (by index), no line given to two problems: a
    maximum matching, so that problems at one place (the missing keys of tag-binary.yaml) are
    told apart by what they say, in whatever order they are printed."""
    fits = [[j for j, line in enumerate(lines) if _fits(p, line)] for p in problems]
    owner: dict[int, int] = {}  # line -> problem

    def place(i: int, seen: set[int]) -> bool:
        for j in fits[i]:
            if j not in seen:
                seen.add(j)
                if j not in owner or place(owner[j], seen):
                    owner[j] = i
                    return True
        return False

    for i in range(len(problems)):
        place(i, set())
    return {i: j for j, i in owner.items()}


# A line is a problem, at a place in a file or about a whole file ({dir}/... for one absent or
# made), or a finding about a snapshot (its source, table and column, then rule and severity).
SHAPE = re.compile(
    r"^\{file\}:[1-9]\d*:[1-9]\d*: \S.*$"
    r"|^\{file\}: \S.*$"
    r"|^\{dir\}/\S+: \S.*$"
    r"|^(\{dir\}/\S+|\S+://\S+)( .+)?: [A-Z]{3}\d{3} \[(error|warning|note)\] \S.*$"
)


def _entries() -> list[Any]:
    return [
        pytest.param(name, marks=pytest.mark.xfail(reason=entry["xfail"], strict=True))
        if "xfail" in entry
        else name
        for name, entry in sorted(INTENT.items())
    ]


@pytest.mark.parametrize("name", _entries())
def test_hostile_file(
    name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    entry = INTENT[name]
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
    lines = [_placeholders(line, path, directory) for line in _problems(err)]
    lines += [
        _placeholders(line, path, directory)
        for line in out.splitlines()
        if not line.startswith(("Found ", "No findings"))
    ]
    problems = entry["problems"]
    pairs = _pairs(problems, lines)
    missed = [p for i, p in enumerate(problems) if i not in pairs]
    unexpected = [line for j, line in enumerate(lines) if j not in pairs.values()]
    assert (code, missed, unexpected) == (entry["exit"], [], []), "\n".join(lines)
    assert [line for line in lines if not SHAPE.match(line)] == []  # one place, one message
    assert "Traceback" not in out + err
    assert elapsed < TIMEOUT, f"{name} took {elapsed:.1f} s"
    assert [line for line in PASSWD if line in out + err] == []
    texts = [out, err, *(r.read_text(encoding="utf-8") for r in reports.values())]
    assert [v for v in entry.get("env", {}).values() if any(v in t for t in texts)] == []


# The source line under a problem and the caret under that (policy/errors.py).
EXCERPT = re.compile(r"^ (\d+| +) \| ")


def _problems(err: str) -> list[str]:
    """The problem lines of ``err``, the source lines and carets under them checked and left
    out: each is printable (escaped where the hostile file is not) and bounded in length."""
    lines = err.splitlines()
    excerpts = [line for line in lines if EXCERPT.match(line)]
    assert [line for line in excerpts if line != printable(line) or len(line) > 140] == []
    return [line for line in lines if not EXCERPT.match(line)]


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
    lines = _problems(result.stderr)
    assert result.returncode == 2, result.stderr[-500:]
    assert len(lines) == 101 and all(line.startswith(f"{path}:") for line in lines[:100])
    more = n * PROBLEMS.get(case, 1) - 100
    assert lines[100] == f"{path}: ... and {more} more problems in this file"
    assert cpu < 10, f"{case}: {cpu:.1f} s of CPU"
