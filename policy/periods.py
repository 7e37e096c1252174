"""ISO 8601 periods (``P3M``, ``P7Y``): the one reading of a retention period, for every use.

A policy writes how long data is kept as an ISO 8601 duration. This module reads one (once:
the reading is cached), says whether a policy may use it, places it on the calendar, compares
two, and names its parts for the notice. Nothing else parses a period.

**What a period means.** A period is a distance on the calendar, not a number of seconds:
``P3M`` from 31 May ends on 31 August, from 30 November on 28 (or 29) February. So a period
has a length only from a given instant: :func:`end` and :func:`start` count it forwards and
backwards from one (``isodate``'s arithmetic: years and months first, the day clipped to the
month's last, then weeks, days and time).

**How two periods compare.** Both are counted from one reference instant, :data:`REFERENCE`
(the start of 2000, which is also the start of a 400-year cycle of the Gregorian calendar),
and the later end is the longer period. Periods in the same units compare the same from any
instant, and so do those equal on every calendar (``P1Y`` and ``P12M``, ``P1W`` and ``P7D``,
``P1D`` and ``PT24H``). Only periods that mix months or years with days depend on the instant
(``P1M`` is 31 days in January, 29 in February 2000), and there the fixed reference gives one
answer everywhere, the same one every time: ``P2M`` equals ``P60D`` (January and February
2000), ``P6M`` equals ``P182D``, ``P1Y`` is longer than ``P365D``. An approximation in days
per month would say otherwise for each of these, and even that ``P12M`` is longer than ``P1Y``.

Years and months must be whole: a fraction of a month has no length on the calendar, so such
a period could neither be compared nor counted back from a check's time.
"""

from __future__ import annotations

import re
from datetime import datetime
from functools import cache
from typing import Any

REFERENCE = datetime(2000, 1, 1)

# The parts of a period written in whole units, in the order ISO 8601 writes them; the keys
# name the units in policy/terms.py ("unit.Y" .. "unit.TS"). Anything else (fractions, the
# alternative format P0001-02-03T00:00:00) is still a period, shown as written.
_PARTS = re.compile(
    r"P(?:(?P<Y>\d+)Y)?(?:(?P<M>\d+)M)?(?:(?P<W>\d+)W)?(?:(?P<D>\d+)D)?"
    r"(?:T(?:(?P<TH>\d+)H)?(?:(?P<TM>\d+)M)?(?:(?P<TS>\d+)S)?)?"
)


def _read(text: str) -> Any:
    """``text`` as ``isodate`` reads it (a ``timedelta``, or a ``Duration`` with years or
    months); ``ValueError`` saying what is wrong with it."""
    import isodate  # small, and only needed when a policy is read

    try:
        value = isodate.parse_duration(text)
    except (isodate.ISO8601Error, ValueError):
        raise ValueError(f"{text!r} is not an ISO 8601 duration such as P6Y or P3M") from None
    if text.startswith("-"):
        raise ValueError(f"{text!r} must be a positive duration")
    if isinstance(value, isodate.Duration) and not (
        value.years == int(value.years) and value.months == int(value.months)
    ):
        raise ValueError(
            f"{text!r} has a fraction of a year or month, which the calendar cannot count; "
            "write whole months or days, such as P18M"
        )
    return value


_parsed = cache(_read)


def check(text: str) -> str:
    """``text`` if a policy may use it as a period; ``ValueError`` saying why not."""
    _parsed(text)
    if not positive(text):
        raise ValueError(f"{text!r} must be a positive duration")
    return text


def check_retention(text: str) -> str:
    """``text`` if a retention rule may use it: a period, or zero (P0D) where its trigger
    allows (the rule's model decides)."""
    _parsed(text)
    return text


def positive(text: str) -> bool:
    """The period (already read) is longer than nothing."""
    return re.search(r"[1-9]", text) is not None


def end(text: str, start: datetime = REFERENCE) -> datetime:
    """The instant the period ``text`` ends, counted from ``start``."""
    moment: datetime = start + _parsed(text)
    return moment


def start(text: str, end: datetime) -> datetime:
    """The instant the period ``text`` began, if it ends at ``end``: by the calendar, P3M
    before 31 May is 28 February (29 in a leap year)."""
    moment: datetime = end - _parsed(text)
    return moment


def compare(first: str, second: str) -> int:
    """-1, 0 or 1 as ``first`` is shorter than, as long as, or longer than ``second``, both
    counted from :data:`REFERENCE`."""
    a, b = end(first), end(second)
    return (a > b) - (a < b)


def parts(text: str) -> list[tuple[str, int]] | None:
    """The period's parts as written, each a unit key and a whole number (``P1Y6M``: Y 1,
    M 6), or None when it is not written in whole units."""
    found = _PARTS.fullmatch(text)
    if found is None:
        return None
    return [(unit, int(amount)) for unit, amount in found.groupdict().items() if amount]
