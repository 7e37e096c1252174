"""The end of every run: findings become reports and an exit code.

Waivers and the baseline mark findings that do not count; every requested format is written
(at most one to stdout); the exit code is 2 if an input could not be read or a source could not
be checked, 1 if a finding that counts is at or above ``--fail-on``, else 0.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from seloste.checks.findings import NOT_CHECKED, RANK, CheckedFlow, Finding, failing
from seloste.checks.reports import FORMATS, Report, renderer
from seloste.policy.errors import InputError, Problem, ordered, printable, with_source

if TYPE_CHECKING:
    from seloste.checks.baseline import Baseline

CLEAN, FINDINGS, ERROR = 0, 1, 2


class Output(NamedTuple):
    """One report to write: a format, and a file (None: stdout)."""

    format: str
    path: str | None = None


def parse_output(text: str) -> Output:
    """``FORMAT`` or ``FORMAT:PATH``, as ``--format`` and the ``outputs`` setting take it."""
    name, sep, path = text.partition(":")
    if name not in FORMATS:
        raise argparse.ArgumentTypeError(
            f"unknown format {name!r}; expected one of: {', '.join(FORMATS)}"
        )
    if sep and not path:
        raise argparse.ArgumentTypeError(f"{text!r}: give a file after ':' or leave ':' out")
    return Output(name, path or None)


class Options(NamedTuple):
    """How a run's findings are judged and reported. This and ``Output`` are NamedTuples
    for the reason ``Problem`` is one (policy/errors.py)."""

    outputs: tuple[Output, ...] = (Output("text"),)
    fail_on: str = "error"
    waivers: str | None = None
    baseline: str | None = None
    write_baseline: str | None = None
    today: date | None = None
    scopes: frozenset[str] | None = None
    # The time retention is measured at (``check``: --as-of, else the time of the check).
    as_of: datetime | None = None
    checked_at: datetime | None = None


def add_arguments(p: argparse.ArgumentParser) -> None:
    """The output and gate flags shared by ``validate`` and ``check``."""
    p.add_argument(
        "--format",
        metavar="FORMAT[:FILE]",
        type=parse_output,
        action="append",
        help=f"report format, to stdout or a file; repeatable ({', '.join(FORMATS)})",
    )
    p.add_argument(
        "--fail-on",
        choices=list(RANK),
        help="lowest severity that makes the exit code 1 (default: error)",
    )
    p.add_argument("--waivers", metavar="FILE", help="accepted findings (kind: waivers)")
    p.add_argument("--baseline", metavar="FILE", help="fail only on findings not in FILE")
    p.add_argument("--write-baseline", metavar="FILE", help="write the findings to FILE")
    p.add_argument("--config", metavar="FILE", help="seloste.yaml or pyproject.toml to use")
    p.add_argument("--no-config", action="store_true", help="ignore configuration files")
    # The day waivers expire against; for tests and reproducible runs.
    p.add_argument("--today", type=date.fromisoformat, help=argparse.SUPPRESS)


def check_time() -> datetime:
    """The time of the check, which reports print: now, or ``SOURCE_DATE_EPOCH`` (seconds
    since 1970, the reproducible-builds convention) when set, so that a report can be made
    again byte for byte."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
    if epoch.isdigit():
        return datetime.fromtimestamp(int(epoch), UTC)
    return datetime.now(UTC)


def as_of_time(text: str | None, now: datetime | None = None) -> datetime:
    """The time retention and waiver expiry are measured at: ``text`` (ISO 8601, UTC when it
    names no zone), else ``now`` (default: this moment). Raises ``ValueError`` for text that
    is not a time."""
    if not text:
        return now or datetime.now(UTC)
    moment = datetime.fromisoformat(text)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def options_from(args: argparse.Namespace) -> Options:
    """The gate options of parsed arguments (after configuration has filled them in).

    Raises ``InputError`` for options that contradict each other, before any work is done.
    """
    outputs = tuple(getattr(args, "format", None) or [Output("text")])
    problems = []
    if sum(1 for o in outputs if o.path is None) > 1:
        problems.append(Problem("seloste", 0, 0, "at most one --format may go to stdout"))
    today = getattr(args, "today", None)
    as_of = getattr(args, "as_of", None)
    checked_at = check_time()
    measured = None
    try:
        if args.command == "check" or as_of:
            measured = as_of_time(as_of, checked_at)
    except ValueError:
        problems.append(Problem("seloste", 0, 0, f"--as-of {as_of!r} is not an ISO 8601 time"))
    if today is None and as_of and measured is not None:
        today = measured.date()
    if problems:
        raise InputError(problems)
    return Options(
        outputs=outputs,
        fail_on=getattr(args, "fail_on", None) or "error",
        waivers=getattr(args, "waivers", None),
        baseline=getattr(args, "baseline", None),
        write_baseline=getattr(args, "write_baseline", None),
        today=today,
        scopes=scopes_of(args),
        as_of=measured,
        checked_at=checked_at,
    )


def scopes_of(args: argparse.Namespace) -> frozenset[str] | None:
    """The rule scopes a command checks, so that waivers of other scopes are not called stale."""
    if args.command == "validate":
        return frozenset({"policy", "bindings"})
    if args.command == "check":
        ran = {"snapshot"} if getattr(args, "snapshot", None) else set()
        return frozenset(ran | ({"flows"} if getattr(args, "flows", None) else set()))
    return None


