"""What changed between two versions of a policy, in the notice's terms.

For a pull-request comment: a reviewer sees "new recipient", "longer retention", not a YAML
diff. The changes a data subject must be told about before they apply (GDPR Art. 13(3) and
14(4), and the transparency duty of Art. 12 behind them) are marked notifiable: a new purpose or
register, a new recipient, new fields disclosed to a recipient, a new transfer place, a changed
legal basis, longer retention, and a removed right. A change whose effect cannot be ordered
(retention counted from another event) is marked too: a gate should rather ask than miss one.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import asdict, dataclass
from typing import TypeVar

from seloste.policy import periods
from seloste.policy.model import (
    LegalBasis,
    Policy,
    Purpose,
    Recipient,
    Register,
    RetentionException,
    RetentionRule,
    Text,
    Transfers,
)
from seloste.policy.regions import within
from seloste.policy.terms import Lang, term
from seloste.policy.wording import (
    Words,
    basis_words,
    kind_words,
    md_escape,
    period_words,
    places_words,
    safeguard_words,
)

T = TypeVar("T")

# Why each kind of change must be told, by the information Art. 13(1)-(2)/14(1)-(2) requires:
# the reason's wording is ``diff.why.<reason>`` in policy/terms.py.
WHY = {
    "purpose-added": "new_purpose",
    "register-added": "new_processing",
    "register-purpose-added": "new_register_purpose",
    "legal-basis-changed": "legal_basis",
    "recipient-added": "new_recipient",
    "purpose-recipient-added": "new_recipient",
    "recipient-type-changed": "recipient_type",
    "recipient-fields-added": "new_data_disclosed",
    "recipient-location-added": "new_transfer_place",
    "transfer-allowed-added": "new_transfer_place",
    "transfer-ban-removed": "new_transfer_place",
    "transfer-added": "transfer_outside",
    "recipient-transfer-added": "new_safeguard",
    "recipient-transfer-changed": "changed_safeguard",
    "transfer-mechanism-added": "new_safeguard",
    "retention-longer": "longer_retention",
    "retention-removed": "longer_retention",
    "retention-changed": "retention_may_be_longer",
    "retention-exception-added": "longer_retention",
    "retention-exception-fields-added": "longer_retention",
    "right-removed": "removed_right",
    "purpose-honours-removed": "removed_right",
}


@dataclass(frozen=True)
class Change:
    """One change; ``where`` is its place in the new policy (the old one if removed)."""

    kind: str
    where: str
    message: str
    notifiable: bool
    why: str = ""


def _added(old: Iterable[T], new: Iterable[T]) -> list[T]:
    before = list(old)
    return [x for x in new if x not in before]


def _q(name: str) -> str:
    return f"“{name}”"


@dataclass(frozen=True)
class _Names:
    """What the changes call things, in one language. A name comes from the new policy, or
    from the old one for what it no longer has: a removed field keeps the name it had."""

    old: Policy
    new: Policy
    words: Words

    def text(self, value: Text | None) -> str:
        return self.words.text(value)

    def term(self, key: str) -> str:
        return self.words.term(key)

    def change(self, kind: str, where: str, /, *, say: str = "", **values: str) -> Change:
        """A change of ``kind``, told by the wording ``diff.<say or kind>`` in the diff's
        language; a notifiable kind also says why, in the same language."""
        message = self.words.term(f"diff.{say or kind}", **values)
        reason = WHY.get(kind)
        why = self.words.term(f"diff.why.{reason}") if reason else ""
        return Change(kind, where, message, bool(reason), why)

    def of(self, table: str, key: str) -> str:
        """A purpose's, recipient's or register's name, quoted."""
        for policy in (self.new, self.old):
            item = getattr(policy, table).get(key)
            if item is not None:
                return _q(self.text(item.name))
        return _q(key)

    def all_of(self, table: str) -> Callable[[Iterable[str]], str]:
        return lambda keys: ", ".join(self.of(table, key) for key in keys)

    def fields(self, ids: Iterable[str]) -> str:
        vocabulary = {**self.old.fields, **self.new.fields}
        return ", ".join(self.text(vocabulary[f].name) if f in vocabulary else f for f in ids)

    def places(self, places: Iterable[str]) -> str:
        return places_words(places, self.words.lang)

    def rights(self, rights: Iterable[str]) -> str:
        return ", ".join(self.term(f"right.{right}") for right in rights)

    def basis(self, basis: LegalBasis) -> str:
        return basis_words(basis, self.words)

    def period(self, rule: RetentionRule | RetentionException) -> str:
        return period_words(rule.period, self.words.lang)

    def trigger(self, rule: RetentionRule | RetentionException) -> str:
        """The moment a period counts from, as the notice says it ("after collection")."""
        if rule.trigger == "date":
            vocabulary = {**self.old.fields, **self.new.fields}
            field = rule.date_field or "?"
            name = self.text(vocabulary[field].name) if field in vocabulary else field
            return self.words.term("trigger.date", field=name)
        return self.words.term(f"trigger.{rule.trigger or '?'}")


