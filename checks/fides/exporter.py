"""A seloste policy (and its bindings) as fideslang manifests.

One system per register (its purposes as privacy declarations) and one per recipient (the
purposes that disclose to it), the organization, a Fides policy that rejects the kinds the
policy forbids, and a dataset per bindings file. Every taxonomy key written is from
fideslang's default taxonomy; what fideslang has no place for (a field's exact kind, a
recipient's type and locations, a register's controller, a table's rule columns) goes under
``meta.seloste``, which fideslang keeps as it is and ``seloste import fides`` reads back."""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from seloste.checks.fides.taxonomy import table
from seloste.policy.model import Bindings, Policy, Purpose, Register, Text
from seloste.policy.tables import RULE_COLUMNS

ORGANIZATION = "default_organization"  # fideslang's own organization key
FIDES_POLICY = "seloste_forbidden_kinds"


def _text(text: Text | None) -> str | None:
    return None if text is None else text.en or text.fi or text.sv


def _categories(policy: Policy, fields: Iterable[str]) -> list[str]:
    t = table()
    found = {t.category_of(policy.fields[f].kind) for f in fields if f in policy.fields}
    return sorted(found)


def _field_meta(policy: Policy, fields: Iterable[str]) -> dict[str, Any]:
    return {
        f: {"kind": policy.fields[f].kind, "personal": policy.fields[f].personal}
        for f in dict.fromkeys(fields)
        if f in policy.fields
    }


def _subjects(register: Register) -> list[str]:
    return sorted({table().subject(s) for s in register.data_subjects})


def _declaration(
    policy: Policy,
    pid: str,
    purpose: Purpose,
    fields: list[str],
    subjects: list[str],
    *,
    egress: list[str] | None = None,
    retention: str | None = None,
    datasets: list[str] | None = None,
) -> dict[str, Any]:
    t = table()
    shared = [
        r
        for r in purpose.recipients
        if r in policy.recipients and policy.recipients[r].type != "processor"
    ]
    out: dict[str, Any] = {
        "name": pid,
        "data_categories": _categories(policy, fields),
        "data_use": t.data_use(marketing=purpose.marketing, legal_basis=purpose.legal_basis.basis),
        "data_subjects": subjects,
        "legal_basis_for_processing": t.legal_bases[purpose.legal_basis.basis],
        "flexible_legal_basis_for_processing": False,
        "data_shared_with_third_parties": bool(shared),
    }
    if shared:
        out["third_parties"] = ", ".join(_text(policy.recipients[r].name) or r for r in shared)
    if egress:
        out["egress"] = egress
    if retention:
        out["retention_period"] = retention
    if datasets:
        out["dataset_references"] = datasets
    return out


def _retention(register: Register) -> str | None:
    """The register's retention rules in a line fideslang keeps as text; the importer reads
    back this form: ``after-end: P3M after relationship_end (delete)``, a date-triggered
    rule with its field (``P7Y after date invoice_date``)."""
    rules = [
        f"{rid}: {rule.period} after {rule.trigger}"
        + (f" {rule.date_field}" if rule.date_field else "")
        + f" ({rule.action})"
        for rid, rule in register.retention.items()
    ]
    return "; ".join(rules) or None


def _register_system(
    policy: Policy, rid: str, register: Register, datasets: list[str]
) -> dict[str, Any]:
    t = table()
    declarations = []
    subjects = _subjects(register)
    egress: set[str] = set()
    for pid in register.purposes:
        purpose = policy.purposes.get(pid)
        if purpose is None:
            continue
        fields = [f for f in purpose.fields if f in register.fields]
        out = [r for r in purpose.recipients if r in policy.recipients]
        egress.update(out)
        declarations.append(
            _declaration(
                policy,
                pid,
                purpose,
                fields,
                subjects,
                egress=out,
                retention=_retention(register),
                datasets=datasets,
            )
        )
    meta: dict[str, Any] = {"fields": _field_meta(policy, register.fields)}
    if register.on_behalf_of:
        meta["on_behalf_of"] = register.on_behalf_of
    system: dict[str, Any] = {
        "fides_key": rid,
        "organization_fides_key": ORGANIZATION,
        "name": _text(register.name),
        "description": _text(register.description),
        "system_type": "Service",
        "responsibility": [t.responsibility[register.role]],
        "legal_name": policy.controller.name,
        "privacy_declarations": sorted(declarations, key=lambda d: d["name"]),
        "dataset_references": datasets,
        "meta": {"seloste": meta},
    }
    if egress:
        system["egress"] = [{"fides_key": r, "type": "system"} for r in sorted(egress)]
    if register.security_measures:
        practices = [m for m in (_text(x) for x in register.security_measures) if m]
        system["data_security_practices"] = "; ".join(practices)
    if policy.dpo is not None:
        system["dpo"] = policy.dpo.email or policy.dpo.name
    return {k: v for k, v in system.items() if v is not None}