def _write(path: str, text: str) -> None:
    with open(path, "w", encoding="utf-8", newline="\n") as out:
        out.write(text)


def _render(report: Report, output: Output) -> str:
    if output.format == "text" and output.path is None:
        from seloste.checks.reports.text import coloured

        colour = coloured(sys.stdout)
        # The errors are on stderr already, each once.
        return renderer("text")(report._replace(errors=()), colour=colour)
    return renderer(output.format)(report)


def _quiet(report: Report, output: Output) -> bool:
    """Whether ``output`` is left unwritten: text to stdout from a run that found nothing and
    had errors (they are on stderr, and "No findings." would read as clean)."""
    text_out = output.format == "text" and output.path is None
    return text_out and bool(report.errors) and not report.findings


def write_outputs(report: Report, outputs: Sequence[Output]) -> list[Problem]:
    problems = []
    for output in outputs:
        if _quiet(report, output):
            continue
        text = _render(report, output)
        if output.path is None:
            sys.stdout.write(text)
            continue
        try:
            _write(output.path, text)
        except OSError as exc:
            problems.append(Problem(output.path, 0, 0, f"cannot write: {exc.strerror}"))
    return problems


def _waive(
    findings: list[Finding], options: Options, inputs: list[str]
) -> tuple[list[Finding], list[Problem]]:
    """Mark the findings the waiver file accepts (checks/waivers.py)."""
    from seloste.checks import waivers

    try:
        loaded = waivers.load_waivers(options.waivers or "")
    except InputError as exc:
        return findings, list(exc.problems)
    today = options.today or date.today()
    return waivers.apply(findings, loaded, today, scopes=options.scopes, inputs=tuple(inputs)), []


def _baseline(
    findings: list[Finding], options: Options, *, complete: bool
) -> tuple[Baseline | None, list[Problem]]:
    """The baseline to compare against: the one written now (only by a ``complete`` run), or
    the one ``--baseline`` names (checks/baseline.py)."""
    from seloste.checks import baseline

    if options.write_baseline and not complete:
        # A run that could not read everything would write a baseline missing findings.
        return None, [Problem(options.write_baseline, 0, 0, "not written: the run had errors")]
    if options.write_baseline:
        known = baseline.Baseline.of(options.write_baseline, findings)
        try:
            _write(options.write_baseline, baseline.dump_baseline(findings))
        except OSError as exc:
            return known, [Problem(options.write_baseline, 0, 0, f"cannot write: {exc.strerror}")]
        count = len(known.fingerprints)
        where = printable(options.write_baseline)
        written = f"{count} finding{'s' * (count != 1)}"
        print(f"seloste: wrote {written} to {where}", file=sys.stderr)
        return known, []
    try:
        return baseline.load_baseline(options.baseline or ""), []
    except InputError as exc:
        return None, list(exc.problems)


def _judge(
    findings: list[Finding], options: Options, inputs: list[str], *, complete: bool
) -> tuple[list[Finding], list[Problem], bool]:
    """Apply waivers and the baseline; also write the baseline if asked and ``complete``.

    Each is imported only when asked for: most runs (a pre-commit hook) use neither.
    """
    problems: list[Problem] = []
    if options.waivers:
        findings, problems = _waive(findings, options, inputs)
    known = None
    if options.write_baseline or options.baseline:
        known, more = _baseline(findings, options, complete=complete and not problems)
        problems += more
    if known is not None:
        from seloste.checks.baseline import apply

        findings = apply(findings, known)
    return findings, problems, known is not None


def finish(
    findings: list[Finding],
    problems: Sequence[Problem],
    inputs: list[str],
    options: Options,
    *,
    flows: Sequence[CheckedFlow] = (),
    snapshots: Sequence[str] = (),
    registers: Sequence[tuple[str, str]] = (),
) -> int:
    """Report ``findings`` (and the ``flows`` and ``snapshots`` checked, and the
    ``registers`` of the run's policy by name) in every requested format and return the exit
    code."""
    problems = list(problems)
    complete = not problems and not any(f.rule == NOT_CHECKED for f in findings)
    findings, more, used_baseline = _judge(list(findings), options, inputs, complete=complete)
    problems += more
    # Reports carry the input errors too, so even one with no findings cannot read as clean.
    report = Report.of(
        findings,
        inputs,
        baseline=used_baseline,
        errors=problems,
        flows=flows,
        fail_on=options.fail_on,
        snapshots=snapshots,
        as_of=options.as_of,
        checked_at=options.checked_at,
        registers=registers,
        scopes=sorted((options.scopes or set()) | ({"flows"} if flows else set())),
    )
    problems += write_outputs(report, options.outputs)
    for problem in ordered(problems):
        print(with_source(problem), file=sys.stderr)
    if problems or any(f.rule == NOT_CHECKED for f in report.findings):
        return ERROR
    return FINDINGS if failing(list(report.active), options.fail_on) else CLEAN


def relative(base: Path, path: str) -> str:
    """A path from a configuration file, relative to the file, as seen from the cwd."""
    return os.path.relpath(base / path) if not Path(path).is_absolute() else path
