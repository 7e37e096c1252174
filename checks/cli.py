"""The ``seloste`` command.

Exit codes: 0 clean, 1 findings at or above ``--fail-on``, 2 usage, input or tool error.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from checks.findings import Finding
from policy.errors import InputError, Problem

if TYPE_CHECKING:
    from checks.gate import Options

CLEAN, FINDINGS, ERROR = 0, 1, 2


class _Parser(argparse.ArgumentParser):
    """argparse that exits 2 with one line, as every other usage error here does."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(ERROR, f"{self.prog}: error: {message}\n")


class _Version(argparse.Action):
    """``--version``, reading the package metadata only when asked (it is slow to import)."""

    def __call__(self, parser: argparse.ArgumentParser, *_: object) -> None:
        from checks import tool_version

        print(f"seloste {tool_version()}")
        parser.exit(CLEAN)


def _add_output(p: argparse.ArgumentParser) -> None:
    from checks.gate import add_arguments

    add_arguments(p)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="seloste", description="Check a privacy notice's promises as code.")
    parser.add_argument("--version", action=_Version, nargs=0, help="print the version and exit")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    p = sub.add_parser("validate", help="load and lint policy, bindings and flow files")
    p.add_argument("paths", nargs="+", metavar="FILE")
    _add_output(p)

    p = sub.add_parser("check", help="check snapshots and data flows against a policy")
    p.add_argument(
        "--policy", metavar="FILE", help="the policy (default: from the flows or bindings)"
    )
    p.add_argument("--bindings", metavar="FILE", help="bindings of the snapshot's database")
    p.add_argument(
        "--snapshot",
        metavar="SOURCE",
        action="append",
        default=[],
        help="SQLite file or dump, SQLAlchemy URL, or a directory of CSV/Parquet files",
    )
    p.add_argument("--flows", metavar="FILE", nargs="+", default=[], help="data-flow files")
    p.add_argument("--as-of", metavar="TIME", help="ISO 8601 time retention is measured at")
    p.add_argument(
        "--sample",
        type=int,
        default=5000,
        metavar="N",
        help="rows sampled per column for value detection (default 5000)",
    )
    p.add_argument(
        "--max-keys",
        type=int,
        default=5,
        metavar="N",
        help="row keys listed per finding (default 5)",
    )
    _add_output(p)

    p = sub.add_parser("schema", help="print the JSON Schema of a file format")
    p.add_argument("which", choices=["policy", "bindings", "flows", "report"])

    sub.add_parser("rules", help="list every rule")

    p = sub.add_parser("explain", help="print a rule's documentation")
    p.add_argument("rule", metavar="RULE", help="rule ID (POL001) or name (unknown-field)")
    _add_render_and_diff(sub)
    return parser


def _add_render_and_diff(sub: argparse._SubParsersAction) -> None:
    """``render notice|ropa`` and ``diff``; the commands live in policy/render.py, diff.py."""
    p = sub.add_parser("render", help="render the privacy notice or the record of processing")
    what = p.add_subparsers(dest="document", required=True, parser_class=_Parser)
    p = what.add_parser("notice", help="the privacy notice (tietosuojaseloste)")
    p.add_argument("policy", metavar="POLICY")
    p.add_argument("--lang", choices=["fi", "en"], default="fi", help="language (default fi)")
    p.add_argument("--format", choices=["md", "html"], default="md", help="default md")
    p.add_argument("--templates", metavar="DIR", help="templates that override the shipped ones")
    p.add_argument("-o", "--output", metavar="FILE", help="write to FILE, not stdout")
    p = what.add_parser("ropa", help="the record of processing activities (GDPR Art. 30)")
    p.add_argument("policy", metavar="POLICY")
    p.add_argument("--lang", choices=["fi", "en"], default="fi", help="language (default fi)")
    p.add_argument("--format", choices=["csv", "md"], default="csv", help="default csv")
    p.add_argument("-o", "--output", metavar="FILE", help="write to FILE, not stdout")

    p = sub.add_parser("diff", help="what changed between two policies, in the notice's terms")
    p.add_argument("old", metavar="OLD")
    p.add_argument("new", metavar="NEW")
    p.add_argument("--format", choices=["text", "md", "json"], default="text")
    p.add_argument("--lang", choices=["fi", "en"], default="en", help="language of names")
    p.add_argument(
        "--fail-on-notifiable",
        action="store_true",
        help="exit 1 when a change must be told to data subjects (GDPR Art. 13(3), 14(4))",
    )


def _render_or_diff(args: argparse.Namespace) -> int:
    from policy.diff import diff_command
    from policy.render import notice_command, ropa_command

    if args.command == "diff":
        return diff_command(args.old, args.new, args.format, args.lang, args.fail_on_notifiable)
    if args.document == "notice":
        return notice_command(args.policy, args.lang, args.format, args.templates, args.output)
    return ropa_command(args.policy, args.lang, args.format, args.output)


def _print_problems(problems: Sequence[Problem]) -> None:
    for problem in problems:
        print(f"{problem}", file=sys.stderr)


def _gate_options(args: argparse.Namespace) -> Options:
    """The output and gate options: flags, then the configuration file (checks/config.py)."""
    from checks.config import apply
    from checks.gate import options_from

    apply(args)
    return options_from(args)


