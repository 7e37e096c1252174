"""``seloste import fides DIR -o OUTDIR``: a policy and bindings from fideslang manifests.

The output is a directory, not one file: the policy (``policy.yaml``) and one bindings file
per Fides dataset (``<dataset>.bindings.yaml``, each naming ``policy.yaml`` beside it) belong
together, and a bindings file names its policy by a path relative to itself."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from seloste.checks.commands import CLEAN, ERROR
from seloste.checks.commands.common import add_force, write_all


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("format", choices=["fides"], help="the format to import: fides (fideslang)")
    p.add_argument(
        "source",
        metavar="DIR",
        help="a directory of fideslang manifests (*.yml, *.yaml, read recursively), or one file",
    )
    p.add_argument(
        "-o",
        "--output",
        metavar="OUTDIR",
        required=True,
        help="the directory to write policy.yaml and one DATASET.bindings.yaml per dataset into",
    )
    add_force(p)


def run(args: argparse.Namespace) -> int:
    from seloste.checks.fides import importer, manifests

    found = manifests.read(Path(args.source))
    result = importer.build(found, args.source)
    out = Path(args.output)
    files = {"policy.yaml": result.policy, **result.bindings}
    if not write_all(out, files, args.force):
        return ERROR
    print(
        f"import: {len(found.systems)} systems, {len(found.datasets)} datasets -> "
        f"{', '.join(str(out / n) for n in files)}; {result.todos} TODOs to review",
        file=sys.stderr,
    )
    return CLEAN
