"""The ``seloste`` command.

Exit codes: 0 clean, 1 findings at or above ``--fail-on``, 2 usage, input or tool error.
"""

from __future__ import annotations

import argparse
import gc
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from seloste.policy.errors import InputError, Problem, printable

if TYPE_CHECKING:
    from seloste.checks.findings import CheckedFlow, Finding
    from seloste.checks.gate import Options
    from seloste.checks.snapshot import SourceText

CLEAN, FINDINGS, ERROR = 0, 1, 2


class _Parser(argparse.ArgumentParser):
    """argparse that exits 2 with one line, as every other usage error here does."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(ERROR, f"{self.prog}: error: {message}\n")


class _Version(argparse.Action):
    """``--version``, reading the package metadata only when asked (it is slow to import)."""

    def __call__(self, parser: argparse.ArgumentParser, *_: object) -> None:
        from seloste.checks import tool_version

        print(f"seloste {tool_version()}")
        parser.exit(CLEAN)


def _add_output(p: argparse.ArgumentParser) -> None:
    from seloste.checks.gate import add_arguments

    add_arguments(p)


def _validate_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("paths", nargs="+", metavar="FILE")
    _add_output(p)
    _add_root(p)


def _add_root(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--allow-outside-root",
        action="store_true",
        help="read files named in documents, or reached through symbolic links, outside the "
        "repository (or, outside any, the working directory)",
    )


def _check_arguments(p: argparse.ArgumentParser) -> None:
    from seloste.checks.memory import DEFAULT_CEILING, size_text

    p.add_argument(
        "--policy", metavar="FILE", help="the policy (default: from the flows or bindings)"
    )
    p.add_argument("--bindings", metavar="FILE", help="bindings of the snapshot's database")
    p.add_argument(
        "--snapshot",
        metavar="SOURCE",
        type=_snapshot_source,
        action="append",
        default=[],
        help="SQLite file or dump, SQLAlchemy URL, or a directory of CSV/Parquet files",
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
        "--timeout",
        type=_seconds,
        metavar="SECONDS",
        help="how long one statement may run; a .sql dump must load within it (default 60)",
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
    _add_output(p)
    _add_root(p)


def _snapshot_source(text: str) -> SourceText:
    from seloste.checks.snapshot import SourceText

    return SourceText.typed(text)


def _seconds(text: str) -> float:
    """A number of seconds > 0, for argparse."""
    try:
        value = float(text)
    except ValueError:
        value = 0.0
    if not value > 0 or value == float("inf"):
        raise argparse.ArgumentTypeError(f"expected a number of seconds > 0, got {text!r}")
    return value


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


def _schema_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("which", choices=["policy", "bindings", "flows", "report"])


def _no_arguments(p: argparse.ArgumentParser) -> None:
    pass


def _explain_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("rule", metavar="RULE", help="rule ID (POL001) or name (unknown-field)")


def _pseudonym_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("table", metavar="TABLE")
    p.add_argument("keys", metavar="KEY", nargs="+", help="row keys as the database holds them")


def _render_arguments(p: argparse.ArgumentParser) -> None:
    """``render notice|ropa``; the commands live in policy/render.py."""
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


def _diff_arguments(p: argparse.ArgumentParser) -> None:
    """``diff``; the command lives in policy/diff.py."""
    p.add_argument("old", metavar="OLD")
    p.add_argument("new", metavar="NEW")
    p.add_argument("--format", choices=["text", "md", "json"], default="text")
    p.add_argument("--lang", choices=["fi", "en"], default="en", help="language of names")
    p.add_argument(
        "--fail-on-notifiable",
        action="store_true",
        help="exit 1 when a change must be told to data subjects (GDPR Art. 13(3), 14(4))",
    )


# Every subcommand: its help line and the function that adds its arguments.
COMMANDS: dict[str, tuple[str, Callable[[argparse.ArgumentParser], None]]] = {
    "validate": ("load and lint policy, bindings and flow files", _validate_arguments),
    "check": ("check snapshots and data flows against a policy", _check_arguments),
    "schema": ("print the JSON Schema of a file format", _schema_arguments),
    "rules": ("list every rule", _no_arguments),
    "explain": ("print a rule's documentation", _explain_arguments),
    "render": ("render the privacy notice or the record of processing", _render_arguments),
    "diff": ("what changed between two policies, in the notice's terms", _diff_arguments),
    "pseudonym": (
        "the pseudonyms reports give row keys that may be personal data",
        _pseudonym_arguments,
    ),
}


def _command_in(argv: Sequence[str] | None) -> str | None:
    """The subcommand ``argv`` starts with; None after a top-level option (``--help``)."""
    return argv[0] if argv and argv[0] in COMMANDS else None


def build_parser(argv: Sequence[str] | None = None) -> argparse.ArgumentParser:
    """The command line. Given the ``argv`` it will parse, only the subcommand that ``argv``
    names is built: argparse takes about 0.3 ms a subparser, and a pre-commit hook runs one.
    Without a known subcommand (``--help``, a typo) every one is built, for the listing."""
    parser = _Parser(prog="seloste", description="Check a privacy notice's promises as code.")
    parser.add_argument("--version", action=_Version, nargs=0, help="print the version and exit")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    wanted = _command_in(argv)
    for name, (summary, add_arguments) in COMMANDS.items():
        if wanted in (None, name):
            add_arguments(sub.add_parser(name, help=summary))
    return parser


def _render_or_diff(args: argparse.Namespace) -> int:
    from seloste.policy.diff import diff_command
    from seloste.policy.render import notice_command, ropa_command

    if args.command == "diff":
        return diff_command(args.old, args.new, args.format, args.lang, args.fail_on_notifiable)
    if args.document == "notice":
        return notice_command(args.policy, args.lang, args.format, args.templates, args.output)
    return ropa_command(args.policy, args.lang, args.format, args.output)


def _print_problems(problems: Sequence[Problem]) -> None:
    for problem in problems:
        print(f"{problem}", file=sys.stderr)


def _linked_outside(paths: Sequence[str | None], args: argparse.Namespace) -> list[Problem]:
    """Files named on the command line (or in the configuration) that a symbolic link takes
    out of their root (policy/files.py), unless ``--allow-outside-root``."""
    from seloste.policy.files import linked_outside

    if args.allow_outside_root:
        return []
    return [Problem(p, 0, 0, why) for p in paths if p and (why := linked_outside(p))]


def _gate_options(args: argparse.Namespace) -> Options:
    """The output and gate options: flags, then the configuration file (checks/config.py)."""
    from seloste.checks.gate import options_from

    if not args.no_config:  # --no-config (a hook's usual flag) skips the lookup's imports too
        from seloste.checks.config import apply

        apply(args)
    return options_from(args)


def _emit(
    findings: list[Finding],
    problems: list[Problem],
    inputs: list[str],
    options: Options,
    flows: list[CheckedFlow],
) -> int:
    """Waivers, baseline, every requested report, and the exit code (checks/gate.py)."""
    from seloste.checks.gate import finish

    return finish(findings, problems, inputs, options, flows=flows)


def validate(args: argparse.Namespace) -> int:
    """Load every file, whatever its kind, and run the rules that read it alone: policy lint,
    bindings lint (against the policy each names) and the flow rules."""
    from seloste.checks.flows import FlowContext, run
    from seloste.checks.flows.load import group
    from seloste.checks.lint import lint_policy
    from seloste.policy.flows import Flows
    from seloste.policy.loader import load_any
    from seloste.policy.model import Bindings, Policy

    options = _gate_options(args)
    paths, allowed = args.paths, args.allow_outside_root
    problems = _linked_outside([options.waivers, options.baseline], args)
    findings: list[Finding] = []
    checked: list[CheckedFlow] = []
    policies: dict[Path, Any] = {}
    bindings, flows = [], []
    for path in paths:
        if refused := _linked_outside([path], args):
            problems += refused
            continue
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
    if bindings:
        findings.extend(_lint_bindings(bindings, policies, problems, allowed))
    try:
        for policy, files in group(flows, policies=policies, outside_root=allowed):
            context = FlowContext.of(policy, files)
            findings.extend(run(context))
            checked.extend(context.checked())
    except InputError as exc:
        problems.extend(exc.problems)
    return _emit(findings, problems, paths, options, checked)


def _lint_bindings(
    bindings: list[Any], policies: dict[Path, Any], problems: list[Problem], outside_root: bool
) -> list[Finding]:
    """Bindings lint, each file against the policy it names (loaded once into ``policies``);
    a policy that cannot be loaded adds its problems to ``problems``."""
    from seloste.checks.context import BoundPolicy
    from seloste.checks.lint import lint_bindings
    from seloste.policy.loader import load_policy, named_policy_problems, policy_of

    findings: list[Finding] = []
    for loaded in bindings:
        try:
            target = policy_of(loaded, outside_root=outside_root).resolve()
        except InputError as exc:
            problems.extend(exc.problems)
            continue
        if target not in policies:
            try:
                policies[target] = load_policy(target)
            except InputError as exc:
                policies[target] = exc
        if isinstance(policies[target], InputError):
            problems.extend(named_policy_problems(loaded, policies[target]))
        else:
            findings.extend(lint_bindings(BoundPolicy(policies[target], loaded)))
    return findings


def check(args: argparse.Namespace) -> int:
    """Check snapshots and flows; each source that cannot be checked is an error, not a pass."""
    from seloste.checks.context import BoundPolicy
    from seloste.checks.gate import as_of_time
    from seloste.policy.loader import load_bindings, load_policy

    findings: list[Finding] = []
    problems: list[Problem] = []
    inputs: list[str] = []
    flows: list[CheckedFlow] = []
    options = _gate_options(args)
    if not args.snapshot and not args.flows:
        print("seloste: error: nothing to check; give --snapshot or --flows", file=sys.stderr)
        return ERROR
    files = [args.policy, args.bindings, options.waivers, options.baseline, *args.flows]
    files += [s.text for s in args.snapshot if "://" not in s.text]
    if refused := _linked_outside(files, args):
        raise InputError(refused)
    as_of = as_of_time(args.as_of)  # already checked by _gate_options
    policy = load_policy(args.policy) if args.policy else None
    if args.snapshot:
        from seloste.checks.snapshot import STATEMENT_TIMEOUT, check_snapshot

        if not args.bindings:
            print("seloste: error: --snapshot needs --bindings", file=sys.stderr)
            return ERROR
        bindings = load_bindings(args.bindings)
        bound = BoundPolicy(policy or _named_policy(bindings, args), bindings)
        inputs += [bound.policy.path, bindings.path]
        for source in args.snapshot:
            findings += check_snapshot(
                bound,
                source,
                as_of=as_of,
                sample=args.sample,
                max_keys=args.max_keys,
                timeout=args.timeout or STATEMENT_TIMEOUT,
                allow_privileged_role=args.allow_privileged_role,
            )
    if args.flows:
        from seloste.checks.flows import checked

        try:
            result = checked(
                args.flows, policy=policy, jobs=args.jobs, outside_root=args.allow_outside_root
            )
        except InputError as exc:
            problems += exc.problems
        else:
            findings += result.findings
            flows += result.flows
        inputs += args.flows
    return _emit(findings, problems, inputs, options, flows)


def pseudonyms(table: str, keys: list[str]) -> int:
    """Each key's pseudonym, with SELOSTE_KEY_SECRET: for the officer to match a report's
    ``~...`` key to a row (this prints the keys given, to the terminal that gave them)."""
    from seloste.checks.snapshot.keys import SECRET_VARIABLE, Keys

    shown = Keys()
    if shown.secret is None:
        print(f"seloste: error: {SECRET_VARIABLE} is not set", file=sys.stderr)
        return ERROR
    for key in keys:  # a number and its digits give the same pseudonym
        print(f"{shown.shown(table, key, personal_column=True)}  {key}")
    return CLEAN


def _named_policy(bindings: Any, args: argparse.Namespace) -> Any:
    """The policy a bindings file names, its problems at the bindings file's ``policy:``."""
    from seloste.policy.loader import load_policy, named_policy_problems, policy_of

    target = policy_of(bindings, outside_root=args.allow_outside_root)
    try:
        return load_policy(target)
    except InputError as exc:
        raise InputError(named_policy_problems(bindings, exc)) from None


