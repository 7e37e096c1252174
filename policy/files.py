"""Which files seloste reads, and how: inside the root they were named from, regular, bounded.

seloste reads files chosen by whoever wrote the repository, not by whoever runs it: a pull
request can add a flows file whose ``policy:`` is ``/etc/shadow``, or a ``*.flows.yaml`` that
is a symbolic link to a private key, and the pre-commit hook or the CI job would print the
file's lines back as "unknown key" errors. So:

- a file named inside a seloste document or configuration must resolve, links followed,
  inside the root of the file that names it: the repository that holds it (its nearest
  ancestor with ``.git``) or, outside any repository, the working directory;
- a file named on the command line may not be taken out of the root that holds it by a
  symbolic link (a path written on the command line is the user's own choice; a link in the
  repository is not);
- ``--allow-outside-root`` lifts both;
- only a regular file is read: a FIFO would block the run for ever and ``/dev/zero`` never
  ends, so anything else is refused before it is opened, and it is opened non-blocking so
  that one swapped in meanwhile cannot block either; at most ``MAX_BYTES`` are read.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import NamedTuple

from seloste.policy.errors import InputError, Problem

MAX_BYTES = 16 * 1024 * 1024
ALLOW = "--allow-outside-root"
_KINDS = {
    stat.S_IFDIR: "a directory",
    stat.S_IFIFO: "a FIFO",
    stat.S_IFCHR: "a character device",
    stat.S_IFBLK: "a block device",
    stat.S_IFSOCK: "a socket",
}
_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)


def repo_root(start: Path | None = None) -> Path | None:
    """The nearest directory at or above ``start`` (default: cwd) that holds ``.git``, going
    up the path as written (a link in it is not followed)."""
    here = Path(os.path.abspath(start or Path.cwd()))
    return next((d for d in (here, *here.parents) if (d / ".git").exists()), None)


class Root(NamedTuple):
    """Where the files a document names must be: a directory, and what to call it."""

    path: Path
    name: str

    def holds(self, path: str | Path) -> bool:
        """Whether ``path``, links followed, is inside."""
        return Path(path).resolve().is_relative_to(self.path.resolve())


def root_of(path: str | Path) -> Root:
    """The root of the file at ``path``: its repository, else the working directory."""
    found = repo_root(Path(os.path.abspath(path)).parent)
    if found is None:
        return Root(Path.cwd(), "the working directory")
    return Root(found, "the repository")


def outside(target: str | Path, referrer: str | Path, does: str = "reads") -> str | None:
    """Why ``target``, named in the file ``referrer``, is not read (or written: ``does``);
    None when it may be."""
    root = root_of(referrer)
    if root.holds(target):
        return None
    return f"resolves outside {root.name}; {ALLOW} {does} it"


def linked_outside(path: str | Path) -> str | None:
    """Why ``path``, named on the command line, is not read: a symbolic link takes it out of
    the root that holds it. None when it may be read (a path outside every root is the
    user's own choice)."""
    absolute = Path(os.path.abspath(path))
    root = root_of(absolute)
    if not absolute.is_relative_to(root.path) or root.holds(absolute):
        return None
    return f"a symbolic link leads outside {root.name}; {ALLOW} reads it"


def not_regular(path: str | Path, within: Path | None = None) -> str | None:
    """Why the file at ``path`` may not be read (not a regular file once links are followed,
    or, with ``within``, a link that leads outside that directory), or None."""
    try:
        mode = os.stat(path).st_mode
    except OSError as exc:
        return exc.strerror or "cannot be read"
    if within is not None and not Path(path).resolve().is_relative_to(within.resolve()):
        return "is a symbolic link that leads outside the directory"
    return _not_regular(mode)


def _not_regular(mode: int) -> str | None:
    if stat.S_ISREG(mode):
        return None
    return f"is {_KINDS.get(stat.S_IFMT(mode), 'a special file')}, not a regular file"


def read_bytes(path: str | Path, *, missing: str = "no such file", limit: int = MAX_BYTES) -> bytes:
    """The bytes of the regular file at ``path``; anything else is an ``InputError``."""
    name = str(path)
    try:
        if why := _not_regular(os.stat(path).st_mode):
            raise InputError([Problem(name, 0, 0, why)])
        with open(os.open(path, _FLAGS), "rb") as file:
            if why := _not_regular(os.fstat(file.fileno()).st_mode):  # swapped since the stat
                raise InputError([Problem(name, 0, 0, why)])
            data = file.read(limit + 1)
    except (FileNotFoundError, NotADirectoryError):
        raise InputError([Problem(name, 0, 0, missing)]) from None
    except OSError as exc:
        raise InputError([Problem(name, 0, 0, f"cannot read: {exc.strerror}")]) from None
    if len(data) > limit:
        raise InputError([Problem(name, 0, 0, f"file is larger than {limit} bytes")])
    return data
