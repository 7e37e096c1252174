"""Run in a venv that has fideslang: parse a directory of manifests with fideslang's own
reader and models, and check that every taxonomy key they reference is in fideslang's
default taxonomy. Prints one line per problem and exits 1 if there is any, else prints OK.

With ``--evaluate``, also prints each violation of the manifests' policies, matched the way
``fides evaluate`` matches them (its evaluate.py: a rule's categories and uses match a
declared key or any of its ancestors; ANY, ALL, NONE and OTHER as it reads them; a rule is
violated when its categories, uses and subjects all match), one line each."""

import sys

from fideslang.default_taxonomy import DEFAULT_TAXONOMY
from fideslang.manifests import ingest_manifests
from fideslang.parse import load_manifests_into_taxonomy


def _ancestors(key, parents):
    chain = [key]
    while parents.get(chain[-1]):
        chain.append(parents[chain[-1]])
    return set(chain)


def _matching(rule, declared, parents):
    """fides evaluate's compare_rule_to_declaration: the declared keys that trigger it."""
    values = set(rule.values)
    matched = {k for k in declared if _ancestors(k, parents) & values}
    mismatched = set(declared) - matched
    matches = getattr(rule.matches, "value", rule.matches)
    if matches == "ANY":
        return matched
    if matches == "ALL":
        return matched if len(matched) == len(set(declared)) else set()
    if matches == "NONE":
        return mismatched if not matched else set()
    return mismatched  # OTHER


def evaluate(taxonomy):
    parents = {
        c.fides_key: c.parent_key
        for c in [*DEFAULT_TAXONOMY.data_category, *DEFAULT_TAXONOMY.data_use]
    }
    found = []
    for policy in taxonomy.policy:
        for rule in policy.rules:
            for system in taxonomy.system:
                for d in system.privacy_declarations:
                    hits = [
                        _matching(rule.data_categories, d.data_categories, parents),
                        _matching(rule.data_uses, [d.data_use], parents),
                        _matching(rule.data_subjects, d.data_subjects, {}),
                    ]
                    if all(hits):
                        found.append(
                            f"violation: {system.fides_key}/{d.name} breaks {rule.name}: "
                            + ",".join(sorted(hits[0]))
                        )
    return found


def main(directory: str, evaluating: bool = False) -> int:
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
    if evaluating:
        for line in evaluate(taxonomy):
            print(line)
    for line in problems:
        print(line)
    if not problems:
        print("OK", " ".join(f"{k}={v}" for k, v in counts.items()))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], "--evaluate" in sys.argv[2:]))
