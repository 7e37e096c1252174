"""From a profiled database to a draft of bindings: what each column holds, which register
each table holds, how its rows reach their data subject, and which columns the rules read.

Every proposal carries the evidence it rests on, in words, for a person to review: a draft
is where bindings start, never where they end.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from seloste.checks.discover import names
from seloste.checks.discover.profile import PATTERNS, Column, Table, text_like, whole_number
from seloste.policy.model import TRIGGER_COLUMNS, Policy

# The share of a sample that must be valid for the values to say a column's kind.
VALID_SHARE = 0.8
# Company names are told by their ending (Oy, Ab, Ltd), which many leave out.
LOOSE_SHARE = {"organisation_name": 0.5}
# Kinds told by name or values that are enough to map a column to the one field of the kind.
# Others (a date, an identifier, free text) say too little alone: the column's or its table's
# name must also resemble the field's, or the register have only the one field of the kind.
WEAK = frozenset({"billing_details", "identifier", "free_text", "date", "timestamp", "flag"})
WEAK |= {"money_amount", "registration_number"}
# What a kind may be filed under when the policy has no field of the kind itself: an amount
# of money is billing details; a date and a timestamp stand for each other.
BROADER = {"money_amount": ("billing_details",), "date": ("timestamp",), "timestamp": ("date",)}
# Kinds that are not personal data by themselves: without a policy they are other_columns.
NOT_PERSONAL = frozenset({"date", "timestamp", "flag", "identifier", "money_amount"})
NOT_PERSONAL |= {"organisation_name", "fi_business_id", "registration_number"}
# Values of these kinds are someone's whatever the column is called; other kinds found in
# values (a domain name) are a thing's when the name says so (``host``).
ALWAYS_PERSONAL = frozenset({"email", "phone", "fi_personal_identity_code", "iban"})
TIME_RULES = tuple(TRIGGER_COLUMNS.values())
FLAG_RULES = ("marketing_opt_out", "restricted")
TODO = "todo"  # the register of a table that holds personal data no register fits

LABELS = {
    "email": "e-mail addresses",
    "phone": "phone numbers",
    "fi_personal_identity_code": "personal identity codes (hetu)",
    "fi_business_id": "business IDs (Y-tunnus)",
    "iban": "IBANs",
    "ip_address": "IP addresses",
    "domain_name": "domain names",
    "organisation_name": "company names (Oy, Ab, Ltd...)",
}


@dataclass
class Guess:
    """What a column holds, and why we think so."""

    kind: str | None
    why: list[str] = field(default_factory=list)


@dataclass
class Line:
    """One proposal of the draft, with its evidence."""

    value: str
    why: str


@dataclass
class TableDraft:
    name: str
    schema: str | None
    rows: int
    register: str | None = None
    register_why: str = ""
    key: str | None = None
    key_why: str = ""
    subject: tuple[str, str] | None = None  # (table, column)
    subject_why: str = ""
    columns: dict[str, Line] = field(default_factory=dict)
    other: dict[str, str] = field(default_factory=dict)  # column -> why (TODO when unsure)
    unsure: set[str] = field(default_factory=set)
    rules: dict[str, Line] = field(default_factory=dict)  # binding key -> column
    time_formats: dict[str, Line] = field(default_factory=dict)
    unclaimed: list[str] = field(default_factory=list)  # personal columns with no field


@dataclass
class Draft:
    tables: list[TableDraft]
    ignored: dict[str, str]  # table -> why


# --- what a column holds ------------------------------------------------------------------------


def _percent(part: int, whole: int) -> str:
    share = 100 * part / whole if whole else 0.0
    return f"{share:.0f}%" if share >= 1 or share == 0 else f"{share:.1f}%"


def by_values(column: Column, rows: int) -> tuple[str, str] | None:
    """The kind a column's sampled values show, with the evidence; None if none does."""
    best: tuple[float, str] | None = None
    for kind in PATTERNS:
        share = column.shares.get(kind)
        if share is None or not share.sampled:
            continue
        valid = share.valid / share.sampled
        if valid >= LOOSE_SHARE.get(kind, VALID_SHARE) and (best is None or valid > best[0]):
            best = (valid, kind)
    if best is None:
        return None
    share = column.shares[best[1]]
    return best[1], (
        f"{_percent(share.valid, share.sampled)} valid {LABELS[best[1]]} "
        f"in {share.sampled:,} sampled of {rows:,} rows"
    )


def _by_type(kind: Any) -> str | None:
    if isinstance(kind, sa.Boolean):
        return "flag"
    if isinstance(kind, sa.DateTime):
        return "timestamp"
    if isinstance(kind, sa.Date):
        return "date"
    if type(kind).__name__ == "INET":  # PostgreSQL's address type
        return "ip_address"
    return None


