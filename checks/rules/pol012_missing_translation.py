"""## What it does
Checks that every human text in the policy that has a Finnish version has an English one too,
and the other way round.

## Why is this bad?
The notice is rendered from the policy in each language it is published in. A text missing in
one language leaves a hole in that language's notice, which must be concise, intelligible and
complete for every reader (GDPR Art. 12(1)).

## Example
```yaml
purposes:
  marketing:
    name: {fi: Markkinointi}
```

Use instead:
```yaml
purposes:
  marketing:
    name: {fi: Markkinointi, en: Marketing}
```
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from seloste.checks.findings import Finding, Severity, at
from seloste.policy.loader import Loaded
from seloste.policy.model import Policy, Text

ID = "POL012"
NAME = "missing-translation"
SEVERITY: Severity = "note"
SCOPE = "policy"
LANGUAGES = ("fi", "en")


def check(policy: Loaded[Policy]) -> Iterator[Finding]:
    for path, text in _texts(policy.model, ()):
        missing = [lang for lang in LANGUAGES if getattr(text, lang) is None]
        if missing and len(missing) < len(LANGUAGES):
            yield at(policy, path, ID, SEVERITY, f"text has no {', '.join(missing)} version")


def _texts(node: Any, path: tuple[str | int, ...]) -> Iterator[tuple[tuple[str | int, ...], Text]]:
    if isinstance(node, str | int | float | None):  # most of a policy: IDs in lists
        return
    if isinstance(node, Text):
        yield path, node
    elif isinstance(node, dict):
        for key, value in node.items():
            yield from _texts(value, (*path, key))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _texts(value, (*path, i))
    elif hasattr(node, "__pydantic_fields__"):
        for name, info in type(node).model_fields.items():
            yield from _texts(getattr(node, name), (*path, info.alias or name))
