"""How much checking flows costs beyond reading them.

Generates a policy with 200 fields and 10,000 flows in 100 files in a temporary directory,
then times libyaml's safe loader on every file (the floor: any checker must at least parse) and
``check_flows`` on the same files (strict parse with places, validation, every flow rule).
Target: check <= 3x the floor. ``bench/run.py`` uses this generator for its target 4 and
times the whole ``seloste check`` command instead of the function.

    .venv/bin/python bench/flows.py [--flows 10000] [--fields 200] [--repeat 3]
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from seloste.checks.flows import check_flows

INSIDE = ["FI", "SE", "DE", "IE", "EEA", "EU"]
DIRTY = 0.05  # share of flows with one planted violation, as in a repository under review


def policy_yaml(n_fields: int) -> str:
    fields = [f"field_{i:03d}" for i in range(n_fields)]
    lines = [
        "seloste: 1",
        "kind: policy",
        "controller: {name: Bench Oy, contact: privacy@bench.example}",
        "fields:",
        *(f"  {f}: {{name: {{en: {f}}}, kind: free_text, personal: true}}" for f in fields),
        "registers:",
    ]
    for r in range(4):
        held = fields[r * n_fields // 8 :]
        lines += [
            f"  register_{r}:",
            "    name: {en: a register}",
            "    role: controller",
            "    data_subjects: {customers: {en: customers}}",
            "    legal_basis: {basis: contract}",
            f"    fields: [{', '.join(held)}]",
            f"    purposes: [{', '.join(f'purpose_{p}' for p in range(r, r + 5))}]",
        ]
    lines.append("purposes:")
    for p in range(8):
        lines += [
            f"  purpose_{p}:",
            "    name: {en: a purpose}",
            "    legal_basis: {basis: contract}",
            f"    fields: [{', '.join(fields[p * 10 :])}]",
            f"    recipients: [{', '.join(f'recipient_{c}' for c in range(p % 3, 6))}]",
            f"    marketing: {'true' if p == 7 else 'false'}",
            "    honours: [marketing_opt_out, restriction]",
        ]
    lines.append("recipients:")
    for c in range(6):
        lines += [
            f"  recipient_{c}:",
            "    name: {en: a recipient}",
            "    type: processor",
            f"    locations: [{INSIDE[c]}]",
            f"    fields: [{', '.join(fields[c * 20 :])}]",
        ]
    lines += ["transfers:", "  allowed: [EEA]", "  bans:", "    - {places: [RU], reason: {en: x}}"]
    return "\n".join(lines) + "\n"


def flow_yaml(i: int, rng: random.Random, n_fields: int) -> str:
    """A flow the generated policy allows, or (one in twenty) one with a planted violation."""
    register = rng.randrange(4)
    purpose = register + rng.randrange(5)
    recipient = rng.randrange(purpose % 3, 6) if rng.random() < 0.8 else None
    floor = max(register * n_fields // 8, purpose * 10, 0 if recipient is None else recipient * 20)
    fields = [f"field_{f:03d}" for f in rng.sample(range(floor, n_fields), rng.randint(3, 12))]
    flow = {
        "description": f"{{en: generated flow {i}}}",
        "register": f"register_{register}",
        "purpose": f"purpose_{purpose}",
        "fields": fields,
        "recipient": None if recipient is None else f"recipient_{recipient}",
        "locations": rng.sample(INSIDE, 2) if rng.random() < 0.5 else None,
        "storage": [rng.choice(INSIDE)] if rng.random() < 0.3 else None,
        "excludes": ["marketing_opt_out", "restricted"],
    }
    if rng.random() < DIRTY:
        _plant(flow, rng)
    lines = [f"  flow-{i}:"]
    for key, value in flow.items():
        if isinstance(value, list):
            lines.append(f"    {key}: [{', '.join(value)}]")
        elif value is not None:
            lines.append(f"    {key}: {value}")
    if rng.random() < 0.3:
        lines += ["    sub_processors:", f"      - {{name: sub {i}, locations: [FI]}}"]
    return "\n".join(lines) + "\n"


def _plant(flow: dict[str, Any], rng: random.Random) -> None:
    """One violation of the kind a real change introduces."""
    match rng.randrange(6):
        case 0:
            flow["fields"] = ["field_000", *flow["fields"]]  # a field it may not carry
        case 1:
            flow["recipient"] = "recipient_new"  # a recipient the notice does not name
        case 2:
            flow["locations"] = ["US"]
        case 3:
            flow["excludes"] = ["marketing_opt_out"]
        case 4:
            flow["purpose"] = "purpose_new"
        case _:
            flow["fields"] = [*flow["fields"], "field_typo"]


def generate(directory: Path, n_flows: int, n_fields: int, per_file: int = 100) -> list[str]:
    """The policy and the flow files in ``directory``, made a repository of its own (a
    ``.git`` in it), so that the policy the flows name lies inside their root."""
    rng = random.Random(4)
    (directory / ".git").mkdir(exist_ok=True)
    (directory / "policy.yaml").write_text(policy_yaml(n_fields), encoding="utf-8")
    paths = []
    for start in range(0, n_flows, per_file):
        body = "".join(flow_yaml(i, rng, n_fields) for i in range(start, start + per_file))
        path = directory / f"flows-{start // per_file:04d}.yaml"
        path.write_text(f"seloste: 1\nkind: flows\npolicy: policy.yaml\nflows:\n{body}")
        paths.append(str(path))
    return paths


def best(repeat: int, work: Callable[[], object]) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = work()
        times.append(time.perf_counter() - start)
    return min(times), result


def main() -> None:
    if __package__ in (None, ""):
        sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run as a script
    from bench import floors

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--flows", type=int, default=10_000)
    parser.add_argument("--fields", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        paths = generate(Path(tmp), args.flows, args.fields)
        everything = [str(Path(tmp) / "policy.yaml"), *paths]

        def floor() -> int:
            return floors.yaml_load(everything)

        parse, _ = best(args.repeat, floor)
        check, findings = best(args.repeat, lambda: check_flows(paths))
    assert isinstance(findings, list)
    print(f"{args.flows} flows in {len(paths)} files, policy with {args.fields} fields")
    print(f"CSafeLoader (floor):    {parse:8.3f} s")
    print(f"check_flows:            {check:8.3f} s  ({len(findings)} findings)")
    print(f"ratio:                  {check / parse:8.2f}x  (target <= 3x)")


if __name__ == "__main__":
    main()
