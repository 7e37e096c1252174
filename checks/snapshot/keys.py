"""Row keys in reports: shown only where they cannot be personal data.

A finding lists the first few row keys so that someone with access to the database can find
the rows. A key is printed as it is only when the bindings do not map its column to a
personal field and the value reads as a plain identifier (a number, or a short code of
letters, digits and ``_ . : -`` that is not an e-mail address, a phone number or a personal
identity code). Any other key is given as a pseudonym, a keyed hash (``~`` and 16 hex
digits) of the table and the key, when ``SELOSTE_KEY_SECRET`` is set, and is otherwise
withheld, which the finding says. With the same secret the same row always gets the same
pseudonym, and ``seloste pseudonym`` computes it for a key the officer already knows.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import re
from typing import Any

SECRET_VARIABLE = "SELOSTE_KEY_SECRET"
_PLAIN = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}", re.ASCII)


def is_plain(value: Any) -> bool:
    """A key value that is an identifier and nothing more."""
    if isinstance(value, bool):
        return False
    if isinstance(value, int):
        return True
    if not isinstance(value, str) or not _PLAIN.fullmatch(value):
        return False
    from seloste.checks.snapshot.values import looks_personal

    return not looks_personal(value)


def pseudonym(secret: bytes, table: str, value: Any) -> str:
    digest = hmac.new(secret, f"{table}\0{value}".encode(), hashlib.sha256).hexdigest()
    return f"~{digest[:16]}"


class Keys:
    """How the keys of one run are shown; the secret comes from the environment."""

    def __init__(self, secret: str | None = None) -> None:
        secret = os.environ.get(SECRET_VARIABLE) if secret is None else secret
        self.secret = secret.encode() if secret else None

    def shown(self, table: str, value: Any, *, personal_column: bool) -> str | None:
        """The text a report shows for a key, or None when it must be withheld."""
        if not personal_column and is_plain(value):
            return str(value)
        if self.secret is not None:
            return pseudonym(self.secret, table, value)
        return None
