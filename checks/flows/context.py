"""What the flow rules read: one policy, its promises as ready-made sets, and the flow files.

Thousands of flows are checked against one policy, so everything a rule asks per flow is
answered from sets built once per policy, and each transfer decision is made once per place.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import TYPE_CHECKING, Literal, NamedTuple

from seloste.checks.findings import CheckedFlow, register_names
from seloste.policy.names import SYSTEM, did_you_mean
from seloste.policy.transfers import why_not

if TYPE_CHECKING:
    from seloste.policy.flows import Flow, Flows
    from seloste.policy.loaded import Loaded
    from seloste.policy.model import Policy


class PolicyIndex(NamedTuple):
    """The policy's answers to the questions a flow raises, precomputed. A NamedTuple for
    the reason ``Problem`` is one (policy/errors.py): the pre-commit hook defines it."""

    fields: frozenset[str]
    register_fields: dict[str, frozenset[str]]
    register_purposes: dict[str, frozenset[str]]
    purpose_fields: dict[str, frozenset[str]]
    purpose_recipients: dict[str, frozenset[str]]
    marketing: frozenset[str]
    recipient_fields: dict[str, frozenset[str]]
    recipient_locations: dict[str, tuple[str, ...]]
    policy: Policy
    # The day an adequacy decision must be in force (``check --as-of``); None: today.
    on: date | None
    # Answers given so far: a place's transfer decision, an unknown ID's hint.
    transfers: dict[tuple[str, str | None], str | None]
    hints: dict[tuple[str, str], str]

    @classmethod
    def of(cls, policy: Policy, on: date | None = None) -> PolicyIndex:
        registers = {rid: frozenset(r.fields) for rid, r in policy.registers.items()}
        purposes = {rid: frozenset(r.purposes) for rid, r in policy.registers.items()}
        # A register of that name wins over the whole-system reading.
        registers.setdefault(SYSTEM, frozenset().union(*registers.values()))
        purposes.setdefault(SYSTEM, frozenset().union(*purposes.values()))
        return cls(
            fields=frozenset(policy.fields),
            register_fields=registers,
            register_purposes=purposes,
            purpose_fields={pid: frozenset(p.fields) for pid, p in policy.purposes.items()},
            purpose_recipients={pid: frozenset(p.recipients) for pid, p in policy.purposes.items()},
            marketing=frozenset(pid for pid, p in policy.purposes.items() if p.marketing),
            recipient_fields={cid: frozenset(c.fields) for cid, c in policy.recipients.items()},
            recipient_locations={cid: tuple(c.locations) for cid, c in policy.recipients.items()},
            policy=policy,
            on=on,
            transfers={},
            hints={},
        )

    def why_not(self, place: str, recipient: str | None = None) -> str | None:
        """Why data may not go to ``place`` (for ``recipient``, whose transfer mechanisms
        apply) under the policy's transfer rules, or None."""
        key = (place, recipient)
        if key not in self.transfers:
            self.transfers[key] = why_not(place, self.policy, recipient=recipient, on=self.on)
        return self.transfers[key]

    def hint(
        self, name: str, among: Literal["fields", "registers", "purposes", "recipients"]
    ) -> str:
        """The "did you mean" hint for an unknown ID, once: a typo repeats across many flows."""
        if (name, among) not in self.hints:
            known = {
                "fields": self.fields,
                "registers": self.register_fields,
                "purposes": self.purpose_fields,
                "recipients": self.recipient_fields,
            }[among]
            self.hints[name, among] = did_you_mean(name, known)
        return self.hints[name, among]


class FlowContext:
    """One policy and the flow files checked against it. A plain class, not a dataclass:
    the pre-commit hook defines it (and a NamedTuple's ``index`` is tuple's)."""

    __slots__ = ("files", "index", "policy")

    def __init__(
        self, policy: Loaded[Policy], files: tuple[Loaded[Flows], ...], index: PolicyIndex
    ) -> None:
        self.policy = policy
        self.files = files
        self.index = index

    @classmethod
    def of(
        cls, policy: Loaded[Policy], files: list[Loaded[Flows]], on: date | None = None
    ) -> FlowContext:
        return cls(policy, tuple(files), PolicyIndex.of(policy.model, on))

    def flows(self) -> Iterator[tuple[Loaded[Flows], str, Flow]]:
        """Every flow, with the file it is declared in and its ID."""
        for file in self.files:
            for fid, flow in file.model.flows.items():
                yield file, fid, flow

    def checked(self) -> tuple[CheckedFlow, ...]:
        """Every flow, as the reports draw it."""
        names = register_names(self.policy.model)
        located = self.index.recipient_locations
        return tuple(
            CheckedFlow(
                file.path,
                fid,
                flow.register_id,
                flow.recipient,
                tuple(flow.fields),
                _places(flow, located.get(flow.recipient or "", ())),
                names.get(flow.register_id, ""),
            )
            for file, fid, flow in self.flows()
        )


def _places(flow: Flow, declared: tuple[str, ...]) -> tuple[str, ...]:
    """Every place a flow's data goes: where it is processed (its own locations, else its
    recipient's), stored, and handed on to sub-processors; each once, in that order."""
    subs = [place for sub in flow.sub_processors for place in sub.locations]
    return tuple(dict.fromkeys([*(flow.locations or declared), *flow.storage, *subs]))
