"""``seloste rules``: every rule, one line each."""

from __future__ import annotations

import argparse

from seloste.checks.commands import CLEAN


def add_arguments(p: argparse.ArgumentParser) -> None:
    pass


def run(args: argparse.Namespace) -> int:
    from seloste.checks.rules import RULES

    for rule in RULES.values():
        summary = (rule.__doc__ or "").split("## What it does", 1)[-1].strip().split("\n\n")[0]
        summary = " ".join(summary.split())
        print(f"{rule.ID}  {rule.NAME:<32} {rule.SEVERITY:<8} {summary}")
    return CLEAN
