"""Where a policy refers to its own parts by ID: one walk, shared by the reference rules."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Literal

from seloste.policy.model import Policy

RefKind = Literal["field", "purpose", "recipient"]
Path = tuple[str | int, ...]


def references(policy: Policy) -> Iterator[tuple[RefKind, Path, str]]:
    """Every ID reference in a policy, with its YAML path."""
    for kind, path, ids in _id_lists(policy):
        for i, ref in enumerate(ids):
            yield kind, (*path, i), ref
    for rid, register in policy.registers.items():
        base: Path = ("registers", rid)
        if register.on_behalf_of is not None:
            yield "recipient", (*base, "on_behalf_of"), register.on_behalf_of
        for tid, rule in register.retention.items():
            rbase: Path = (*base, "retention", tid)
            if rule.date_field is not None:
                yield "field", (*rbase, "date_field"), rule.date_field
            for eid, exception in rule.exceptions.items():
                if exception.date_field is not None:
                    yield "field", (*rbase, "exceptions", eid, "date_field"), exception.date_field


def _id_lists(policy: Policy) -> Iterator[tuple[RefKind, Path, list[str]]]:
    """Every list of IDs in a policy, with its YAML path and the kind of ID it holds."""
    for rid, register in policy.registers.items():
        base: Path = ("registers", rid)
        yield "field", (*base, "fields"), register.fields
        yield "purpose", (*base, "purposes"), register.purposes
        for tid, rule in register.retention.items():
            rbase: Path = (*base, "retention", tid)
            yield "field", (*rbase, "fields"), rule.fields
            for eid, exception in rule.exceptions.items():
                yield "field", (*rbase, "exceptions", eid, "fields"), exception.fields
    for pid, purpose in policy.purposes.items():
        yield "field", ("purposes", pid, "fields"), purpose.fields
        yield "recipient", ("purposes", pid, "recipients"), purpose.recipients
    for cid, recipient in policy.recipients.items():
        yield "field", ("recipients", cid, "fields"), recipient.fields


def lists(policy: Policy) -> Iterator[tuple[Path, list[str]]]:
    """Every list of IDs or places in a policy, for the duplicate-entry rule."""
    for _, path, ids in _id_lists(policy):
        yield path, list(ids)
    for cid, recipient in policy.recipients.items():
        yield ("recipients", cid, "locations"), recipient.locations
    yield ("transfers", "allowed"), policy.transfers.allowed
    yield ("transfers", "mechanisms"), list(policy.transfers.mechanisms)
    for i, ban in enumerate(policy.transfers.bans):
        yield ("transfers", "bans", i, "places"), ban.places
    for rid, register in policy.registers.items():
        yield ("registers", rid, "rights"), list(register.rights)
    for pid, purpose in policy.purposes.items():
        yield ("purposes", pid, "honours"), list(purpose.honours)
