"""## What it does
Checks that every marketing purpose honours the marketing opt-out, and that a register used
for marketing grants the `marketing_opt_out` right.

## Why is this bad?
A data subject may object to direct marketing at any time, and the objection is absolute
(GDPR Art. 21(2)-(3)). A marketing purpose that does not leave opted-out subjects out will
reach people who said no.

## Example
```yaml
purposes:
  newsletter:
    marketing: true
    honours: []
```

Use instead:
```yaml
purposes:
  newsletter:
    marketing: true
    honours: [marketing_opt_out]
```
"""

from __future__ import annotations

from collections.abc import Iterator

from seloste.checks.findings import Finding, Severity, at
from seloste.policy.loader import Loaded
from seloste.policy.model import Policy

ID = "POL006"
NAME = "marketing-without-opt-out"
SEVERITY: Severity = "error"
SCOPE = "policy"


def check(policy: Loaded[Policy]) -> Iterator[Finding]:
    model = policy.model
    marketing = {pid for pid, p in model.purposes.items() if p.marketing}
    for pid in sorted(marketing):
        if "marketing_opt_out" not in model.purposes[pid].honours:
            yield at(
                policy,
                ("purposes", pid, "marketing"),
                ID,
                SEVERITY,
                f"marketing purpose {pid!r} does not honour the marketing opt-out",
            )
    for rid, register in model.registers.items():
        used = sorted(marketing & set(register.purposes))
        if used and "marketing_opt_out" not in register.rights:
            yield at(
                policy,
                ("registers", rid, "rights"),
                ID,
                SEVERITY,
                f"register {rid!r} is used for marketing ({', '.join(used)}) "
                "but does not grant the marketing_opt_out right",
            )
