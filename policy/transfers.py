"""The policy's transfer rules: may data go to a place?

Asked of the policy's own recipients (POL004) and of every place a data flow reaches (the
flows engine, once per place and recipient, for FLW004), so the answer and its wording are
made here once.

A place inside ``transfers.allowed`` may receive data; one in a ban never may, whatever else
is declared. A place outside the allowed ones may only under a mechanism of GDPR Chapter V
that the recipient declares for it (``recipients.<id>.transfers``), that the notice permits
(``transfers.mechanisms``) and that holds: an adequacy decision in force on the day checked,
or a derogation with its reason.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import TYPE_CHECKING

from seloste.policy import regions

if TYPE_CHECKING:
    from seloste.policy.model import Policy, Safeguard

# Each mechanism as a message names it, with its article.
MECHANISM_ARTICLE = {
    "adequacy": "adequacy decision, Art. 45",
    "scc": "standard contractual clauses, Art. 46(2)(c)",
    "bcr": "binding corporate rules, Art. 47",
    "derogation": "derogation, Art. 49",
}


def why_not(
    place: str, policy: Policy, *, recipient: str | None = None, on: date | None = None
) -> str | None:
    """Why ``place`` may not receive data under ``policy``'s transfer rules, or None.

    ``recipient`` is the recipient ID whose declared mechanisms apply (None: data kept by
    the controller, which declares none); ``on`` is the day an adequacy decision must be in
    force (default: today, UTC).
    """
    extra, allowed = policy.regions, policy.transfers.allowed
    for ban in policy.transfers.bans:
        for banned in ban.places:
            if regions.countries(place, extra) & regions.countries(banned, extra):
                return f"{place} is banned by transfers.bans ({banned})"
    if regions.within(place, allowed, extra):
        return None
    outside = sorted(
        regions.countries(place, extra)
        - set().union(*(regions.countries(a, extra) for a in allowed))
    )
    base = f"{place} is outside the allowed transfer region {', '.join(allowed)}" + (
        f" ({', '.join(outside)})" if outside != [place] else ""
    )
    safeguard = _safeguard(policy, recipient, place)
    if safeguard is None:
        if recipient is None or not policy.transfers.mechanisms:
            return base  # nothing could have made it lawful: the place is the finding
        return f"{base}, and recipient {recipient!r} declares no transfer mechanism for it"
    problem = _unmet(safeguard, outside, policy, on or datetime.now(UTC).date())
    return f"{base}: {problem}" if problem else None


def _safeguard(policy: Policy, recipient: str | None, place: str) -> Safeguard | None:
    found = policy.recipients.get(recipient) if recipient is not None else None
    return found.transfers.get(place) if found is not None else None


def _unmet(safeguard: Safeguard, countries: list[str], policy: Policy, on: date) -> str | None:
    """What keeps a declared mechanism from making the transfer lawful, or None."""
    mechanism = safeguard.mechanism
    named = f"{mechanism} ({MECHANISM_ARTICLE[mechanism]})"
    permitted = policy.transfers.mechanisms
    if mechanism not in permitted:
        return (
            f"its mechanism {named} is not one the notice permits (transfers.mechanisms: "
            f"{', '.join(permitted) or 'none'})"
        )
    if mechanism == "derogation" and safeguard.reason is None:
        return f"its mechanism {named} gives no reason"
    if mechanism == "adequacy":
        from seloste.policy import adequacy

        missing = [c for c in countries if adequacy.holding(c, policy, on) is None]
        if missing:
            return "; ".join(adequacy.why_none(c, policy, on) for c in missing)
    return None
