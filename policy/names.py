"""The hint for a name that is not known: the known name it is most likely a typo of.

Read by the loader (an unknown key), the lint rules (an unknown ID) and the flows engine,
which asks once per typo however many flows repeat it.
"""

from __future__ import annotations

from collections.abc import Iterable

# A flow that reads ``register: system`` carries data of the whole system (backups, exports):
# any register's fields, for any register's purposes (policy/flows.py).
SYSTEM = "system"


def did_you_mean(name: str, known: Iterable[str]) -> str:
    """``"; did you mean 'x'?"`` for the closest of ``known``, or "" when none is close."""
    import difflib  # only when a name is unknown

    match = difflib.get_close_matches(name, list(known), n=1)
    return f"; did you mean {match[0]!r}?" if match else ""
