"""``seloste render notice|ropa``: the privacy notice, or the record of processing."""

from __future__ import annotations

import argparse
import sys

from seloste.checks.commands import CLEAN
from seloste.policy.errors import InputError, Problem
from seloste.policy.terms import LANGUAGES


def add_arguments(p: argparse.ArgumentParser) -> None:
    what = p.add_subparsers(dest="document", required=True)
    p = what.add_parser("notice", help="the privacy notice (tietosuojaseloste)")
    p.add_argument("policy", metavar="POLICY")
    p.add_argument("--lang", choices=LANGUAGES, default="fi", help="language (default fi)")
    p.add_argument("--format", choices=["md", "html"], default="md", help="default md")
    p.add_argument("--templates", metavar="DIR", help="templates that override the shipped ones")
    p.add_argument("-o", "--output", metavar="FILE", help="write to FILE, not stdout")
    p = what.add_parser("ropa", help="the record of processing activities (GDPR Art. 30)")
    p.add_argument("policy", metavar="POLICY")
    p.add_argument("--lang", choices=LANGUAGES, default="fi", help="language (default fi)")
    p.add_argument("--format", choices=["csv", "md"], default="csv", help="default csv")
    p.add_argument("-o", "--output", metavar="FILE", help="write to FILE, not stdout")


def run(args: argparse.Namespace) -> int:
    """0, or an ``InputError`` for a broken policy, template or output file."""
    from seloste.policy.loader import load_policy

    policy = load_policy(args.policy).model
    if args.document == "ropa":
        from seloste.policy.ropa import render_ropa

        write_out(render_ropa(policy, args.lang, args.format), args.output)
        return CLEAN
    from seloste.policy.render import render_notice

    text, fallbacks = render_notice(policy, args.lang, args.format, args.templates)
    if fallbacks:
        print(
            f"seloste: note: {fallbacks} text(s) have no {args.lang} version and are shown in "
            "another language; `seloste validate` lists them (POL012)",
            file=sys.stderr,
        )
    write_out(text, args.output)
    return CLEAN


def write_out(text: str, output: str | None) -> None:
    """To ``output``, or stdout; a file that cannot be written is an input error."""
    if output is None:
        sys.stdout.write(text)
        return
    try:
        with open(output, "w", encoding="utf-8", newline="") as out:
            out.write(text)
    except OSError as exc:
        raise InputError([Problem(output, 0, 0, f"cannot write: {exc.strerror}")]) from None