def _recipient_system(policy: Policy, cid: str) -> dict[str, Any]:
    t = table()
    recipient = policy.recipients[cid]
    declarations = []
    ingress: set[str] = set()
    for pid, purpose in policy.purposes.items():
        if cid not in purpose.recipients:
            continue
        registers = {r: reg for r, reg in policy.registers.items() if pid in reg.purposes}
        ingress.update(registers)
        subjects = sorted({s for reg in registers.values() for s in _subjects(reg)})
        fields = [f for f in purpose.fields if f in recipient.fields] or list(recipient.fields)
        declarations.append(_declaration(policy, pid, purpose, fields, subjects))
    meta: dict[str, Any] = {
        "fields": _field_meta(policy, recipient.fields),
        "recipient": {"type": recipient.type, "locations": list(recipient.locations)},
    }
    if recipient.transfers:
        meta["recipient"]["transfers"] = {p: s.mechanism for p, s in recipient.transfers.items()}
    system: dict[str, Any] = {
        "fides_key": cid,
        "organization_fides_key": ORGANIZATION,
        "name": _text(recipient.name),
        "description": _text(recipient.description),
        "system_type": "Third Party",
        "privacy_declarations": sorted(declarations, key=lambda d: d["name"]),
        "does_international_transfers": bool(recipient.transfers),
        "legal_basis_for_transfers": sorted(
            {t.mechanisms[s.mechanism] for s in recipient.transfers.values()}
        ),
        "meta": {"seloste": meta},
    }
    if ingress:
        system["ingress"] = [{"fides_key": r, "type": "system"} for r in sorted(ingress)]
    return {k: v for k, v in system.items() if v is not None}


def _organization(policy: Policy) -> dict[str, Any]:
    c = policy.controller
    address = (
        None
        if c.address is None
        else f"{c.address.street}, {c.address.postal_code} {c.address.city}, {c.address.country}"
    )
    out: dict[str, Any] = {
        "fides_key": ORGANIZATION,
        "name": c.name,
        "controller": {"name": c.name, "address": address or "", "email": c.contact},
    }
    if policy.dpo is not None:
        out["data_protection_officer"] = {
            "name": policy.dpo.name,
            "email": policy.dpo.email or "",
            "phone": policy.dpo.phone or "",
        }
    return out


def _fides_policy(policy: Policy) -> dict[str, Any]:
    """A Fides policy rejecting, for any use and subject, the categories of the kinds the
    policy forbids and no register allows (fides evaluate needs a policy to run). A category
    is left out when a kind that is not forbidden is declared with it or below it: Fides
    matches a rule's category on every descendant, and the rule would reject lawful data."""
    from seloste.policy.kinds import GROUPS, covering

    t = table()
    allowed = {k for r in policy.registers.values() for k in r.allowed_kinds}
    forbidden = {
        m
        for kind in policy.forbidden_kinds
        for m in {kind, *GROUPS.get(kind, ())}
        if covering(m, allowed) is None
    }
    lawful = {c for k, c in t.kinds.items() if k not in forbidden}
    rules = []
    for kind in policy.forbidden_kinds:
        members = sorted(m for m in {kind, *GROUPS.get(kind, ())} if m in forbidden)
        cats = sorted(
            c
            for c in {t.category_of(m) for m in members}
            if not any(x == c or x.startswith(f"{c}.") for x in lawful)
        )
        if cats:
            rules.append(
                {
                    "name": f"reject {kind}",
                    "data_categories": {"matches": "ANY", "values": cats},
                    # OTHER with no values matches every use and every subject declared.
                    "data_uses": {"matches": "OTHER", "values": []},
                    "data_subjects": {"matches": "OTHER", "values": []},
                }
            )
    return {
        "fides_key": FIDES_POLICY,
        "organization_fides_key": ORGANIZATION,
        "name": "Forbidden kinds of the seloste policy",
        "rules": rules,
    }