def schema(which: str) -> int:
    import json  # imported where used: the pre-commit path prints no JSON

    from seloste.checks.schema import report_schema
    from seloste.policy.schema import json_schema

    data = report_schema() if which == "report" else json_schema(which)
    print(json.dumps(data, indent=2, ensure_ascii=False))
    return CLEAN


def list_rules() -> int:
    from seloste.checks.rules import RULES

    for rule in RULES.values():
        summary = rule.__doc__.split("## What it does", 1)[-1].strip().split("\n\n")[0]
        summary = " ".join(summary.split())
        print(f"{rule.ID}  {rule.NAME:<32} {rule.SEVERITY:<8} {summary}")
    return CLEAN


def explain(name: str) -> int:
    from seloste.checks.rules import find

    rule = find(name)
    if rule is None:
        print(f"seloste: error: no rule {name!r}; `seloste rules` lists them", file=sys.stderr)
        return ERROR
    print(f"# {rule.NAME} ({rule.ID})\n\nSeverity: {rule.SEVERITY}. Reads: {rule.SCOPE}.\n")
    print(rule.__doc__.strip())
    return CLEAN


def _as_a_program() -> None:
    """Set up this process for one short run of the command.

    - No pydantic plugins unless the user chose otherwise: pydantic looks them up in the entry
      points of every installed distribution when it builds the first model, a cost that
      grows with the environment and is paid on every run of a pre-commit hook, for plugins
      that instrument an application's validation and have nothing to do with seloste's own
      file formats. ``PYDANTIC_DISABLE_PLUGINS`` set by the user (even empty) wins.
    - The collector's first threshold at 100,000 allocations, not 700 (mypy does the same):
      start-up makes some 100,000 objects that live to the end (modules, pydantic's schemas
      and validators), and the collector would walk them again and again (about 9 ms).
      Cycles are still collected, later.
    """
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    gc.set_threshold(100_000)