# The kinds of change for what was added to a list and for what was removed from it.
Kinds = tuple[str, str]


def _table(
    old: Mapping[str, T],
    new: Mapping[str, T],
    where: str,
    *,
    added: Callable[[str, str], Iterator[Change]],
    removed: Callable[[str, str], Change],
    kept: Callable[[str, str], Iterator[Change]],
) -> Iterator[Change]:
    """The changes to a table of named entries (purposes, a register's retention rules):
    the new entries, the removed ones, then the changes to each kept one, each in its policy's
    order. Each callable gets the key and its place (``where.key``)."""
    for key in _added(old, new):
        yield from added(key, f"{where}.{key}")
    for key in _added(new, old):
        yield removed(key, f"{where}.{key}")
    for key in new:
        if key in old:
            yield from kept(key, f"{where}.{key}")


def _entries(
    table: str,
    kind: str,
    added: Callable[[str, str, T, _Names], Iterator[Change]],
    kept: Callable[[str, str, T, T, _Names], Iterator[Change]],
) -> Callable[[_Names], Iterator[Change]]:
    """The changes to one of the policy's tables of named entries (``purposes``): ``added``
    tells a new entry (its place, name, the entry), ``kept`` the changes to one in both (its
    place, name, old and new entry); a removed one is "``kind`` NAME removed"."""

    def changes(n: _Names) -> Iterator[Change]:
        old, new = getattr(n.old, table), getattr(n.new, table)
        return _table(
            old,
            new,
            table,
            added=lambda key, where: added(where, n.of(table, key), new[key], n),
            removed=lambda key, where: n.change(f"{kind}-removed", where, name=n.of(table, key)),
            kept=lambda key, where: kept(where, n.of(table, key), old[key], new[key], n),
        )

    return changes


def _list(
    where: str,
    old: Sequence[str],
    new: Sequence[str],
    kinds: Kinds,
    show: Callable[[Iterable[str]], str],
    n: _Names,
    *,
    each: bool = False,
    **values: str,
) -> Iterator[Change]:
    """Additions to and removals from one list: one change each way, or with ``each`` one
    change per item (a recipient, a right: each is a thing to tell on its own). The wording
    gets the items as ``items`` and ``values`` as they are."""
    added, removed = kinds
    for kind, items in ((added, _added(old, new)), (removed, _added(new, old))):
        if items:
            for shown in [[item] for item in items] if each else [items]:
                yield n.change(kind, where, items=show(shown), **values)


def _legal_basis(
    where: str, label: str, old: LegalBasis, new: LegalBasis, n: _Names
) -> Iterator[Change]:
    if old.basis != new.basis:
        kind = "legal-basis-changed"
    elif old.reference != new.reference:
        kind = "legal-basis-reference-changed"
    else:
        return
    yield n.change(kind, where, label=label, old=n.basis(old), new=n.basis(new))


# -- the controller -------------------------------------------------------------------------

CONTROLLER_DETAILS = ("name", "address", "contact", "rights_contact", "email", "business_id")


def _controller(n: _Names) -> Iterator[Change]:
    old, new = n.old.controller, n.new.controller
    for attr in CONTROLLER_DETAILS:
        if getattr(old, attr) != getattr(new, attr):
            detail = n.term(f"diff.controller.{attr}")
            yield n.change("controller-changed", f"controller.{attr}", detail=detail)
    if n.old.dpo != n.new.dpo:
        yield n.change("dpo-changed", "dpo")


# -- purposes --------------------------------------------------------------------------------


