"""The user's cache of loaded policies, so that a policy that did not change is not parsed and
validated again (the pre-commit hook names the policy of every flow and bindings file it is
given, and validating a policy is most of what such a commit costs).

An entry is content-addressed: its name is a hash of the policy file's bytes, of the code that
loads a policy (every file of this package: its models, readers and data, each by name, size
and time), and of the Python, pydantic and pydantic-core that made it (found, not
imported). A policy includes no other file, so nothing else can
change what loading it gives. Only a policy that loaded without a problem is stored; the path
it is read from is set again on each use.

Entries are pickles, because unpickling a model does not build its validators (building the
policy's is most of the cost this cache saves) and a validated model can be trusted as it is.
Unpickling runs code named in the file, so an entry is used only when no other user could
have written it (docs/security.md, "The policy cache"): the directory is
``$XDG_CACHE_HOME/seloste`` (default ``~/.cache/seloste``), not a symbolic link, owned by the
user and writable by no one else; the entry a regular file, not a link, owned by the user and
readable and writable by the user alone. Every check is made on the descriptor that is then
read, so nothing can be swapped in between. An entry also carries its own name and a hash of
its content, so a truncated, corrupt or renamed entry is never unpickled. Anything else is
ignored, and the policy is loaded from its file (a cache never makes a run fail).
With each entry the cache keeps its view (:func:`fetch_view`): the policy's values and the
flows and bindings formats as JSON (policy/view.py), from which the pre-commit hook checks a
flow or bindings file
without importing pydantic (checks/flows/hook.py). JSON runs no code when read, but a view
decides what passes, so it is read under the same checks, and only when whole and named.
Entries are written to a temporary file and renamed into place, so a reader sees a whole
entry or none; the ``KEEP`` written last are kept. ``--no-cache`` or ``SELOSTE_NO_CACHE=1``
turns the cache off.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import stat
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

if TYPE_CHECKING:
    from collections.abc import Mapping

    from seloste.policy.loader import Loaded
    from seloste.policy.model import Policy

_MAGIC = b"seloste policy cache 1\n"
_VIEW_MAGIC = b"seloste policy view 1\n"
_HASH = 64  # hex digits of a sha256
KEEP = 128  # entries kept: a policy and its view each; a few repositories, a few versions each
# An entry is a few times its policy's size; a policy file is at most 16 MiB (policy/files.py).
_LIMIT = 256 * 1024 * 1024
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_DIR = os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | _NOFOLLOW
_FILE = os.O_RDONLY | _NOFOLLOW | getattr(os, "O_NONBLOCK", 0)
_NEW = os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW


def enabled(flag_off: bool, environ: Mapping[str, str] = os.environ) -> bool:
    """Whether a command uses the cache: not with ``--no-cache`` or ``SELOSTE_NO_CACHE=1``."""
    return not flag_off and environ.get("SELOSTE_NO_CACHE", "") != "1"


def directory(environ: Mapping[str, str] = os.environ) -> Path | None:
    """``$XDG_CACHE_HOME/seloste``, or ``~/.cache/seloste`` (the XDG default, which
    pre-commit and CI caches keep); a relative ``XDG_CACHE_HOME`` is ignored, as the XDG
    specification asks. None when there is no home to put it in (never the working
    directory)."""
    home = environ.get("XDG_CACHE_HOME", "")
    if os.path.isabs(home):
        return Path(home) / "seloste"
    user = environ.get("HOME") or os.path.expanduser("~")
    return Path(user) / ".cache" / "seloste" if os.path.isabs(user) else None


def _code() -> bytes:
    """What the loading code is: every file of this package, the Python running it, and the
    installed pydantic and pydantic-core (found, not imported: the hook's path without them
    names its entries too). A file is known by its name, size and modification time, as
    Python's own bytecode cache knows a changed source (installing or editing writes both)."""
    digest = hashlib.sha256(sys.version.encode() + b"\0")
    digest.update(_files(str(Path(__file__).parent), (".py", ".yaml")))
    for library in ("pydantic", "pydantic_core"):
        digest.update(_installed(library) + b"\0")
    return digest.digest()


