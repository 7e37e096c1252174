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
from seloste.policy.terms import Lang
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

# Why each kind of change must be told, by the information Art. 13(1)-(2)/14(1)-(2) requires.
WHY = {
    "purpose-added": "new purpose (Art. 13(1)(c))",
    "register-added": "new processing (Art. 13(1)(c))",
    "register-purpose-added": "new purpose for the register (Art. 13(1)(c))",
    "legal-basis-changed": "changed legal basis (Art. 13(1)(c))",
    "recipient-added": "new recipient (Art. 13(1)(e))",
    "purpose-recipient-added": "new recipient (Art. 13(1)(e))",
    "recipient-type-changed": "changed kind of recipient (Art. 13(1)(e))",
    "recipient-fields-added": "new data disclosed (Art. 13(1)(e))",
    "recipient-location-added": "new transfer place (Art. 13(1)(f))",
    "transfer-allowed-added": "new transfer place (Art. 13(1)(f))",
    "transfer-ban-removed": "new transfer place (Art. 13(1)(f))",
    "transfer-added": "transfer outside the EU/EEA (Art. 13(1)(f))",
    "recipient-transfer-added": "new transfer safeguard (Art. 13(1)(f))",
    "recipient-transfer-changed": "changed transfer safeguard (Art. 13(1)(f))",
    "transfer-mechanism-added": "new transfer safeguard (Art. 13(1)(f))",
    "retention-longer": "longer retention (Art. 13(2)(a))",
    "retention-removed": "longer retention (Art. 13(2)(a))",
    "retention-changed": "retention may be longer (Art. 13(2)(a))",
    "retention-exception-added": "longer retention (Art. 13(2)(a))",
    "retention-exception-fields-added": "longer retention (Art. 13(2)(a))",
    "right-removed": "removed right (Art. 13(2)(b))",
    "purpose-honours-removed": "removed right (Art. 13(2)(b))",
}


@dataclass(frozen=True)
class Change:
    """One change; ``where`` is its place in the new policy (the old one if removed)."""

    kind: str
    where: str
    message: str
    notifiable: bool
    why: str = ""


def _change(kind: str, where: str, message: str) -> Change:
    why = WHY.get(kind, "")
    return Change(kind, where, message, bool(why), why)


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


# A kind of change and its message, "{}" standing for what was added or removed.
KindAndMessage = tuple[str, str]


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
            removed=lambda key, where: _change(
                f"{kind}-removed", where, f"{kind} {n.of(table, key)} removed"
            ),
            kept=lambda key, where: kept(where, n.of(table, key), old[key], new[key], n),
        )

    return changes


def _list(
    where: str,
    old: Sequence[str],
    new: Sequence[str],
    added: KindAndMessage,
    removed: KindAndMessage,
    show: Callable[[Iterable[str]], str],
    *,
    each: bool = False,
) -> Iterator[Change]:
    """Additions to and removals from one list: one change each way, or with ``each`` one
    change per item (a recipient, a right: each is a thing to tell on its own)."""
    for (kind, message), items in ((added, _added(old, new)), (removed, _added(new, old))):
        if items:
            for shown in [[item] for item in items] if each else [items]:
                yield _change(kind, where, message.format(show(shown)))


def _legal_basis(
    where: str, label: str, old: LegalBasis, new: LegalBasis, n: _Names
) -> Iterator[Change]:
    if old.basis != new.basis:
        kind = "legal-basis-changed"
    elif old.reference != new.reference:
        kind = "legal-basis-reference-changed"
    else:
        return
    yield _change(kind, where, f"legal basis of {label}: {n.basis(old)} → {n.basis(new)}")


# -- the controller -------------------------------------------------------------------------

CONTROLLER_DETAILS = ("name", "address", "contact", "rights_contact", "email", "business_id")


def _controller(n: _Names) -> Iterator[Change]:
    old, new = n.old.controller, n.new.controller
    for attr in CONTROLLER_DETAILS:
        if getattr(old, attr) != getattr(new, attr):
            yield _change(
                "controller-changed",
                f"controller.{attr}",
                f"controller {attr.replace('_', ' ')} changed",
            )
    if n.old.dpo != n.new.dpo:
        yield _change("dpo-changed", "dpo", "data protection officer changed")


