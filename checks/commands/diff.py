"""``seloste diff OLD NEW``: what changed between two policies, in the notice's terms."""

from __future__ import annotations

import argparse
import sys

from seloste.checks.commands import CLEAN, FINDINGS
from seloste.policy.errors import InputError, printable
from seloste.policy.terms import LANGUAGES


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("old", metavar="OLD", help="the policy as it was (kind: policy)")
    p.add_argument("new", metavar="NEW", help="the policy as it is now")
    p.add_argument(
        "--format",
        choices=["text", "md", "json"],
        default="text",
        help="text, Markdown (a pull-request comment) or JSON (default: text)",
    )
    p.add_argument("--lang", choices=LANGUAGES, default="en", help="language of the changes")
    p.add_argument(
        "--fail-on-notifiable",
        action="store_true",
        help="exit 1 when a change must be told to data subjects (GDPR Art. 13(3), 14(4))",
    )


def run(args: argparse.Namespace) -> int:
    """0, or 1 with ``--fail-on-notifiable`` when data subjects must be told.

    Both files are loaded before either error is reported, so all problems show at once.
    """
    from seloste.policy.diff import FORMATTERS, diff
    from seloste.policy.loader import load_policy

    policies, problems = [], []
    for path in (args.old, args.new):
        try:
            policies.append(load_policy(path).model)
        except InputError as exc:
            problems += exc.problems
    if problems:
        raise InputError(problems)
    changes = diff(policies[0], policies[1], args.lang)
    text = FORMATTERS[args.format](changes, args.lang)
    if args.format != "json":  # JSON escapes control characters itself
        # Names come from the policies, which anyone with commit access writes, and this
        # runs in CI logs: nothing in them may start a workflow command or drive a terminal.
        text = "".join(f"{printable(line)}\n" for line in text.splitlines())
    sys.stdout.write(text)
    told = any(c.notifiable for c in changes)
    return FINDINGS if args.fail_on_notifiable and told else CLEAN
