"""Where a subject's data may go: only the file the officer names, owner-only; and the
audit line that records the request without any value.

The file is written to a new file beside the target, created with O_EXCL and mode 0o600,
and then renamed over the target, so a reader never sees a half-written file and the
data is never readable by others, not even for a moment. A target that is a symbolic link
is refused: a link planted there could send the data anywhere.
"""

from __future__ import annotations

import getpass
import json
import os
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

OWNER_ONLY = 0o600


class Refused(Exception):
    """The file cannot be written as asked; the message holds no value."""


def write_private(path: str, data: str) -> None:
    """Write ``data`` to ``path`` (owner-only, atomically); never through a symbolic link."""
    target = Path(path)
    if target.is_symlink():
        raise Refused(f"{path}: is a symbolic link; give the file itself")
    if target.exists() and not target.is_file():
        raise Refused(f"{path}: not a regular file")
    directory = target.parent if str(target.parent) else Path(".")
    try:
        fd, temporary = tempfile.mkstemp(prefix=f".{target.name}.", dir=directory)
    except OSError as exc:
        raise Refused(f"{path}: {exc.strerror}") from None
    try:
        os.fchmod(fd, OWNER_ONLY)  # mkstemp's mode already; said here as the promise
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as f:
            f.write(data)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def audit_line(
    *,
    request: str,
    selector: str,
    outcome: str,
    tables: list[str],
    rows: int,
    source: str,
    output: str | None,
) -> str:
    """Who asked, when, how the subject was selected (the kind, never the value), what came
    of it (answered, no data found, several subjects), which tables held the subject's rows
    and how many."""
    entry: dict[str, Any] = {
        "event": "seloste subject",
        "user": _user(),
        "time": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "request": request,
        "selector": selector,
        "outcome": outcome,
        "source": source,
        "tables": tables,
        "rows": rows,
        "output": output,
    }
    return json.dumps(entry, ensure_ascii=False)


def _user() -> str:
    try:
        return getpass.getuser()
    except (OSError, KeyError):
        return f"uid {os.getuid()}"


def append_audit(path: str, line: str) -> None:
    """Append the line to an audit log, created owner-only; never through a symbolic link."""
    flags = os.O_WRONLY | os.O_APPEND | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0)
    try:
        fd = os.open(path, flags, OWNER_ONLY)
    except OSError as exc:
        raise Refused(f"{path}: {exc.strerror}") from None
    with os.fdopen(fd, "a", encoding="utf-8") as f:
        f.write(line + "\n")
