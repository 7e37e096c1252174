"""Render the privacy notice and the record of processing activities from a policy.

The notice is rendered from the policy that the checks enforce, so the published promise and
the checked one cannot drift apart. Python turns the policy into a *view* in one language
(plain strings, already translated; see ``NoticeView``) and a Jinja2 template lays it out, so
a user template (``--templates DIR``) changes the layout and never the content.

Jinja2 is imported inside the render functions only: the pre-commit path imports ``policy``
and must stay light.
"""

from __future__ import annotations

import csv
import io
import re
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from seloste.policy import regions
from seloste.policy.errors import InputError, Problem
from seloste.policy.model import (
    LegalBasis,
    Policy,
    Register,
    RetentionException,
    RetentionRule,
    Text,
)
from seloste.policy.terms import LANGUAGES, TERMS, Lang, term, terms_for

# GDPR Art. 6(1) point of each basis, and the article of each right.
BASIS_POINT = {
    "consent": "a",
    "contract": "b",
    "legal_obligation": "c",
    "vital_interests": "d",
    "public_task": "e",
    "legitimate_interests": "f",
}
RIGHT_ARTICLE = {
    "access": "15",
    "rectification": "16",
    "erasure": "17",
    "restriction": "18",
    "portability": "20",
    "objection": "21",
    "marketing_opt_out": "21",
}
# notice.sections that have a fixed place in the notice; any other is its own section.
PLACED_SECTIONS = ("complaint", "disclosures")
FORMATS = ("md", "html")


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

    def term(self, key: str, **values: str) -> str:
        return term(key, self.lang, **values)


def _squash(text: str) -> str:
    # Folded YAML leaves line breaks and double spaces; one line keeps Markdown structure safe.
    return " ".join(text.split())


# -- pieces shared by the notice and the record of processing -------------------------------


def period_words(duration: str, lang: Lang) -> str:
    """An ISO 8601 duration in words: ``P3M`` is "3 kuukautta" or "3 months"."""
    match = re.fullmatch(
        r"P(?:(?P<Y>\d+)Y)?(?:(?P<M>\d+)M)?(?:(?P<W>\d+)W)?(?:(?P<D>\d+)D)?"
        r"(?:T(?:(?P<TH>\d+)H)?(?:(?P<TM>\d+)M)?(?:(?P<TS>\d+)S)?)?",
        duration,
    )
    if match is None:  # a fractional or otherwise unusual duration: show it as written
        return duration
    parts = []
    for unit, amount in match.groupdict().items():
        if amount is None:
            continue
        one, many = term(f"unit.{unit}", lang).split("|")
        parts.append(f"{int(amount)} {one if int(amount) == 1 else many}")
    return " ".join(parts) or duration


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