# -- purposes --------------------------------------------------------------------------------


def _purpose_added(where: str, name: str, p: Purpose, n: _Names) -> Iterator[Change]:
    yield _change(
        "purpose-added",
        where,
        f"new purpose {name} ({n.basis(p.legal_basis)}) uses: {n.fields(p.fields)}",
    )


def _purpose(where: str, name: str, old: Purpose, new: Purpose, n: _Names) -> Iterator[Change]:
    label = f"purpose {name}"
    yield from _legal_basis(f"{where}.legal_basis", label, old.legal_basis, new.legal_basis, n)
    yield from _list(
        f"{where}.fields",
        old.fields,
        new.fields,
        ("purpose-fields-added", f"{label} now also uses: {{}}"),
        ("purpose-fields-removed", f"{label} no longer uses: {{}}"),
        n.fields,
    )
    yield from _list(
        f"{where}.recipients",
        old.recipients,
        new.recipients,
        ("purpose-recipient-added", f"{label} now discloses data to {{}}"),
        ("purpose-recipient-removed", f"{label} no longer discloses data to {{}}"),
        n.all_of("recipients"),
        each=True,
    )
    yield from _list(
        f"{where}.honours",
        old.honours,
        new.honours,
        ("purpose-honours-added", f"{label} now honours {{}}"),
        ("purpose-honours-removed", f"{label} no longer honours {{}}"),
        n.rights,
        each=True,
    )
    if old.marketing != new.marketing:
        now = "is now" if new.marketing else "is no longer"
        yield _change("purpose-marketing-changed", f"{where}.marketing", f"{name} {now} marketing")


# -- registers -------------------------------------------------------------------------------


def _register_added(where: str, name: str, r: Register, n: _Names) -> Iterator[Change]:
    yield _change("register-added", where, f"new register {name} holds: {n.fields(r.fields)}")


def _register(where: str, name: str, old: Register, new: Register, n: _Names) -> Iterator[Change]:
    if (old.role, old.on_behalf_of) != (new.role, new.on_behalf_of):
        yield _change("register-role-changed", f"{where}.role", f"role in {name}: {new.role}")
    yield from _legal_basis(f"{where}.legal_basis", name, old.legal_basis, new.legal_basis, n)
    yield from _list(
        f"{where}.fields",
        old.fields,
        new.fields,
        ("register-fields-added", f"{name} now also stores: {{}}"),
        ("register-fields-removed", f"{name} no longer stores: {{}}"),
        n.fields,
    )
    yield from _list(
        f"{where}.purposes",
        old.purposes,
        new.purposes,
        ("register-purpose-added", f"{name} is now also used for: {{}}"),
        ("register-purpose-removed", f"{name} is no longer used for: {{}}"),
        n.all_of("purposes"),
    )
    yield from _list(
        f"{where}.rights",
        old.rights,
        new.rights,
        ("right-added", f"new right in {name}: {{}}"),
        ("right-removed", f"right removed from {name}: {{}}"),
        n.rights,
    )
    yield from _register_texts(where, name, old, new, n)
    yield from _retention(f"{where}.retention", name, old.retention, new.retention, n)


