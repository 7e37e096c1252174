"""Where the workplace's shared folder (the seed notice, the official SARIF schema) is.

It stands beside the checkout (``../shared``) on a developer's machine; a clone made elsewhere
on the same machine finds it at ``/work/shared``, and ``SELOSTE_SHARED`` names it anywhere.
Tests that need it skip when it is absent, and fail under ``CI=true``.
"""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

from seloste.policy.errors import printable

ROOT = Path(__file__).resolve().parent.parent


def shared(*parts: str) -> Path:
    """The first existing ``shared/<parts>``, or the one beside the checkout (for messages)."""
    candidates = [ROOT.parent / "shared", Path("/work/shared")]
    if os.environ.get("SELOSTE_SHARED"):
        candidates.insert(0, Path(os.environ["SELOSTE_SHARED"]))
    for base in candidates:
        if base.joinpath(*parts).exists():
            return base.joinpath(*parts)
    return candidates[0].joinpath(*parts)


# The source line and caret printed under an input error (policy/errors.py: source_line).
_EXCERPT = re.compile(r"^ (?:\d+| +) \| .*$")


def without_source(err: str) -> str:
    """``err`` (stderr, a text report) without the source lines and carets under its input
    errors, for a test about the errors themselves; those lines are checked to be printable
    (tests/test_terminal.py proves what they hold)."""
    lines = err.splitlines(keepends=True)
    excerpts = [line.rstrip("\n") for line in lines if _EXCERPT.match(line.rstrip("\n"))]
    assert [line for line in excerpts if line != printable(line)] == []
    return "".join(line for line in lines if not _EXCERPT.match(line.rstrip("\n")))


def chromium(what: str) -> Path:
    """Debian's chromium, to render ``what`` headless: a skip without it, a failure under
    CI=true (.ci/run installs it)."""
    import pytest

    path = Path("/usr/bin/chromium")
    if not path.exists():
        if os.environ.get("CI") == "true":
            pytest.fail("no /usr/bin/chromium under CI=true (.ci/run installs Debian's chromium)")
        pytest.skip(f"no /usr/bin/chromium to render {what} headless")
    return path


def headless(
    chromium: Path, profile: Path, *args: str, size: str = "1280,1600"
) -> subprocess.CompletedProcess[str]:
    """Run headless Chromium with ``args`` (``--screenshot=FILE``, ``--dump-dom``, a page's
    URI), offline: the flags keep it off the network this machine does not have."""
    flags = [
        "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-sync",
        "--disable-background-networking", "--disable-component-update",
        f"--user-data-dir={profile}", f"--window-size={size}", "--hide-scrollbars",
    ]  # fmt: skip
    return subprocess.run(
        [str(chromium), *flags, *args], check=True, capture_output=True, text=True, timeout=120
    )
