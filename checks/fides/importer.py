"""fideslang manifests as a seloste policy and bindings, with ``TODO`` where fideslang
cannot say what the policy needs.

Systems are registers, except those that receive data from another system (an egress to
them), call themselves third parties (``system_type``) or were exported as recipients
(``meta.seloste``): those are recipients. Each privacy declaration is a purpose of its
system (by its name, else its data use); its data categories become fields through
taxonomy.yaml. Each dataset becomes a bindings file, its collections the tables. What the
exporter kept under ``meta.seloste`` (exact kinds, recipient types and locations, rule
columns) is read back, so a policy survives a round trip. docs/fides.md has the details.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, get_args

from seloste.checks.fides.emit import Note, document
from seloste.checks.fides.manifests import (
    Collection,
    Dataset,
    Declaration,
    Manifests,
    System,
)
from seloste.checks.fides.taxonomy import table
from seloste.policy.errors import InputError, Problem
from seloste.policy.model import TRIGGER_COLUMNS, Trigger
from seloste.policy.tables import RULE_COLUMNS

PLACEHOLDER_EMAIL = "todo@example.invalid"
BASE_RIGHTS = ["access", "rectification", "erasure", "restriction"]
_RETENTION = re.compile(
    r"^(?:([a-z][a-z0-9_-]*): )?(P\w+) after (\w+)(?: ([a-z][a-z0-9_-]*))?"
    r"(?: \((delete|anonymise)\))?$"
)
_TRIGGERS = get_args(Trigger)
_WORDS = {"day": "D", "week": "W", "month": "M", "year": "Y"}
RIGHT_COLUMNS = {"marketing_opt_out": "marketing_opt_out", "restriction": "restricted"}


def ident(text: str) -> str:
    """``text`` as a policy ID (lowercase letters, digits, _ and -, a letter first)."""
    out = re.sub(r"[^a-z0-9_-]+", "_", text.lower()).strip("_-")
    if not out or not out[0].isalpha():
        out = f"x_{out}"
    return out[:64]


@dataclass
class FieldOut:
    kind: str
    personal: bool
    category: str
    name: str
    todo: str = ""


@dataclass
class PurposeOut:
    use: str
    name: str
    basis: str | None = None
    basis_todo: bool = False
    categories: list[str] = field(default_factory=list)
    recipients: list[str] = field(default_factory=list)


@dataclass
class Imported:
    policy: str
    bindings: dict[str, str]  # file name -> text
    todos: int


class _Importer:
    def __init__(self, m: Manifests) -> None:
        self.m = m
        self.t = table()
        self.fields: dict[str, FieldOut] = {}
        self.by_category: dict[str, list[str]] = {}
        self.purposes: dict[str, PurposeOut] = {}
        recipient_keys = self._recipient_keys()
        # A system that declares no data and names no dataset holds no register.
        self.empty = [
            s.fides_key
            for s in m.systems
            if s.fides_key not in recipient_keys and not _holds_data(s, m)
        ]
        self.registers = [
            s
            for s in m.systems
            if s.fides_key not in recipient_keys and s.fides_key not in self.empty
        ]
        self.recipients = [s for s in m.systems if s.fides_key in recipient_keys]
        self.register_ids = _ids(s.fides_key for s in self.registers)
        self.recipient_ids = _ids(s.fides_key for s in self.recipients)
        self.third_parties: dict[str, tuple[str, list[str]]] = {}  # id -> (name, categories)
        # The binding keys each register's rights and retention rules need a column for.
        self.needs: dict[str, list[str]] = {}
        # The fields each register holds, by the purposes it serves.
        self.held: dict[str, set[str]] = {}
        self.kept: set[str] = set()  # the recipients written

    def _recipient_keys(self) -> set[str]:
        """Systems that receive data: marked so by the exporter, calling themselves third
        parties, or named by another system's egress while sending nothing on themselves."""
        targets = {
            f.fides_key for s in self.m.systems for f in s.egress or [] if f.type == "system"
        }
        keys = set()
        for s in self.m.systems:
            seloste = _seloste_meta(s.meta)
            if (
                "recipient" in seloste
                or (s.fides_key in targets and not s.egress)
                or re.sub(r"[^a-z]", "", s.system_type.lower()) == "thirdparty"
            ):
                keys.add(s.fides_key)
        return keys

    # --- fields -------------------------------------------------------------------------

    def _meta_fields(self) -> None:
        """Fields as the exporter wrote them: their IDs and exact kinds."""
        for s in self.m.systems:
            for fid, about in (_seloste_meta(s.meta).get("fields") or {}).items():
                if fid in self.fields or not isinstance(about, dict):
                    continue
                kind, personal = about.get("kind"), about.get("personal")
                if kind not in self.t.kinds or not isinstance(personal, bool):
                    continue
                category = self.t.category_of(kind)
                self.fields[fid] = FieldOut(kind, personal, category, self._name(category))
                self.by_category.setdefault(category, []).append(fid)

    def _name(self, category: str) -> str:
        return self.m.name_of("data_category", category)

    def field_of(self, category: str) -> list[str]:
        """The fields a data category stands for, made from the table when new."""
        if category in self.by_category:
            return self.by_category[category]
        resolved = self.m.resolved("data_category", category)
        reading = self.t.reading(resolved)
        if reading is None:  # only a custom root; fideslang's roots are in the table
            kind, personal, todo = "free_text", True, f"no kind for {category!r}; choose one"
        else:
            kind, personal, todo = reading.kind, reading.personal, reading.todo
        if category.startswith("system"):
            personal = False
        parts = category.split(".")
        fid = ident(parts[-1])
        n = 2
        while fid in self.fields and n <= len(parts):
            fid = ident("_".join(parts[-n:]))
            n += 1
        base, n = fid, 2
        while fid in self.fields:
            fid, n = f"{base[:60]}_{n}", n + 1
        self.fields[fid] = FieldOut(kind, personal, category, self._name(category), todo)
        self.by_category[category] = [fid]
        return self.by_category[category]

    def fields_of(self, categories: list[str]) -> list[str]:
        return list(dict.fromkeys(f for c in categories for f in self.field_of(c)))

    # --- purposes -----------------------------------------------------------------------

    def _purpose(self, system: System, d: Declaration) -> str:
        pid = ident(d.name or d.data_use)
        p = self.purposes.get(pid)
        if p is None:
            name = d.name if d.name and ident(d.name) != d.name else None
            name = name or self.m.name_of("data_use", d.data_use)
            p = self.purposes[pid] = PurposeOut(use=d.data_use, name=name)
        basis = self.t.basis_named(d.legal_basis_for_processing or "")
        if p.basis is None or (p.basis_todo and basis is not None):
            reading = self.t.use_reading(self.m.resolved("data_use", d.data_use))
            p.basis = basis or (reading.legal_basis if reading else "legitimate_interests")
            p.basis_todo = basis is None
        p.categories += [c for c in d.data_categories if c not in p.categories]
        for target in d.egress or []:
            if target in self.recipient_ids and self.recipient_ids[target] not in p.recipients:
                p.recipients.append(self.recipient_ids[target])
        if system.fides_key in self.recipient_ids:
            rid = self.recipient_ids[system.fides_key]
            if rid not in p.recipients:
                p.recipients.append(rid)
        if d.data_shared_with_third_parties and d.third_parties:
            for party in re.split(r",\s*", d.third_parties):
                if not party.strip() or _names_a_recipient(party, self.recipients):
                    continue
                tid = ident(party)
                _, cats = self.third_parties.setdefault(tid, (party.strip(), []))
                cats += [c for c in d.data_categories if c not in cats]
                if tid not in p.recipients:
                    p.recipients.append(tid)
        return pid

    def _marketing(self, p: PurposeOut) -> bool:
        reading = self.t.use_reading(self.m.resolved("data_use", p.use))
        return bool(reading and reading.marketing)

    # --- the policy ---------------------------------------------------------------------

    def build(self, source: str) -> Imported:
        if not self.registers:
            why = "no system holds a register: each receives data from another, or declares none"
            raise InputError([Problem(source, 0, 0, why)])
        self._meta_fields()
        register_purposes: dict[str, list[str]] = {}
        for s in self.registers:
            register_purposes[s.fides_key] = [self._purpose(s, d) for d in _declared(s)]
        for s in self.recipients:
            for d in _declared(s):
                self._purpose(s, d)
        registers = {
            self.register_ids[s.fides_key]: self._register(s, register_purposes[s.fides_key])
            for s in self.registers
        }
        bindings = {
            f"{ident(d.fides_key)}.bindings.yaml": self._bindings(d) for d in self.m.datasets
        }
        recipients = {
            self.recipient_ids[s.fides_key]: out
            for s in self.recipients
            if (out := self._recipient(s)) is not None
        }
        for tid, (name, cats) in self.third_parties.items():
            recipients.setdefault(tid, self._third_party(name, cats))
        self.kept = set(recipients)
        purposes = {pid: self._purpose_out(pid, p) for pid, p in self.purposes.items()}
        policy: dict[str, Any] = {
            "seloste": 1,
            "kind": "policy",
            "controller": self._controller(),
        }
        dpo = self._dpo()
        if dpo:
            policy["dpo"] = dpo
        policy["fields"] = {fid: self._field_out(f) for fid, f in self.fields.items()}
        policy["forbidden_kinds"] = Note(
            {},
            "TODO: the kinds no register may hold; Fides policies are not read",
        )
        policy["registers"] = registers
        policy["purposes"] = purposes
        policy["recipients"] = recipients
        policy["transfers"] = self._transfers()
        header = [
            "Imported by `seloste import fides` from fideslang manifests: review every line,",
            "above all those marked TODO (what fideslang cannot say), then run `seloste",
            "validate`. docs/fides.md says what each Fides resource became.",
        ]
        if self.empty:
            header.append(f"Systems that declare no data, left out: {', '.join(self.empty)}.")
        text = document(header, policy)
        todos = text.count("TODO") + sum(b.count("TODO") for b in bindings.values())
        return Imported(text, bindings, todos)

    def _controller(self) -> dict[str, Any]:
        org = self.m.organizations[0] if self.m.organizations else None
        c = org.controller if org else None
        name = (c.name if c and c.name else None) or (org.name if org else None)
        out: dict[str, Any] = {
            "name": Note(name, "") if name else Note("TODO", "TODO: the controller's legal name"),
        }
        if c and c.address:
            out["address"] = Note(
                {"street": "TODO", "postal_code": "TODO", "city": "TODO"},
                f"TODO: fideslang keeps the address as one line: {c.address}",
            )
        if c and _email(c.email):
            out["contact"] = c.email
        else:
            out["contact"] = Note(PLACEHOLDER_EMAIL, "TODO: the contact for register matters")
        return out

    def _dpo(self) -> dict[str, Any] | None:
        org = self.m.organizations[0] if self.m.organizations else None
        d = org.data_protection_officer if org else None
        if d is None or not d.name:
            return None
        out: dict[str, Any] = {"name": d.name}
        if _email(d.email):
            out["email"] = d.email
        if d.phone:
            out["phone"] = d.phone
        return out

    def _field_out(self, f: FieldOut) -> Any:
        out: dict[str, Any] = {
            "name": Note({"en": f.name}, "TODO: the name in Finnish (fi)"),
            "kind": Note(f.kind, f"from {f.category}" + (f"; TODO: {f.todo}" if f.todo else "")),
            "personal": f.personal,
        }
        return out

    def _register(self, s: System, purpose_ids: list[str]) -> dict[str, Any]:
        seloste = _seloste_meta(s.meta)
        declared = list(dict.fromkeys(purpose_ids))
        cats = [c for d in _declared(s) for c in d.data_categories]
        exact = [f for f in seloste.get("fields") or {} if f in self.fields]
        fields = exact or self.fields_of(cats)
        fields += [f for f in self._dataset_fields(s) if f not in fields]
        out: dict[str, Any] = {
            "name": Note({"en": s.name or s.fides_key}, "TODO: the name in Finnish (fi)"),
        }
        if s.description:
            out["description"] = Note({"en": s.description}, "TODO: in Finnish (fi)")
        role, behalf = "controller", seloste.get("on_behalf_of")
        if "Processor" in s.responsibility or "Sub-Processor" in s.responsibility:
            if isinstance(behalf, str) and behalf in self._recipient_ids_all():
                out["role"], out["on_behalf_of"] = "processor", behalf
            else:
                out["role"] = Note(
                    "controller",
                    "TODO: fideslang says the organisation is a processor here but not for "
                    "whom; write role: processor and on_behalf_of: that controller",
                )
        else:
            out["role"] = role
        subjects = list(dict.fromkeys(x for d in _declared(s) for x in d.data_subjects))
        out["data_subjects"] = (
            {
                ident(x): Note({"en": self.m.name_of("data_subject", x)}, "TODO: in Finnish (fi)")
                for x in subjects
            }
            if subjects
            else {"unknown": Note({"en": "TODO"}, "TODO: no declaration names its subjects")}
        )
        first = self.purposes[declared[0]] if declared else None
        basis = first.basis if first and first.basis else "legitimate_interests"
        out["legal_basis"] = Note(
            {"basis": basis}, "TODO: the register's own basis; this is its first purpose's"
        )
        out["fields"] = fields or [Note("TODO", "TODO: no data category declared")]
        out["purposes"] = declared
        for pid in declared:
            self.held.setdefault(pid, set()).update(fields)
        out["retention"] = self._retention(s)
        marketing = any(self._marketing(self.purposes[p]) for p in declared)
        rights = list(BASE_RIGHTS)
        if basis in ("consent", "contract"):
            rights.append("portability")
        if basis in ("legitimate_interests", "public_task"):
            rights.append("objection")
        if marketing:
            rights.append("marketing_opt_out")
        out["rights"] = Note(rights, "the GDPR's for its basis; TODO: as the notice grants them")
        triggers = [
            r.value["trigger"] if isinstance(r, Note) else r["trigger"]
            for r in out["retention"].values()
        ]
        self.needs[self.register_ids[s.fides_key]] = list(
            dict.fromkeys(
                [TRIGGER_COLUMNS[t] for t in triggers if t in TRIGGER_COLUMNS]
                + [RIGHT_COLUMNS[r] for r in rights if r in RIGHT_COLUMNS]
            )
        )
        if s.data_security_practices:
            out["security_measures"] = [{"en": s.data_security_practices}]
        return out

    def _recipient_ids_all(self) -> set[str]:
        return {*self.recipient_ids.values(), *self.third_parties}

    def _owners(self, d: Dataset) -> list[System]:
        """The registers whose systems name a dataset; the first register when none does
        (its tables are bound to it, marked TODO where several could be)."""
        return [s for s in self.registers if d.fides_key in _dataset_refs(s)] or self.registers

    def _dataset_fields(self, s: System) -> list[str]:
        """The fields the columns of this system's collections are bound to (a register
        must hold what its tables hold)."""
        out: list[str] = []
        for d in self.m.datasets:
            if s not in self._owners(d):
                continue
            bound = _seloste_meta(d.meta).get("tables") or {}
            for c in d.collections:
                owner = (bound.get(c.name) or {}).get("register")
                if isinstance(owner, str) and owner != self.register_ids[s.fides_key]:
                    continue
                exact = (bound.get(c.name) or {}).get("columns") or {}
                for f in c.fields:
                    if isinstance(exact.get(f.name), str) and exact[f.name] in self.fields:
                        fid = exact[f.name]
                        out += [fid] if fid not in out else []
                    elif f.data_categories and not f.fields:
                        fid = self.field_of(f.data_categories[0])[0]
                        out += [fid] if fid not in out else []
        return out

    def _retention(self, s: System) -> Any:
        periods = [d.retention_period for d in _declared(s) if d.retention_period]
        rules: dict[str, Any] = {}
        for text in dict.fromkeys(p for t in periods for p in t.split(";")):
            read = _rule(text.strip())
            if read is not None and read[1].get("date_field", "") in {"", *self.fields}:
                rid = read[0] or ident(f"after_{read[1]['trigger']}")
                rules.setdefault(rid, read[1])
        if rules:
            return rules
        said = "; ".join(dict.fromkeys(periods))
        why = f"fideslang says {said!r}" if said else "fideslang states no retention period"
        return {
            "todo": Note(
                {"trigger": "relationship_end", "period": "P1Y", "action": "delete"},
                f"TODO: a placeholder ({why}): the notice's rule, its period and exceptions",
            )
        }

    def _purpose_out(self, pid: str, p: PurposeOut) -> dict[str, Any]:
        marketing = self._marketing(p)
        fields = self.fields_of(p.categories)
        if pid in self.held:  # a category several fields share: those its registers hold
            fields = [f for f in fields if f in self.held[pid]] or fields
        out: dict[str, Any] = {
            "name": Note({"en": p.name}, "TODO: the name in Finnish (fi)"),
            "legal_basis": Note(
                {"basis": p.basis or "legitimate_interests"},
                f"TODO: no legal basis declared; the usual one for {p.use}" if p.basis_todo else "",
            ),
            "fields": fields or [Note("TODO", "TODO: no data category declared")],
        }
        # A recipient that receives no data of its own or of a purpose is not one.
        recipients = [r for r in p.recipients if r in self.kept]
        if recipients:
            out["recipients"] = recipients
        if marketing:
            out["marketing"] = True
        honours = (["marketing_opt_out"] if marketing else []) + (
            ["restriction"] if marketing or recipients else []
        )
        if honours:
            out["honours"] = Note(honours, "GDPR Art. 21 and 18 ask this; fideslang has no word")
        return out

    def _recipient(self, s: System) -> dict[str, Any] | None:
        about = _seloste_meta(s.meta).get("recipient") or {}
        cats = [c for d in _declared(s) for c in d.data_categories]
        for other in self.registers:
            for flow in other.egress or []:
                if flow.fides_key == s.fides_key:
                    cats += flow.data_categories or []
        meta_fields = [f for f in _seloste_meta(s.meta).get("fields") or {} if f in self.fields]
        fields = meta_fields or self.fields_of(cats)
        if not fields:
            received = [
                c
                for p in self.purposes.values()
                if self.recipient_ids[s.fides_key] in p.recipients
                for c in p.categories
            ]
            fields = self.fields_of(received)
        out: dict[str, Any] = {
            "name": Note({"en": s.name or s.fides_key}, "TODO: the name in Finnish (fi)"),
        }
        if s.description:
            out["description"] = Note({"en": s.description}, "TODO: in Finnish (fi)")
        kind = about.get("type")
        if kind in ("processor", "third_party", "joint_controller", "authority"):
            out["type"] = kind
        else:
            out["type"] = Note(
                "processor", "TODO: processor, third_party, joint_controller or authority"
            )
        locations = about.get("locations")
        if isinstance(locations, list) and locations and all(isinstance(x, str) for x in locations):
            out["locations"] = locations
        else:
            said = ", ".join(s.legal_basis_for_transfers)
            out["locations"] = Note(
                ["EEA"],
                "TODO: where it processes data; fideslang does not say"
                + (
                    f" (it transfers data abroad under: {said})"
                    if s.does_international_transfers
                    else ""
                ),
            )
        if not fields:
            return None
        out["fields"] = fields
        transfers = about.get("transfers")
        if isinstance(transfers, dict) and transfers:
            out["transfers"] = {p: {"mechanism": m} for p, m in transfers.items()}
        return out

    def _third_party(self, name: str, cats: list[str]) -> dict[str, Any]:
        return {
            "name": Note(
                {"en": name}, "TODO: a declaration's third_parties; name it fully, in Finnish too"
            ),
            "type": Note("third_party", "TODO: check the type"),
            "locations": Note(["EEA"], "TODO: where it processes data; fideslang does not say"),
            "fields": self.fields_of(cats),
        }

    def _transfers(self) -> dict[str, Any]:
        mechanisms = sorted(
            {
                m
                for s in self.recipients
                for m in (
                    (_seloste_meta(s.meta).get("recipient") or {}).get("transfers") or {}
                ).values()
                if isinstance(m, str)
            }
        )
        out: dict[str, Any] = {
            "allowed": Note(["EEA"], "TODO: fideslang cannot say where data may go, nor bans"),
        }
        if mechanisms:
            out["mechanisms"] = mechanisms
        return out

    # --- bindings -----------------------------------------------------------------------

    def _bindings(self, d: Dataset) -> str:
        tables = _seloste_meta(d.meta).get("tables") or {}
        registers = self._owners(d)
        default = self.register_ids[registers[0].fides_key]
        bound = {
            c.name: self._table(d, c, tables.get(c.name) or {}, default, len(registers) > 1)
            for c in d.collections
        }
        _placeholders(bound, self.needs)
        out: dict[str, Any] = {
            "seloste": 1,
            "kind": "bindings",
            "policy": "policy.yaml",
            "description": d.description or d.name or d.fides_key,
            "tables": bound,
        }
        header = [
            f"Imported by `seloste import fides` from the Fides dataset {d.fides_key}: review",
            "every line, above all those marked TODO, then run `seloste validate`.",
        ]
        return document(header, out)

    def _table(
        self, d: Dataset, c: Collection, about: dict[str, Any], register: str, unsure: bool
    ) -> dict[str, Any]:
        out: dict[str, Any] = {}
        named = about.get("register")
        if isinstance(named, str):
            out["register"] = named
        elif unsure:
            out["register"] = Note(
                register, "TODO: several systems use this dataset; which register?"
            )
        else:
            out["register"] = register
        keys = [f.name for f in c.fields if f.fides_meta and f.fides_meta.primary_key]
        names = [f.name for f in c.fields]
        if keys:
            out["key"] = keys[0]
        elif "id" in names:
            out["key"] = Note("id", "TODO: no field is marked primary_key; check")
        else:
            out["key"] = Note(
                names[0] if names else "TODO", "TODO: the column that identifies a row"
            )
        columns: dict[str, Any] = {}
        others: list[Any] = []
        rule_columns = {v for k, v in about.items() if k in RULE_COLUMNS}
        named_rules: dict[str, Any] = {}
        for f in c.fields:
            for ref in (f.fides_meta.references or []) if f.fides_meta else []:
                table_name = ref.field.split(".")[0]
                if (
                    ref.dataset == d.fides_key
                    and "subject" not in out
                    and table_name != c.name
                    and table_name in {other.name for other in d.collections}
                ):
                    out["subject"] = {"table": table_name, "column": f.name}
            cats = f.data_categories or []
            if f.fields:
                others.append(Note(f.name, "TODO: nested fields are not bound; map them by hand"))
            elif isinstance(exact := (about.get("columns") or {}).get(f.name), str):
                columns[f.name] = exact
            elif cats:
                ids = self.field_of(cats[0])
                note = ""
                if len(ids) > 1:
                    note = f"TODO: {cats[0]} is also {', '.join(ids[1:])}"
                if len(cats) > 1:
                    note = f"TODO: also {', '.join(cats[1:])}; one field per column"
                columns[f.name] = Note(ids[0], note)
            elif (
                f.name in rule_columns
                or f.name == _plain(out["key"])
                or f.name in (out.get("subject") or {}).values()
            ):
                continue
            elif not about and (rule := _rule_column(f.name, named_rules)) is not None:
                named_rules[rule] = f.name
            else:
                others.append(f.name)
        if columns:
            out["columns"] = columns
        if others:
            out["other_columns"] = others
        for key in ("purposes", "outbound_to"):
            if isinstance(about.get(key), list):
                out[key] = about[key]
        if about.get("linked_content") is False:
            out["linked_content"] = False
        for key in RULE_COLUMNS:
            if isinstance(about.get(key), str):
                out[key] = about[key]
            elif key in named_rules:
                out[key] = Note(named_rules[key], "TODO: from the column's name; check")
        if isinstance(about.get("time_formats"), dict):
            out["time_formats"] = about["time_formats"]
        return out


