"""Where a policy refers to its own parts by ID: one walk, shared by the reference rules."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, Literal

from seloste.policy.model import Policy

RefKind = Literal["field", "purpose", "recipient"]
Path = tuple[str | int, ...]


def references(policy: Policy) -> Iterator[tuple[RefKind, Path, str]]:
    """Every ID reference in a policy, with its YAML path."""
    for rid, register in policy.registers.items():
        base: Path = ("registers", rid)
        yield from _each("field", (*base, "fields"), register.fields)
        yield from _each("purpose", (*base, "purposes"), register.purposes)
        if register.on_behalf_of is not None:
            yield "recipient", (*base, "on_behalf_of"), register.on_behalf_of
        for tid, rule in register.retention.items():
            rbase: Path = (*base, "retention", tid)
            yield from _each("field", (*rbase, "fields"), rule.fields)
            if rule.date_field is not None:
                yield "field", (*rbase, "date_field"), rule.date_field
            for eid, exception in rule.exceptions.items():
                ebase: Path = (*rbase, "exceptions", eid)
                yield from _each("field", (*ebase, "fields"), exception.fields)
                if exception.date_field is not None:
                    yield "field", (*ebase, "date_field"), exception.date_field
    for pid, purpose in policy.purposes.items():
        yield from _each("field", ("purposes", pid, "fields"), purpose.fields)
        yield from _each("recipient", ("purposes", pid, "recipients"), purpose.recipients)
    for cid, recipient in policy.recipients.items():
        yield from _each("field", ("recipients", cid, "fields"), recipient.fields)


def lists(policy: Policy) -> Iterator[tuple[Path, list[str]]]:
    """Every list of IDs or places in a policy, for the duplicate-entry rule."""
    seen: dict[Path, list[str]] = {}
    for _, path, _ in references(policy):
        if isinstance(path[-1], int):
            seen.setdefault(path[:-1], [])
    for path in seen:
        node: Any = policy
        for step in path:
            node = node[step] if isinstance(node, dict) else getattr(node, str(step))
        yield path, list(node)
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


def _each(kind: RefKind, path: Path, ids: list[str]) -> Iterator[tuple[RefKind, Path, str]]:
    for i, ref in enumerate(ids):
        yield kind, (*path, i), ref
