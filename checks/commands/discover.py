"""``seloste discover SOURCE``: draft the bindings of a database from its tables and values."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from seloste.checks.commands import CLEAN, ERROR
from seloste.checks.commands.common import add_force, existing, write_new

if TYPE_CHECKING:
    from seloste.checks.discover.classify import Draft


def add_arguments(p: argparse.ArgumentParser) -> None:
    from seloste.checks.discover import SAMPLE

    p.add_argument(
        "source",
        metavar="SOURCE",
        help="SQLite file or dump, SQLAlchemy URL, or a directory of CSV/Parquet files",
    )
    p.add_argument(
        "--policy",
        metavar="FILE",
        help="the policy whose registers and fields to propose (default: the built-in kinds)",
    )
    p.add_argument(
        "-o",
        "--output",
        metavar="FILE",
        required=True,
        help="where to write the draft bindings; - for standard output",
    )
    add_force(p)
    p.add_argument("--schema", metavar="NAME", help="the database schema (default: the default)")
    p.add_argument(
        "--sample",
        type=_rows,
        default=SAMPLE,
        metavar="N",
        help=f"rows per table, spread over it, whose values are validated (default {SAMPLE:,})",
    )
    from seloste.checks.commands.common import seconds

    p.add_argument(
        "--timeout",
        type=seconds,
        default=60.0,
        metavar="SECONDS",
        help="how long one statement may run (default 60)",
    )
    p.add_argument(
        "--allow-privileged-role",
        action="store_true",
        help="read as a database account that may do more than read (refused by default)",
    )


def _rows(text: str) -> int:
    if not text.isdigit() or int(text) == 0:
        raise argparse.ArgumentTypeError(f"expected a number of rows > 0, got {text!r}")
    return int(text)


def run(args: argparse.Namespace) -> int:
    from seloste.checks.discover import discover
    from seloste.checks.discover.draft import render
    from seloste.checks.snapshot.sources import Unavailable, mask, scrub, secrets_in
    from seloste.policy.loader import load_policy

    out = None if args.output == "-" else Path(args.output)
    if out is not None and existing([out], args.force):
        return ERROR
    policy = load_policy(args.policy).model if args.policy else None
    shown = mask(args.source)
    try:
        found = discover(
            args.source,
            policy,
            schema=args.schema,
            sample=args.sample,
            timeout=args.timeout,
            allow_privileged_role=args.allow_privileged_role,
        )
    except Unavailable as exc:
        why = scrub(exc.reason, secrets_in(args.source))
        print(f"seloste: error: {shown}: {why}", file=sys.stderr)
        return ERROR
    named = _policy_path(args.policy, out) if args.policy else "TODO"
    text = render(found, policy=named, description=f"drafted by seloste discover from {shown}")
    if out is None:
        sys.stdout.write(text)
    elif not write_new(out, text, args.force):
        return ERROR
    _summary(found, policy is not None)
    return CLEAN


def _policy_path(policy: str, out: Path | None) -> str:
    """The policy as the draft names it: relative to the draft's own directory."""
    base = out.parent if out is not None else Path()
    return Path(os.path.relpath(Path(policy).resolve(), base.resolve())).as_posix()


def _summary(found: Draft, with_policy: bool) -> None:
    from seloste.checks.discover.classify import personal_unclaimed

    tables = len(found.tables) + len(found.ignored)
    mapped = sum(len(t.columns) for t in found.tables)
    others = sum(len(t.other) for t in found.tables)
    todo = sum(len(t.unsure) for t in found.tables)
    lines = [
        f"discover: {tables} tables: {len(found.tables)} bound, {len(found.ignored)} ignored",
        f"discover: {mapped} columns classified, {others} other ({todo} marked TODO)",
    ]
    unclaimed = list(personal_unclaimed(found))
    if with_policy:
        listed = "; ".join(f"{t} ({', '.join(cs)})" for t, cs in unclaimed) or "none found"
    else:
        listed = f"{len(unclaimed)} tables (no policy given): " + ", ".join(t for t, _ in unclaimed)
    lines.append(f"discover: personal data no register claims: {listed}")
    print("\n".join(lines), file=sys.stderr)
