"""The policy in words, one language at a time: what the notice, the record of processing and
the diff say the same way.

The fixed vocabulary (legal bases, rights, roles, units) comes from ``terms``; the policy's
own names come from its ``Text`` values, through :class:`Words`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache
from typing import Any

from seloste.policy import periods
from seloste.policy.model import (
    Controller,
    LegalBasis,
    Policy,
    Recipient,
    Register,
    RetentionException,
    RetentionRule,
    Safeguard,
    Text,
)
from seloste.policy.terms import LANGUAGES, TERMS, Lang, term

# GDPR Art. 6(1) point of each basis.
BASIS_POINT = {
    "consent": "a",
    "contract": "b",
    "legal_obligation": "c",
    "vital_interests": "d",
    "public_task": "e",
    "legitimate_interests": "f",
}


@dataclass
class Words:
    """Text of the policy in one language; a missing translation falls back to the other.

    The fallback is not marked in the notice (POL012 already reports every missing
    translation); it is counted so that the command can say that it happened.
    """

    lang: Lang
    fallbacks: int = 0

    def text(self, value: Text | None) -> str:
        if value is None:
            return ""
        own = getattr(value, self.lang)
        if own is not None:
            return _squash(own)
        for other in (*LANGUAGES, "sv"):
            if getattr(value, other) is not None:
                self.fallbacks += 1
                return _squash(getattr(value, other))
        return ""

    def term(self, key: str, /, **values: str) -> str:
        return term(key, self.lang, **values)


def _squash(text: str) -> str:
    # Folded YAML leaves line breaks and double spaces; one line keeps Markdown structure safe.
    return " ".join(text.split())


_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|#])")


def md_escape(value: Any) -> str:
    """Policy text as literal Markdown: no emphasis, links or raw HTML can come from it."""
    return _MD_SPECIAL.sub(r"\\\1", str(value))


def period_words(duration: str, lang: Lang) -> str:
    """An ISO 8601 duration in words: ``P3M`` is "3 kuukautta" or "3 months"."""
    written = periods.parts(duration)
    if written is None:  # a fractional or otherwise unusual duration: show it as written
        return duration
    words = []
    for unit, amount in written:
        one, many = term(f"unit.{unit}", lang).split("|")
        words.append(f"{amount} {one if amount == 1 else many}")
    return " ".join(words) or duration


@cache
def _country_names(lang: Lang) -> Callable[[str], str]:
    import gettext

    import pycountry

    if lang == "en":
        return lambda name: name
    return gettext.translation(
        "iso3166-1", pycountry.LOCALES_DIR, languages=[lang], fallback=True
    ).gettext


def place_words(place: str, lang: Lang) -> str:
    """A country or region as a reader knows it: "EU/ETA", "Norja", "Norway"."""
    if f"place.{place}" in TERMS:
        return term(f"place.{place}", lang)
    if re.fullmatch(r"[A-Z]{2}", place):
        import pycountry

        country = pycountry.countries.get(alpha_2=place)
        if country is not None:
            return _country_names(lang)(country.name)
    return place  # a region the policy defines itself: its own name


def places_words(places: Iterable[str], lang: Lang) -> str:
    return ", ".join(place_words(p, lang) for p in places)


def basis_words(basis: LegalBasis, words: Words) -> str:
    """A legal basis in words: "Sopimus (tietosuoja-asetuksen 6 art. 1 b)", and its reference."""
    article = words.term("basis.article", point=BASIS_POINT[basis.basis])
    out = f"{words.term(f'basis.{basis.basis}')} ({article})"
    return f"{out}, {basis.reference}" if basis.reference else out


def kind_words(recipient: Recipient, words: Words) -> str:
    """What a recipient is: "processor (acts on the controller's behalf, GDPR Art. 28)"."""
    return words.term(f"type.{recipient.type}")


def postal_address(controller: Controller) -> str:
    """The controller's address on one line, or "" when the policy gives none."""
    a = controller.address
    return f"{a.street}, {a.postal_code} {a.city}" if a is not None else ""


def field_names(policy: Policy, ids: Iterable[str], words: Words) -> list[str]:
    # An unknown field is a lint error (POL001); its ID is still better than nothing here.
    return [words.text(policy.fields[f].name) if f in policy.fields else f for f in ids]


def recipient_name(policy: Policy, rid: str, words: Words) -> str:
    recipient = policy.recipients.get(rid)
    return words.text(recipient.name) if recipient else rid