def _files(where: str, ends: tuple[str, ...]) -> bytes:
    """The name, size and modification time of each file in ``where`` whose name ends so."""
    parts = []
    with os.scandir(where) as entries:
        for entry in entries:
            if entry.name.endswith(ends) and entry.is_file():
                st = entry.stat()
                parts.append(f"{entry.name}:{st.st_size}:{st.st_mtime_ns}")
    return "\n".join(sorted(parts)).encode()


def _installed(library: str) -> bytes:
    """Which copy of ``library`` is installed, read without importing it: its version and
    compiled modules (an upgrade or a reinstall changes them)."""
    from importlib.util import find_spec

    spec = find_spec(library)
    if spec is None or not spec.submodule_search_locations:
        return b"missing"
    ends = ("version.py", "__init__.py", ".so", ".pyd")
    return b"".join(_files(where, ends) for where in spec.submodule_search_locations)


def key(raw: bytes) -> str:
    """The entry's name for a policy file of bytes ``raw``."""
    return hashlib.sha256(_code() + hashlib.sha256(raw).digest()).hexdigest()


def _trusted(st: os.stat_result, *, private: bool) -> bool:
    """Owned by this user and writable by no other (with ``private``, readable by none)."""
    others = 0o077 if private else 0o022
    return st.st_uid == os.geteuid() and not st.st_mode & others


def _open_directory(*, create: bool) -> int | None:
    """A descriptor of the cache directory, or None when it is missing or not trusted."""
    path = directory()
    if path is None:
        return None
    if create:
        try:
            path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            path.mkdir(mode=0o700, exist_ok=True)
        except OSError:
            return None
    try:
        fd = os.open(path, _DIR)
    except OSError:  # missing, a symbolic link (O_NOFOLLOW), not a directory
        return None
    st = os.fstat(fd)
    if stat.S_ISDIR(st.st_mode) and _trusted(st, private=False):
        return fd
    os.close(fd)
    return None


def _read(fd: int, name: str) -> bytes | None:
    try:
        entry = os.open(name, _FILE, dir_fd=fd)
    except OSError:
        return None
    with open(entry, "rb") as file:
        st = os.fstat(file.fileno())
        if not stat.S_ISREG(st.st_mode) or not _trusted(st, private=True):
            return None
        if st.st_size > _LIMIT:
            return None
        return file.read(_LIMIT + 1)


def _payload(blob: bytes, name: str, magic: bytes = _MAGIC) -> bytes | None:
    """What ``blob`` holds, only when it names this entry and is whole."""
    head = len(magic) + 2 * (_HASH + 1)
    if len(blob) < head or not blob.startswith(magic):
        return None
    named, digest = blob[len(magic) : head].split(b"\n")[:2]
    payload = blob[head:]
    if named != name.encode() or digest != hashlib.sha256(payload).hexdigest().encode():
        return None
    return payload


def _unpacked(blob: bytes, name: str) -> Any:
    """The pickle in ``blob``, only when the blob names this entry and is whole."""
    payload = _payload(blob, name)
    if payload is None:
        return None
    import pickle

    try:
        return pickle.loads(payload)  # trusted: see the module's docstring
    except Exception:  # a pickle of code that has since changed: anything can be raised
        return None


def fetch(name: str, path: str) -> Loaded[Policy] | None:
    """The cached policy of entry ``name`` (:func:`key`), read at ``path``, or None."""
    from seloste.policy.loader import Loaded
    from seloste.policy.model import Policy

    fd = _open_directory(create=False)
    if fd is None:
        return None
    try:
        blob = _read(fd, name)
    finally:
        os.close(fd)
    found = None if blob is None else _unpacked(blob, name)
    if not isinstance(found, Loaded) or not isinstance(found.model, Policy):
        return None
    found.doc.path = path
    return found


