"""What ``validate`` and ``check`` share: the report and gate options, and the root that the
files they read must stay inside."""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from typing import TYPE_CHECKING

from seloste.policy.errors import Problem

if TYPE_CHECKING:
    from seloste.checks.findings import CheckedFlow, Finding
    from seloste.checks.gate import Options


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
