"""The document for one request: the rows found, and from the policy what Art. 15(1) asks
for each register (purposes, legal basis, categories, recipients and transfers, retention,
sources, rights); for each row when it falls due, and with an erasure request whether it is
erased now or kept, why and until when."""

from __future__ import annotations

import base64
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from seloste.checks.retention import anchor, covers
from seloste.checks.snapshot.context import SnapshotContext
from seloste.checks.subject import document as d
from seloste.checks.subject.lookup import Found
from seloste.policy import periods, times
from seloste.policy.model import (
    PENDING_TRIGGERS,
    LegalBasis,
    Policy,
    Register,
    RetentionException,
    RetentionRule,
    TableBinding,
    Text,
    subject_chain,
)


def text(value: Text | None) -> dict[str, str]:
    return value.model_dump(exclude_none=True) if value is not None else {}


def basis(value: LegalBasis) -> d.LegalBasisOut:
    return d.LegalBasisOut(
        basis=value.basis, reference=value.reference, description=text(value.description)
    )


def json_value(value: Any) -> d.Value:
    """A value as JSON holds it: times in ISO 8601, exact numbers as text, bytes in base64."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, bytes | bytearray | memoryview):
        return base64.b64encode(bytes(value)).decode()
    if isinstance(value, Decimal):
        return str(value)
    return str(value)


def _utc(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


# --- the policy's part (Art. 15(1)) ---------------------------------------------------------


def register_part(policy: Policy, rid: str, tables: list[d.TableOut]) -> d.RegisterOut:
    register = policy.registers[rid]
    purposes = [p for p in register.purposes if p in policy.purposes]
    recipients = _recipients(policy, register)
    return d.RegisterOut(
        id=rid,
        name=text(register.name),
        role=register.role,
        on_behalf_of=register.on_behalf_of,
        data_subjects={k: text(v) for k, v in register.data_subjects.items()},
        legal_basis=basis(register.legal_basis),
        purposes=[
            d.PurposeOut(
                id=p,
                name=text(policy.purposes[p].name),
                legal_basis=basis(policy.purposes[p].legal_basis),
            )
            for p in purposes
        ],
        categories=[
            d.CategoryOut(field=f, name=text(policy.fields[f].name), kind=policy.fields[f].kind)
            for f in register.fields
            if f in policy.fields
        ],
        recipients=[_recipient(policy, r) for r in recipients],
        retention=[_rule(tid, rule) for tid, rule in register.retention.items()],
        sources=[text(s) for s in register.sources],
        rights=list(register.rights),
        tables=tables,
    )


def _recipients(policy: Policy, register: Register) -> list[str]:
    """The recipients the register's purposes disclose to, in the policy's order."""
    named = {
        r for p in register.purposes if p in policy.purposes for r in policy.purposes[p].recipients
    }
    return [r for r in policy.recipients if r in named]


def _recipient(policy: Policy, rid: str) -> d.RecipientOut:
    recipient = policy.recipients[rid]
    return d.RecipientOut(
        id=rid,
        name=text(recipient.name),
        type=recipient.type,
        locations=list(recipient.locations),
        fields=list(recipient.fields),
        transfers=[
            d.TransferOut(place=place, mechanism=s.mechanism, reference=s.reference)
            for place, s in recipient.transfers.items()
        ],
    )


def _rule(tid: str, rule: RetentionRule) -> d.RetentionOut:
    return d.RetentionOut(
        id=tid,
        description=text(rule.description),
        trigger=rule.trigger,
        period=rule.period,
        action=rule.action,
        exceptions=[
            d.ExceptionOut(
                id=eid,
                description=text(e.description),
                fields=list(e.fields),
                period=e.period,
                legal_basis=basis(e.legal_basis),
            )
            for eid, e in rule.exceptions.items()
        ],
    )


def inform(ctx: SnapshotContext, table: str) -> list[str]:
    """The recipients a table's data goes to (GDPR Art. 19): those of the purposes it serves
    (its own, else its register's) and the ones it is sent to, that may receive a field it
    holds."""
    binding = ctx.bindings.tables[table]
    policy = ctx.policy
    register = policy.registers[binding.register_id]
    purposes = binding.purposes or register.purposes
    named = {r for p in purposes if p in policy.purposes for r in policy.purposes[p].recipients}
    named |= set(binding.outbound_to)
    held = set(binding.columns.values())
    return [rid for rid, r in policy.recipients.items() if rid in named and held & set(r.fields)]


# --- each row -------------------------------------------------------------------------------


def _status(
    ctx: SnapshotContext,
    row: dict[str, Any],
    marks: list[tuple[str, str]],
    place: tuple[str, str] | None,
    trigger: str,
    period: str,
) -> tuple[d.Status, str | None]:
    """Whether the period after ``place``'s time has run out at the as-of time, as SNP004
    judges it (the same reading of the stored time, the same cut-off), and when it ends."""
    if place is None:
        return "unreadable", None
    value = row[f"_anchor{marks.index(place)}"]
    table, column = place
    if value is None and trigger in PENDING_TRIGGERS:
        return "pending", None
    stored = times.read(value, ctx.time_format(table, column))
    if stored is None:
        return "unreadable", None
    zone = ctx.zone(table)
    if stored.offset is None:
        instant = stored.wall.replace(tzinfo=zone)
    else:
        instant = (stored.wall - stored.offset).replace(tzinfo=UTC)
    due = _utc(periods.end(period, start=instant))
    past = stored.before(ctx.cutoff(period), zone)
    return ("past" if past else "running"), due


def _exception_anchor(
    ctx: SnapshotContext, table: str, rule: RetentionRule, exception: RetentionException
) -> tuple[tuple[str, str] | None, str]:
    binding = ctx.bindings.tables[table]
    trigger = exception.trigger or rule.trigger
    date_field = exception.date_field if exception.trigger else rule.date_field
    return anchor(ctx.scope(table).bindings(), binding.register_id, trigger, date_field), trigger


def row_retention(
    ctx: SnapshotContext, table: str, row: dict[str, Any], marks: list[tuple[str, str]]
) -> list[d.RowRetention]:
    """When the row falls due under each rule that reaches its table (docs/retention.md),
    and under the exception that keeps the table, if one does."""
    binding = ctx.bindings.tables[table]
    register = ctx.policy.registers[binding.register_id]
    scope = ctx.scope(table)
    out: list[d.RowRetention] = []
    for tid, rule in register.retention.items():
        place = anchor(scope.bindings(), binding.register_id, rule.trigger, rule.date_field)
        linked = rule.linked_content and binding.linked_content
        if place is None or (place[0] != table and not linked):
            continue  # the rule does not reach this table
        if rule.verified_outside is not None:
            out.append(d.RowRetention(rule=tid, status="verified_outside"))
            continue
        status, due = _status(ctx, row, marks, place, rule.trigger, rule.period)
        out.append(d.RowRetention(rule=tid, status=status, counts_from=".".join(place), due=due))
        for eid, exception in _keeping(rule, binding):
            if exception.verified_outside is not None:
                out.append(d.RowRetention(rule=tid, exception=eid, status="verified_outside"))
                continue
            where, trigger = _exception_anchor(ctx, table, rule, exception)
            status, due = _status(ctx, row, marks, where, trigger, exception.period)
            counts = ".".join(where) if where else None
            out.append(
                d.RowRetention(rule=tid, exception=eid, status=status, counts_from=counts, due=due)
            )
    return out


def _keeping(rule: RetentionRule, binding: TableBinding) -> list[tuple[str, RetentionException]]:
    """The first exception that keeps the table (it lists every field the table holds), as
    SNP004 takes it."""
    for eid, exception in rule.exceptions.items():
        if covers(exception.fields, binding):
            return [(eid, exception)]
    return []


def erasure(
    ctx: SnapshotContext, table: str, retention: list[d.RowRetention], recipients: list[str]
) -> d.Erasure:
    """Erase now, or keep and why (GDPR Art. 17(3)(b): a legal obligation to keep it)."""
    binding = ctx.bindings.tables[table]
    register = ctx.policy.registers[binding.register_id]
    overdue = any(r.exception is None and r.status == "past" for r in retention)
    if register.role == "processor":
        return d.Erasure(
            decision="controller_decides",
            reason=f"kept on behalf of {register.on_behalf_of}, which decides on the request "
            "(GDPR Art. 28(3)(e))",
            overdue=overdue,
            inform=[],
        )
    for kept in retention:
        if kept.exception is None:
            continue
        rule = register.retention[kept.rule]
        exception = rule.exceptions[kept.exception]
        legal = basis(exception.legal_basis)
        if kept.status in ("running", "pending"):
            until = f"until {kept.due}" if kept.due else "from when its period starts"
            return d.Erasure(
                decision="keep",
                reason=f"retention exception {kept.exception!r} keeps it {until}",
                exception=kept.exception,
                legal_basis=legal,
                until=kept.due,
                overdue=overdue,
                inform=[],
            )
        if kept.status in ("unreadable", "verified_outside"):
            why = (
                "its date cannot be read"
                if kept.status == "unreadable"
                else "it is verified outside this database"
            )
            return d.Erasure(
                decision="review",
                reason=f"whether retention exception {kept.exception!r} keeps it: {why}",
                exception=kept.exception,
                legal_basis=legal,
                overdue=overdue,
                inform=recipients,
            )
    return d.Erasure(
        decision="erase",
        reason="no retention exception keeps it",
        overdue=overdue,
        inform=recipients,
    )


def field_values(ctx: SnapshotContext, table: str, row: dict[str, Any]) -> list[d.FieldValue]:
    binding = ctx.bindings.tables[table]
    out = []
    for column in ctx.tables[table].columns:
        field = binding.columns.get(column)
        definition = ctx.policy.fields.get(field) if field else None
        out.append(
            d.FieldValue(
                column=column,
                field=field,
                name=text(definition.name) if definition else None,
                value=json_value(row.get(column)),
            )
        )
    return out


def build(
    ctx: SnapshotContext, found: Found, request: d.Request, *, erasure_plan: bool
) -> d.SubjectDocument:
    by_register: dict[str, list[d.TableOut]] = {}
    for table, rows in found.rows.items():
        marks = found.anchors[table]
        recipients = inform(ctx, table)
        out_rows = []
        for row in rows:
            retention = row_retention(ctx, table, row, marks)
            out_rows.append(
                d.Row(
                    key=json_value(row[ctx.bindings.tables[table].key]),
                    fields=field_values(ctx, table, row),
                    retention=retention,
                    erasure=erasure(ctx, table, retention, recipients) if erasure_plan else None,
                )
            )
        rid = ctx.bindings.tables[table].register_id
        by_register.setdefault(rid, []).append(d.TableOut(table=table, rows=out_rows))
    if erasure_plan:
        _mark_kept_links(ctx, found, by_register)
    policy = ctx.policy
    return d.SubjectDocument(
        request=request,
        found=True,
        message=f"{sum(len(r) for r in found.rows.values())} rows in {len(found.rows)} tables",
        subjects=[d.SubjectKey(table=r.table, key=json_value(r.key)) for r in found.roots],
        controller=policy.controller.name,
        rights_contact=policy.controller.rights_contact or policy.controller.contact,
        registers=[
            register_part(policy, rid, tables)
            for rid in policy.registers
            if (tables := by_register.get(rid))
        ],
    )


def _mark_kept_links(
    ctx: SnapshotContext, found: Found, by_register: dict[str, list[d.TableOut]]
) -> None:
    """Name, on each row to erase, the rows that link to it and stay (kept, or themselves
    linked to by kept rows): deepest links first."""
    rows = {(t.table, r.key): r for tables in by_register.values() for t in tables for r in t.rows}
    depth = {t: len(subject_chain(ctx.bindings.tables, t)) for t in found.rows}
    for table in sorted(found.rows, key=lambda t: -depth[t]):
        raw = found.rows[table]
        link = ctx.bindings.tables[table].subject
        if link is None:
            continue
        key = ctx.bindings.tables[table].key
        for values in raw:
            child = rows[(table, json_value(values[key]))]
            parent = rows.get((link.table, json_value(values[link.column])))
            stays = child.erasure is not None and child.erasure.decision != "erase"
            kept = stays or bool(child.erasure and child.erasure.kept_links)
            if kept and parent is not None and parent.erasure is not None:
                parent.erasure.kept_links.append(f"{table} {child.key}")


def nothing(ctx: SnapshotContext, request: d.Request) -> d.SubjectDocument:
    policy = ctx.policy
    return d.SubjectDocument(
        request=request,
        found=False,
        message=d.NO_DATA,
        subjects=[],
        controller=policy.controller.name,
        rights_contact=policy.controller.rights_contact or policy.controller.contact,
        registers=[],
    )
