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
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import TypeVar

from seloste.policy.model import LegalBasis, Policy, RetentionException, RetentionRule, Text
from seloste.policy.regions import within
from seloste.policy.render import Words, basis_words, period_words, place_words
from seloste.policy.terms import Lang

T = TypeVar("T")

# Why each kind of change must be told, by the information Art. 13(1)-(2)/14(1)-(2) requires.
WHY = {
    "purpose-added": "new purpose (Art. 13(1)(c))",
    "register-added": "new processing (Art. 13(1)(c))",
    "register-purpose-added": "new purpose for the register (Art. 13(1)(c))",
    "legal-basis-changed": "changed legal basis (Art. 13(1)(c))",
    "recipient-added": "new recipient (Art. 13(1)(e))",
    "purpose-recipient-added": "new recipient (Art. 13(1)(e))",
    "register-processor-added": "new recipient (Art. 13(1)(e))",
    "recipient-fields-added": "new data disclosed (Art. 13(1)(e))",
    "recipient-location-added": "new transfer place (Art. 13(1)(f))",
    "transfer-allowed-added": "new transfer place (Art. 13(1)(f))",
    "transfer-ban-removed": "new transfer place (Art. 13(1)(f))",
    "transfer-added": "transfer outside the EU/EEA (Art. 13(1)(f))",
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


def _keys(old: dict[str, T], new: dict[str, T]) -> tuple[list[str], list[str], list[str]]:
    """Added, removed and kept keys, each in its policy's order."""
    return _added(old, new), _added(new, old), [k for k in new if k in old]


def _q(name: str) -> str:
    return f"“{name}”"


class _Differ:
    """Compares two policies; names come from the policy in one language."""

    def __init__(self, old: Policy, new: Policy, lang: Lang) -> None:
        self.old, self.new = old, new
        self.words = Words(lang)

    def text(self, value: Text | None) -> str:
        return self.words.text(value)

    def fields(self, ids: Iterable[str]) -> str:
        # A removed field may be gone from the new vocabulary: its old name still reads better.
        vocab = {**self.old.fields, **self.new.fields}
        return ", ".join(self.text(vocab[f].name) if f in vocab else f for f in ids)

    def basis_change(
        self, where: str, label: str, old: LegalBasis, new: LegalBasis
    ) -> Iterator[Change]:
        if old.basis != new.basis:
            kind = "legal-basis-changed"
        elif old.reference != new.reference:
            kind = "legal-basis-reference-changed"
        else:
            return
        yield _change(kind, where, f"legal basis of {label}: {self.basis(old)} → {self.basis(new)}")

    def basis(self, basis: LegalBasis) -> str:
        return basis_words(basis, self.words)

    def name_of(self, table: str, key: str) -> str:
        """A purpose's, recipient's or register's name, from whichever version has it."""
        for policy in (self.new, self.old):
            item = getattr(policy, table).get(key)
            if item is not None:
                return _q(self.text(item.name))
        return _q(key)

    def places(self, places: Iterable[str]) -> str:
        return ", ".join(place_words(p, self.words.lang) for p in places)

    def changes(self) -> list[Change]:
        return [
            *self.controller(),
            *self.purposes(),
            *self.registers(),
            *self.recipients(),
            *self.transfers(),
            *self.vocabulary(),
        ]

    def controller(self) -> Iterator[Change]:
        old, new = self.old.controller, self.new.controller
        for attr in ("name", "address", "contact", "rights_contact", "email", "business_id"):
            if getattr(old, attr) != getattr(new, attr):
                yield _change(
                    "controller-changed",
                    f"controller.{attr}",
                    f"controller {attr.replace('_', ' ')} changed",
                )
        if self.old.dpo != self.new.dpo:
            yield _change("dpo-changed", "dpo", "data protection officer changed")

    def purposes(self) -> Iterator[Change]:
        old, new = self.old.purposes, self.new.purposes
        added, removed, kept = _keys(old, new)
        for pid in added:
            p = new[pid]
            yield _change(
                "purpose-added",
                f"purposes.{pid}",
                f"new purpose {self.name_of('purposes', pid)} ({self.basis(p.legal_basis)}) "
                f"uses: {self.fields(p.fields)}",
            )
        for pid in removed:
            yield _change(
                "purpose-removed",
                f"purposes.{pid}",
                f"purpose {self.name_of('purposes', pid)} removed",
            )
        for pid in kept:
            yield from self.purpose(pid)

    def purpose(self, pid: str) -> Iterator[Change]:
        old, new = self.old.purposes[pid], self.new.purposes[pid]
        where, name = f"purposes.{pid}", self.name_of("purposes", pid)
        yield from self.basis_change(
            f"{where}.legal_basis", f"purpose {name}", old.legal_basis, new.legal_basis
        )
        yield from self.lists(
            f"{where}.fields",
            old.fields,
            new.fields,
            ("purpose-fields-added", f"purpose {name} now also uses: {{}}"),
            ("purpose-fields-removed", f"purpose {name} no longer uses: {{}}"),
            self.fields,
        )
        for rid in _added(old.recipients, new.recipients):
            yield _change(
                "purpose-recipient-added",
                f"{where}.recipients",
                f"purpose {name} now discloses data to {self.name_of('recipients', rid)}",
            )
        for rid in _added(new.recipients, old.recipients):
            yield _change(
                "purpose-recipient-removed",
                f"{where}.recipients",
                f"purpose {name} no longer discloses data to {self.name_of('recipients', rid)}",
            )
        for right in _added(old.honours, new.honours):
            yield _change(
                "purpose-honours-added",
                f"{where}.honours",
                f"purpose {name} now honours {self.words.term(f'right.{right}')}",
            )
        for right in _added(new.honours, old.honours):
            yield _change(
                "purpose-honours-removed",
                f"{where}.honours",
                f"purpose {name} no longer honours {self.words.term(f'right.{right}')}",
            )
        if old.marketing != new.marketing:
            now = "is now" if new.marketing else "is no longer"
            yield _change(
                "purpose-marketing-changed", f"{where}.marketing", f"{name} {now} marketing"
            )

    def lists(
        self,
        where: str,
        old: list[str],
        new: list[str],
        added: tuple[str, str],
        removed: tuple[str, str],
        show: Callable[[Iterable[str]], str],
    ) -> Iterator[Change]:
        """Additions to and removals from one list, as one change each way."""
        for (kind, template), items in ((added, _added(old, new)), (removed, _added(new, old))):
            if items:
                yield _change(kind, where, template.format(show(items)))

    def registers(self) -> Iterator[Change]:
        old, new = self.old.registers, self.new.registers
        added, removed, kept = _keys(old, new)
        for rid in added:
            yield _change(
                "register-added",
                f"registers.{rid}",
                f"new register {self.name_of('registers', rid)} holds: "
                f"{self.fields(new[rid].fields)}",
            )
        for rid in removed:
            yield _change(
                "register-removed",
                f"registers.{rid}",
                f"register {self.name_of('registers', rid)} removed",
            )
        for rid in kept:
            yield from self.register(rid)

    def register(self, rid: str) -> Iterator[Change]:
        old, new = self.old.registers[rid], self.new.registers[rid]
        where, name = f"registers.{rid}", self.name_of("registers", rid)
        if (old.role, old.on_behalf_of) != (new.role, new.on_behalf_of):
            yield _change("register-role-changed", f"{where}.role", f"role in {name}: {new.role}")
        yield from self.basis_change(f"{where}.legal_basis", name, old.legal_basis, new.legal_basis)
        yield from self.lists(
            f"{where}.fields",
            old.fields,
            new.fields,
            ("register-fields-added", f"{name} now also stores: {{}}"),
            ("register-fields-removed", f"{name} no longer stores: {{}}"),
            self.fields,
        )
        yield from self.lists(
            f"{where}.purposes",
            old.purposes,
            new.purposes,
            ("register-purpose-added", f"{name} is now also used for: {{}}"),
            ("register-purpose-removed", f"{name} is no longer used for: {{}}"),
            lambda ids: ", ".join(self.name_of("purposes", p) for p in ids),
        )
        yield from self.lists(
            f"{where}.rights",
            old.rights,
            new.rights,
            ("right-added", f"new right in {name}: {{}}"),
            ("right-removed", f"right removed from {name}: {{}}"),
            lambda rights: ", ".join(self.words.term(f"right.{r}") for r in rights),
        )
        yield from self.lists(
            f"{where}.processors",
            old.processors,
            new.processors,
            ("register-processor-added", f"new processor of {name}: {{}}"),
            ("register-processor-removed", f"processor no longer used for {name}: {{}}"),
            lambda ids: ", ".join(self.name_of("recipients", r) for r in ids),
        )
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
            yield from self.lists(
                f"{where}.{attr}",
                [self.text(t) for t in before],
                [self.text(t) for t in after],
                (f"register-{attr.replace('_', '-')}-added", f"new {label} in {name}: {{}}"),
                (
                    f"register-{attr.replace('_', '-')}-removed",
                    f"{label} removed from {name}: {{}}",
                ),
                lambda items: "; ".join(_q(i) for i in items),
            )
        yield from self.retention(rid)

    def retention(self, rid: str) -> Iterator[Change]:
        old, new = self.old.registers[rid].retention, self.new.registers[rid].retention
        register = self.name_of("registers", rid)
        added, removed, kept = _keys(old, new)
        for key in added:
            where = f"registers.{rid}.retention.{key}"
            rule = new[key]
            yield _change(
                "retention-added",
                where,
                f"new retention rule {_q(key)} in {register}: {self.period(rule)}",
            )
        for key in removed:
            where = f"registers.{rid}.retention.{key}"
            yield _change(
                "retention-removed",
                where,
                f"retention rule {_q(key)} removed from {register}: no deletion time",
            )
        for key in kept:
            where = f"registers.{rid}.retention.{key}"
            label = f"retention {_q(key)} of {register}"
            yield from self.period_change(where, label, old[key], new[key])
            yield from self.exceptions(where, label, old[key], new[key])

    def period(self, rule: RetentionRule | RetentionException) -> str:
        return period_words(rule.period, self.words.lang)

    def period_change(
        self,
        where: str,
        label: str,
        old: RetentionRule | RetentionException,
        new: RetentionRule | RetentionException,
    ) -> Iterator[Change]:
        if (old.trigger, old.date_field) != (new.trigger, new.date_field):
            yield _change(
                "retention-changed",
                f"{where}.trigger",
                f"{label} now counts from {new.trigger} (was {old.trigger})",
            )
            return
        before, after = _length(old.period), _length(new.period)
        if before != after:
            longer = after > before
            yield _change(
                "retention-longer" if longer else "retention-shorter",
                f"{where}.period",
                f"{label}: {self.period(old)} → {self.period(new)} "
                f"({'longer' if longer else 'shorter'})",
            )

    def exceptions(
        self, where: str, label: str, old: RetentionRule, new: RetentionRule
    ) -> Iterator[Change]:
        added, removed, kept = _keys(old.exceptions, new.exceptions)
        for key in added:
            e = new.exceptions[key]
            yield _change(
                "retention-exception-added",
                f"{where}.exceptions.{key}",
                f"new exception {_q(key)} to {label} keeps {self.fields(e.fields)} for "
                f"{self.period(e)}",
            )
        for key in removed:
            yield _change(
                "retention-exception-removed",
                f"{where}.exceptions.{key}",
                f"exception {_q(key)} to {label} removed",
            )
        for key in kept:
            before, after = old.exceptions[key], new.exceptions[key]
            place = f"{where}.exceptions.{key}"
            # An exception without a trigger counts from its rule's: compare what applies.
            before = before.model_copy(update={"trigger": before.trigger or old.trigger})
            after = after.model_copy(update={"trigger": after.trigger or new.trigger})
            yield from self.period_change(place, f"exception {_q(key)} to {label}", before, after)
            yield from self.lists(
                f"{place}.fields",
                before.fields,
                after.fields,
                ("retention-exception-fields-added", f"exception {_q(key)} now also keeps: {{}}"),
                (
                    "retention-exception-fields-removed",
                    f"exception {_q(key)} no longer keeps: {{}}",
                ),
                self.fields,
            )

    def recipients(self) -> Iterator[Change]:
        old, new = self.old.recipients, self.new.recipients
        added, removed, kept = _keys(old, new)
        for rid in added:
            r = new[rid]
            kind = f"{self.words.term(f'type.{r.type}')}, {self.words.term(f'role.{r.role}')}"
            yield _change(
                "recipient-added",
                f"recipients.{rid}",
                f"new recipient {self.name_of('recipients', rid)} ({kind}) in "
                f"{self.places(r.locations)} receives: {self.fields(r.fields)}",
            )
            outside = [p for p in r.locations if not within(p, ["EEA"], self.new.regions)]
            if outside:
                yield _change(
                    "transfer-added",
                    f"recipients.{rid}.locations",
                    f"{self.name_of('recipients', rid)} processes data outside the EU/EEA: "
                    f"{self.places(outside)}",
                )
        for rid in removed:
            yield _change(
                "recipient-removed",
                f"recipients.{rid}",
                f"recipient {self.name_of('recipients', rid)} removed",
            )
        for rid in kept:
            yield from self.recipient(rid)

    def recipient(self, rid: str) -> Iterator[Change]:
        old, new = self.old.recipients[rid], self.new.recipients[rid]
        where, name = f"recipients.{rid}", self.name_of("recipients", rid)
        if self.text(old.name) != self.text(new.name):
            yield _change(
                "recipient-renamed",
                f"{where}.name",
                f"recipient {_q(self.text(old.name))} is now called {name}",
            )
        if (old.type, old.role) != (new.type, new.role):
            yield _change(
                "recipient-role-changed",
                f"{where}.role",
                f"{name} is now {self.words.term(f'role.{new.role}')}",
            )
        yield from self.lists(
            f"{where}.fields",
            old.fields,
            new.fields,
            ("recipient-fields-added", f"{name} now also receives: {{}}"),
            ("recipient-fields-removed", f"{name} no longer receives: {{}}"),
            self.fields,
        )
        yield from self.lists(
            f"{where}.locations",
            old.locations,
            new.locations,
            ("recipient-location-added", f"{name} now also processes data in: {{}}"),
            ("recipient-location-removed", f"{name} no longer processes data in: {{}}"),
            self.places,
        )

    def transfers(self) -> Iterator[Change]:
        old, new = self.old.transfers, self.new.transfers
        yield from self.lists(
            "transfers.allowed",
            old.allowed,
            new.allowed,
            ("transfer-allowed-added", "transfers now allowed to: {}"),
            ("transfer-allowed-removed", "transfers no longer allowed to: {}"),
            self.places,
        )
        old_bans = [p for ban in old.bans for p in ban.places]
        new_bans = [p for ban in new.bans for p in ban.places]
        yield from self.lists(
            "transfers.bans",
            old_bans,
            new_bans,
            ("transfer-ban-added", "transfers now banned to: {}"),
            ("transfer-ban-removed", "transfer ban lifted for: {}"),
            self.places,
        )

    def vocabulary(self) -> Iterator[Change]:
        for fid in self.new.fields:
            before = self.old.fields.get(fid)
            after = self.new.fields[fid]
            if before is not None and self.text(before.name) != self.text(after.name):
                yield _change(
                    "field-renamed",
                    f"fields.{fid}",
                    f"field {_q(self.text(before.name))} is now called {_q(self.text(after.name))}",
                )


def _length(duration: str) -> datetime:
    """A duration as the moment it ends from a fixed start, so P1Y and P12M compare equal."""
    import isodate

    return datetime(2000, 1, 1) + isodate.parse_duration(duration)


def diff(old: Policy, new: Policy, lang: Lang = "en") -> list[Change]:
    """Every change from ``old`` to ``new`` that the notice shows, in the policy's order."""
    return _Differ(old, new, lang).changes()


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
    from seloste.policy.render import md_escape

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


def diff_command(old: str, new: str, fmt: str, lang: Lang, fail_on_notifiable: bool) -> int:
    """``seloste diff``: 0, or 1 with ``--fail-on-notifiable`` when data subjects must be told.

    Both files are loaded before either error is reported, so all problems show at once.
    """
    import sys

    from seloste.policy.errors import InputError
    from seloste.policy.loader import load_policy

    policies, problems = [], []
    for path in (old, new):
        try:
            policies.append(load_policy(path).model)
        except InputError as exc:
            problems += exc.problems
    if problems:
        raise InputError(problems)
    changes = diff(policies[0], policies[1], lang)
    sys.stdout.write(FORMATTERS[fmt](changes))
    return 1 if fail_on_notifiable and any(c.notifiable for c in changes) else 0
