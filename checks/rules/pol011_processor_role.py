"""## What it does
Checks that a register the organisation processes for another controller (`role: processor`)
names that controller in `on_behalf_of`, that it names a recipient that is a controller
(`type: third_party`, `joint_controller` or `authority`, not `processor`), and that a
register of its own (`role: controller`) names none.

## Why is this bad?
A processor acts only on the controller's documented instructions (GDPR Art. 28(3)), and the
record of processing must name that controller (Art. 30(2)(a)). A register processed "on
behalf of" another processor names no one who decides why the data is processed. K-Systems,
for example, is the controller of its customer register but processes the .fi domain
register for Traficom, a public authority.

## Example
```yaml
registers:
  fi_domains:
    role: processor
    on_behalf_of: hosting     # a recipient of type processor
```

Use instead:
```yaml
registers:
  fi_domains:
    role: processor
    on_behalf_of: traficom    # type: authority
```
"""

from __future__ import annotations

from collections.abc import Iterator

from seloste.checks.findings import Finding, Severity, at
from seloste.policy.loader import Loaded
from seloste.policy.model import Policy
from seloste.policy.parties import CONTROLLER_TYPES

ID = "POL011"
NAME = "processor-role"
SEVERITY: Severity = "error"
SCOPE = "policy"


def check(policy: Loaded[Policy]) -> Iterator[Finding]:
    model = policy.model
    for rid, register in model.registers.items():
        base = ("registers", rid)
        if register.role == "processor" and register.on_behalf_of is None:
            yield at(
                policy,
                (*base, "role"),
                ID,
                SEVERITY,
                f"register {rid!r} is processed for another controller but does not "
                "say whose (on_behalf_of)",
            )
        elif register.role == "controller" and register.on_behalf_of is not None:
            yield at(
                policy,
                (*base, "on_behalf_of"),
                ID,
                SEVERITY,
                f"register {rid!r} is the controller's own but names on_behalf_of",
            )
        elif register.on_behalf_of in model.recipients:
            owner = model.recipients[register.on_behalf_of]
            if owner.type not in CONTROLLER_TYPES:
                yield at(
                    policy,
                    (*base, "on_behalf_of"),
                    ID,
                    SEVERITY,
                    f"register {rid!r} is processed on behalf of {register.on_behalf_of!r}, "
                    f"whose type is {owner.type}, not a controller "
                    f"({', '.join(CONTROLLER_TYPES)})",
                )
