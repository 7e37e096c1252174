"""The rule registry: one plain table from rule ID to the module that implements it.

Each rule is a module with ``ID``, ``NAME``, ``SEVERITY``, ``SCOPE`` (what it reads: policy,
bindings, snapshot or flows), a docstring in the shape ``seloste explain`` prints (what it
does, why it matters, an example, the fix) and ``check(context) -> Iterator[Finding]``.
"""

from __future__ import annotations

from importlib import import_module
from types import ModuleType

# The rule modules, in the order `seloste rules` lists them.
_NAMES = (
    "pol001_unknown_field",
    "pol002_unknown_recipient",
    "pol003_unknown_purpose",
    "pol004_transfer_outside_region",
    "pol005_register_without_retention",
    "pol006_marketing_without_opt_out",
    "pol007_disclosure_without_restriction",
    "pol008_field_not_held",
    "pol009_forbidden_kind_held",
    "pol010_duplicate_entry",
    "pol011_processor_role",
    "pol012_missing_translation",
    "pol013_incomplete_retention",
    "pol014_unused_recipient",
    "bnd001_unknown_reference",
    "bnd002_field_not_in_register",
    "bnd003_broken_subject_link",
    "bnd004_unbound_rule_column",
    "flw001_unknown_flow_recipient",
    "flw002_field_not_allowed",
    "flw003_flow_purpose_not_allowed",
    "flw004_flow_transfer_outside_region",
    "flw005_marketing_flow_without_opt_out",
    "flw006_flow_without_restriction",
    "flw007_unknown_flow_reference",
    "sel001_not_checked",
    "sel002_expired_waiver",
    "sel003_stale_waiver",
    "snp001_unmapped_column",
    "snp002_unbound_personal_data",
    "snp003_forbidden_kind_value",
    "snp004_retention_expired",
    "snp005_opted_out_in_marketing",
    "snp006_restricted_in_outbound",
    "snp007_invalid_business_id",
    "snp008_invalid_email",
    "snp009_invalid_phone",
)
_MODULES: tuple[ModuleType, ...] = tuple(import_module(f"checks.rules.{n}") for n in _NAMES)

RULES: dict[str, ModuleType] = {m.ID: m for m in _MODULES}


def by_scope(scope: str) -> list[ModuleType]:
    return [m for m in RULES.values() if scope == m.SCOPE]


def find(name: str) -> ModuleType | None:
    """A rule by ID (POL001) or name (unknown-field), case-insensitively."""
    wanted = name.strip().lower()
    return next((m for m in RULES.values() if wanted in (m.ID.lower(), m.NAME.lower())), None)
