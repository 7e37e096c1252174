"""The files of a repository that name a policy: what the pre-commit hook checks too when a
commit changes the policy alone.

A commit that only edits the policy can break flows and bindings that were not staged (a
recipient moved to the US breaks every flow that sends to it). ``seloste validate
--with-referrers`` therefore also reads the flow and bindings files of the policy's
repository whose ``policy:`` names it. They are found by name, as the hook selects files
(``*.flows.yaml``; ``bindings.yaml``, ``*.bindings.yaml``), from git's list of the
repository's files (tracked and untracked, ignored files left out), and told apart by their
``policy:`` line before any of them is loaded: a hook's time is its start-up, so nothing
here imports more than the loader, and only the files that name the policy are parsed in
full.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Iterator
from pathlib import Path

from seloste.policy.errors import InputError
from seloste.policy.files import linked_outside, read_bytes, root_of

# The hook's own selection (.pre-commit-hooks.yaml) without policies: flows and bindings.
NAMES = re.compile(r"(^|/)([^/]*\.flows|([^/]*\.)?bindings)\.ya?ml$")
_LS_FILES = ("git", "ls-files", "-z", "--cached", "--others", "--exclude-standard", "--")
_PATHSPECS = ("*.flows.yaml", "*.flows.yml", "*bindings.yaml", "*bindings.yml")
# A top-level ``policy:`` line, its value plain or quoted, a comment after it allowed.
_POLICY_LINE = re.compile(
    r"""^policy:[ \t]*(?:"([^"\\\n]*)"|'([^'\n]*)'|([^\s#'"][^#\n]*?))[ \t]*(?:\#.*)?$""",
    re.MULTILINE,
)
# Directories a walk without git does not enter: hidden ones (.git, .venv) and installs.
_SKIPPED_DIRS = {"node_modules", "__pycache__", "site-packages"}


def referrers(policy: str | Path, exclude: Iterable[str | Path] = ()) -> list[str]:
    """The flow and bindings files of ``policy``'s repository (outside any: the working
    directory) whose ``policy:`` names it, as paths from the working directory, sorted;
    those in ``exclude`` (the files given already) left out."""
    target = Path(policy).resolve()
    given = {Path(p).resolve() for p in exclude}
    root = root_of(policy).path
    found = []
    for path in _candidates(root):
        if path.resolve() not in given and _names(path, target):
            found.append(os.path.relpath(path))
    return sorted(found)


def _candidates(root: Path) -> list[Path]:
    """The files under ``root`` named as flows or bindings: git's list, else a walk."""
    listed = _git_files(root)
    if listed is None:
        return sorted(_walk(root))
    return sorted({root / n for n in listed.split("\0") if n and NAMES.search(n)})


def _git_files(root: Path) -> str | None:
    """``git ls-files`` of the flow and bindings names in ``root``; None when git cannot
    list them (no git, not a repository).

    Spawned directly rather than through ``subprocess``, whose import alone costs the hook
    about as much as git's run (2 ms of the 4 ms this search adds).
    """
    spawn = getattr(os, "posix_spawnp", None)
    if spawn is None:
        return None
    read, write = os.pipe()
    actions = [
        (os.POSIX_SPAWN_DUP2, write, 1),
        (os.POSIX_SPAWN_CLOSE, read),
        (os.POSIX_SPAWN_OPEN, 2, os.devnull, os.O_WRONLY, 0),
    ]
    try:
        pid = spawn(
            "git",
            ["git", "-C", str(root), *_LS_FILES[1:], *_PATHSPECS],
            os.environ,
            file_actions=actions,
        )
    except OSError:
        os.close(read)
        return None
    finally:
        os.close(write)
    with open(read, "rb") as out:
        listed = out.read()
    _, status = os.waitpid(pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        return None
    return listed.decode("utf-8", "surrogateescape")


def _walk(root: Path) -> Iterator[Path]:
    """The flow and bindings files under ``root``, for a directory git does not know."""
    for top, dirs, files in os.walk(root):
        dirs[:] = [d for d in dirs if not d.startswith(".") and d not in _SKIPPED_DIRS]
        rel = Path(top).relative_to(root)
        yield from (Path(top) / f for f in files if NAMES.search((rel / f).as_posix()))


def _names(path: Path, target: Path) -> bool:
    """Whether the file at ``path`` names the policy at ``target`` in its ``policy:``.

    Its top-level ``policy:`` line decides; a file without one that still mentions the
    policy's file name (flow style, a multi-line value) is parsed to find out. A file that
    cannot be read or parsed names nothing here: it is not this policy's to report. Nor is a
    symbolic link out of the repository, which is not even read (policy/files.py).
    """
    if linked_outside(path):
        return False
    try:
        text = read_bytes(path).decode("utf-8")
    except (InputError, UnicodeDecodeError):
        return False
    match = _POLICY_LINE.search(text)
    if match is not None:
        written = next(g for g in match.groups() if g is not None)
        return (path.parent / written).resolve() == target
    if target.name not in text:
        return False
    from seloste.policy import yamlsource

    try:
        data = yamlsource.read(path).data
    except InputError:
        return False
    written = data.get("policy") if isinstance(data, dict) else None
    return isinstance(written, str) and (path.parent / written).resolve() == target