def _emit(
    findings: list[Finding], problems: list[Problem], inputs: list[str], options: Options
) -> int:
    """Waivers, baseline, every requested report, and the exit code (checks/gate.py)."""
    from checks.gate import finish

    return finish(findings, problems, inputs, options)


def validate(paths: list[str], options: Options) -> int:
    """Load every file, whatever its kind, and run the rules that read it alone: policy lint,
    bindings lint (against the policy each names) and the flow rules."""
    from checks.context import BoundPolicy
    from checks.flows import FlowContext, run
    from checks.flows.load import group
    from checks.lint import lint_bindings, lint_policy
    from policy.flows import Flows
    from policy.loader import load_any, load_policy, policy_of
    from policy.model import Bindings, Policy

    problems: list[Problem] = []
    findings: list[Finding] = []
    policies: dict[Path, Any] = {}
    bindings, flows = [], []
    for path in paths:
        try:
            loaded = load_any(path)
        except InputError as exc:
            problems.extend(exc.problems)
            continue
        if isinstance(loaded.model, Policy):
            policies[Path(path).resolve()] = loaded
            findings.extend(lint_policy(loaded))
        elif isinstance(loaded.model, Bindings):
            bindings.append(loaded)
        elif isinstance(loaded.model, Flows):
            flows.append(loaded)
    for loaded in bindings:
        target = policy_of(loaded).resolve()
        if target not in policies:
            try:
                policies[target] = load_policy(target)
            except InputError as exc:
                problems.extend(exc.problems)
                policies[target] = exc
        if not isinstance(policies[target], InputError):
            findings.extend(lint_bindings(BoundPolicy(policies[target], loaded)))
    try:
        for policy, files in group(flows, policies=policies):
            findings.extend(run(FlowContext.of(policy, files)))
    except InputError as exc:
        problems.extend(exc.problems)
    return _emit(findings, problems, paths, options)


def check(args: argparse.Namespace) -> int:
    """Check snapshots and flows; each source that cannot be checked is an error, not a pass."""
    from checks.context import BoundPolicy
    from checks.gate import as_of_time
    from policy.loader import load_bindings, load_policy, policy_of

    findings: list[Finding] = []
    problems: list[Problem] = []
    inputs: list[str] = []
    options = _gate_options(args)
    if not args.snapshot and not args.flows:
        print("seloste: error: nothing to check; give --snapshot or --flows", file=sys.stderr)
        return ERROR
    as_of = as_of_time(args.as_of)  # already checked by _gate_options
    policy = load_policy(args.policy) if args.policy else None
    if args.snapshot:
        from checks.snapshot import check_snapshot

        if not args.bindings:
            print("seloste: error: --snapshot needs --bindings", file=sys.stderr)
            return ERROR
        bindings = load_bindings(args.bindings)
        bound = BoundPolicy(policy or load_policy(policy_of(bindings)), bindings)
        inputs += [bound.policy.path, bindings.path]
        for source in args.snapshot:
            findings += check_snapshot(
                bound, source, as_of=as_of, sample=args.sample, max_keys=args.max_keys
            )
    if args.flows:
        from checks.flows import check_flows

        try:
            findings += check_flows(args.flows, policy=policy)
        except InputError as exc:
            problems += exc.problems
        inputs += args.flows
    return _emit(findings, problems, inputs, options)


def schema(which: str) -> int:
    from checks.reports import report_schema
    from policy.schema import json_schema

    data = report_schema() if which == "report" else json_schema(which)
    print(json.dumps(data, indent=2, ensure_ascii=False))
    return CLEAN


def list_rules() -> int:
    from checks.rules import RULES

    for rule in RULES.values():
        summary = rule.__doc__.split("## What it does", 1)[-1].strip().split("\n\n")[0]
        summary = " ".join(summary.split())
        print(f"{rule.ID}  {rule.NAME:<32} {rule.SEVERITY:<8} {summary}")
    return CLEAN


def explain(name: str) -> int:
    from checks.rules import find

    rule = find(name)
    if rule is None:
        print(f"seloste: error: no rule {name!r}; `seloste rules` lists them", file=sys.stderr)
        return ERROR
    print(f"# {rule.NAME} ({rule.ID})\n\nSeverity: {rule.SEVERITY}. Reads: {rule.SCOPE}.\n")
    print(rule.__doc__.strip())
    return CLEAN


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        if args.command == "validate":
            return validate(args.paths, _gate_options(args))
        if args.command == "check":
            return check(args)
        if args.command == "schema":
            return schema(args.which)
        if args.command == "rules":
            return list_rules()
        if args.command in ("render", "diff"):
            return _render_or_diff(args)
        return explain(args.rule)
    except InputError as exc:
        _print_problems(exc.problems)
        return ERROR
    except KeyboardInterrupt:
        print("seloste: interrupted", file=sys.stderr)
        return ERROR
    except BrokenPipeError:
        return ERROR
    except Exception as exc:  # the last line of defence: one line, never a traceback
        if os.environ.get("SELOSTE_DEBUG"):
            raise
        print(
            f"seloste: internal error: {type(exc).__name__}: {exc} "
            "(set SELOSTE_DEBUG=1 for a traceback)",
            file=sys.stderr,
        )
        return ERROR


if __name__ == "__main__":
    sys.exit(main())