def retention_words(
    policy: Policy,
    rule: RetentionRule | RetentionException,
    words: Words,
    *,
    trigger: str,
    action: str,
    fields: list[str],
) -> str:
    """One retention rule as a sentence: period, from when, and what then happens."""
    if trigger == "date":
        date_field = field_names(policy, [rule.date_field or "?"], words)[0]
        start = words.term("trigger.date", field=date_field)
    else:
        start = words.term(f"trigger.{trigger}")
    what = words.term("text.retention.fields" if fields else "text.retention.record")
    done = words.term(f"action.{action}")
    if periods.compare(rule.period, "PT0S") == 0:  # P0D: "until consent is withdrawn"
        sentence = words.term("text.retention.at_once", trigger=start, what=what, action=done)
    else:
        period = period_words(rule.period, words.lang)
        sentence = words.term(
            "text.retention", period=period, trigger=start, what=what, action=done
        )
    if fields:
        sentence = f"{sentence[:-1]}: {', '.join(field_names(policy, fields, words))}."
    return sentence


def rule_words(policy: Policy, rule: RetentionRule, words: Words) -> str:
    fields = rule.fields if rule.scope == "fields" else []
    sentence = retention_words(
        policy, rule, words, trigger=rule.trigger, action=rule.action, fields=fields
    )
    description = words.text(rule.description)
    parts = [description, sentence] if description else [sentence]
    if rule.linked_content:
        parts.append(words.term("text.retention.linked"))
    return " ".join(parts)


def exception_words(
    policy: Policy, rule: RetentionRule, exc: RetentionException, words: Words
) -> str:
    # The exception keeps its fields longer; what happens after it is the rule's own action.
    sentence = retention_words(
        policy,
        exc,
        words,
        trigger=exc.trigger or rule.trigger,
        action=rule.action,
        fields=exc.fields,
    )
    basis = f"{words.term('label.legal_basis')}: {basis_words(exc.legal_basis, words)}."
    return " ".join(p for p in (words.text(exc.description), sentence, basis) if p)


def verified_words(rule: RetentionRule | RetentionException, words: Words) -> str:
    """Who verifies a rule outside the database, and how; "" for a rule checked in it."""
    verified = rule.verified_outside
    if verified is None:
        return ""
    by, how = words.text(verified.by), words.text(verified.how)
    return words.term("text.retention.verified", by=by, how=how)


def register_recipients(policy: Policy, register: Register) -> list[str]:
    """Recipient IDs a register's data reaches: its purposes' recipients (processors
    included: a register's processors are derived from them, policy/parties.py)."""
    from seloste.policy.parties import reached

    return reached(policy, register)


_MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]


def day_words(day: str, lang: Lang) -> str:
    """A YYYY-MM-DD date as a notice writes it: "10 July 2023", "10.7.2023"."""
    year, month, dom = (int(part) for part in day.split("-"))
    return f"{dom}.{month}.{year}" if lang == "fi" else f"{dom} {_MONTHS[month - 1]} {year}"


def safeguard_words(policy: Policy, place: str, safeguard: Safeguard, words: Words) -> str:
    """One transfer with its mechanism: "to the United States under the EU-US Data Privacy
    Framework (adequacy decision of 10 July 2023)"; an adequacy decision is the one in force
    today, else the latest on record (a lapsed one is the checks' finding, not the notice's)."""
    where = place_words(place, words.lang)
    if words.lang == "en" and place in _DEFINITE:
        where = f"the {where}"
    mechanism: str = safeguard.mechanism
    values = {"place": where}
    scope = ""
    if mechanism == "adequacy":
        from seloste.policy import adequacy

        decision = adequacy.shown(place, policy)
        if decision is None:  # none on record: POL004 reports it; the notice names the kind
            mechanism = "adequacy.unknown"
        else:
            values["date"] = day_words(decision.adopted, words.lang)
            if decision.name:
                mechanism, values["name"] = "adequacy.named", decision.name
            # A partial decision protects only what it covers: the data subject must know which.
            scope = words.text(decision.scope)
    sentence = words.term(f"transfer.{mechanism}", **values)
    if scope:
        sentence = f"{sentence}, {scope}"
    if safeguard.reference:
        sentence = f"{sentence}, {safeguard.reference}"
    reason = words.text(safeguard.reason)
    return f"{sentence}: {reason}" if reason else sentence


# Countries whose English name takes "the" ("to the United States").
_DEFINITE = frozenset({"US", "GB", "FO", "IM", "NL", "PH", "AE", "BS", "GM"})
