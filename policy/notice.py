"""The privacy notice's content as a *view*: plain strings, already in one language.

A template (``policy/render.py``) only lays the view out, so a user's template changes the
layout and never the content: what the notice says is decided here, from the policy that the
checks enforce.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from seloste.policy import parties, regions
from seloste.policy.kinds import covering
from seloste.policy.model import Policy, Register
from seloste.policy.wording import (
    Words,
    basis_words,
    exception_words,
    field_names,
    kind_words,
    places_words,
    postal_address,
    recipient_name,
    rule_words,
    safeguard_words,
)

# The article of each right.
RIGHT_ARTICLE = {
    "access": "15",
    "rectification": "16",
    "erasure": "17",
    "restriction": "18",
    "portability": "20",
    "objection": "21",
    "marketing_opt_out": "21",
}


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
    allowed_kinds: list[str]
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
class RecipientGroup:
    """Recipients of one kind under their heading: processors, or controllers of their own
    (GDPR Art. 13(1)(e) asks for both; Art. 28 and 26 tell them apart)."""

    heading: str
    recipients: list[RecipientView]


@dataclass(frozen=True)
class NoticeView:
    """Everything a notice template gets, already in the requested language."""

    lang: str
    title: str
    controller: ControllerView
    dpo: NamedText | None
    contact: str
    informing: str
    purposes_intro: str
    registers: list[RegisterView]
    # Every recipient in one list, as templates written for the first release read them
    # (`render --templates`); the built-in templates use the groups.
    recipients: list[RecipientView]
    recipient_groups: list[RecipientGroup]
    disclosures: str
    transfers: list[str]
    complaint: list[str]
    changes: str
    sections: list[NamedText] = field(default_factory=list)


def _controller_view(policy: Policy) -> ControllerView:
    c = policy.controller
    return ControllerView(
        name=c.name,
        address=postal_address(c),
        business_id=c.business_id or "",
        email=c.email or "",
        url=c.url or "",
        contact=c.contact,
    )


def _purpose_view(policy: Policy, pid: str, words: Words) -> PurposeView:
    p = policy.purposes[pid]
    name = words.text(p.name)
    return PurposeView(
        name=name,
        description=_beyond(name, words.text(p.description)),
        legal_basis=basis_words(p.legal_basis, words),
        fields=field_names(policy, p.fields, words),
        recipients=[recipient_name(policy, rid, words) for rid in p.recipients],
        # Named inside a sentence after a colon: lower case ("...oikeuksia: markkinointikielto").
        honours=[_lower(words.term(f"right.{h}")) for h in p.honours],
    )


def _register_view(policy: Policy, rid: str, words: Words) -> RegisterView:
    r = policy.registers[rid]
    controller = policy.controller.name
    if r.role == "processor":
        owner = recipient_name(policy, r.on_behalf_of or "?", words)
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
        allowed_kinds=_allowed_kinds_view(policy, r, words),
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
        processors=[recipient_name(policy, p, words) for p in parties.processors(policy, r)],
    )


def _allowed_kinds_view(policy: Policy, r: Register, words: Words) -> list[str]:
    """Each kind the register may hold by its own exception (``allowed_kinds``), named, with
    the fields of that kind, the legal basis and the reason: the basis of special-category
    data (Art. 9(2)) is what a data subject most needs to be told (Art. 13(1)(c))."""
    lines = []
    for kind, allowed in r.allowed_kinds.items():
        held = [
            f
            for f in r.fields
            if f in policy.fields and covering(policy.fields[f].kind, r.allowed_kinds) == kind
        ]
        if not held:
            continue
        names = ", ".join(field_names(policy, held, words))
        basis = basis_words(allowed.legal_basis, words)
        reason = words.text(allowed.reason)
        lines.append(f"{words.term(f'kind.{kind}')} ({names}): {basis}. {reason}".rstrip())
    return lines


def _recipient_view(policy: Policy, rid: str, words: Words) -> RecipientView:
    r = policy.recipients[rid]
    return RecipientView(
        name=words.text(r.name),
        kind=words.term("text.recipient_kind", kind=kind_words(r, words)),
        locations=places_words(r.locations, words.lang),
        description=words.text(r.description),
        formerly=", ".join(r.formerly),
        fields=field_names(policy, r.fields, words),
    )


def _recipient_groups(policy: Policy, words: Words) -> list[RecipientGroup]:
    """Processors first, then the controllers of their own; a group with no one is left out."""
    groups = [
        ("heading.processors", ("processor",)),
        ("heading.third_parties", parties.CONTROLLER_TYPES),
    ]
    out = []
    for heading, types in groups:
        chosen = [rid for rid, r in policy.recipients.items() if r.type in types]
        if chosen:
            views = [_recipient_view(policy, rid, words) for rid in chosen]
            out.append(RecipientGroup(words.term(heading), views))
    return out


def _lower(term: str) -> str:
    return term[:1].lower() + term[1:]


def _beyond(name: str, description: str) -> str:
    """The description, or "" when it only says the name again: a reader would otherwise
    read the same words twice ("Marketing: Marketing.")."""
    if description.casefold().rstrip(".") == name.casefold().rstrip("."):
        return ""
    return description


def _transfers_view(policy: Policy, words: Words) -> list[str]:
    t = policy.transfers
    safeguarded = []
    for recipient in policy.recipients.values():
        for place, safeguard in recipient.transfers.items():
            if regions.within(place, t.allowed, policy.regions):
                continue  # no transfer to tell of (POL004 reports the needless mechanism)
            what = safeguard_words(policy, place, safeguard, words)
            name = words.text(recipient.name)
            safeguarded.append(words.term("transfer.line", recipient=name, what=what))
    # "only in the EEA" would contradict the transfers listed after it.
    label = words.term("label.allowed.safeguarded" if safeguarded else "label.allowed")
    lines = [words.text(t.description), f"{label}: {places_words(t.allowed, words.lang)}."]
    for ban in t.bans:
        places = places_words(ban.places, words.lang)
        lines.append(f"{words.term('label.ban')}: {places}. {words.text(ban.reason)}")
    return [line for line in [*lines, *safeguarded] if line]


def _complaint_view(policy: Policy, words: Words) -> list[str]:
    complaint = policy.notice.complaint if policy.notice else None
    lines = [words.text(complaint) or words.term("text.complaint")]
    authority = policy.supervisory_authority
    if authority is not None:
        name = words.text(authority.name)
        where = f"{name}, {authority.url}" if authority.url else name
        lines.append(f"{words.term('label.authority')}: {where}")
    return lines


def notice_view(policy: Policy, words: Words) -> NoticeView:
    """The notice's content in ``words.lang``: every section, in the seed notice's order."""
    notice = policy.notice
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
        purposes_intro=words.text(notice.purposes) if notice else "",
        registers=[_register_view(policy, rid, words) for rid in policy.registers],
        recipients=[_recipient_view(policy, rid, words) for rid in policy.recipients],
        recipient_groups=_recipient_groups(policy, words),
        disclosures=words.text(notice.disclosures) if notice else "",
        transfers=_transfers_view(policy, words),
        complaint=_complaint_view(policy, words),
        changes=words.text(notice.changes) if notice else "",
        sections=[
            NamedText(words.text(section.title), words.text(section.text))
            for section in (notice.sections.values() if notice else ())
        ],
    )
