"""``seloste schema``: the JSON Schema of a file format."""

from __future__ import annotations

import argparse

from seloste.checks.commands import CLEAN


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("which", choices=["policy", "bindings", "flows", "report", "subject"])


def run(args: argparse.Namespace) -> int:
    import json  # imported where used: the pre-commit path prints no JSON

    from seloste.checks.schema import report_schema
    from seloste.policy.schema import json_schema

    if args.which == "subject":
        from seloste.checks.subject.document import schema

        data = schema()
    else:
        data = report_schema() if args.which == "report" else json_schema(args.which)
    print(json.dumps(data, indent=2, ensure_ascii=False))
    return CLEAN
