"""The letter to the data subject, in Finnish or English, Markdown or HTML: what the ``-o``
document says, laid out by a Jinja2 template (checks/subject/templates/letter.*.j2) for the
officer to send. The policy's own wordings (headings, legal bases, rights) come from
policy/terms.py, so the letter and the notice name things alike; the letter's own sentences
are here. Every value is escaped for the format, as the notice's are (policy/render.py).
"""

from __future__ import annotations

from typing import Any

from seloste.checks.subject.document import Erasure, RegisterOut, RowRetention, SubjectDocument
from seloste.policy.terms import Lang, terms_for
from seloste.policy.wording import md_escape

FORMATS = {".md": "md", ".html": "html"}

LETTER: dict[str, dict[Lang, str]] = {
    "title.access": {
        "fi": "Vastaus pyyntöönne saada tietää teitä koskevat henkilötiedot",
        "en": "Your request for access to your personal data",
    },
    "title.erasure": {
        "fi": "Vastaus pyyntöönne poistaa teitä koskevat henkilötiedot",
        "en": "Your request for the erasure of your personal data",
    },
    "opening.access": {
        "fi": "{controller} on käsitellyt pyyntönne (tietosuoja-asetuksen 15 artikla). Alla "
        "ovat kaikki tiedot, joita meillä on teistä {date}, ja mitä niille tehdään.",
        "en": "{controller} has handled your request (GDPR Art. 15). Below is all the data "
        "we held about you on {date}, and what is done with it.",
    },
    "opening.erasure": {
        "fi": "{controller} on käsitellyt pyyntönne (tietosuoja-asetuksen 17 artikla). Alla "
        "ovat kaikki tiedot, joita meillä on teistä {date}, ja kunkin kohdalla, poistetaanko "
        "se vai säilytetäänkö se ja miksi.",
        "en": "{controller} has handled your request (GDPR Art. 17). Below is all the data we "
        "held about you on {date}, and for each item whether it is erased or kept, and why.",
    },
    "nothing": {
        "fi": "Meillä ei ole teitä koskevia henkilötietoja.",
        "en": "We hold no personal data about you.",
    },
    "heading.data": {"fi": "Teistä tallennetut tiedot", "en": "The data we hold about you"},
    "heading.categories": {"fi": "Tietoryhmät", "en": "Categories of data"},
    "heading.record": {"fi": "Tietue", "en": "Record"},
    "heading.decision": {"fi": "Päätös", "en": "Decision"},
    "heading.portability": {"fi": "Tiedot koneluettavassa muodossa", "en": "Machine-readable copy"},
    "portability": {
        "fi": "Saatte samat tiedot myös koneluettavassa JSON-muodossa (tietosuoja-asetuksen "
        "20 artikla).",
        "en": "The same data is also available to you as machine-readable JSON (GDPR Art. 20).",
    },
    "decision.erase": {"fi": "Poistetaan", "en": "Erased"},
    "decision.keep": {"fi": "Säilytetään {until} asti: {why}", "en": "Kept until {until}: {why}"},
    "decision.keep.open": {"fi": "Säilytetään: {why}", "en": "Kept: {why}"},
    "decision.review": {
        "fi": "Selvitetään erikseen, säilytetäänkö: {why}",
        "en": "Reviewed by hand, whether kept: {why}",
    },
    "decision.controller_decides": {
        "fi": "Päätöksen tekee rekisterinpitäjä, jonka lukuun tietoja käsitellään",
        "en": "Decided by the controller on whose behalf the data is processed",
    },
    "inform": {
        "fi": "Poistosta ilmoitetaan vastaanottajille: {who}.",
        "en": "The recipients are told of the erasure: {who}.",
    },
    "due": {"fi": "säilytysaika päättyy {due}", "en": "kept until {due}"},
    "due.past": {"fi": "säilytysaika päättyi {due}", "en": "its retention period ended {due}"},
    "due.pending.relationship_end": {
        "fi": "säilytysaika alkaa, kun asiakassuhde päättyy",
        "en": "the retention period starts when the relationship ends",
    },
    "due.pending.consent_withdrawn": {
        "fi": "säilytetään, kunnes peruutatte suostumuksenne",
        "en": "kept until you withdraw your consent",
    },
    "due.unreadable": {
        "fi": "säilytysajan alkua ei voitu lukea tiedoista; se selvitetään erikseen",
        "en": "when its retention period starts could not be read from the data; it is reviewed",
    },
    "due.verified_outside": {
        "fi": "säilytysaikaa valvotaan tämän järjestelmän ulkopuolella",
        "en": "its retention is verified outside this system",
    },
    "contact": {
        "fi": "Lisätietoja ja muita pyyntöjä: {email}.",
        "en": "For more information or other requests: {email}.",
    },
}


def _words(lang: Lang) -> dict[str, str]:
    return {**terms_for(lang), **{k: v[lang] for k, v in LETTER.items()}}


def decision_text(erasure: Erasure, words: dict[str, str], lang: Lang, doc: Any) -> str:
    """One row's decision in the letter's language."""
    why = ""
    if erasure.exception is not None:
        why = _exception_text(doc, erasure.exception, lang)
    if erasure.decision == "keep":
        if erasure.until:
            return words["decision.keep"].format(until=erasure.until[:10], why=why)
        return words["decision.keep.open"].format(why=why)
    if erasure.decision == "review":
        return words["decision.review"].format(why=why)
    return words[f"decision.{erasure.decision}"]


def _exception_text(doc: SubjectDocument, eid: str, lang: Lang) -> str:
    for register in doc.registers:
        for rule in register.retention:
            for exception in rule.exceptions:
                if exception.id == eid:
                    text = exception.description.get(lang) or next(
                        iter(exception.description.values()), eid
                    )
                    reference = exception.legal_basis.reference
                    return f"{text} ({reference})" if reference else text
    return eid


def render_letter(doc: SubjectDocument, lang: Lang, fmt: str) -> str:
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.PackageLoader("seloste.checks.subject", "templates"),
        autoescape=fmt == "html",
        finalize=md_escape if fmt == "md" else None,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    words = _words(lang)

    def text(value: dict[str, str] | None) -> str:
        if not value:
            return ""
        return " ".join((value.get(lang) or next(iter(value.values()))).split())

    def shown(value: Any) -> str:
        if value is None:
            return "–"
        if isinstance(value, bool):
            return {"fi": "kyllä", "en": "yes"}[lang] if value else {"fi": "ei", "en": "no"}[lang]
        return str(value)

    def decision(erasure: Erasure) -> str:
        return decision_text(erasure, words, lang, doc)

    recipient_names = {
        r.id: text(r.name) for register in doc.registers for r in register.recipients
    }

    def due(register: RegisterOut, kept: RowRetention) -> str:
        """When the row falls due, in words."""
        if kept.status in ("running", "past") and kept.due:
            return words["due" if kept.status == "running" else "due.past"].format(
                due=kept.due[:10]
            )
        if kept.status == "pending":
            trigger = next(r.trigger for r in register.retention if r.id == kept.rule)
            return words[f"due.pending.{trigger}"]
        return words[f"due.{kept.status}"]

    def names(ids: list[str]) -> str:
        return ", ".join(recipient_names.get(i, i) for i in ids)

    template = env.get_template(f"letter.{fmt}.j2")
    out = template.render(
        doc=doc,
        lang=lang,
        w=words,
        text=text,
        shown=shown,
        decision=decision,
        names=names,
        due=due,
        date=doc.request.as_of[:10],
    )
    return out.rstrip("\n") + "\n"
