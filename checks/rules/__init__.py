"""The rule registry: one plain table from rule ID to the module that implements it.

Each rule is a module with ``ID``, ``NAME``, ``SEVERITY``, ``SCOPE`` (what it reads: policy,
bindings, snapshot or flows), a docstring in the shape ``seloste explain`` prints (what it
does, why it matters, an example, the fix) and ``check(context) -> Iterator[Finding]``.
"""

from __future__ import annotations

from functools import cache
from importlib import import_module
from types import ModuleType
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    RULES: dict[str, ModuleType]  # every rule by ID; see __getattr__

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
    "bnd005_personal_key",
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
    "snp010_unreadable_value",
    "snp011_not_fully_checked",
    "snp012_special_category_name",
    "snp013_invalid_iban",
    "snp014_invalid_ip_address",
)
# The family (module name prefix) that holds the rules of each scope, so that a run imports
# only the rules it runs: ``validate`` on the pre-commit path must not pay for the snapshot
# rules and the snapshot engine they import. The module's own ``SCOPE`` still decides.
_FAMILIES = {
    "policy": "pol",
    "bindings": "bnd",
    "flows": "flw",
    "snapshot": "snp",
    "gate": "sel",
    "any": "sel",
}


@cache
def _family(prefix: str) -> tuple[ModuleType, ...]:
    """The rule modules whose names start with ``prefix`` ("" for all), in listing order."""
    return tuple(import_module(f"seloste.checks.rules.{n}") for n in _NAMES if n.startswith(prefix))


@cache
def _registry() -> dict[str, ModuleType]:
    return {m.ID: m for m in _family("")}


def __getattr__(name: str) -> Any:
    # ``RULES``, the whole registry by ID, is built on first use (PEP 562).
    if name == "RULES":
        return _registry()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def by_scope(scope: str) -> list[ModuleType]:
    """The rules that read ``scope``, importing only their family."""
    return [m for m in _family(_FAMILIES.get(scope, "")) if scope == m.SCOPE]


def find(name: str) -> ModuleType | None:
    """A rule by ID (POL001) or name (unknown-field), case-insensitively."""
    wanted = name.strip().lower()
    rules = _registry().values()
    return next((m for m in rules if wanted in (m.ID.lower(), m.NAME.lower())), None)