def _purpose_added(where: str, name: str, p: Purpose, n: _Names) -> Iterator[Change]:
    yield n.change(
        "purpose-added", where, name=name, basis=n.basis(p.legal_basis), fields=n.fields(p.fields)
    )


def _purpose(where: str, name: str, old: Purpose, new: Purpose, n: _Names) -> Iterator[Change]:
    label = n.words.term("diff.label.purpose", name=name)
    yield from _legal_basis(f"{where}.legal_basis", label, old.legal_basis, new.legal_basis, n)
    yield from _list(
        f"{where}.fields",
        old.fields,
        new.fields,
        ("purpose-fields-added", "purpose-fields-removed"),
        n.fields,
        n,
        label=label,
    )
    yield from _list(
        f"{where}.recipients",
        old.recipients,
        new.recipients,
        ("purpose-recipient-added", "purpose-recipient-removed"),
        n.all_of("recipients"),
        n,
        each=True,
        label=label,
    )
    yield from _list(
        f"{where}.honours",
        old.honours,
        new.honours,
        ("purpose-honours-added", "purpose-honours-removed"),
        n.rights,
        n,
        each=True,
        label=label,
    )
    if old.marketing != new.marketing:
        now = "purpose-marketing-on" if new.marketing else "purpose-marketing-off"
        yield n.change("purpose-marketing-changed", f"{where}.marketing", say=now, name=name)


# -- registers -------------------------------------------------------------------------------


def _register_added(where: str, name: str, r: Register, n: _Names) -> Iterator[Change]:
    yield n.change("register-added", where, name=name, fields=n.fields(r.fields))


def _register(where: str, name: str, old: Register, new: Register, n: _Names) -> Iterator[Change]:
    if (old.role, old.on_behalf_of) != (new.role, new.on_behalf_of):
        role = n.term(f"role.{new.role}")
        yield n.change("register-role-changed", f"{where}.role", name=name, role=role)
    label = n.words.term("diff.label.register", name=name)
    yield from _legal_basis(f"{where}.legal_basis", label, old.legal_basis, new.legal_basis, n)
    yield from _list(
        f"{where}.fields",
        old.fields,
        new.fields,
        ("register-fields-added", "register-fields-removed"),
        n.fields,
        n,
        name=name,
    )
    yield from _list(
        f"{where}.purposes",
        old.purposes,
        new.purposes,
        ("register-purpose-added", "register-purpose-removed"),
        n.all_of("purposes"),
        n,
        name=name,
    )
    yield from _list(
        f"{where}.rights",
        old.rights,
        new.rights,
        ("right-added", "right-removed"),
        n.rights,
        n,
        name=name,
    )
    yield from _register_texts(where, name, old, new, n)
    yield from _retention(f"{where}.retention", name, old.retention, new.retention, n)


def _register_texts(
    where: str, name: str, old: Register, new: Register, n: _Names
) -> Iterator[Change]:
    """The register's free texts, compared as the notice shows them."""
    texts = (
        ("sources", old.sources, new.sources),
        ("security_measures", old.security_measures, new.security_measures),
        ("data_subjects", [*old.data_subjects.values()], [*new.data_subjects.values()]),
    )
    for attr, before, after in texts:
        kind = f"register-{attr.replace('_', '-')}"
        yield from _list(
            f"{where}.{attr}",
            [n.text(t) for t in before],
            [n.text(t) for t in after],
            (f"{kind}-added", f"{kind}-removed"),
            lambda items: "; ".join(_q(i) for i in items),
            n,
            name=name,
        )


# -- retention -------------------------------------------------------------------------------


def _retention(
    where: str,
    register: str,
    old: Mapping[str, RetentionRule],
    new: Mapping[str, RetentionRule],
    n: _Names,
) -> Iterator[Change]:
    def added(key: str, place: str) -> Iterator[Change]:
        period = n.period(new[key])
        yield n.change("retention-added", place, rule=_q(key), register=register, period=period)

    def removed(key: str, place: str) -> Change:
        return n.change("retention-removed", place, rule=_q(key), register=register)

    def kept(key: str, place: str) -> Iterator[Change]:
        label = n.words.term("diff.label.retention", rule=_q(key), register=register)
        yield from _period(place, label, old[key], new[key], n)
        yield from _exceptions(f"{place}.exceptions", label, old[key], new[key], n)

    return _table(old, new, where, added=added, removed=removed, kept=kept)