def basis_words(basis: LegalBasis, words: Words) -> str:
    """A legal basis in words: "Sopimus (tietosuoja-asetuksen 6 art. 1 b)", and its reference."""
    article = words.term("basis.article", point=BASIS_POINT[basis.basis])
    out = f"{words.term(f'basis.{basis.basis}')} ({article})"
    return f"{out}, {basis.reference}" if basis.reference else out


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
    sentence = words.term(
        "text.retention",
        period=period_words(rule.period, words.lang),
        trigger=start,
        what=what,
        action=words.term(f"action.{action}"),
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


def register_recipients(policy: Policy, register: Register) -> list[str]:
    """Recipient IDs a register's data reaches: its purposes' recipients, then its processors."""
    out: list[str] = []
    for pid in register.purposes:
        purpose = policy.purposes.get(pid)
        for rid in purpose.recipients if purpose else []:
            if rid not in out:
                out.append(rid)
    out += [rid for rid in register.processors if rid not in out]
    return out


def owner_name(policy: Policy, register: Register, words: Words) -> str:
    return recipient_name(policy, register.on_behalf_of or "?", words)


# -- the notice ------------------------------------------------------------------------------


@dataclass(frozen=True)
class NamedText:
    name: str
    text: str = ""


@dataclass(frozen=True)
class ControllerView:
    name: str
    address: str
    business_id: str
    email: str
    url: str
    contact: str


@dataclass(frozen=True)
class PurposeView:
    name: str
    description: str
    legal_basis: str
    fields: list[str]
    recipients: list[str]
    honours: list[str]


@dataclass(frozen=True)
class RetentionView:
    text: str
    exceptions: list[str]


@dataclass(frozen=True)
class RegisterView:
    id: str
    name: str
    description: str
    role: str
    data_subjects: list[str]
    legal_basis: str
    legal_basis_text: str
    purposes: list[PurposeView]
    fields: list[str]
    sources: list[str]
    retention: list[RetentionView]
    rights: list[NamedText]
    rights_contact: str
    security: list[str]
    handled_by: list[str]
    staff_trained: str
    processors: list[str]


@dataclass(frozen=True)
class RecipientView:
    name: str
    kind: str
    locations: str
    description: str
    formerly: str
    fields: list[str]


@dataclass(frozen=True)
class NoticeView:
    """Everything a notice template gets, already in the requested language."""

    lang: str
    title: str
    controller: ControllerView
    dpo: NamedText | None
    contact: str
    informing: str
    registers: list[RegisterView]
    recipients: list[RecipientView]
    disclosures: str
    transfers: list[str]
    complaint: list[str]
    changes: str
    sections: list[NamedText] = field(default_factory=list)


def _controller_view(policy: Policy) -> ControllerView:
    c = policy.controller
    address = ""
    if c.address is not None:
        address = f"{c.address.street}, {c.address.postal_code} {c.address.city}"
    return ControllerView(
        name=c.name,
        address=address,
        business_id=c.business_id or "",
        email=c.email or "",
        url=c.url or "",
        contact=c.contact,
    )


def _purpose_view(policy: Policy, pid: str, words: Words) -> PurposeView:
    p = policy.purposes[pid]
    return PurposeView(
        name=words.text(p.name),
        description=words.text(p.description),
        legal_basis=basis_words(p.legal_basis, words),
        fields=field_names(policy, p.fields, words),
        recipients=[recipient_name(policy, rid, words) for rid in p.recipients],
        honours=[words.term(f"right.{h}") for h in p.honours],
    )


def _register_view(policy: Policy, rid: str, words: Words) -> RegisterView:
    r = policy.registers[rid]
    controller = policy.controller.name
    if r.role == "processor":
        owner = owner_name(policy, r, words)
        role = words.term("text.role.processor", controller=controller, owner=owner)
        rights_contact = words.term("text.rights_owner", owner=owner)
    else:
        role = words.term("text.role.controller", controller=controller)
        email = policy.controller.rights_contact or policy.controller.contact
        rights_contact = words.term("text.rights_contact", email=email)
    return RegisterView(
        id=rid,
        name=words.text(r.name),
        description=words.text(r.description),
        role=role,
        data_subjects=[words.text(t) for t in r.data_subjects.values()],
        legal_basis=basis_words(r.legal_basis, words),
        legal_basis_text=words.text(r.legal_basis.description),
        purposes=[_purpose_view(policy, p, words) for p in r.purposes if p in policy.purposes],
        fields=field_names(policy, r.fields, words),
        sources=[words.text(s) for s in r.sources],
        retention=[
            RetentionView(
                rule_words(policy, rule, words),
                [exception_words(policy, rule, e, words) for e in rule.exceptions.values()],
            )
            for rule in r.retention.values()
        ],
        rights=[
            NamedText(
                f"{words.term(f'right.{right}')} "
                f"({words.term('right.article', article=RIGHT_ARTICLE[right])})",
                words.term(f"right.{right}.text"),
            )
            for right in r.rights
        ],
        rights_contact=rights_contact,
        security=[words.text(s) for s in r.security_measures],
        handled_by=[words.text(h) for h in r.handled_by],
        staff_trained=words.term("text.staff_trained") if r.staff_trained else "",
        processors=[recipient_name(policy, p, words) for p in r.processors],
    )


def _recipient_view(policy: Policy, rid: str, words: Words) -> RecipientView:
    r = policy.recipients[rid]
    return RecipientView(
        name=words.text(r.name),
        kind=_capital(f"{words.term(f'type.{r.type}')}, {words.term(f'role.{r.role}')}"),
        locations=", ".join(place_words(p, words.lang) for p in r.locations),
        description=words.text(r.description),
        formerly=", ".join(r.formerly),
        fields=field_names(policy, r.fields, words),
    )


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _transfers_view(policy: Policy, words: Words) -> list[str]:
    t = policy.transfers
    allowed = ", ".join(place_words(p, words.lang) for p in t.allowed)
    lines = [words.text(t.description), f"{words.term('label.allowed')}: {allowed}."]
    for ban in t.bans:
        places = ", ".join(place_words(p, words.lang) for p in ban.places)
        lines.append(f"{words.term('label.ban')}: {places}. {words.text(ban.reason)}")
    return [line for line in lines if line]


def _complaint_view(policy: Policy, words: Words) -> list[str]:
    sections = policy.notice.sections if policy.notice else {}
    lines = [words.text(sections.get("complaint")) or words.term("text.complaint")]
    authority = policy.supervisory_authority
    if authority is not None:
        name = words.text(authority.name)
        where = f"{name}, {authority.url}" if authority.url else name
        lines.append(f"{words.term('label.authority')}: {where}")
    return lines


def _section_heading(sid: str, lang: Lang) -> str:
    if f"section.{sid}" in TERMS:
        return term(f"section.{sid}", lang)
    return sid.replace("_", " ").replace("-", " ").capitalize()


def notice_view(policy: Policy, words: Words) -> NoticeView:
    """The notice's content in ``words.lang``: every section, in the seed notice's order."""
    notice = policy.notice
    sections = notice.sections if notice else {}
    dpo = None
    if policy.dpo is not None:
        contact = ", ".join(x for x in (policy.dpo.email, policy.dpo.phone) if x)
        dpo = NamedText(policy.dpo.name, contact)
    return NoticeView(
        lang=words.lang,
        title=words.text(notice.title) if notice else policy.controller.name,
        controller=_controller_view(policy),
        dpo=dpo,
        contact=policy.controller.contact,
        informing=words.text(notice.informing) if notice else "",
        registers=[_register_view(policy, rid, words) for rid in policy.registers],
        recipients=[_recipient_view(policy, rid, words) for rid in policy.recipients],
        disclosures=words.text(sections.get("disclosures")),
        transfers=_transfers_view(policy, words),
        complaint=_complaint_view(policy, words),
        changes=words.text(notice.changes) if notice else "",
        sections=[
            NamedText(_section_heading(sid, words.lang), words.text(text))
            for sid, text in sections.items()
            if sid not in PLACED_SECTIONS
        ],
    )


_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|#])")


def md_escape(value: Any) -> str:
    """Policy text as literal Markdown: no emphasis, links or raw HTML can come from it."""
    return _MD_SPECIAL.sub(r"\\\1", str(value))


def _environment(fmt: str, templates: str | Path | None) -> Any:
    import jinja2

    loaders: list[jinja2.BaseLoader] = []
    if templates is not None:
        if not Path(templates).is_dir():
            raise InputError([Problem(str(templates), 0, 0, "templates: no such directory")])
        loaders.append(jinja2.FileSystemLoader(str(templates)))
    loaders.append(jinja2.PackageLoader("seloste.policy", "templates"))
    return jinja2.Environment(
        loader=jinja2.ChoiceLoader(loaders),
        # HTML escapes every value; Markdown gets the same protection by finalize.
        autoescape=fmt == "html",
        finalize=md_escape if fmt == "md" else None,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def render_notice(
    policy: Policy, lang: Lang, fmt: str = "md", templates: str | Path | None = None
) -> tuple[str, int]:
    """The privacy notice, and how many texts fell back to another language.

    A template that cannot be read or rendered is an input error with its place.
    """
    import jinja2

    words = Words(lang)
    view = notice_view(policy, words)
    name = f"notice.{fmt}.j2"
    try:
        template = _environment(fmt, templates).get_template(name)
        out = template.render(notice=view, t=terms_for(lang))
    except jinja2.TemplateSyntaxError as exc:
        where = exc.filename or exc.name or name
        raise InputError([Problem(where, exc.lineno, 1, exc.message or str(exc))]) from None
    except jinja2.TemplateNotFound:
        raise InputError([Problem(str(templates or name), 0, 0, f"no template {name}")]) from None
    except jinja2.TemplateError as exc:
        raise InputError([Problem(name, 0, 0, f"template error: {exc}")]) from None
    # One final newline whatever the template ends with: files and diffs stay clean.
    return out.rstrip("\n") + "\n", words.fallbacks


# -- the record of processing activities (GDPR Art. 30) --------------------------------------

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
        outside = [p for p in recipient.locations if not regions.within(p, ["EEA"], policy.regions)]
        if outside:
            places = ", ".join(place_words(p, words.lang) for p in outside)
            out.append(f"{words.text(recipient.name)}: {places}")
    return _joined(out, words, empty="text.no_transfers")


def _security_cell(register: Register, words: Words) -> str:
    measures = [words.text(m) for m in register.security_measures]
    if register.staff_trained:
        measures.append(words.term("text.staff_trained"))
    return _joined(measures, words)


def ropa_row(policy: Policy, rid: str, words: Words) -> dict[str, str]:
    """One register as a row of the record; every column filled, or "not applicable"."""
    r = policy.registers[rid]
    c = policy.controller
    address = _controller_view(policy).address
    us = _party(c.name, address, c.contact)
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
        recipients = [
            f"{words.text(x.name)} ({words.term(f'type.{x.type}')}, {words.term(f'role.{x.role}')})"
            for x in (policy.recipients.get(i) for i in register_recipients(policy, r))
            if x is not None
        ]
        retention = []
        for rule in r.retention.values():
            retention.append(rule_words(policy, rule, words))
            retention += [exception_words(policy, rule, e, words) for e in rule.exceptions.values()]
        cells |= {
            "article": "30(1)",
            "controller": us,
            "purposes": _joined(purposes, words),
            "data_subjects": _joined((words.text(t) for t in r.data_subjects.values()), words),
            "personal_data": _joined(field_names(policy, r.fields, words), words),
            "recipients": _joined(recipients, words, empty="text.no_recipients"),
            "retention": _joined(retention, words, sep=" "),  # sentences already end in "."
        }
    na = words.term("text.not_applicable")
    return {column: cells.get(column, na) for column in ROPA_COLUMNS}


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


# -- the commands ----------------------------------------------------------------------------


def write_out(text: str, output: str | None) -> None:
    """To ``output``, or stdout; a file that cannot be written is an input error."""
    if output is None:
        sys.stdout.write(text)
        return
    try:
        with open(output, "w", encoding="utf-8", newline="") as out:
            out.write(text)
    except OSError as exc:
        raise InputError([Problem(output, 0, 0, f"cannot write: {exc.strerror}")]) from None


def notice_command(
    path: str, lang: Lang, fmt: str, templates: str | None, output: str | None
) -> int:
    """``seloste render notice``: 0, or an ``InputError`` for a broken policy or template."""
    from seloste.policy.loader import load_policy

    text, fallbacks = render_notice(load_policy(path).model, lang, fmt, templates)
    if fallbacks:
        print(
            f"seloste: note: {fallbacks} text(s) have no {lang} version and are shown in "
            "another language; `seloste validate` lists them (POL012)",
            file=sys.stderr,
        )
    write_out(text, output)
    return 0


def ropa_command(path: str, lang: Lang, fmt: str, output: str | None) -> int:
    """``seloste render ropa``."""
    from seloste.policy.loader import load_policy

    write_out(render_ropa(load_policy(path).model, lang, fmt), output)
    return 0
