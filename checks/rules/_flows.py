"""Places in flow files that more than one flow rule points at."""

from __future__ import annotations

from typing import TYPE_CHECKING

from seloste.checks.findings import Finding, Severity, at

if TYPE_CHECKING:
    from seloste.policy.flows import Exclusion, Flow, Flows
    from seloste.policy.loaded import Loaded


def missing_exclusion(
    file: Loaded[Flows], fid: str, flow: Flow, rule: str, severity: Severity, message: str
) -> Finding:
    """A finding for an exclusion the flow lacks: at its ``excludes`` list, or at its ID."""
    if "excludes" in flow.model_fields_set:
        return at(file, ("flows", fid, "excludes"), rule, severity, message)
    return at(file, ("flows", fid), rule, severity, message, key=True)


def excludes(flow: Flow, who: Exclusion) -> bool:
    return who in flow.excludes
