"""## What it does
Reports a source, table or column that seloste could not check: a database that is down,
a file that is not a database, a bound table or column missing from the snapshot, a
permission denied, a statement that ran past the timeout, a dump that tries to ATTACH
another database.

## Why is this bad?
A check that could not run is not a pass. If seloste stayed silent, a renamed table or an
unreachable server would look exactly like a clean database, and a compliance gate would
let through what it never saw. So every such gap is an error, and `seloste check` exits
with 2.

What the bindings leave out on purpose is not a tool error: a retention rule, opt-out or
restriction right whose column no bound table has is BND004 (at `validate` and at `check`,
and it can be waived), and a rule the policy marks `verified_outside` is an SNP011 note that
says who verifies it.

## Example
```text
$ seloste check --bindings bindings.yaml --snapshot postgresql://app:***@db/crm
postgresql://app:***@db/crm invoices: SEL001 [error] could not check invoices:
  the table is not in the snapshot
```

Use instead: point `--snapshot` at the database the bindings describe, and make the bindings
follow the schema (rename the table in `tables:`, or list it under `ignore_tables:`), then
run the check again.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from seloste.checks.findings import NOT_CHECKED, Finding, Severity

ID = NOT_CHECKED
NAME = "not-checked"
SEVERITY: Severity = "error"
# Raised by whatever reads an input (snapshot runner, flows) when it cannot; no context reads.
SCOPE = "any"


def check(_ctx: Any) -> Iterator[Finding]:
    """Nothing to look for: the readers make these findings where the gap is found."""
    return iter(())