def _plain(value: Any) -> Any:
    return value.value if isinstance(value, Note) else value


def _rule_column(name: str, taken: dict[str, Any]) -> str | None:
    """The rule column a field's name suits (``created_at``: collected_at), as discover
    reads names; None when none, or when another column already serves it."""
    from seloste.checks.discover.names import rule_column_of

    found = rule_column_of(name, tuple(k for k in RULE_COLUMNS if k not in taken))
    return None if found is None else found.what


def _placeholders(tables: dict[str, dict[str, Any]], needs: dict[str, list[str]]) -> None:
    """Give each register's rules and rights a column where no table of this dataset has one:
    a ``todo_...`` name in the register's first table that links to no other, marked TODO, so
    the bindings validate and a check of the database fails until a person binds it."""
    for register, keys in needs.items():
        mine = {name: t for name, t in tables.items() if _plain(t["register"]) == register}
        if not mine:
            continue
        root = next((t for t in mine.values() if "subject" not in t), next(iter(mine.values())))
        for key in keys:
            if not any(key in t for t in mine.values()):
                root[key] = Note(
                    f"todo_{key}",
                    f"TODO: the column for {key}; no Fides field says which it is",
                )


def _ids(keys: Iterable[str]) -> dict[str, str]:
    """A policy ID for each fides_key, unique: ``Shop`` and ``shop`` are shop and shop_2."""
    out: dict[str, str] = {}
    for key in keys:
        base = found = ident(key)
        n = 2
        while found in out.values():
            found = f"{base[:60]}_{n}"
            n += 1
        out[key] = found
    return out