def _shared(kind: str) -> bool:
    kinds = table().kinds
    return sum(1 for c in kinds.values() if c == kinds[kind]) > 1


def dataset_key(path: Path) -> str:
    """A dataset's fides_key from its bindings file: the file's name (``crm.bindings.yaml``:
    crm), or its directory's for a file named only ``bindings.yaml``."""
    stem = path.name.split(".")[0]
    if stem == "bindings":
        stem = path.resolve().parent.name
    return re.sub(r"[^a-zA-Z0-9_.-]", "_", stem) or "dataset"


def _dataset(policy: Policy, key: str, bindings: Bindings) -> dict[str, Any]:
    collections = []
    tables: dict[str, Any] = {}
    for name, t in bindings.tables.items():
        fields: dict[str, dict[str, Any]] = {}
        for column in t.declared_columns():
            fields[column] = {"name": column}
        for column, fid in t.columns.items():
            fields[column]["data_categories"] = _categories(policy, [fid])
        fields[t.key]["fides_meta"] = {"primary_key": True}
        if t.subject is not None:
            target = bindings.tables.get(t.subject.table)
            to = f"{t.subject.table}.{target.key if target else 'id'}"
            meta = fields[t.subject.column].setdefault("fides_meta", {})
            meta["references"] = [{"dataset": key, "field": to, "direction": "to"}]
        collections.append({"name": name, "fields": [fields[c] for c in sorted(fields)]})
        about: dict[str, Any] = {"register": t.register_id}
        about.update({r: getattr(t, r) for r in RULE_COLUMNS if getattr(t, r)})
        if t.purposes:
            about["purposes"] = list(t.purposes)
        if t.outbound_to:
            about["outbound_to"] = list(t.outbound_to)
        if not t.linked_content:
            about["linked_content"] = False
        if t.time_formats:
            about["time_formats"] = dict(t.time_formats)
        # A column whose category several kinds share: its exact field.
        shared = {
            c: f
            for c, f in t.columns.items()
            if f in policy.fields and _shared(policy.fields[f].kind)
        }
        if shared:
            about["columns"] = shared
        tables[name] = about
    return {
        "fides_key": key,
        "organization_fides_key": ORGANIZATION,
        "name": key,
        "description": bindings.description,
        "meta": {"seloste": {"tables": tables}},
        "collections": sorted(collections, key=lambda c: c["name"]),
    }


def manifests(policy: Policy, bindings: dict[str, Bindings]) -> dict[str, dict[str, Any]]:
    """The manifest files, by name: each a mapping from resource type to resources."""
    datasets_of: dict[str, list[str]] = {}
    for key, b in bindings.items():
        for t in b.tables.values():
            datasets_of.setdefault(t.register_id, [])
            if key not in datasets_of[t.register_id]:
                datasets_of[t.register_id].append(key)
    systems = [
        _register_system(policy, rid, r, datasets_of.get(rid, []))
        for rid, r in policy.registers.items()
    ]
    systems += [_recipient_system(policy, cid) for cid in policy.recipients]
    out: dict[str, dict[str, Any]] = {
        "organization.yml": {"organization": [_organization(policy)]},
        "policy.yml": {"policy": [_fides_policy(policy)]},
        "system.yml": {"system": systems},
    }
    if bindings:
        out["dataset.yml"] = {"dataset": [_dataset(policy, key, b) for key, b in bindings.items()]}
    return out


def dump(manifest: dict[str, Any]) -> str:
    import yaml

    class _Plain(yaml.SafeDumper):
        def ignore_aliases(self, data: Any) -> bool:  # a shared list is written out again
            return True

    # SafeDumper quotes what YAML 1.1 (fideslang's reader) would misread: NO, yes, 2026-01-01.
    text: str = yaml.dump(manifest, Dumper=_Plain, sort_keys=False, allow_unicode=True, width=100)
    return text
