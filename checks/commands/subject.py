"""``seloste subject``: a data subject's request (access, portability, an erasure plan)."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from seloste.checks.commands import CLEAN, ERROR
from seloste.checks.commands.common import add_root, add_snapshots, linked_outside
from seloste.policy.errors import InputError, printable

if TYPE_CHECKING:
    from seloste.checks.subject import Selector
    from seloste.checks.subject.document import Request, SubjectDocument


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--policy", metavar="FILE", help="the policy (default: the bindings' own)")
    add_snapshots(
        p,
        "SQLite file or dump, SQLAlchemy URL, or a directory of CSV/Parquet files",
    )
    who = p.add_mutually_exclusive_group(required=True)
    who.add_argument("--key", metavar="TABLE.COLUMN=VALUE", help="a row of a bound table")
    who.add_argument("--email", metavar="ADDRESS", help="an e-mail address (any case)")
    who.add_argument("--phone", metavar="NUMBER", help="a phone number (any way it is written)")
    who.add_argument("--business-id", metavar="ID", help="a business ID (Y-tunnus)")
    p.add_argument(
        "--erasure",
        action="store_true",
        help="an erasure plan (GDPR Art. 17): each row erased now, or kept, why and until when",
    )
    p.add_argument(
        "-o",
        "--output",
        metavar="FILE",
        help="the JSON document with the subject's data (owner-only); the only place values go",
    )
    p.add_argument(
        "--sql",
        metavar="FILE",
        help="with --erasure: DELETE statements for the rows to erase, to review and run "
        "(seloste never runs them)",
    )
    p.add_argument(
        "--letter",
        metavar="FILE",
        help="also a letter to the subject, FILE.md or FILE.html (owner-only, like -o)",
    )
    p.add_argument("--lang", choices=["fi", "en"], default="fi", help="the letter's language")
    p.add_argument("--audit-log", metavar="FILE", help="append the audit line here, not stderr")
    p.add_argument("--as-of", metavar="TIME", help="ISO 8601 time retention is measured at")
    p.add_argument("--timeout", type=float, metavar="SECONDS", help="per statement (default 60)")
    p.add_argument(
        "--allow-privileged-role",
        action="store_true",
        help="read as a database account that may do more than read (refused by default)",
    )
    p.add_argument("--config", metavar="FILE", help="seloste.yaml or pyproject.toml to use")
    p.add_argument("--no-config", action="store_true", help="ignore configuration files")
    # What the configuration fills in for other commands, unused here.
    p.set_defaults(format=[], fail_on=None, waivers=None, baseline=None, flows=[])
    add_root(p)


def _fail(message: str) -> int:
    print(f"seloste: error: {printable(message)}", file=sys.stderr)
    return ERROR


def selector(args: argparse.Namespace) -> Selector | str:
    """The selector given, or why it cannot be read (without its value)."""
    from seloste.checks.subject import Selector, SelectorKind

    if args.key is not None:
        where, sep, value = args.key.partition("=")
        table, dot, column = where.partition(".")
        if not (sep and dot and table and column):
            return "--key is TABLE.COLUMN=VALUE"
        return Selector("key", value, table, column)
    kinds: tuple[SelectorKind, ...] = ("email", "phone", "business_id")
    for kind in kinds:
        if getattr(args, kind) is not None:
            return Selector(kind, getattr(args, kind))
    return "give --key, --email, --phone or --business-id"


def run(args: argparse.Namespace) -> int:
    from seloste.checks.config import apply
    from seloste.checks.context import BoundPolicy
    from seloste.checks.gate import as_of_time
    from seloste.policy.loader import load_bindings, load_policy

    apply(args)
    wanted = selector(args)
    if isinstance(wanted, str):
        return _fail(wanted)
    if len(args.snapshot) != 1:
        return _fail("give one snapshot with --snapshot")
    if not args.bindings:
        return _fail("--snapshot needs --bindings")
    if args.sql and not args.erasure:
        return _fail("--sql needs --erasure")
    if args.letter and Path(args.letter).suffix.lower() not in (".md", ".html"):
        return _fail("--letter names a .md or .html file")
    if args.letter and not args.output:
        return _fail(
            "--letter needs -o FILE (the letter offers the subject a machine-readable copy)"
        )
    files = [
        args.policy,
        args.bindings,
        args.snapshot[0].text if "://" not in args.snapshot[0].text else None,
    ]
    if refused := linked_outside(files, args):
        raise InputError(refused)
    try:
        as_of = as_of_time(args.as_of)
    except ValueError:
        return _fail("--as-of is not an ISO 8601 time")
    bindings = load_bindings(args.bindings)
    if args.policy:
        policy = load_policy(args.policy)
    else:
        from seloste.checks.commands.check import _named_policy

        policy = _named_policy(bindings, args, False)  # a one-off request: no cache
    bound = BoundPolicy(policy, bindings)
    try:
        return _answer(bound, args, wanted, as_of)
    except Exception as exc:
        # An unexpected error's text may quote a value it met: here, only its type.
        if os.environ.get("SELOSTE_DEBUG"):
            raise
        return _fail(f"internal error: {type(exc).__name__} (set SELOSTE_DEBUG=1 for a traceback)")


def _answer(bound: Any, args: argparse.Namespace, wanted: Selector, as_of: Any) -> int:
    """Look the subject up in the one snapshot and write what was found."""
    from seloste.checks.snapshot import STATEMENT_TIMEOUT
    from seloste.checks.snapshot.context import SnapshotContext
    from seloste.checks.snapshot.sampling import DB_ERRORS
    from seloste.checks.snapshot.sources import (
        Unavailable,
        mask,
        open_source,
        reason,
        scrub,
        secrets_in,
    )
    from seloste.checks.subject import answer, lookup
    from seloste.checks.subject.document import Request

    source = args.snapshot[0]
    shown = mask(source.shown)
    # Nothing printed may carry the selector's value or a password, not even a driver's error.
    hidden = secrets_in(source.text)
    if len(wanted.value) >= 3:  # shorter ones would mask every message; "5" names nobody
        hidden.append(wanted.value)

    def safe(text: str) -> str:
        shown_text: str = source.hide(scrub(text, hidden))
        return shown_text

    request = Request(
        type="erasure" if args.erasure else "access",
        selector=wanted.kind,
        as_of=as_of.strftime("%Y-%m-%dT%H:%M:%SZ"),
        source=shown,
    )
    try:
        src = open_source(
            source.text,
            timeout=args.timeout or STATEMENT_TIMEOUT,
            allow_privileged_role=args.allow_privileged_role,
        )
    except Unavailable as exc:
        return _fail(f"{shown}: {safe(exc.reason)}")
    ctx = SnapshotContext(bound, shown, src.dialect, as_of, None, 0)
    try:
        with src.engine.connect() as conn:
            lookup.discover(ctx, src, conn)
            roots = lookup.roots(ctx, conn, wanted)
            if not lookup.one_subject(ctx, roots):
                return _several(ctx, args, request, roots)
            found = lookup.rows_of(ctx, conn, roots) if roots else None
    except (Unavailable, lookup.LookupFailed) as exc:
        return _fail(f"{shown}: {safe(str(exc))}")
    except DB_ERRORS as exc:
        return _fail(f"{shown}: {safe(reason(exc))}")
    finally:
        src.close()
    if found is None:
        doc = answer.nothing(ctx, request)
    else:
        doc = answer.build(ctx, found, request, erasure_plan=args.erasure)
    return _write(ctx, src, args, doc, found)


def _several(ctx: Any, args: argparse.Namespace, request: Request, roots: set[Any]) -> int:
    """Several subjects match: their keys (as reports show keys), never a value; the request
    is audited all the same."""
    listed: list[str] = []
    withheld = 0
    for table in dict.fromkeys(sorted(r.table for r in roots)):
        keys = sorted((r.key for r in roots if r.table == table), key=lambda k: (str(type(k)), k))
        shown, _ = ctx.shown_keys(table, keys)
        listed += [f"{table}.{ctx.key(table)}={k}" for k in shown]
        withheld += len(keys) - len(shown)
    if withheld:
        listed.append(f"{withheld} more withheld (their keys may be personal data)")
    if refused := _audit(args, request, "several subjects", [], 0):
        return _fail(refused)
    return _fail(f"{len(roots)} subjects match; choose one with --key: {', '.join(listed)}")


def _audit(
    args: argparse.Namespace, request: Request, outcome: str, tables: list[str], rows: int
) -> str | None:
    """The request's audit line, to ``--audit-log`` or stderr; why it could not be written."""
    from seloste.checks.subject import output

    line = output.audit_line(
        request=request.type,
        selector=request.selector,
        outcome=outcome,
        tables=tables,
        rows=rows,
        source=request.source,
        output=args.output if outcome != "several subjects" else None,
    )
    if not args.audit_log:
        print(line, file=sys.stderr)
        return None
    try:
        output.append_audit(args.audit_log, line)
    except output.Refused as exc:
        return str(exc)
    return None