def _register_texts(
    where: str, name: str, old: Register, new: Register, n: _Names
) -> Iterator[Change]:
    """The register's free texts, compared as the notice shows them."""
    texts = (
        ("sources", "source", old.sources, new.sources),
        ("security_measures", "security measure", old.security_measures, new.security_measures),
        (
            "data_subjects",
            "data subjects",
            [*old.data_subjects.values()],
            [*new.data_subjects.values()],
        ),
    )
    for attr, label, before, after in texts:
        kind = f"register-{attr.replace('_', '-')}"
        yield from _list(
            f"{where}.{attr}",
            [n.text(t) for t in before],
            [n.text(t) for t in after],
            (f"{kind}-added", f"new {label} in {name}: {{}}"),
            (f"{kind}-removed", f"{label} removed from {name}: {{}}"),
            lambda items: "; ".join(_q(i) for i in items),
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
        yield _change(
            "retention-added",
            place,
            f"new retention rule {_q(key)} in {register}: {n.period(new[key])}",
        )

    def removed(key: str, place: str) -> Change:
        return _change(
            "retention-removed",
            place,
            f"retention rule {_q(key)} removed from {register}: no deletion time",
        )

    def kept(key: str, place: str) -> Iterator[Change]:
        label = f"retention {_q(key)} of {register}"
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
        yield _change(
            "retention-changed",
            f"{where}.trigger",
            f"{label} now counts from {new.trigger} (was {old.trigger})",
        )
        return
    order = periods.compare(new.period, old.period)
    if order:
        longer = order > 0
        yield _change(
            "retention-longer" if longer else "retention-shorter",
            f"{where}.period",
            f"{label}: {n.period(old)} → {n.period(new)} ({'longer' if longer else 'shorter'})",
        )


def _exceptions(
    where: str, label: str, old: RetentionRule, new: RetentionRule, n: _Names
) -> Iterator[Change]:
    def added(key: str, place: str) -> Iterator[Change]:
        e = new.exceptions[key]
        yield _change(
            "retention-exception-added",
            place,
            f"new exception {_q(key)} to {label} keeps {n.fields(e.fields)} for {n.period(e)}",
        )

    def removed(key: str, place: str) -> Change:
        return _change(
            "retention-exception-removed", place, f"exception {_q(key)} to {label} removed"
        )

    def kept(key: str, place: str) -> Iterator[Change]:
        # An exception without a trigger counts from its rule's: compare what applies.
        before = _counted(old.exceptions[key], old)
        after = _counted(new.exceptions[key], new)
        yield from _period(place, f"exception {_q(key)} to {label}", before, after, n)
        yield from _list(
            f"{place}.fields",
            before.fields,
            after.fields,
            ("retention-exception-fields-added", f"exception {_q(key)} now also keeps: {{}}"),
            ("retention-exception-fields-removed", f"exception {_q(key)} no longer keeps: {{}}"),
            n.fields,
        )

    return _table(old.exceptions, new.exceptions, where, added=added, removed=removed, kept=kept)


def _counted(exception: RetentionException, rule: RetentionRule) -> RetentionException:
    return exception.model_copy(update={"trigger": exception.trigger or rule.trigger})


# -- recipients and transfers ----------------------------------------------------------------


def _recipient_added(where: str, name: str, r: Recipient, n: _Names) -> Iterator[Change]:
    yield _change(
        "recipient-added",
        where,
        f"new recipient {name} ({kind_words(r, n.words)}) in {n.places(r.locations)} "
        f"receives: {n.fields(r.fields)}",
    )
    outside = [p for p in r.locations if not within(p, ["EEA"], n.new.regions)]
    if outside:
        yield _change(
            "transfer-added",
            f"{where}.locations",
            f"{name} processes data outside the EU/EEA: {n.places(outside)}",
        )
    for place, safeguard in r.transfers.items():
        said = safeguard_words(n.new, place, safeguard, n.words)
        yield _change(
            "recipient-transfer-added",
            f"{where}.transfers.{place}",
            f"{name}: data is transferred {said}",
        )


def _recipient(
    where: str, name: str, old: Recipient, new: Recipient, n: _Names
) -> Iterator[Change]:
    if n.text(old.name) != n.text(new.name):
        yield _change(
            "recipient-renamed",
            f"{where}.name",
            f"recipient {_q(n.text(old.name))} is now called {name}",
        )
    if old.type != new.type:
        yield _change(
            "recipient-type-changed",
            f"{where}.type",
            f"{name} is now a {kind_words(new, n.words)}, no longer a {kind_words(old, n.words)}",
        )
    yield from _list(
        f"{where}.fields",
        old.fields,
        new.fields,
        ("recipient-fields-added", f"{name} now also receives: {{}}"),
        ("recipient-fields-removed", f"{name} no longer receives: {{}}"),
        n.fields,
    )
    yield from _list(
        f"{where}.locations",
        old.locations,
        new.locations,
        ("recipient-location-added", f"{name} now also processes data in: {{}}"),
        ("recipient-location-removed", f"{name} no longer processes data in: {{}}"),
        n.places,
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
            yield _change(
                "recipient-transfer-added", at, f"{name}: data is transferred {said(new, place)}"
            )
        elif old.transfers[place] != new.transfers[place]:
            yield _change(
                "recipient-transfer-changed",
                at,
                f"{name}: data is now transferred {said(new, place)}",
            )
    for place in old.transfers:
        if place not in new.transfers:
            yield _change(
                "recipient-transfer-removed",
                f"{where}.transfers.{place}",
                f"{name}: no transfer mechanism declared for {n.places([place])} any more",
            )


def _transfers(n: _Names) -> Iterator[Change]:
    old, new = n.old.transfers, n.new.transfers
    yield from _list(
        "transfers.allowed",
        old.allowed,
        new.allowed,
        ("transfer-allowed-added", "transfers now allowed to: {}"),
        ("transfer-allowed-removed", "transfers no longer allowed to: {}"),
        n.places,
    )
    yield from _list(
        "transfers.bans",
        _banned(old),
        _banned(new),
        ("transfer-ban-added", "transfers now banned to: {}"),
        ("transfer-ban-removed", "transfer ban lifted for: {}"),
        n.places,
    )
    yield from _list(
        "transfers.mechanisms",
        old.mechanisms,
        new.mechanisms,
        ("transfer-mechanism-added", "the notice now permits transfers under: {}"),
        ("transfer-mechanism-removed", "the notice no longer permits transfers under: {}"),
        ", ".join,
    )


def _banned(transfers: Transfers) -> list[str]:
    return [place for ban in transfers.bans for place in ban.places]


# -- the fields' names -----------------------------------------------------------------------


def _vocabulary(n: _Names) -> Iterator[Change]:
    for fid, after in n.new.fields.items():
        before = n.old.fields.get(fid)
        if before is not None and n.text(before.name) != n.text(after.name):
            yield _change(
                "field-renamed",
                f"fields.{fid}",
                f"field {_q(n.text(before.name))} is now called {_q(n.text(after.name))}",
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

ARTICLES = "GDPR Art. 13(3), 14(4)"


def _summary(changes: list[Change]) -> str:
    told = sum(c.notifiable for c in changes)
    return (
        f"{len(changes)} change{'s' if len(changes) != 1 else ''}, {told} to tell data subjects "
        f"about before it applies ({ARTICLES})."
    )


def as_text(changes: list[Change]) -> str:
    if not changes:
        return "No changes to the notice.\n"
    lines = [
        f"{'NOTIFY' if c.notifiable else '      '}  {c.where}: {c.message}"
        + (f" [{c.why}]" if c.why else "")
        for c in changes
    ]
    return "\n".join([*lines, _summary(changes)]) + "\n"


def as_markdown(changes: list[Change]) -> str:
    """A pull-request comment: notifiable changes first, each with the reason."""
    if not changes:
        return "### Privacy notice\n\nNo changes to the notice.\n"
    out = ["### Privacy notice changes\n", f"{_summary(changes)}\n"]
    told = [c for c in changes if c.notifiable]
    rest = [c for c in changes if not c.notifiable]
    if told:
        out.append("#### Data subjects must be told\n")
        out += [f"- **{md_escape(c.why)}**: {md_escape(c.message)} · `{c.where}`" for c in told]
        out.append("")
    if rest:
        out.append("#### Other changes\n")
        out += [f"- {md_escape(c.message)} · `{c.where}`" for c in rest]
        out.append("")
    return "\n".join(out).rstrip("\n") + "\n"


def as_json(changes: list[Change]) -> str:
    doc = {
        "changes": [asdict(c) for c in changes],
        "notifiable": sum(c.notifiable for c in changes),
    }
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


FORMATTERS: dict[str, Callable[[list[Change]], str]] = {
    "text": as_text,
    "md": as_markdown,
    "json": as_json,
}