def _period(
    where: str,
    label: str,
    old: RetentionRule | RetentionException,
    new: RetentionRule | RetentionException,
    n: _Names,
) -> Iterator[Change]:
    """How long, from when: a period counted from another moment cannot be ordered."""
    if (old.trigger, old.date_field) != (new.trigger, new.date_field):
        yield n.change(
            "retention-changed",
            f"{where}.trigger",
            label=label,
            new=n.trigger(new),
            old=n.trigger(old),
        )
        return
    order = periods.compare(new.period, old.period)
    if order:
        yield n.change(
            "retention-longer" if order > 0 else "retention-shorter",
            f"{where}.period",
            label=label,
            old=n.period(old),
            new=n.period(new),
        )


def _exceptions(
    where: str, label: str, old: RetentionRule, new: RetentionRule, n: _Names
) -> Iterator[Change]:
    def added(key: str, place: str) -> Iterator[Change]:
        e = new.exceptions[key]
        yield n.change(
            "retention-exception-added",
            place,
            rule=_q(key),
            label=label,
            fields=n.fields(e.fields),
            period=n.period(e),
        )

    def removed(key: str, place: str) -> Change:
        return n.change("retention-exception-removed", place, rule=_q(key), label=label)

    def kept(key: str, place: str) -> Iterator[Change]:
        # An exception without a trigger counts from its rule's: compare what applies.
        before = _counted(old.exceptions[key], old)
        after = _counted(new.exceptions[key], new)
        exception = n.words.term("diff.label.exception", rule=_q(key), label=label)
        yield from _period(place, exception, before, after, n)
        yield from _list(
            f"{place}.fields",
            before.fields,
            after.fields,
            ("retention-exception-fields-added", "retention-exception-fields-removed"),
            n.fields,
            n,
            rule=_q(key),
        )

    return _table(old.exceptions, new.exceptions, where, added=added, removed=removed, kept=kept)


def _counted(exception: RetentionException, rule: RetentionRule) -> RetentionException:
    return exception.model_copy(update={"trigger": exception.trigger or rule.trigger})


# -- recipients and transfers ----------------------------------------------------------------


def _recipient_added(where: str, name: str, r: Recipient, n: _Names) -> Iterator[Change]:
    yield n.change(
        "recipient-added",
        where,
        name=name,
        kind=kind_words(r, n.words),
        places=n.places(r.locations),
        fields=n.fields(r.fields),
    )
    outside = [p for p in r.locations if not within(p, ["EEA"], n.new.regions)]
    if outside:
        yield n.change("transfer-added", f"{where}.locations", name=name, places=n.places(outside))
    for place, safeguard in r.transfers.items():
        said = safeguard_words(n.new, place, safeguard, n.words)
        yield n.change(
            "recipient-transfer-added", f"{where}.transfers.{place}", name=name, said=said
        )


def _recipient(
    where: str, name: str, old: Recipient, new: Recipient, n: _Names
) -> Iterator[Change]:
    if n.text(old.name) != n.text(new.name):
        yield n.change("recipient-renamed", f"{where}.name", old=_q(n.text(old.name)), name=name)
    if old.type != new.type:
        yield n.change(
            "recipient-type-changed",
            f"{where}.type",
            name=name,
            new=kind_words(new, n.words),
            old=kind_words(old, n.words),
        )
    yield from _list(
        f"{where}.fields",
        old.fields,
        new.fields,
        ("recipient-fields-added", "recipient-fields-removed"),
        n.fields,
        n,
        name=name,
    )
    yield from _list(
        f"{where}.locations",
        old.locations,
        new.locations,
        ("recipient-location-added", "recipient-location-removed"),
        n.places,
        n,
        name=name,
    )
    yield from _safeguards(where, name, old, new, n)


def _safeguards(
    where: str, name: str, old: Recipient, new: Recipient, n: _Names
) -> Iterator[Change]:
    """A recipient's transfer mechanisms, per place, as the notice words them."""

    def said(recipient: Recipient, place: str) -> str:
        return safeguard_words(n.new, place, recipient.transfers[place], n.words)

    for place in new.transfers:
        at = f"{where}.transfers.{place}"
        if place not in old.transfers:
            yield n.change("recipient-transfer-added", at, name=name, said=said(new, place))
        elif old.transfers[place] != new.transfers[place]:
            yield n.change("recipient-transfer-changed", at, name=name, said=said(new, place))
    for place in old.transfers:
        if place not in new.transfers:
            yield n.change(
                "recipient-transfer-removed",
                f"{where}.transfers.{place}",
                name=name,
                places=n.places([place]),
            )


