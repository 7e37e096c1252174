"""docs/writing-a-policy.md: its example files validate and render, and every example the
page shows is an excerpt of them, so the guide cannot drift from the language."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
GUIDE = ROOT / "docs" / "writing-a-policy.md"
EXAMPLES = ROOT / "docs" / "examples"
FILES = sorted(EXAMPLES.glob("*.yaml"))


def seloste(*args: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "seloste.checks.cli", *args]
    return subprocess.run(command, capture_output=True, text=True, cwd=ROOT)


def test_the_examples_validate_without_a_finding() -> None:
    assert [f.name for f in FILES] == ["bindings.yaml", "newsletter.flows.yaml", "policy.yaml"]
    done = seloste("validate", *map(str, FILES))
    assert (done.returncode, done.stdout.strip(), done.stderr) == (0, "No findings.", "")


@pytest.mark.parametrize("lang", ["fi", "en"])
def test_the_example_notice_renders(lang: str) -> None:
    done = seloste("render", "notice", str(EXAMPLES / "policy.yaml"), "--lang", lang)
    assert done.returncode == 0, done.stderr
    assert "SCC module 2" in done.stdout  # the transfer is told with its mechanism


def test_every_example_in_the_guide_is_an_excerpt_of_an_example_file() -> None:
    blocks = re.findall(r"```yaml\n(.*?)```", GUIDE.read_text(encoding="utf-8"), re.DOTALL)
    assert len(blocks) >= 10
    files = [f.read_text(encoding="utf-8") for f in FILES]
    missing = [b for b in blocks if not any(f"\n{b}" in f"\n{text}" for text in files)]
    assert missing == []


def test_a_broken_policy_named_by_bindings_too_is_reported_once(tmp_path: Path) -> None:
    for f in FILES:
        (tmp_path / f.name).write_text(f.read_text(encoding="utf-8"), encoding="utf-8")
    policy = tmp_path / "policy.yaml"
    policy.write_text(policy.read_text(encoding="utf-8").replace("type: processor", "type: x", 1))
    # Named relatively on the command line, and absolutely by the bindings' policy: key.
    named = [os.path.relpath(p, ROOT) for p in (policy, tmp_path / "bindings.yaml")]
    done = seloste("validate", "--allow-outside-root", *named)
    lines = (done.stdout + done.stderr).strip().splitlines()
    assert done.returncode == 2
    assert len([line for line in lines if "expected one of" in line]) == 1, lines
