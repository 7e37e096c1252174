"""What the commands share: the report and gate options, the root that the files they read
must stay inside, and how the commands that write files (discover, import, export) write
them: never over an existing file without ``--force``."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from seloste.policy.errors import Problem

if TYPE_CHECKING:
    from seloste.checks.findings import CheckedFlow, Finding
    from seloste.checks.gate import Options
    from seloste.checks.snapshot import SourceText


def add_snapshots(p: argparse.ArgumentParser, sources: str) -> None:
    """``--bindings`` and ``--snapshot`` (repeatable): the databases a command reads, and how
    they hold the registers. ``sources`` says which kinds of source the command takes."""
    p.add_argument("--bindings", metavar="FILE", help="bindings of the snapshot's database")
    p.add_argument(
        "--snapshot",
        metavar="SOURCE",
        type=_snapshot_source,
        action="append",
        default=[],
        help=sources,
    )


def _snapshot_source(text: str) -> SourceText:
    from seloste.checks.snapshot import SourceText

    return SourceText.typed(text)


def seconds(text: str) -> float:
    """A number of seconds >= 0 (0: no limit), for argparse."""
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not value >= 0 or value == float("inf"):
        raise argparse.ArgumentTypeError(f"expected a number of seconds >= 0, got {text!r}")
    return value


def add_output(p: argparse.ArgumentParser) -> None:
    from seloste.checks.gate import add_arguments

    add_arguments(p)


def add_root(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--allow-outside-root",
        action="store_true",
        help="read files named in documents, or reached through symbolic links, outside the "
        "repository (or, outside any, the working directory)",
    )


def add_cache(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--no-cache",
        action="store_true",
        help="parse every policy, even one loaded before (also SELOSTE_NO_CACHE=1; the cache "
        "is in $XDG_CACHE_HOME/seloste, by default ~/.cache/seloste)",
    )


def cache_wanted(args: argparse.Namespace) -> bool:
    """Whether policies are taken from the user's policy cache (policy/cache.py)."""
    from seloste.policy.cache import enabled

    return enabled(args.no_cache)


def linked_outside(paths: Sequence[str | None], args: argparse.Namespace) -> list[Problem]:
    """Files named on the command line (or in the configuration) that a symbolic link takes
    out of their root (policy/files.py), unless ``--allow-outside-root``."""
    from seloste.policy.files import linked_outside

    if args.allow_outside_root:
        return []
    return [Problem(p, 0, 0, why) for p in paths if p and (why := linked_outside(p))]


def gate_options(args: argparse.Namespace) -> Options:
    """The output and gate options: flags, then the configuration file (checks/config.py)."""
    from seloste.checks.gate import options_from

    if not args.no_config:  # --no-config (a hook's usual flag) skips the lookup's imports too
        from seloste.checks.config import apply

        apply(args)
    return options_from(args)


def emit(
    findings: list[Finding],
    problems: list[Problem],
    inputs: list[str],
    options: Options,
    flows: list[CheckedFlow],
    *,
    snapshots: Sequence[str] = (),
    registers: Sequence[tuple[str, str]] = (),
) -> int:
    """Waivers, baseline, every requested report, and the exit code (checks/gate.py)."""
    from seloste.checks.gate import finish

    return finish(
        findings, problems, inputs, options, flows=flows, snapshots=snapshots, registers=registers
    )


def add_force(p: argparse.ArgumentParser) -> None:
    p.add_argument("--force", action="store_true", help="write over existing files")


def existing(paths: Sequence[Path], force: bool) -> bool:
    """Whether any of ``paths`` exists and may not be written over (each is said on stderr):
    a command checks all its outputs before it writes the first, so it writes all or none."""
    taken = [] if force else [p for p in paths if p.exists()]
    for path in taken:
        print(f"seloste: error: {path} exists; --force writes over it", file=sys.stderr)
    return bool(taken)


def write_new(path: Path, text: str, force: bool) -> bool:
    """Write ``text`` to ``path``, which must not exist unless ``force`` (the check and the
    creation are one step, so a file made meanwhile is not written over). False, with the
    reason on stderr, when it could not be written."""
    try:
        with path.open("w" if force else "x", encoding="utf-8") as f:
            f.write(text)
    except FileExistsError:
        print(f"seloste: error: {path} exists; --force writes over it", file=sys.stderr)
        return False
    except OSError as exc:
        print(f"seloste: error: {path}: {exc.strerror or exc}", file=sys.stderr)
        return False
    return True


def write_all(directory: Path, files: dict[str, str], force: bool) -> bool:
    """Write each of ``files`` (name: text) into ``directory``, made if missing; all or none
    of them when one exists already and not ``force``. False, said on stderr, on failure."""
    if existing([directory / name for name in files], force):
        return False
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        print(f"seloste: error: {directory}: {exc.strerror or exc}", file=sys.stderr)
        return False
    return all(write_new(directory / name, text, force) for name, text in files.items())
