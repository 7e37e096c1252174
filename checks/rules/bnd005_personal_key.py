"""## What it does
Checks that no bound table's `key`, the column whose values findings list to find the rows,
is mapped to a personal field (an e-mail address, a name, a phone number).

## Why is this bad?
Reports go to CI logs, pull requests and dashboards that more people read than the database.
A finding lists its first row keys; if the key is an e-mail address, the report discloses
personal data to all of them. seloste never prints such a key: it gives a pseudonym (a keyed
hash, with `SELOSTE_KEY_SECRET` set) or withholds the keys, so the officer cannot go straight
to the rows either.

## Example
```yaml
tables:
  newsletter_recipients:
    key: email
    columns: {email: email}
```

Passes: a surrogate key that says nothing about the person.
```yaml
tables:
  newsletter_recipients:
    key: id
    columns: {email: email}
```

Use instead: bind a surrogate key (an `id` column); if the table has none, add one, or accept
pseudonymous keys and set `SELOSTE_KEY_SECRET` where the check runs.
"""

from __future__ import annotations

from collections.abc import Iterator

from seloste.checks.context import BoundPolicy
from seloste.checks.findings import Finding, Severity, at

ID = "BND005"
NAME = "personal-key"
SEVERITY: Severity = "warning"
SCOPE = "bindings"


def check(ctx: BoundPolicy) -> Iterator[Finding]:
    fields = ctx.policy.model.fields
    for table, binding in ctx.bindings.model.tables.items():
        field = fields.get(binding.columns.get(binding.key, ""))
        if field is not None and field.personal:
            yield at(
                ctx.bindings,
                ("tables", table, "key"),
                ID,
                SEVERITY,
                f"the key of {table!r}, {binding.key!r}, holds personal data "
                f"({binding.columns[binding.key]}): reports will give pseudonyms or no keys; "
                "bind a surrogate key such as id",
            )
