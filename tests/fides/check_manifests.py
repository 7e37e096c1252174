"""Run in a venv that has fideslang: parse a directory of manifests with fideslang's own
reader and models, and check that every taxonomy key they reference is in fideslang's
default taxonomy. Prints one line per problem and exits 1 if there is any, else prints OK."""

import sys

from fideslang.default_taxonomy import DEFAULT_TAXONOMY
from fideslang.manifests import ingest_manifests
from fideslang.parse import load_manifests_into_taxonomy


def main(directory: str) -> int:
    taxonomy = load_manifests_into_taxonomy(ingest_manifests(directory))
    known = {
        "data_category": {c.fides_key for c in DEFAULT_TAXONOMY.data_category},
        "data_use": {u.fides_key for u in DEFAULT_TAXONOMY.data_use},
        "data_subject": {s.fides_key for s in DEFAULT_TAXONOMY.data_subject},
        "organization": {o.fides_key for o in DEFAULT_TAXONOMY.organization},
    }
    problems = []

    def need(part, key, where):
        if key not in known[part]:
            problems.append(f"{where}: {part} {key!r} is not in the default taxonomy")

    systems = {s.fides_key for s in taxonomy.system}
    datasets = {d.fides_key for d in taxonomy.dataset}
    for resource in [*taxonomy.system, *taxonomy.dataset, *taxonomy.policy]:
        need("organization", resource.organization_fides_key, resource.fides_key)
    for system in taxonomy.system:
        for d in system.privacy_declarations:
            where = f"system {system.fides_key} declaration {d.name}"
            for c in d.data_categories:
                need("data_category", c, where)
            need("data_use", d.data_use, where)
            for s in d.data_subjects:
                need("data_subject", s, where)
            for ref in d.dataset_references or []:
                if ref not in datasets:
                    problems.append(f"{where}: dataset {ref!r} is not in the manifests")
        for flow in [*(system.egress or []), *(system.ingress or [])]:
            if flow.type == "system" and flow.fides_key not in systems:
                problems.append(f"system {system.fides_key}: flow to unknown {flow.fides_key!r}")
    for dataset in taxonomy.dataset:
        for collection in dataset.collections:
            for field in collection.fields:
                for c in field.data_categories or []:
                    need("data_category", c, f"dataset {dataset.fides_key} {collection.name}")
    for policy in taxonomy.policy:
        for rule in policy.rules:
            for c in rule.data_categories.values:
                need("data_category", c, f"policy {policy.fides_key} rule {rule.name}")
            for u in rule.data_uses.values:
                need("data_use", u, f"policy {policy.fides_key} rule {rule.name}")
            for s in rule.data_subjects.values:
                need("data_subject", s, f"policy {policy.fides_key} rule {rule.name}")
    counts = {part: len(getattr(taxonomy, part)) for part in ("system", "dataset", "policy")}
    for line in problems:
        print(line)
    if not problems:
        print("OK", " ".join(f"{k}={v}" for k, v in counts.items()))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
