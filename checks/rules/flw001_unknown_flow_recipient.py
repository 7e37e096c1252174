"""## What it does
Checks that every flow's `recipient` is declared under the policy's `recipients`.

## Why is this bad?
The notice promises that data is not disclosed beyond the controller and the partners it
names (GDPR Art. 13(1)(e)). A flow to anyone else, say a newsletter service nobody wrote
into the notice, discloses data the data subjects were never told about.

## Example
```yaml
flows:
  newsletter:
    register: customer_register
    recipient: newsletter_service     # not in the policy's recipients
    purpose: marketing
    fields: [contact_name, email]
```

Use instead:
```yaml
flows:
  newsletter:
    register: customer_register       # sent from the controller's own mail server
    purpose: marketing
    fields: [contact_name, email]
    excludes: [marketing_opt_out, restricted]
```
or declare the service, its locations and fields under `recipients` and publish the notice.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from seloste.checks.findings import Finding, Severity, at

if TYPE_CHECKING:
    from seloste.checks.flows.context import FlowContext

ID = "FLW001"
NAME = "unknown-flow-recipient"
SEVERITY: Severity = "error"
SCOPE = "flows"


def check(ctx: FlowContext) -> Iterator[Finding]:
    declared = ctx.index.recipient_fields
    for file, fid, flow in ctx.flows():
        if flow.recipient is not None and flow.recipient not in declared:
            hint = ctx.index.hint(flow.recipient, "recipients")
            yield at(
                file,
                ("flows", fid, "recipient"),
                ID,
                SEVERITY,
                f"flow {fid!r}: recipient {flow.recipient!r} is not declared in the policy{hint}",
            )