def _transfers(n: _Names) -> Iterator[Change]:
    old, new = n.old.transfers, n.new.transfers
    yield from _list(
        "transfers.allowed",
        old.allowed,
        new.allowed,
        ("transfer-allowed-added", "transfer-allowed-removed"),
        n.places,
        n,
    )
    yield from _list(
        "transfers.bans",
        _banned(old),
        _banned(new),
        ("transfer-ban-added", "transfer-ban-removed"),
        n.places,
        n,
    )
    yield from _list(
        "transfers.mechanisms",
        old.mechanisms,
        new.mechanisms,
        ("transfer-mechanism-added", "transfer-mechanism-removed"),
        ", ".join,
        n,
    )


def _banned(transfers: Transfers) -> list[str]:
    return [place for ban in transfers.bans for place in ban.places]


# -- the fields' names -----------------------------------------------------------------------


def _vocabulary(n: _Names) -> Iterator[Change]:
    for fid, after in n.new.fields.items():
        before = n.old.fields.get(fid)
        if before is not None and n.text(before.name) != n.text(after.name):
            yield n.change(
                "field-renamed",
                f"fields.{fid}",
                old=_q(n.text(before.name)),
                new=_q(n.text(after.name)),
            )


# The policy's parts, in the order the changes are listed.
SECTIONS: tuple[Callable[[_Names], Iterator[Change]], ...] = (
    _controller,
    _entries("purposes", "purpose", _purpose_added, _purpose),
    _entries("registers", "register", _register_added, _register),
    _entries("recipients", "recipient", _recipient_added, _recipient),
    _transfers,
    _vocabulary,
)


def diff(old: Policy, new: Policy, lang: Lang = "en") -> list[Change]:
    """Every change from ``old`` to ``new`` that the notice shows, in the policy's order:
    controller, purposes, registers, recipients, transfers, the fields' names."""
    n = _Names(old, new, Words(lang))
    return [change for section in SECTIONS for change in section(n)]


# -- output ---------------------------------------------------------------------------------


def _summary(changes: list[Change], lang: Lang) -> str:
    told = sum(c.notifiable for c in changes)
    key = "diff.summary.one" if len(changes) == 1 else "diff.summary.many"
    return term(key, lang, count=str(len(changes)), told=str(told))


def as_text(changes: list[Change], lang: Lang = "en") -> str:
    if not changes:
        return term("diff.none", lang) + "\n"
    lines = [
        f"{'NOTIFY' if c.notifiable else '      '}  {c.where}: {c.message}"
        + (f" [{c.why}]" if c.why else "")
        for c in changes
    ]
    return "\n".join([*lines, _summary(changes, lang)]) + "\n"


def as_markdown(changes: list[Change], lang: Lang = "en") -> str:
    """A pull-request comment: notifiable changes first, each with the reason."""
    if not changes:
        return f"### {term('diff.md.notice', lang)}\n\n{term('diff.none', lang)}\n"
    out = [f"### {term('diff.md.changes', lang)}\n", f"{_summary(changes, lang)}\n"]
    told = [c for c in changes if c.notifiable]
    rest = [c for c in changes if not c.notifiable]
    if told:
        out.append(f"#### {term('diff.md.told', lang)}\n")
        out += [f"- **{md_escape(c.why)}**: {md_escape(c.message)} · `{c.where}`" for c in told]
        out.append("")
    if rest:
        out.append(f"#### {term('diff.md.other', lang)}\n")
        out += [f"- {md_escape(c.message)} · `{c.where}`" for c in rest]
        out.append("")
    return "\n".join(out).rstrip("\n") + "\n"


def as_json(changes: list[Change], lang: Lang = "en") -> str:
    # The kinds and places are the same in every language; messages are in ``lang`` already.
    doc = {
        "changes": [asdict(c) for c in changes],
        "notifiable": sum(c.notifiable for c in changes),
    }
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


FORMATTERS: dict[str, Callable[[list[Change], Lang], str]] = {
    "text": as_text,
    "md": as_markdown,
    "json": as_json,
}
