"""The K-Systems reports, in every format, byte for byte as they were when the copies were made.

A change to the code's structure (issue 14: one namespace, reports that read no files, types)
must not change a single byte of what users get. The copies in ``tests/golden/`` were made
from the same inputs before such a change. A change meant to alter a report updates them on
purpose, and the diff of the copies shows what changed:

    SELOSTE_GOLDEN=write .venv/bin/python -m pytest tests/test_golden.py
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from seloste.checks.cli import main
from seloste.checks.reports import FORMATS

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = Path(__file__).parent / "golden"
K = "fixtures/k-systems"
EXTENSIONS = {"text": "txt", "json": "json", "sarif": "sarif", "junit": "xml", "github": "log"}
EXTENSIONS |= {"gitlab": "gitlab.json", "markdown": "md", "html": "html"}
# A run over everything K-Systems has: the snapshot (as a dump) and the planted flows.
CHECK = ["check", "--no-config", "--bindings", f"{K}/bindings.yaml"]
CHECK += ["--snapshot", f"{K}/snapshot/k-systems.sql", "--as-of", "2026-11-01T00:00:00Z"]
FLOWS = sorted((ROOT / K / "flows").glob("*.flows.yaml"))
CHECK += ["--flows", *(str(p.relative_to(ROOT)) for p in FLOWS)]
# The lint rules' planted violations, each at its file:line:column.
VALIDATE = [
    "validate",
    "--no-config",
    "tests/data/lint/policy.yaml",
    "tests/data/lint/bindings.yaml",
]
RUNS = {"check": CHECK, "validate": VALIDATE}
# The time of the check the reports print (2026-11-02T09:30:00Z): fixed, so they compare.
CHECKED_AT = "1793611800"


def test_every_format_has_a_copy() -> None:
    assert set(EXTENSIONS) == set(FORMATS)


@pytest.mark.parametrize("run", sorted(RUNS))
@pytest.mark.parametrize("fmt", sorted(EXTENSIONS))
def test_the_report_is_byte_identical_to_its_copy(
    run: str, fmt: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(ROOT)  # reports name inputs relative to where seloste runs
    monkeypatch.setenv("SOURCE_DATE_EPOCH", CHECKED_AT)
    out = tmp_path / f"report.{EXTENSIONS[fmt]}"
    assert main([*RUNS[run], "--format", f"{fmt}:{out}", "--fail-on", "never"]) == 0
    made = out.read_bytes()
    golden = GOLDEN / f"{run}.{EXTENSIONS[fmt]}"
    if os.environ.get("SELOSTE_GOLDEN") == "write":
        golden.parent.mkdir(exist_ok=True)
        golden.write_bytes(made)
    assert made == golden.read_bytes()
