"""``seloste export fides POLICY [--bindings FILE]... -o DIR``: fideslang manifests."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from seloste.checks.commands import CLEAN, ERROR
from seloste.checks.commands.common import add_force, write_all


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("format", choices=["fides"], help="the format to export: fides (fideslang)")
    p.add_argument("policy", metavar="POLICY", help="the policy file")
    p.add_argument(
        "--bindings",
        metavar="FILE",
        action="append",
        default=[],
        help="a bindings file of the policy, written as a Fides dataset (repeat for several)",
    )
    p.add_argument(
        "-o",
        "--output",
        metavar="DIR",
        required=True,
        help="the directory to write the manifests into (organization, policy, system and "
        "dataset .yml files)",
    )
    add_force(p)


def run(args: argparse.Namespace) -> int:
    from seloste.checks.fides import exporter
    from seloste.policy.errors import InputError
    from seloste.policy.loader import load_bindings, load_policy, policy_of

    policy = load_policy(args.policy).model
    bindings = {}
    for path in args.bindings:
        key = exporter.dataset_key(Path(path))
        if key in bindings:
            print(f"seloste: error: {path}: a second dataset {key!r}", file=sys.stderr)
            return ERROR
        loaded = load_bindings(path)
        named = policy_of(loaded, outside_root=True)
        if named.resolve() != Path(args.policy).resolve():
            # Bindings of another policy would name its fields and registers, not these.
            written = loaded.model.policy
            why = f"these bindings follow the policy {written!r}, not {args.policy}"
            raise InputError([loaded.doc.problem(("policy",), why)])
        bindings[key] = loaded.model
    files = exporter.manifests(policy, bindings)
    out = Path(args.output)
    texts = {name: exporter.dump(manifest) for name, manifest in files.items()}
    if not write_all(out, texts, args.force):
        return ERROR
    systems = len(files["system.yml"]["system"])
    print(
        f"export: {systems} systems, {len(bindings)} datasets -> {out}",
        file=sys.stderr,
    )
    return CLEAN
