"""The mapping table between seloste and fideslang (taxonomy.yaml), read once."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import yaml


@dataclass(frozen=True)
class Reading:
    """What a data category says of a field: its seloste kind, whether it is personal, and
    what a person must still decide (empty when nothing)."""

    kind: str
    personal: bool
    todo: str


@dataclass(frozen=True)
class UseReading:
    """What a data use says of a purpose: direct marketing or not, and its usual basis."""

    marketing: bool
    legal_basis: str


@dataclass(frozen=True)
class Table:
    kinds: dict[str, str]
    categories: dict[str, Reading]
    purposes: list[dict[str, Any]]
    data_uses: dict[str, UseReading]
    legal_bases: dict[str, str]
    mechanisms: dict[str, str]
    responsibility: dict[str, str]
    subjects: list[tuple[str, tuple[str, ...]]]
    subject_default: str
    default: dict[str, dict[str, str]]

    def category_of(self, kind: str) -> str:
        return self.kinds[kind]

    def reading(self, category: str) -> Reading | None:
        """The reading of ``category`` by its nearest ancestor in the table (itself first)."""
        found = _nearest(category, self.categories)
        return None if found is None else self.categories[found]

    def use_reading(self, use: str) -> UseReading | None:
        found = _nearest(use, self.data_uses)
        return None if found is None else self.data_uses[found]

    def data_use(self, *, marketing: bool, legal_basis: str) -> str:
        """The data use of a purpose: the first rule of ``purposes`` that matches it."""
        for rule in self.purposes:
            if "marketing" in rule and rule["marketing"] != marketing:
                continue
            if "legal_basis" in rule and rule["legal_basis"] != legal_basis:
                continue
            use: str = rule["data_use"]
            return use
        raise LookupError("taxonomy.yaml: purposes has no default rule")

    def subject(self, subject_id: str) -> str:
        """The fideslang data subject of a seloste data subject ID."""
        from seloste.checks.snapshot.values import name_parts

        parts = name_parts(subject_id)
        for subject, words in self.subjects:
            if any(part.startswith(word) for part in parts for word in words):
                return subject
        return self.subject_default

    def basis_named(self, fides: str) -> str | None:
        """The seloste legal basis of fideslang's ``legal_basis_for_processing``."""
        return next((b for b, f in self.legal_bases.items() if f == fides), None)


def _nearest(key: str, table: dict[str, Any]) -> str | None:
    parts = key.split(".")
    for n in range(len(parts), 0, -1):
        if (prefix := ".".join(parts[:n])) in table:
            return prefix
    return None


@cache
def table() -> Table:
    text = resources.files("seloste.checks.fides").joinpath("taxonomy.yaml").read_text("utf-8")
    data = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    return Table(
        kinds=data["kinds"],
        categories={
            k: Reading(v["kind"], v["personal"], v.get("todo", ""))
            for k, v in data["categories"].items()
        },
        purposes=data["purposes"],
        data_uses={
            k: UseReading(v["marketing"], v["legal_basis"]) for k, v in data["data_uses"].items()
        },
        legal_bases=data["legal_bases"],
        mechanisms=data["mechanisms"],
        responsibility=data["responsibility"],
        subjects=[(s["subject"], tuple(s["words"])) for s in data["subjects"]],
        subject_default=data["subject_default"],
        default=data["default"],
    )
