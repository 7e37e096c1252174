"""Adequacy decisions (GDPR Art. 45): which hold for a country on a day.

The built-in decisions are data (``adequacy.yaml``, beside ``regions.yaml``); a policy adds
to them or replaces a country's under ``transfers.adequacy``. Read only when a transfer names
``mechanism: adequacy``, so a run that never asks does not pay for the file.
"""

from __future__ import annotations

from datetime import date
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING

import yaml

if TYPE_CHECKING:
    from seloste.policy.model import AdequacyDecision, Policy


@cache
def builtin() -> dict[str, tuple[AdequacyDecision, ...]]:
    """The built-in decisions by country, from ``adequacy.yaml`` (validated by the model, so
    a mistake in the data file fails loudly rather than passing a transfer)."""
    from seloste.policy.model import AdequacyDecision

    text = resources.files("seloste.policy").joinpath("adequacy.yaml").read_text(encoding="utf-8")
    data = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    return {
        country: tuple(AdequacyDecision.model_validate(entry) for entry in entries)
        for country, entries in data.items()
    }


def decisions(country: str, policy: Policy) -> tuple[AdequacyDecision, ...]:
    """Every decision on record for ``country``: the policy's own list where it gives one."""
    own = policy.transfers.adequacy.get(country)
    return tuple(own) if own is not None else builtin().get(country, ())


def in_force(decision: AdequacyDecision, on: date) -> bool:
    """Whether ``decision`` applies on the day ``on``: from its date through ``until``."""
    if date.fromisoformat(decision.adopted) > on:
        return False
    return decision.until is None or on <= date.fromisoformat(decision.until)


def holding(country: str, policy: Policy, on: date) -> AdequacyDecision | None:
    """The latest decision for ``country`` in force on ``on``, or None."""
    found = [d for d in decisions(country, policy) if in_force(d, on)]
    return max(found, key=lambda d: d.adopted) if found else None


def shown(place: str, policy: Policy) -> AdequacyDecision | None:
    """The decision a notice names for ``place``: the one in force today, else the latest."""
    from datetime import UTC, datetime

    today = datetime.now(UTC).date()
    known = decisions(place, policy)
    return holding(place, policy, today) or (max(known, key=lambda d: d.adopted) if known else None)


def why_none(country: str, policy: Policy, on: date) -> str:
    """Why no decision holds for ``country`` on ``on``: none on record, or the nearest one
    that has ended or not yet begun, with its dates."""
    known = decisions(country, policy)
    if not known:
        return f"no adequacy decision for {country}"
    day = on.isoformat()
    ended = [d for d in known if d.until is not None and d.until < day]
    if ended:
        last = max(ended, key=lambda d: d.until or "")
        return (
            f"no adequacy decision for {country} in force on {day} "
            f"({label(last)} applied until {last.until})"
        )
    first = min(known, key=lambda d: d.adopted)
    return (
        f"no adequacy decision for {country} in force on {day} "
        f"({label(first)} applies from {first.adopted})"
    )


def label(decision: AdequacyDecision) -> str:
    """A decision as a message names it: its framework, else its act, else its date."""
    return decision.name or decision.decision or f"the decision of {decision.adopted}"
