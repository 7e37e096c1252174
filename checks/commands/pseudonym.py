"""``seloste pseudonym TABLE KEY...``: the pseudonyms reports give row keys."""

from __future__ import annotations

import argparse
import sys

from seloste.checks.commands import CLEAN, ERROR


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("table", metavar="TABLE")
    p.add_argument("keys", metavar="KEY", nargs="+", help="row keys as the database holds them")


def run(args: argparse.Namespace) -> int:
    """Each key's pseudonym, with SELOSTE_KEY_SECRET: for the officer to match a report's
    ``~...`` key to a row (this prints the keys given, to the terminal that gave them)."""
    from seloste.checks.snapshot.keys import SECRET_VARIABLE, Keys

    shown = Keys()
    if shown.secret is None:
        print(f"seloste: error: {SECRET_VARIABLE} is not set", file=sys.stderr)
        return ERROR
    for key in args.keys:  # a number and its digits give the same pseudonym
        print(f"{shown.shown(args.table, key, personal_column=True)}  {key}")
    return CLEAN
