"""``seloste explain RULE``: a rule's documentation."""

from __future__ import annotations

import argparse
import sys

from seloste.checks.commands import CLEAN, ERROR


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("rule", metavar="RULE", help="rule ID (POL001) or name (unknown-field)")


def run(args: argparse.Namespace) -> int:
    from seloste.checks.rules import find

    rule = find(args.rule)
    if rule is None:
        print(f"seloste: error: no rule {args.rule!r}; `seloste rules` lists them", file=sys.stderr)
        return ERROR
    print(f"# {rule.NAME} ({rule.ID})\n\nSeverity: {rule.SEVERITY}. Reads: {rule.SCOPE}.\n")
    print((rule.__doc__ or "").strip())
    return CLEAN