def store(name: str, loaded: Loaded[Policy]) -> None:
    """Keep ``loaded`` as entry ``name`` (:func:`key`) for the next run, and its view
    (:func:`fetch_view`); quietly nothing when the directory cannot be made, is not trusted,
    or cannot be written."""
    import pickle

    if loaded.doc.problems or loaded.doc.more:
        return  # only a policy that loaded clean: its problems are the next run's to report
    fd = _open_directory(create=True)
    if fd is None:
        return
    try:
        payload = pickle.dumps(loaded._replace(doc=loaded.doc.portable()), pickle.HIGHEST_PROTOCOL)
        _write(fd, name, _MAGIC, payload)
        if (seen := _view(loaded)) is not None:
            _write(fd, view_name(name), _VIEW_MAGIC, seen)
        with contextlib.suppress(OSError):  # another run may be pruning too
            _prune(fd)
    finally:
        os.close(fd)


def _write(fd: int, name: str, magic: bytes, payload: bytes) -> None:
    """Entry ``name``, whole or not at all: written aside, then renamed into place."""
    blob = b"".join((magic, name.encode(), b"\n", hashlib.sha256(payload).hexdigest().encode()))
    temporary = f".{name}.{os.getpid()}.{os.urandom(4).hex()}"
    try:
        out = os.open(temporary, _NEW, 0o600, dir_fd=fd)
        with open(out, "wb") as file:
            file.write(blob + b"\n" + payload)
        os.replace(temporary, name, src_dir_fd=fd, dst_dir_fd=fd)
    except OSError:
        with contextlib.suppress(OSError):
            os.unlink(temporary, dir_fd=fd)


def view_name(name: str) -> str:
    """The name of the view of entry ``name``: an entry name of its own."""
    return hashlib.sha256(b"view\0" + name.encode()).hexdigest()


def _view(loaded: Loaded[Policy]) -> bytes | None:
    """The formats of the files that name a policy, then the policy's view, each a line of
    JSON (policy/view.py); None for a policy that cannot be kept as plain data."""
    import json

    from seloste.policy import view
    from seloste.policy.flows import Flows
    from seloste.policy.model import Bindings

    try:
        seen = view.encode(loaded.model)
    except view.Unsupported:
        return None
    formats = {"flows": view.compile_format(Flows), "bindings": view.compile_format(Bindings)}
    # JSON written without indentation holds no line break: one document a line.
    return b"\n".join(json.dumps(d, separators=(",", ":")).encode() for d in (formats, seen))


class View(NamedTuple):
    """What a view entry holds: the policy as plain objects, and the formats of the files
    that name it (policy/view.py)."""

    policy: Any
    formats: dict[str, Any]


def fetch_view(name: str) -> View | None:
    """The view stored with entry ``name`` (:func:`key`), or None. The same trust checks as
    an entry's: JSON runs no code when read, but a view someone else wrote could make a
    broken file pass."""
    import json

    from seloste.policy import view

    fd = _open_directory(create=False)
    if fd is None:
        return None
    try:
        blob = _read(fd, view_name(name))
    finally:
        os.close(fd)
    payload = None if blob is None else _payload(blob, view_name(name), _VIEW_MAGIC)
    if payload is None or payload.count(b"\n") != 1:
        return None
    formats, seen = payload.split(b"\n")
    try:
        found = View(view.loads(seen), json.loads(formats))
    except (ValueError, KeyError, TypeError):
        return None
    whole = isinstance(found.formats, dict) and all(
        isinstance(found.formats.get(kind), dict) for kind in ("flows", "bindings")
    )
    kind = getattr(found.policy, "kind", None) if isinstance(found.policy, view.Plain) else None
    return found if whole and kind == "policy" else None


def _prune(fd: int) -> None:
    """Keep the ``KEEP`` entries written last: every edit of a policy, and every other
    version of seloste, names a new entry, and nothing else would ever remove the old ones."""
    entries = [n for n in os.listdir(fd) if len(n) == _HASH and n.isalnum()]
    if len(entries) <= KEEP:
        return
    when = {n: os.stat(n, dir_fd=fd, follow_symlinks=False).st_mtime_ns for n in entries}
    for old in sorted(entries, key=when.__getitem__)[: len(entries) - KEEP]:
        os.unlink(old, dir_fd=fd)
