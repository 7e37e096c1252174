"""The record of processing activities (GDPR Art. 30), from the same policy as the notice.

One row a register, every column filled or "not applicable": as CSV for a spreadsheet, or
as Markdown, one table for each paragraph of Art. 30.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

from seloste.policy import parties, regions
from seloste.policy.model import Policy, Register, RetentionException, RetentionRule
from seloste.policy.terms import Lang
from seloste.policy.wording import (
    Words,
    exception_words,
    field_names,
    kind_words,
    md_escape,
    places_words,
    postal_address,
    recipient_name,
    register_recipients,
    rule_words,
    safeguard_words,
    verified_words,
)

ROPA_COLUMNS = (
    "register",
    "article",
    "controller",
    "processor",
    "dpo",
    "purposes",
    "processing",
    "data_subjects",
    "personal_data",
    "recipients",
    "transfers",
    "retention",
    "security",
)
# The columns each paragraph of Art. 30 asks for; the others are "not applicable" there.
ART_30_1 = (
    "register",
    "controller",
    "dpo",
    "purposes",
    "data_subjects",
    "personal_data",
    "recipients",
    "transfers",
    "retention",
    "security",
)
ART_30_2 = ("register", "processor", "controller", "dpo", "processing", "transfers", "security")


def _joined(
    items: Iterable[str], words: Words, empty: str = "text.not_declared", sep: str = "; "
) -> str:
    items = [i for i in items if i]
    return sep.join(items) if items else words.term(empty)


def _party(name: str, *details: str | None) -> str:
    return ", ".join([name, *(d for d in details if d)])


def _transfers_cell(policy: Policy, register: Register, words: Words) -> str:
    """Recipients that process outside the EU/EEA, with where; a third country is any other."""
    reached = register_recipients(policy, register)
    if register.on_behalf_of and register.on_behalf_of not in reached:
        reached.append(register.on_behalf_of)
    out = []
    for rid in reached:
        recipient = policy.recipients.get(rid)
        if recipient is None:
            continue
        name = words.text(recipient.name)
        outside = [p for p in recipient.locations if not regions.within(p, ["EEA"], policy.regions)]
        # A place with a safeguard is named with it (Art. 30(1)(e)), as the notice words it.
        bare = [p for p in outside if p not in recipient.transfers]
        if bare:
            out.append(f"{name}: {places_words(bare, words.lang)}")
        out += [
            f"{name}: {safeguard_words(policy, place, safeguard, words)}"
            for place, safeguard in recipient.transfers.items()
            if not regions.within(place, policy.transfers.allowed, policy.regions)
        ]
    return _joined(out, words, empty="text.no_transfers")


def _recipients_cell(policy: Policy, register: Register, words: Words) -> str:
    """The recipients (Art. 30(1)(d)) as two lists: processors, and controllers of their own."""
    lists = []
    for label, ids in (
        ("ropa.recipients.processors", parties.processors(policy, register)),
        ("ropa.recipients.controllers", parties.controllers(policy, register)),
    ):
        if ids:
            named = ", ".join(_named_recipient(policy, rid, words) for rid in ids)
            lists.append(f"{words.term(label)}: {named}")
    return _joined(lists, words, empty="text.no_recipients")


def _named_recipient(policy: Policy, rid: str, words: Words) -> str:
    recipient = policy.recipients[rid]
    if recipient.type in ("processor", "third_party"):  # the list's heading says it already
        return recipient_name(policy, rid, words)
    return f"{recipient_name(policy, rid, words)} ({kind_words(recipient, words)})"


def _security_cell(register: Register, words: Words) -> str:
    measures = [words.text(m) for m in register.security_measures]
    if register.staff_trained:
        measures.append(words.term("text.staff_trained"))
    return _joined(measures, words)


def ropa_row(policy: Policy, rid: str, words: Words) -> dict[str, str]:
    """One register as a row of the record; every column filled, or "not applicable"."""
    r = policy.registers[rid]
    c = policy.controller
    us = _party(c.name, postal_address(c), c.contact)
    dpo = policy.dpo
    purposes = [words.text(policy.purposes[p].name) for p in r.purposes if p in policy.purposes]
    cells = {
        "register": words.text(r.name),
        "dpo": _party(dpo.name, dpo.email, dpo.phone) if dpo else words.term("text.not_declared"),
        "transfers": _transfers_cell(policy, r, words),
        "security": _security_cell(r, words),
    }
    if r.role == "processor":
        owner = policy.recipients.get(r.on_behalf_of or "")
        kind = words.term("role.controller")
        cells |= {
            "article": "30(2)",
            "processor": us,
            "controller": f"{words.text(owner.name)} ({kind})"
            if owner
            else words.term("text.not_declared"),
            "processing": _joined(purposes or [words.text(r.description)], words),
        }
    else:
        retention = []
        for rule in r.retention.values():
            # The record of processing says who verifies a rule the database cannot show.
            retention.append(_with_verifier(rule_words(policy, rule, words), rule, words))
            retention += [
                _with_verifier(exception_words(policy, rule, e, words), e, words)
                for e in rule.exceptions.values()
            ]
        cells |= {
            "article": "30(1)",
            "controller": us,
            "purposes": _joined(purposes, words),
            "data_subjects": _joined((words.text(t) for t in r.data_subjects.values()), words),
            "personal_data": _joined(field_names(policy, r.fields, words), words),
            "recipients": _recipients_cell(policy, r, words),
            "retention": _joined(retention, words, sep=" "),  # sentences already end in "."
        }
    na = words.term("text.not_applicable")
    return {column: cells.get(column, na) for column in ROPA_COLUMNS}


def _with_verifier(sentence: str, rule: RetentionRule | RetentionException, words: Words) -> str:
    return " ".join(p for p in (sentence, verified_words(rule, words)) if p)


# What makes a spreadsheet read a cell as a formula (OWASP, "CSV Injection"): a policy's text
# such as =HYPERLINK("https://...") would otherwise run when the record is opened.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(text: str) -> str:
    """``text`` as a spreadsheet shows it, never runs it: a leading quote where it would start
    a formula, as OWASP recommends (the quote is shown, the rest is kept as written)."""
    return f"'{text}" if text.startswith(_FORMULA_START) else text


def render_ropa(policy: Policy, lang: Lang, fmt: str = "csv") -> str:
    """The record of processing: CSV (one row a register) or Markdown (a table per paragraph)."""
    words = Words(lang)
    rows = [ropa_row(policy, rid, words) for rid in policy.registers]
    headers = {column: words.term(f"ropa.{column}") for column in ROPA_COLUMNS}
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerows(
            [csv_cell(c) for c in row] for row in [headers.values(), *(r.values() for r in rows)]
        )
        return out.getvalue()
    parts = [f"# {md_escape(words.term('ropa.title'))}\n"]
    for article, columns, heading in (
        ("30(1)", ART_30_1, "ropa.as_controller"),
        ("30(2)", ART_30_2, "ropa.as_processor"),
    ):
        chosen = [row for row in rows if row["article"] == article]
        if not chosen:
            continue
        parts.append(f"\n## {md_escape(words.term(heading))}\n\n")
        parts.append(
            _md_table([headers[c] for c in columns], [[r[c] for c in columns] for r in chosen])
        )
    return "".join(parts)


def _md_table(header: list[str], rows: list[list[str]]) -> str:
    def line(cells: list[str]) -> str:
        return "| " + " | ".join(md_escape(c) for c in cells) + " |\n"

    return line(header) + "|" + "---|" * len(header) + "\n" + "".join(line(r) for r in rows)
