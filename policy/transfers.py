"""The policy's transfer rules: may data go to a place?

Asked of the policy's own recipients (POL004) and of every place a data flow reaches (the
flows engine, once per place, for FLW004), so the answer and its wording are made here once.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from seloste.policy import regions

if TYPE_CHECKING:
    from seloste.policy.model import Policy


def why_not(place: str, policy: Policy) -> str | None:
    """Why ``place`` may not receive data under ``policy``'s transfer rules, or None."""
    extra, allowed = policy.regions, policy.transfers.allowed
    for ban in policy.transfers.bans:
        for banned in ban.places:
            if regions.countries(place, extra) & regions.countries(banned, extra):
                return f"{place} is banned by transfers.bans ({banned})"
    if not regions.within(place, allowed, extra):
        outside = sorted(
            regions.countries(place, extra)
            - set().union(*(regions.countries(a, extra) for a in allowed))
        )
        return f"{place} is outside the allowed transfer region {', '.join(allowed)}" + (
            f" ({', '.join(outside)})" if outside != [place] else ""
        )
    return None
