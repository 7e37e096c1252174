"""## What it does
Checks sampled values of every column bound to a field of kind `ip_address` with Python's
`ipaddress`: each must be one IPv4 (`192.0.2.10`) or IPv6 (`2001:db8::1`) address, written
without a prefix length or spaces. A database's own address type (PostgreSQL `inet`) and an
address stored packed (a whole number from MariaDB's `INET_ATON`, 4 or 16 bytes from
`INET6_ATON`) are addresses too.

## Why is this bad?
Data must be accurate (GDPR Art. 5(1)(d)). An IP address is personal data when it can be
tied to a person (CJEU C-582/14, Breyer), and a log kept as evidence of an intrusion or a
fraud is only worth keeping when it says which address it was. A value that is no address
(`10.0.0.300`, a host name, a network such as `10.0.0.0/24`) was written by something other
than the policy says.

## Example
```text
logins.ip = 192.168.1.256
```

Use instead: correct what writes the column, so that it stores the address the connection
came from, or bind host names to a field of another kind:
```text
logins.ip = 192.168.1.25
```
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from seloste.checks.findings import Finding, Severity
from seloste.checks.rules._snapshot import invalid_values
from seloste.checks.snapshot import values
from seloste.checks.snapshot.plan import Check

if TYPE_CHECKING:
    from seloste.checks.snapshot.context import SnapshotContext

ID = "SNP014"
NAME = "invalid-ip-address"
SEVERITY: Severity = "warning"
SCOPE = "snapshot"


def plan(ctx: SnapshotContext) -> Iterator[Check]:
    return invalid_values(
        ctx, ID, SEVERITY, "ip_address", values.is_ip_address, "invalid IP addresses"
    )


def check(ctx: SnapshotContext) -> Iterator[Finding]:
    return ctx.findings(ID)
