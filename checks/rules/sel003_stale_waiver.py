"""## What it does
Reports a waiver that matched no finding in this run: its rule and target (or fingerprint)
name nothing that is wrong any more. A waiver is only judged by a run that checks its rule's
scope and, for a target in a file, reads that file: `seloste validate` does not call snapshot
waivers stale, nor a pre-commit hook the waivers of flow files it was not given.

## Why is this bad?
A stale waiver is dead weight at best. At worst it waits for the same problem to come back and
hides it without anyone deciding again that it is acceptable.

## Example
```yaml
waivers:
  - rule: POL004
    target: "policy.yaml#/recipients/mailer/locations/[US]"   # the mailer moved to IE
    justification: SCCs signed, moving to an EU provider
    owner: dpo@example.fi
    expires: "2027-01-01"
```

Use instead: delete the waiver. If the target was renamed, update `target` to the finding's
new target or fingerprint (`seloste check --format json` shows both).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from seloste.checks.findings import Finding, Severity

if TYPE_CHECKING:
    from seloste.checks.waivers import Outcome

ID = "SEL003"
NAME = "stale-waiver"
SEVERITY: Severity = "warning"
SCOPE = "gate"


def check(outcome: Outcome) -> Iterator[Finding]:
    for i, _, expires in outcome.each():
        # An expired waiver is reported as expired (SEL002): one cause, one finding.
        if i not in outcome.matched and expires >= outcome.today and outcome.judged(i):
            yield outcome.about(i, ID, SEVERITY, "matches no finding; remove it")
