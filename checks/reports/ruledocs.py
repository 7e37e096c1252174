"""Rule documentation for the formats that describe rules (SARIF, JUnit, GitHub, HTML).

Kept apart from the report itself: only those formats need it, and reading it imports every
rule module.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache


@dataclass(frozen=True)
class RuleDoc:
    """A rule's documentation, as the formats that describe rules (SARIF) need it."""

    id: str
    name: str
    severity: str
    scope: str
    doc: str

    @property
    def summary(self) -> str:
        """The first paragraph of "What it does", on one line."""
        return " ".join(self.section("What it does").split("\n\n")[0].split()) or self.name

    def section(self, title: str) -> str:
        head = f"## {title}"
        if head not in self.doc:
            return ""
        return self.doc.split(head, 1)[1].split("\n## ", 1)[0].strip()


@cache
def rule_docs() -> dict[str, RuleDoc]:
    """Every registered rule's documentation, by ID."""
    from seloste.checks.rules import RULES

    return {
        rid: RuleDoc(rid, m.NAME, m.SEVERITY, m.SCOPE, (m.__doc__ or "").strip())
        for rid, m in sorted(RULES.items())
    }


def rule_doc(rule_id: str) -> RuleDoc:
    """A rule's documentation; a rule outside the registry still gets a minimal entry."""
    return rule_docs().get(rule_id) or RuleDoc(rule_id, rule_id.lower(), "error", "-", "")