def _seloste_meta(meta: dict[str, Any] | None) -> dict[str, Any]:
    found = (meta or {}).get("seloste")
    return found if isinstance(found, dict) else {}


def _declared(s: System) -> list[Declaration]:
    """A system's declarations that name data: one with no data category declares none."""
    return [d for d in s.privacy_declarations if d.data_categories]


def _holds_data(s: System, m: Manifests) -> bool:
    """Whether a system declares data, or names a dataset with a categorised field."""
    refs = _dataset_refs(s)
    return bool(_declared(s)) or any(
        f.data_categories and not f.fields
        for d in m.datasets
        if d.fides_key in refs
        for c in d.collections
        for f in c.fields
    )


def _dataset_refs(s: System) -> set[str]:
    refs = set(s.dataset_references)
    refs.update(r for d in s.privacy_declarations for r in d.dataset_references or [])
    return refs


def _names_a_recipient(party: str, recipients: list[System]) -> bool:
    return any(party.strip() in (s.name, s.fides_key) for s in recipients)


def _email(text: str) -> bool:
    return bool(re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", text))


def _rule(text: str) -> tuple[str | None, dict[str, Any]] | None:
    """A retention rule (and its ID, when written) from a declaration's
    ``retention_period``: the exporter's form (``after-end: P3M after relationship_end
    (delete)``, ``P7Y after date invoice_date``), or ``N days|weeks|months|years``, counted
    from collection."""
    from seloste.policy import periods

    rule: dict[str, Any]
    found = _RETENTION.match(text)
    if found and found.group(3) in _TRIGGERS:
        rid, period, trigger, field_id = found.group(1, 2, 3, 4)
        if (trigger == "date") != (field_id is not None):
            return None
        rule = {"trigger": trigger}
        if field_id is not None:
            rule["date_field"] = field_id
        rule.update(period=period, action=found.group(5) or "delete")
    else:
        words = re.fullmatch(r"(\d+)\s*(day|week|month|year)s?", text.strip().lower())
        if not words:
            return None
        rid, period = None, f"P{int(words.group(1))}{_WORDS[words.group(2)]}"
        rule = {"trigger": "collection", "period": period, "action": "delete"}
    try:
        periods.check_retention(period)
    except ValueError:
        return None
    if rule["trigger"] != "consent_withdrawn" and not periods.positive(period):
        return None
    return rid, rule


def build(m: Manifests, source: str) -> Imported:
    """The policy and bindings of the manifests read from ``source`` (for messages)."""
    return _Importer(m).build(source)
