"""Strings as seloste writes them into the YAML files it drafts (``seloste discover``'s
bindings, ``seloste import``'s policy): read back by seloste's loader as exactly the string
meant, whatever YAML 1.1 or 1.2 reader comes after it."""

from __future__ import annotations

import json
import re

_PLAIN = re.compile(r"[A-Za-z_][A-Za-z0-9_./-]*")
# Words a YAML reader (1.1 or 1.2) may take for something other than a string.
_SPECIAL = frozenset({"true", "false", "yes", "no", "on", "off", "y", "n", "null", "~"})


def scalar(text: str, *, ascii_only: bool = True) -> str:
    """``text`` as a YAML string: plain when nothing could misread it, else double-quoted
    (a JSON string is a YAML one, escapes and all). Without ``ascii_only``, printable letters
    outside ASCII stay as they are (Pyöräpaja); anything unprintable is escaped either way."""
    if _PLAIN.fullmatch(text) and text.lower() not in _SPECIAL:
        return text
    if ascii_only:
        return json.dumps(text)
    inner = "".join(
        json.dumps(ch)[1:-1] if not ch.isprintable() or ch in '"\\' else ch for ch in text
    )
    return f'"{inner}"'
