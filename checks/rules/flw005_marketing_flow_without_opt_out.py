"""## What it does
Checks that every flow for a marketing purpose (`marketing: true`) excludes the subjects who
opted out of marketing: `excludes: [marketing_opt_out]`.

## Why is this bad?
A data subject may object to direct marketing at any time, and the objection is absolute
(GDPR Art. 21(2)-(3)). A newsletter export that does not leave opted-out subjects out
reaches people who said no, whatever the policy promises.

## Example
```yaml
flows:
  newsletter:
    register: customer_register
    purpose: marketing
    fields: [contact_name, email]
    excludes: [restricted]
```

Use instead:
```yaml
flows:
  newsletter:
    register: customer_register
    purpose: marketing
    fields: [contact_name, email]
    excludes: [marketing_opt_out, restricted]
```
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from seloste.checks.findings import Finding, Severity
from seloste.checks.rules._flows import excludes, missing_exclusion

if TYPE_CHECKING:
    from seloste.checks.flows.context import FlowContext

ID = "FLW005"
NAME = "marketing-flow-without-opt-out"
SEVERITY: Severity = "error"
SCOPE = "flows"


def check(ctx: FlowContext) -> Iterator[Finding]:
    for file, fid, flow in ctx.flows():
        if flow.purpose in ctx.index.marketing and not excludes(flow, "marketing_opt_out"):
            message = (
                f"flow {fid!r} is for marketing ({flow.purpose!r}) but does not exclude "
                "subjects who opted out (excludes: [marketing_opt_out])"
            )
            yield missing_exclusion(file, fid, flow, ID, SEVERITY, message)
