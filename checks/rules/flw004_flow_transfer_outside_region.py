"""## What it does
Checks every place a flow's data reaches: the flow's `locations` (or, when it gives none, its
recipient's declared locations), each sub-processor's `locations` and each `storage` place,
against the policy's allowed transfer region (`transfers.allowed`) and its bans.

A place outside the allowed ones passes only under a mechanism the flow's recipient
declares for that place (`recipients.<id>.transfers`: adequacy, scc, bcr or derogation), that
the notice permits (`transfers.mechanisms`) and that holds on the `--as-of` day (today
without it): an adequacy decision must be in force then. A ban always wins. Data the
controller keeps itself (no recipient) has no mechanism. The decision is POL004's: one rule
for where data may go.

## Why is this bad?
Transfers outside the EU/EEA need an adequacy decision or other safeguards (GDPR Chapter V),
and a notice that promises no such transfers makes any of them a broken promise, whether the
recipient itself, its spam filter or the off-site copy of a backup is abroad.

## Example
```yaml
flows:
  mail-provisioning:
    register: customer_register
    recipient: hosting_partners
    purpose: service_maintenance
    fields: [domain, email]
    sub_processors:
      - name: Spam filtering service
        locations: [US]
    excludes: [restricted]
```

Use instead:
```yaml
    sub_processors:
      - name: Spam filtering service
        locations: [FI]          # or a service that processes inside the EEA
```
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from seloste.checks.findings import Finding, Severity, at

if TYPE_CHECKING:
    from seloste.checks.flows.context import FlowContext
    from seloste.policy.flows import Flow

ID = "FLW004"
NAME = "flow-transfer-outside-region"
SEVERITY: Severity = "error"
SCOPE = "flows"

Path = tuple[str | int, ...]


def check(ctx: FlowContext) -> Iterator[Finding]:
    for file, fid, flow in ctx.flows():
        for path, place, whose in _hops(ctx, fid, flow):
            reason = ctx.index.why_not(place, flow.recipient)
            if not reason:
                continue
            message = f"flow {fid!r}, {whose}: {reason}"
            target = None
            if path[-1] == "recipient":
                # All the recipient's places point at one value; the place keeps them apart.
                target = f"{file.path}#/flows/{fid}/recipient/[{place}]"
            yield at(file, path, ID, SEVERITY, message, target=target)


def _hops(ctx: FlowContext, fid: str, flow: Flow) -> Iterator[tuple[Path, str, str]]:
    """Every place the flow's data goes, with the YAML path to blame and whose place it is."""
    base: Path = ("flows", fid)
    if flow.locations is not None:
        for i, place in enumerate(flow.locations):
            yield (*base, "locations", i), place, "locations"
    elif flow.recipient is not None:
        # The flow takes the recipient's declared places; blame the recipient it names.
        for place in ctx.index.recipient_locations.get(flow.recipient, ()):
            yield (*base, "recipient"), place, f"recipient {flow.recipient!r} (policy)"
    for j, sub in enumerate(flow.sub_processors):
        for k, place in enumerate(sub.locations):
            yield (*base, "sub_processors", j, "locations", k), place, f"sub-processor {sub.name!r}"
    for i, place in enumerate(flow.storage):
        yield (*base, "storage", i), place, "storage"
