"""Identifying values in normalised form: an e-mail address in lower case, a phone number in
E.164, a business ID as its digits. The database pre-selects candidates with a condition
that every match meets (bound parameters only); Python confirms each one."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

# Characters people write inside phone numbers and business IDs.
_SEPARATORS = (" ", "-", "(", ")", ".", "/")


def normalised(kind: str, value: Any) -> str | None:
    """``value`` as the selector compares it, or None when it is no such value."""
    text = str(value).strip()
    if kind == "email":
        return text.lower() if "@" in text else None
    if kind == "phone":
        import phonenumbers

        try:
            number = phonenumbers.parse(text, "FI")
        except phonenumbers.NumberParseException:
            return None
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    if kind == "business_id":
        digits = "".join(c for c in text if c.isalnum()).upper()
        return digits or None
    raise ValueError(kind)


def _stripped(col: Any) -> Any:
    """``col`` as text without the separators, in the database."""
    expr: Any = sa.cast(col, sa.String)
    for sep in _SEPARATORS:
        expr = sa.func.replace(expr, sep, "")
    return expr


def candidates(kind: str, col: Any, wanted: str) -> Any:
    """A condition every stored value equal to ``wanted`` (normalised) meets."""
    if kind == "email":
        return sa.func.lower(sa.func.trim(sa.cast(col, sa.String))) == sa.literal(wanted)
    if kind == "phone":
        # The national number ends every way of writing it (+358 40..., 040...).
        import phonenumbers

        national = str(phonenumbers.parse(wanted).national_number)
        return _stripped(col).like(sa.literal(f"%{national}"))
    return sa.func.upper(_stripped(col)) == sa.literal(wanted)
