"""Hostile input: each file gives exactly its expected lines and exit code, fast, no traceback."""

from __future__ import annotations

import os
import re
import resource
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml

from checks.cli import main

HOSTILE = Path(__file__).parent / "hostile"
POLICY = Path(__file__).parent.parent / "fixtures" / "k-systems" / "policy.yaml"
# The command each file is run with, unless its entry names another: ``{file}`` is the file,
# ``{policy}`` the K-Systems policy (waivers are judged in a run over it).
VALIDATE = ["validate", "{file}"]
EXPECTED: dict[str, dict[str, object]] = yaml.safe_load(
    (HOSTILE / "expected.yaml").read_text(encoding="utf-8")
)


def test_the_corpus_is_complete() -> None:
    files = {p.name for p in HOSTILE.glob("*.yaml")} - {"expected.yaml"}
    assert files == set(EXPECTED)
    assert len(files) >= 85


def _command(name: str) -> list[str]:
    words = EXPECTED[name].get("command", VALIDATE)
    assert isinstance(words, list)
    return [w.format(file=HOSTILE / name, policy=POLICY) for w in words]


def _placeholders(text: str, path: Path) -> str:
    """Paths back to ``{file}`` and ``{dir}``, absolute or relative to the cwd as printed."""
    for form in (str(path), os.path.relpath(path)):
        text = text.replace(form, "{file}")
    for form in (str(HOSTILE.resolve()), os.path.relpath(HOSTILE)):
        text = text.replace(form, "{dir}")
    return text


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_hostile_file(
    name: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    path = HOSTILE / name
    monkeypatch.delenv("SELOSTE_HOSTILE_UNSET", raising=False)  # config-missing-var.yaml
    started = time.monotonic()
    code = main(_command(name))
    elapsed = time.monotonic() - started
    out, err = capsys.readouterr()
    lines = [_placeholders(line, path) for line in err.splitlines()]
    lines += [
        _placeholders(line, path)
        for line in out.splitlines()
        if not line.startswith(("Found ", "No findings"))
    ]
    assert (code, lines) == (EXPECTED[name]["exit"], EXPECTED[name]["output"])
    assert "Traceback" not in out + err
    assert elapsed < 10, f"{name} took {elapsed:.1f} s"


def test_every_line_is_one_place_and_one_message() -> None:
    """``{file}:line:column: message`` (or ``{dir}/...: message`` for a file that is absent)."""
    shape = re.compile(r"^\{file\}:[1-9]\d*:[1-9]\d*: \S.*$|^\{dir\}/\S+: \S.*$")
    bad = [
        (name, line)
        for name, entry in EXPECTED.items()
        for line in entry["output"]  # type: ignore[union-attr]
        if not shape.match(line)
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
        f"import sys; from checks.cli import main; sys.exit(main(['validate', {str(path)!r}]))",
        tmp_path,
    )
    assert result.returncode == 2
    assert result.stderr == f"{path}: file is larger than 16777216 bytes\n"


def test_an_alias_bomb_stays_within_memory(tmp_path: Path) -> None:
    path = HOSTILE / "alias-bomb.yaml"
    result = _limited(
        f"import sys; from checks.cli import main; sys.exit(main(['validate', {str(path)!r}]))",
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
        "import sys; from checks.cli import main; "
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