def guess(column: Column, table: Table) -> Guess:
    """The kind a column holds: its values, where they tell; else its name; else its type."""
    named = names.kind_of(column.name, table.name)
    typed = _by_type(column.type)
    plain = names.plain(column.name)
    valued = by_values(column, table.rows)
    if valued is not None:
        kind, why = valued
        if kind in ALWAYS_PERSONAL or (plain is None and kind != "organisation_name"):
            return Guess(kind, [why])
        if kind == "organisation_name" and (named is None or named.what == "person_name"):
            return Guess(kind, [why])
    if typed in ("flag", "date", "timestamp"):
        if named is not None and named.what == "birth_date" and typed != "flag":
            return Guess("birth_date", [f'the name says a date of birth ("{named.word}")'])
        return Guess(typed, [f"a {typed} column"])
    if typed is not None:
        return Guess(typed, [f"a column of type {column.type}"])
    if plain is not None:
        return Guess(None, [f'the name says "{plain}"'])
    if named is not None:
        return Guess(named.what, [f'the name says "{named.word}"'])
    return Guess(None, [])


# --- rule columns ---------------------------------------------------------------------------


def _time_like(column: Column) -> bool:
    if isinstance(column.type, sa.Date | sa.DateTime):
        return True
    return names.says_time(column.name) and (whole_number(column.type) or text_like(column.type))


def _flag_like(column: Column) -> bool:
    return isinstance(column.type, sa.Boolean | sa.Integer | sa.Date | sa.DateTime)


def rule_of(column: Column) -> tuple[str, str] | None:
    """The binding key whose column this may be, and the word that says so."""
    if _time_like(column):
        named = names.rule_column_of(column.name, TIME_RULES)
        if named is not None:
            return named.what, named.word
    if _flag_like(column) and not names.says_time(column.name):
        named = names.rule_column_of(column.name, FLAG_RULES)
        if named is not None:
            return named.what, named.word
    return None


EPOCHS = (("epoch_seconds", 10**8, 10**10), ("epoch_milliseconds", 10**11, 10**13))
EPOCH_FORMATS = frozenset(fmt for fmt, _, _ in EPOCHS)


def time_format(column: Column, rows: int) -> Line | None:
    """How a time column of numbers or text writes times: from the range of its numbers, or
    the way of writing most of its sampled text reads as; None for ISO 8601 and native
    types. A TODO when it cannot be told."""
    if text_like(column.type):
        return _text_time(column, rows)
    if not whole_number(column.type):
        return None
    low, high = column.least, column.greatest
    if low is None or high is None:
        return Line("epoch_seconds", "TODO: no values to tell seconds from milliseconds")
    if not all(isinstance(v, int | float) and not isinstance(v, bool) for v in (low, high)):
        return Line("epoch_seconds", "TODO: it holds no numbers to tell the unit by")
    for fmt, least, most in EPOCHS:
        if least <= low and high < most:
            unit = fmt.removeprefix("epoch_")
            return Line(fmt, f"its numbers all read as Unix times in {unit}")
    return Line("epoch_seconds", "TODO: whole numbers that read as no Unix time")


def _text_time(column: Column, rows: int) -> Line | None:
    best = max(
        ((s.valid / s.sampled, fmt) for fmt, s in column.shares.items() if s.sampled),
        default=None,
    )
    if best is None or best[0] < VALID_SHARE:
        return None  # ISO 8601 as far as the checks can tell; they report what is not
    share = column.shares[best[1]]
    said = f"{_percent(share.valid, share.sampled)} read as {best[1]} in {share.sampled:,} "
    said += f"sampled of {rows:,} rows"
    if best[1] not in EPOCH_FORMATS:  # a Unix time is UTC; a written one is in some zone
        said += "; TODO: the zone of these times (timezone)"
    return Line(best[1], said)


# --- fields of a policy ---------------------------------------------------------------------------


@dataclass(frozen=True)
class FieldInfo:
    id: str
    kind: str
    personal: bool
    texts: tuple[str, ...]


def field_infos(policy: Policy) -> dict[str, FieldInfo]:
    out = {}
    for fid, f in policy.fields.items():
        texts = [fid, *(t for t in (f.name.fi, f.name.en, f.name.sv) if t)]
        if f.description is not None:
            texts += [t for t in (f.description.fi, f.description.en) if t]
        out[fid] = FieldInfo(fid, f.kind, f.personal, tuple(texts))
    return out


