"""Hostile input: each file gives exactly its expected lines and exit code, fast, no traceback."""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml

from checks.cli import main

HOSTILE = Path(__file__).parent / "hostile"
EXPECTED: dict[str, dict[str, object]] = yaml.safe_load(
    (HOSTILE / "expected.yaml").read_text(encoding="utf-8")
)


def test_the_corpus_is_complete() -> None:
    files = {p.name for p in HOSTILE.glob("*.yaml")} - {"expected.yaml"}
    assert files == set(EXPECTED)
    assert len(files) >= 50


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_hostile_file(name: str, capsys: pytest.CaptureFixture[str]) -> None:
    path = HOSTILE / name
    started = time.monotonic()
    code = main(["validate", str(path)])
    elapsed = time.monotonic() - started
    out, err = capsys.readouterr()
    lines = [line.replace(str(path), "{file}") for line in err.splitlines()]
    lines = [line.replace(str(HOSTILE.resolve()), "{dir}") for line in lines]
    lines += [
        line.replace(str(path), "{file}")
        for line in out.splitlines()
        if not line.startswith(("Found ", "No findings"))
    ]
    assert (code, lines) == (EXPECTED[name]["exit"], EXPECTED[name]["output"])
    assert "Traceback" not in out + err
    assert elapsed < 10, f"{name} took {elapsed:.1f} s"


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
