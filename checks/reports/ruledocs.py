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
    def meaning(self) -> str:
        """What a finding of the rule means under the GDPR, in one plain sentence."""
        return MEANINGS.get(self.id, self.summary)

    @property
    def fix(self) -> str:
        """How to fix a finding: the example's "Use instead" paragraph, on one line."""
        _, found, rest = self.section("Example").partition("Use instead")
        text = " ".join(rest.lstrip(":").split("```")[0].split()).rstrip(":.")
        return f"{text[:1].upper()}{text[1:]}." if found and text else ""

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


_ACCURACY = "Personal data that is not accurate (accuracy, GDPR Art. 5(1)(d))."
_TRANSFER = "Personal data leaves the allowed region without a safeguard that holds (GDPR Ch. V)."
# What a finding of each rule means, in the words of the notice's reader (the HTML report shows
# it beside every finding); the rule's own docstring says the same at length.
MEANINGS = {
    "BND001": "The bindings name something the policy does not know: that data goes unchecked.",
    "BND002": "A table holds a field its register does not list: more data than the notice "
    "says is stored (data minimisation, GDPR Art. 5(1)(c)).",
    "BND003": "Linked content cannot be traced to its data subject, so retention and rights "
    "cannot be checked for it.",
    "BND004": "A retention or rights rule has no column to be checked against: its promise "
    "is not verified.",
    "BND005": "A row key may itself be personal data, and reports would show it "
    "(confidentiality, GDPR Art. 5(1)(f)).",
    "FLW001": "Data goes to a recipient the notice does not name (GDPR Art. 13(1)(e)).",
    "FLW002": "A recipient or purpose gets data the notice does not give it (purpose "
    "limitation and data minimisation, GDPR Art. 5(1)(b) and (c)).",
    "FLW003": "Data is used for a purpose the notice does not name for it (purpose "
    "limitation, GDPR Art. 5(1)(b)).",
    "FLW004": _TRANSFER,
    "FLW005": "Marketing reaches people who objected to it (right to object, GDPR Art. 21(3)).",
    "FLW006": "Data whose processing is restricted is used or disclosed (GDPR Art. 18(2)).",
    "FLW007": "A flow carries data the notice does not describe at all: nothing it promises "
    "can be checked for it.",
    "POL001": "The policy names a field it does not describe: whether it is personal data, "
    "and of what kind, is unknown.",
    "POL002": "The policy names a recipient it does not declare (GDPR Art. 13(1)(e)).",
    "POL003": "The policy names a purpose it does not declare (purpose limitation, GDPR "
    "Art. 5(1)(b)).",
    "POL004": "The notice allows a transfer outside the allowed region without a safeguard "
    "that holds (GDPR Ch. V).",
    "POL005": "Nothing says when a register's data is deleted (storage limitation, GDPR "
    "Art. 5(1)(e)).",
    "POL006": "A marketing purpose does not let people object to it (GDPR Art. 21(2) and (3)).",
    "POL007": "Data is disclosed without honouring a restriction of processing (GDPR Art. 18).",
    "POL008": "A permission matches no data any register holds: the notice promises "
    "something the systems cannot do.",
    "POL009": "A register holds a kind of data the policy forbids (special categories, GDPR "
    "Art. 9; the personal identity code, Tietosuojalaki 29 §).",
    "POL010": "A list names the same entry twice, which hides what the notice says.",
    "POL011": "A processor's role is not set out as a processor must be (GDPR Art. 28).",
    "POL012": "The notice lacks a translation: its readers in that language are told less "
    "(transparency, GDPR Art. 12).",
    "POL013": "A retention rule cannot be enforced as written.",
    "POL014": "The notice names a recipient no purpose uses, which misleads its readers about "
    "who gets their data (GDPR Art. 13(1)(e)).",
    "SEL001": "Something could not be checked: no pass can be claimed for it.",
    "SEL002": "A waiver has expired: the accepted finding must be looked at again.",
    "SEL003": "A waiver matches no finding: it accepts nothing any more.",
    "SNP001": "A column holds data the notice does not say is stored (transparency, GDPR "
    "Art. 13 and 14).",
    "SNP002": "A table holds personal data outside every promise of the notice.",
    "SNP003": "The data holds a kind the notice promises no register holds (GDPR Art. 9; "
    "Tietosuojalaki 29 §).",
    "SNP004": "Personal data is kept longer than the notice says (storage limitation, GDPR "
    "Art. 5(1)(e)).",
    "SNP005": "People who forbade marketing are still in marketing data (right to object, "
    "GDPR Art. 21(3)).",
    "SNP006": "Data whose processing is restricted is used or sent out (GDPR Art. 18(2)).",
    "SNP007": _ACCURACY,
    "SNP008": _ACCURACY,
    "SNP009": _ACCURACY,
    "SNP010": "A value no rule can read: whether its row keeps the notice's promises is unknown.",
    "SNP011": "Part of the data was not checked in full: a pass covers only what was checked.",
    "SNP012": "A column's name says it holds special categories of data, which need a "
    "specific basis (GDPR Art. 9).",
    "SNP013": _ACCURACY,
    "SNP014": _ACCURACY,
}