def _pick(
    column: str, table: str, candidates: list[FieldInfo], *, need_resemblance: bool
) -> tuple[FieldInfo, tuple[int, int]] | None:
    """The candidate the column resembles most, first declared on a tie."""
    scored = [(names.resemblance(column, table, f.texts), f) for f in candidates]
    best = max(scored, key=lambda s: s[0], default=None)
    if best is None:
        return None
    if need_resemblance and best[0] == (0, 0):
        return None
    return best[1], best[0]


def map_column(
    column: Column,
    table: Table,
    kind: str | None,
    fields: list[FieldInfo],
    *,
    linked: bool,
) -> tuple[FieldInfo, str] | None:
    """The register's field (``fields``, in the policy's order) a column maps to, with why."""
    if kind is not None:
        own = [f for f in fields if f.kind == kind]
        wider = [f for b in BROADER.get(kind, ()) for f in fields if f.kind == b]
        for group, how in ((own, "of kind"), (wider, "filed under")):
            if not group:
                continue
            unique = len(group) == 1 and kind not in ("date", "timestamp") and not linked
            need = kind in WEAK and not unique
            picked = _pick(column.name, table.name, group, need_resemblance=need)
            if picked is not None:
                f, score = picked
                return f, _field_why(f, kind, how, score)
        return None
    if names.plain(column.name) is not None or isinstance(column.type, sa.Boolean):
        return None
    loose = [f for f in fields if f.kind in WEAK]
    scored = [(names.resemblance(column.name, table.name, f.texts)[0], f) for f in loose]
    best = max(scored, key=lambda s: s[0], default=None)
    if best is None or best[0] == 0:
        return None
    return best[1], f"the name resembles field {best[1].id}"


def _field_why(f: FieldInfo, kind: str, how: str, score: tuple[int, int]) -> str:
    said = f"the only field {how} {kind}" if score == (0, 0) else f"a field {how} {kind}"
    if score[0]:
        said += ", whose name the column's resembles"
    elif score[1]:
        said += ", whose name the table's resembles"
    return said


# --- the draft ---------------------------------------------------------------------------------


def _order(tables: list[Table]) -> list[Table]:
    """Tables whose foreign keys lead to others after those others (cycles: as listed)."""
    by_name = {t.name: t for t in tables}
    done: dict[str, Table] = {}

    def visit(t: Table, path: set[str]) -> None:
        if t.name in done or t.name in path:
            return
        for _, target in t.links():
            if target in by_name:
                visit(by_name[target], path | {t.name})
        done[t.name] = t

    for t in tables:
        visit(t, set())
    return list(done.values())


def _key(table: Table) -> tuple[str | None, str]:
    if len(table.primary_key) == 1:
        return table.primary_key[0], "the primary key"
    if "id" in table.columns:
        return "id", "TODO: no one-column primary key; a column named id"
    first = next(iter(table.columns), None)
    return first, "TODO: no primary key: choose the column that names a row"


def draft(tables: list[Table], policy: Policy | None) -> Draft:
    """The bindings a person would start from: every table, bound or ignored, with why."""
    infos = field_infos(policy) if policy is not None else {}
    out: list[TableDraft] = []
    ignored: dict[str, str] = {}
    registers: dict[str, str] = {}  # table -> register chosen
    for table in _order(tables):
        result = _table(table, policy, infos, registers)
        if result is None:
            ignored[table.name] = "no column looks like personal data"
            continue
        registers[table.name] = result.register or TODO
        out.append(result)
    by_name = {t.name: t for t in tables}
    for result in out:
        _link(result, by_name[result.name], policy, registers)
    order = {t.name: i for i, t in enumerate(tables)}
    out.sort(key=lambda t: order[t.name])
    return Draft(out, dict(sorted(ignored.items(), key=lambda i: order[i[0]])))


