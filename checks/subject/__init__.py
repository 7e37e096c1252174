"""A data subject's request: find their rows in a snapshot and say what the policy says of
them (access, GDPR Art. 15; portability, Art. 20; an erasure plan, Art. 17 and 19).

The subject is found through the bindings: a row that matches the selector is followed along
its ``subject`` links to the row at the end of the chain (a customer), and every bound table
whose chain ends in that table gives the rows that lead to it. All of it runs in the
database, read-only, with bound parameters and bounded queries. This is the one part of
seloste that reads personal values; they go only into the document the command writes to
its ``-o`` file (checks/subject/output.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

SelectorKind = Literal["key", "email", "phone", "business_id"]
# The field kind each identifying selector matches, in the policy's words.
FIELD_KINDS: dict[SelectorKind, str] = {
    "email": "email",
    "phone": "phone",
    "business_id": "fi_business_id",
}


@dataclass(frozen=True)
class Selector:
    """Who is asked for: ``kind`` and ``value``; for a key, also the table and column."""

    kind: SelectorKind
    value: str
    table: str | None = None
    column: str | None = None
