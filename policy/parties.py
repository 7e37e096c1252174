"""Who gets a register's data, by what they are: processors act for the controller, the
other recipient types are controllers of their own.

A recipient is declared once, under ``recipients``, with its ``type``; a register's
processors and third parties are derived from the recipients of its purposes, so the notice,
the record of processing and the flow rules cannot list different ones.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from seloste.policy.model import Policy, Register

# The recipient types that decide purposes of their own: a controller (Art. 4(7)), a joint
# controller (Art. 26) or a public authority receiving data under law.
CONTROLLER_TYPES = ("third_party", "joint_controller", "authority")


def reached(policy: Policy, register: Register) -> list[str]:
    """Recipient IDs the register's data reaches through its purposes, in order, once each."""
    out: list[str] = []
    for pid in register.purposes:
        purpose = policy.purposes.get(pid)
        for rid in purpose.recipients if purpose else []:
            if rid not in out:
                out.append(rid)
    return out


def processors(policy: Policy, register: Register) -> list[str]:
    """The register's processors (Art. 28): its purposes' recipients of type processor."""
    return [rid for rid in reached(policy, register) if _type(policy, rid) == "processor"]


def controllers(policy: Policy, register: Register) -> list[str]:
    """The recipients that get the register's data as controllers of their own."""
    return [rid for rid in reached(policy, register) if _type(policy, rid) in CONTROLLER_TYPES]


def _type(policy: Policy, rid: str) -> str | None:
    # An undeclared recipient is POL002's finding; it is neither list's member here.
    recipient = policy.recipients.get(rid)
    return recipient.type if recipient is not None else None