def _table(
    table: Table, policy: Policy | None, infos: dict[str, FieldInfo], registers: dict[str, str]
) -> TableDraft | None:
    result = TableDraft(table.name, table.schema, table.rows)
    result.key, result.key_why = _key(table)
    fk_columns = {c for c, _ in table.links()}
    guesses: dict[str, Guess] = {}
    for column in table.columns.values():
        if column.name == result.key:
            continue
        rule = rule_of(column)
        if rule is not None and rule[0] not in result.rules:
            result.rules[rule[0]] = Line(column.name, f'the name says "{rule[1]}"')
            if rule[0] in TIME_RULES and (fmt := time_format(column, table.rows)) is not None:
                result.time_formats[column.name] = fmt
            continue
        guesses[column.name] = guess(column, table)
    personal = [
        c
        for c, g in guesses.items()
        if g.kind is not None and _personal(g.kind) and c not in fk_columns
    ]
    if policy is None:
        if not personal:
            return None
        result.register, result.register_why = TODO, "TODO: no policy given: name the register"
        result.unclaimed = personal
        _without_policy(result, table, guesses)
        return result
    linked_registers = [registers[t] for _, t in table.links() if t in registers]
    best = _register(table, policy, infos, guesses, fk_columns, linked_registers)
    if best is not None and not personal and not linked_registers:
        return None  # fields fit (an amount is billing details), but nothing links a person
    if best is None:
        if not personal:
            return None
        result.register = TODO
        result.register_why = "TODO: personal data that no register's fields fit"
        result.unclaimed = personal
        for name, g in guesses.items():
            result.other[name] = f"TODO: {_said(g)}"
            result.unsure.add(name)
        return result
    register, why, mapping = best
    result.register, result.register_why = register, why
    for name, g in guesses.items():
        if name in mapping:
            f, reason = mapping[name]
            result.columns[name] = Line(f.id, "; ".join([*g.why, reason]))
        elif name in fk_columns:
            result.other[name] = "a foreign key"
        elif g.kind is not None and _personal(g.kind):
            result.other[name] = f"TODO: {_said(g)}, and the register has no field for it"
            result.unsure.add(name)
            result.unclaimed.append(name)
        elif g.kind is None and not g.why:
            result.other[name] = "TODO: nothing says what it holds"
            result.unsure.add(name)
        else:
            result.other[name] = _said(g)
    return result


def _said(g: Guess) -> str:
    kind = f"looks like {g.kind}" if g.kind else ""
    return ", ".join(p for p in (kind, *g.why) if p) or "unknown"


def _personal(kind: str) -> bool:
    return kind not in NOT_PERSONAL


def _without_policy(result: TableDraft, table: Table, guesses: dict[str, Guess]) -> None:
    fk_columns = {c for c, _ in table.links()}
    for name, g in guesses.items():
        if name in fk_columns:
            result.other[name] = "a foreign key"
        elif g.kind is not None and _personal(g.kind):
            result.columns[name] = Line(g.kind, "; ".join(g.why))
        elif g.kind is None and not g.why:
            result.other[name] = "TODO: nothing says what it holds"
            result.unsure.add(name)
        else:
            result.other[name] = _said(g)


def _register(
    table: Table,
    policy: Policy,
    infos: dict[str, FieldInfo],
    guesses: dict[str, Guess],
    fk_columns: set[str],
    linked: list[str],
) -> tuple[str, str, dict[str, tuple[FieldInfo, str]]] | None:
    """The register whose fields fit most of the table's columns; on a tie, the register of
    a table its foreign keys lead to, then the one whose name the table's resembles."""
    best: tuple[tuple[int, int, int, int], str, dict[str, tuple[FieldInfo, str]]] | None = None
    for index, (rid, register) in enumerate(policy.registers.items()):
        fields = [infos[f] for f in register.fields if f in infos]
        mapping = {}
        for name, g in guesses.items():
            column = table.columns[name]
            found = map_column(column, table, g.kind, fields, linked=name in fk_columns)
            if found is not None:
                mapping[name] = found
        if not mapping:
            continue
        texts = [rid, *(t for t in (register.name.fi, register.name.en) if t)]
        alike = len(names.stems([table.name]) & names.stems(texts))
        score = (len(mapping), int(rid in linked), alike, -index)
        if best is None or score > best[0]:
            best = (score, rid, mapping)
    if best is None:
        return None
    (count, link, alike, _), rid, mapping = best
    why = f"its fields fit {count} of the table's columns"
    if link:
        why += "; a table this one refers to holds it too"
    elif alike:
        why += "; the table's name resembles the register's"
    return rid, why, mapping


def _subjects(policy: Policy, register: str) -> set[str]:
    found = policy.registers.get(register)
    return set(found.data_subjects) if found is not None else set()


def _link(
    result: TableDraft, table: Table, policy: Policy | None, registers: dict[str, str]
) -> None:
    """The foreign key that leads to the row of this table's data subject: one into a bound
    table of the same register, or of one that declares the same data subject."""
    declared = set(table.foreign_keys)
    for column, target in table.links():
        if target not in registers or target == table.name:
            continue
        theirs = registers[target]
        if policy is not None:
            same = theirs == result.register
            shared = _subjects(policy, theirs) & _subjects(policy, result.register or "")
            if not same and not shared:
                continue
        result.subject = (target, column)
        result.subject_why = (
            f"a foreign key to {target}"
            if (column, target) in declared
            else f"TODO: named after the key of {target}; no foreign key says so"
        )
        result.other.pop(column, None)
        result.columns.pop(column, None)
        result.unsure.discard(column)
        return


def personal_unclaimed(d: Draft) -> Iterator[tuple[str, list[str]]]:
    """Tables holding personal data that no register's fields claim, with the columns."""
    for t in d.tables:
        if t.unclaimed:
            yield t.name, t.unclaimed
