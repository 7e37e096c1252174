"""## What it does
Checks that every flow to a recipient, that is anyone outside the controller, excludes the
subjects whose processing is restricted: `excludes: [restricted]`.

## Why is this bad?
While a data subject disputes their data, its processing is restricted until the dispute is
resolved (GDPR Art. 18): the controller may keep it, but not pass it on. A flow that sends
restricted subjects' data to a partner or an authority breaks that right.

## Example
```yaml
flows:
  dns-hosting:
    register: customer_register
    recipient: hosting_partners
    purpose: service_maintenance
    fields: [domain, contact_name, email]
```

Use instead:
```yaml
flows:
  dns-hosting:
    register: customer_register
    recipient: hosting_partners
    purpose: service_maintenance
    fields: [domain, contact_name, email]
    excludes: [restricted]
```
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from checks.findings import Finding
from checks.rules._flows import excludes, missing_exclusion

if TYPE_CHECKING:
    from checks.flows.context import FlowContext

ID = "FLW006"
NAME = "flow-without-restriction"
SEVERITY = "error"
SCOPE = "flows"


def check(ctx: FlowContext) -> Iterator[Finding]:
    for file, fid, flow in ctx.flows():
        if flow.recipient is not None and not excludes(flow, "restricted"):
            message = (
                f"flow {fid!r} discloses data to {flow.recipient!r} but does not exclude "
                "subjects whose processing is restricted (excludes: [restricted])"
            )
            yield missing_exclusion(file, fid, flow, ID, SEVERITY, message)