def _write(ctx: Any, src: Any, args: argparse.Namespace, doc: SubjectDocument, found: Any) -> int:
    from seloste.checks.subject import output

    tables = [t.table for r in doc.registers for t in r.tables]
    rows = sum(len(t.rows) for r in doc.registers for t in r.tables)
    if doc.found and not args.output:
        return _fail("the subject's data is written only to a file: give -o FILE")
    try:
        if args.output:
            output.write_private(args.output, doc.model_dump_json(indent=2) + "\n")
        if args.letter:
            from seloste.checks.subject.letter import FORMATS, render_letter

            fmt = FORMATS[Path(args.letter).suffix.lower()]
            output.write_private(args.letter, render_letter(doc, args.lang, fmt))
        if args.sql and found is not None:
            from seloste.checks.subject.statements import deletions

            output.write_private(args.sql, deletions(ctx, src, doc))
    except output.Refused as exc:
        return _fail(str(exc))
    outcome = "answered" if doc.found else doc.message
    if refused := _audit(args, doc.request, outcome, tables, rows):
        return _fail(refused)
    where = f" (written to {args.output})" if args.output else ""
    if doc.found:
        summary = f"{rows} rows in {len(tables)} tables{where}"
    else:
        summary = f"{doc.message}{where}"
    print(f"seloste: subject: {printable(summary)}", file=sys.stderr)
    return CLEAN