def _exit_at_once(code: int) -> None:
    """End the process now, as mypy's command does (its ``fast_exit``).

    The interpreter's own shutdown would collect and free every object one by one (pydantic's
    schemas and validators, some 250 modules: about 18 ms of a 150 ms pre-commit run) for the
    operating system to take the memory back anyway. Nothing is left to finish: every file
    seloste writes is closed where it is written, databases are disposed of and worker
    processes joined before a command returns, and seloste registers no exit handlers. Only
    the standard streams may still hold output; if they cannot be flushed (a closed pipe), this
    returns and the interpreter's usual exit reports it, as it always did.
    """
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (OSError, ValueError):
        return
    os._exit(code)


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command and return its exit code. Without ``argv`` it is the program (the
    ``seloste`` console script, ``python -m checks.cli``): it reads the command line, sets up
    the process for a short run and ends it when the command is done. A caller that passes
    ``argv`` (the tests, another program) keeps its process as it was."""
    if argv is None:
        _as_a_program()
        code = _run(sys.argv[1:], program=True)
        _exit_at_once(code)
        return code
    return _run(argv)


def _run(argv: Sequence[str], *, program: bool = False) -> int:
    args = build_parser(argv).parse_args(argv)
    if program and args.command == "check":
        from seloste.checks.memory import limit_address_space

        # Only the program's own process: a caller that imports seloste keeps its limits.
        limit_address_space(args.max_memory)
    try:
        if args.command == "validate":
            return validate(args)
        if args.command == "check":
            return check(args)
        if args.command == "schema":
            return schema(args.which)
        if args.command == "rules":
            return list_rules()
        if args.command in ("render", "diff"):
            return _render_or_diff(args)
        if args.command == "pseudonym":
            return pseudonyms(args.table, args.keys)
        return explain(args.rule)
    except InputError as exc:
        _print_problems(exc.problems)
        return ERROR
    except KeyboardInterrupt:
        print("seloste: interrupted", file=sys.stderr)
        return ERROR
    except BrokenPipeError:
        return ERROR
    except MemoryError:  # outside a snapshot, where each source reports it as SEL001
        from seloste.checks.memory import out_of_memory

        print(f"seloste: error: {out_of_memory()}", file=sys.stderr)
        return ERROR
    except Exception as exc:  # the last line of defence: one line, never a traceback
        if os.environ.get("SELOSTE_DEBUG"):
            raise
        print(
            f"seloste: internal error: {type(exc).__name__}: {printable(str(exc))} "
            "(set SELOSTE_DEBUG=1 for a traceback)",
            file=sys.stderr,
        )
        return ERROR


if __name__ == "__main__":
    sys.exit(main())
