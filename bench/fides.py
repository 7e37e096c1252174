"""The same declarations for seloste and for Fides: issue 17's "against Fides" row.

Generates a seloste policy of ``registers`` registers, each with ``purposes_per_register``
purposes, and ``recipients`` recipients, over ``fields`` fields of the kinds Fides has data
categories for, every text in Finnish and English (a policy with nothing to report), and one
bindings file per register (a table of ``fields`` columns: a Fides dataset). ``seloste export
fides`` writes the same declarations as fideslang manifests (a system per register and per
recipient, a privacy declaration per purpose, a dataset per bindings file, the policy that
rejects the forbidden kinds), so both tools check what the other does, generated once.

Compared: ``seloste validate`` of the policy and its bindings (the policy's own consistency,
the bindings against it) and ``fides --local evaluate`` of the manifests (the declarations
against the Fides policy). Neither reads a database.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

# Kinds whose fideslang category is their own (checks/fides/taxonomy.yaml), so the manifests
# say what the policy says.
KINDS = ("person_name", "email", "phone", "postal_address", "free_text", "identifier")


def policy_yaml(registers: int, purposes_per_register: int, recipients: int, fields: int) -> str:
    names = [f"field_{i:03d}" for i in range(fields)]
    lines = [
        "seloste: 1",
        "kind: policy",
        "controller: {name: Bench Oy, contact: privacy@bench.example}",
        "fields:",
        *(
            f"  {f}: {{name: {{fi: {f}, en: {f}}}, kind: {KINDS[i % len(KINDS)]}, personal: true}}"
            for i, f in enumerate(names)
        ),
        "registers:",
    ]
    for r in range(registers):
        own = range(r * purposes_per_register, (r + 1) * purposes_per_register)
        lines += [
            f"  register_{r}:",
            "    name: {fi: rekisteri, en: a register}",
            "    role: controller",
            "    data_subjects: {customers: {fi: asiakkaat, en: customers}}",
            "    legal_basis: {basis: contract}",
            f"    fields: [{', '.join(names)}]",
            f"    purposes: [{', '.join(f'purpose_{p}' for p in own)}]",
            "    retention:",
            "      after-relationship: {trigger: relationship_end, period: P3M, action: delete}",
        ]
    lines.append("purposes:")
    for p in range(registers * purposes_per_register):
        shared = [f"recipient_{p % recipients}"]
        lines += [
            f"  purpose_{p}:",
            "    name: {fi: käyttötarkoitus, en: a purpose}",
            "    legal_basis: {basis: contract}",
            f"    fields: [{', '.join(names[(p * 7) % fields :][:40])}]",
            f"    recipients: [{', '.join(shared)}]",
            "    honours: [restriction]",
        ]
    lines.append("recipients:")
    for c in range(recipients):
        lines += [
            f"  recipient_{c}:",
            "    name: {fi: vastaanottaja, en: a recipient}",
            "    type: processor",
            "    locations: [FI]",
            f"    fields: [{', '.join(names)}]",
        ]
    lines += ["transfers:", "  allowed: [EEA]"]
    return "\n".join(lines) + "\n"


def bindings_yaml(register: int, fields: int) -> str:
    columns = "\n".join(f"      col_{i:03d}: field_{i:03d}" for i in range(fields))
    return (
        "seloste: 1\nkind: bindings\npolicy: policy.yaml\n"
        f"tables:\n  table_{register}:\n    register: register_{register}\n    key: id\n"
        f"    columns:\n{columns}\n"
        "    relationship_end: ended_at\n    restricted: restricted\n"
    )


def write_project(
    directory: Path,
    seloste: Path,
    *,
    registers: int = 10,
    purposes_per_register: int = 5,
    recipients: int = 40,
    fields: int = 200,
) -> tuple[list[Path], Path]:
    """The seloste files (the policy first, then its bindings) and the directory of the
    Fides manifests exported from them."""
    directory.mkdir(parents=True, exist_ok=True)
    policy = directory / "policy.yaml"
    policy.write_text(policy_yaml(registers, purposes_per_register, recipients, fields), "utf-8")
    files = [policy]
    for r in range(registers):
        path = directory / f"register_{r}.bindings.yaml"
        path.write_text(bindings_yaml(r, fields), encoding="utf-8")
        files.append(path)
    manifests = directory / "fides"
    export = [str(seloste), "export", "fides", str(policy), "-o", str(manifests), "--force"]
    for path in files[1:]:
        export += ["--bindings", str(path)]
    subprocess.run(export, check=True, capture_output=True)
    return files, manifests
