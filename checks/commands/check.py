"""``seloste check``: snapshots and data flows against a policy."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, Any

from seloste.checks.commands import ERROR
from seloste.checks.commands.common import (
    add_cache,
    add_output,
    add_root,
    add_snapshots,
    cache_wanted,
    emit,
    gate_options,
    linked_outside,
    seconds,
)
from seloste.policy.errors import InputError, Problem

if TYPE_CHECKING:
    from seloste.checks.findings import CheckedFlow, Finding


def add_arguments(p: argparse.ArgumentParser) -> None:
    from seloste.checks.memory import DEFAULT_CEILING, size_text

    p.add_argument(
        "--policy", metavar="FILE", help="the policy (default: from the flows or bindings)"
    )
    add_snapshots(
        p,
        "SQLite file or dump, SQLAlchemy URL, a directory of CSV/Parquet files, or Spark "
        "(spark:local[2]?path=DIR, sc://host:15002?database=NAME)",
    )
    p.add_argument("--flows", metavar="FILE", nargs="+", default=[], help="data-flow files")
    p.add_argument(
        "--jobs",
        type=_count,
        default=0,
        metavar="N",
        help="processes that check flow files (default: one per core for a large set)",
    )
    p.add_argument("--as-of", metavar="TIME", help="ISO 8601 time retention is measured at")
    p.add_argument(
        "--sample",
        type=_sample,
        default=5000,
        metavar="N|all",
        help="rows per table, spread over it, for the accuracy checks (default 5000), or all",
    )
    p.add_argument(
        "--max-keys",
        type=int,
        default=5,
        metavar="N",
        help="row keys listed per finding (default 5)",
    )
    p.add_argument(
        "--statement-timeout",
        "--timeout",
        dest="statement_timeout",
        type=seconds,
        metavar="SECONDS",
        help="how long one statement may run, 0 for no limit; a .sql dump must load within it "
        "(default 60)",
    )
    p.add_argument(
        "--allow-privileged-role",
        action="store_true",
        help="check as a database account that may do more than read (refused by default)",
    )
    p.add_argument(
        "--max-memory",
        type=_size,
        default=DEFAULT_CEILING,
        metavar="SIZE",
        help=f"memory seloste may use: 512M, 4G, unlimited (default {size_text(DEFAULT_CEILING)})",
    )
    add_output(p)
    add_root(p)
    add_cache(p)


def _size(text: str) -> int | None:
    """A memory size (8G, 512M, unlimited), for argparse."""
    from seloste.checks.memory import parse_size

    try:
        return parse_size(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _count(text: str) -> int:
    """A whole number >= 0, for argparse: a negative count is a usage error (exit 2)."""
    if not text.isdigit():
        raise argparse.ArgumentTypeError(f"expected a whole number >= 0, got {text!r}")
    return int(text)


def _sample(text: str) -> int | None:
    """``--sample``: a whole number of rows > 0, or ``all`` (None): anything else exits 2."""
    if text == "all":
        return None
    if not text.isdigit() or int(text) == 0:
        raise argparse.ArgumentTypeError(f"expected a number of rows > 0 or 'all', got {text!r}")
    return int(text)


def run(args: argparse.Namespace) -> int:
    """Check snapshots and flows; each source that cannot be checked is an error, not a pass."""
    from seloste.checks.context import BoundPolicy
    from seloste.checks.findings import register_names
    from seloste.checks.gate import as_of_time
    from seloste.policy.loader import load_bindings, load_policy

    findings: list[Finding] = []
    problems: list[Problem] = []
    inputs: list[str] = []
    flows: list[CheckedFlow] = []
    snapshots: list[str] = []
    options = gate_options(args)
    if not args.snapshot and not args.flows:
        print("seloste: error: nothing to check; give --snapshot or --flows", file=sys.stderr)
        return ERROR
    files = [args.policy, args.bindings, options.waivers, options.baseline, *args.flows]
    from seloste.checks.snapshot import is_spark  # light: no SQLAlchemy yet

    files += [s.text for s in args.snapshot if "://" not in s.text and not is_spark(s.text)]
    if refused := linked_outside(files, args):
        raise InputError(refused)
    as_of = options.as_of or as_of_time(args.as_of)  # already checked by gate_options
    cache = cache_wanted(args)
    policy = load_policy(args.policy, cache=cache) if args.policy else None
    registers = list(register_names(policy.model).items()) if policy else []
    if args.snapshot:
        from seloste.checks.snapshot import STATEMENT_TIMEOUT, check_snapshot
        from seloste.checks.snapshot.sources import mask

        if not args.bindings:
            print("seloste: error: --snapshot needs --bindings", file=sys.stderr)
            return ERROR
        bindings = load_bindings(args.bindings)
        bound = BoundPolicy(policy or _named_policy(bindings, args, cache), bindings)
        inputs += [bound.policy.path, bindings.path]
        registers = list(register_names(bound.policy.model).items())
        snapshots = [mask(s.shown) for s in args.snapshot]
        for source in args.snapshot:
            findings += check_snapshot(
                bound,
                source,
                as_of=as_of,
                sample=args.sample,
                max_keys=args.max_keys,
                timeout=_given(args.statement_timeout, STATEMENT_TIMEOUT),
                allow_privileged_role=args.allow_privileged_role,
            )
        # The bindings' gaps (BND004) are reported with each source's findings, once each.
        findings = list(dict.fromkeys(findings))
    if args.flows:
        from seloste.checks.flows import checked

        try:
            result = checked(
                args.flows,
                policy=policy,
                jobs=args.jobs,
                outside_root=args.allow_outside_root,
                on=as_of.date() if args.as_of else None,
                # Only the HTML report draws the flows; 100,000 of them are not kept for less.
                flows=any(o.format == "html" for o in options.outputs),
                cache=cache,
            )
        except InputError as exc:
            problems += exc.problems
        else:
            findings += result.findings
            flows += result.flows
        inputs += args.flows
    return emit(
        findings, problems, inputs, options, flows, snapshots=snapshots, registers=registers
    )


def _given(value: float | None, default: float) -> float:
    return default if value is None else value  # 0 is given: it means no limit


def _named_policy(bindings: Any, args: argparse.Namespace, cache: bool) -> Any:
    """The policy a bindings file names, its problems at the bindings file's ``policy:``."""
    from seloste.policy.loader import load_policy, named_policy_problems, policy_of

    target = policy_of(bindings, outside_root=args.allow_outside_root)
    try:
        return load_policy(target, cache=cache)
    except InputError as exc:
        raise InputError(named_policy_problems(bindings, exc)) from None
