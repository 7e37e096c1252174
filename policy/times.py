"""How a database writes a time, and the one reading of each way: the reference for every source.

A retention rule compares instants. A column may hold them as a native time type, or as text
or numbers in one of the formats below; bindings name the format of a column that is not ISO
8601 text (``time_formats``) and the zone of times written without an offset (``timezone``).
The snapshot engine (``checks/snapshot/times.py``) builds each source's SQL from this module's
grammar, and the tests hold every source to :func:`read`.

The grammar of ISO 8601 text, exactly (nothing else is read as a time):

- a calendar date ``YYYY-MM-DD`` (year 0001 to 9999, a day that exists);
- optionally ``T`` or a space and a time ``hh:mm``, ``hh:mm:ss`` or ``hh:mm:ss.f`` (any number
  of fraction digits; hours 00-23, minutes and seconds 00-59);
- after a time, optionally ``Z`` or an offset ``+hh:mm`` / ``-hh:mm`` (up to 14:59).

A time without ``Z`` or an offset, and a date, are read in the bindings' ``timezone``; a date
is the instant its day begins there. Fractions of a second are dropped before comparing, and
every cut-off is a whole second, so "before the cut-off" means the same to every source.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, tzinfo
from decimal import Decimal
from functools import cache

ISO = "iso"
EPOCH_SECONDS = "epoch_seconds"
EPOCH_MILLISECONDS = "epoch_milliseconds"
EPOCHS = {EPOCH_SECONDS: 1, EPOCH_MILLISECONDS: 1000}

# Regular expressions in the syntax PostgreSQL (ARE), MariaDB (PCRE) and DuckDB (RE2) share:
# no lookaround, no \d (RE2 and PCRE would read it as Unicode digits in some modes).
_YEAR = "(?:000[1-9]|00[1-9][0-9]|0[1-9][0-9]{2}|[1-9][0-9]{3})"
_MONTH_DAY = (
    "(?:(?:0[13578]|1[02])-(?:0[1-9]|[12][0-9]|3[01])"
    "|(?:0[469]|11)-(?:0[1-9]|[12][0-9]|30)"
    "|02-(?:0[1-9]|1[0-9]|2[0-8]))"
)
_LEAP_DAY = (
    "(?:[0-9]{2}(?:0[48]|[2468][048]|[13579][26])|(?:0[48]|[2468][048]|[13579][26])00)-02-29"
)
DATE_RE = f"(?:{_YEAR}-{_MONTH_DAY}|{_LEAP_DAY})"
TIME_RE = "(?:[01][0-9]|2[0-3]):[0-5][0-9](?::[0-5][0-9](?:[.][0-9]+)?)?"
ZONE_RE = "(?:Z|[-+](?:0[0-9]|1[0-4]):[0-5][0-9])"
ISO_RE = f"^{DATE_RE}(?:[T ]{TIME_RE}{ZONE_RE}?)?$"
# The parts a reader takes apart once a value matched ISO_RE.
FRACTION_RE = "[.][0-9]+"
ZONE_AT_END_RE = f"{ZONE_RE}$"
# Epoch values written as text are whole numbers; stored as numbers they may have a fraction.
EPOCH_INTEGER_RE = "^-?[0-9]+$"

_ISO = re.compile(ISO_RE)
_DIRECTIVES = {"Y": "([0-9]{4})", "m": "([0-9]{1,2})", "d": "([0-9]{1,2})"}
_DIRECTIVES |= {"H": "([0-9]{1,2})", "M": "([0-9]{1,2})", "S": "([0-9]{1,2})"}
# Where each directive goes in the canonical naive text ``YYYY-MM-DD hh:mm:ss``.
_CANONICAL = "YmdHMS"


@dataclass(frozen=True)
class Pattern:
    """A declared text format such as ``%d.%m.%Y``: a regular expression with one group per
    directive, and the directive each group holds."""

    regex: str
    groups: tuple[str, ...]

    def canonical(self, text: str) -> str | None:
        """The value as canonical naive ISO text ``YYYY-MM-DD hh:mm:ss``, or None."""
        found = re.fullmatch(self.regex, text, flags=re.ASCII)
        if found is None:
            return None
        parts = dict(zip(self.groups, found.groups(), strict=True))
        y, mo, d, h, mi, s = (parts.get(k, "0").zfill(4 if k == "Y" else 2) for k in _CANONICAL)
        canonical = f"{y}-{mo}-{d} {h}:{mi}:{s}"
        return canonical if _ISO.fullmatch(canonical) else None


def pattern(text: str) -> Pattern:
    """Read a declared pattern; raises ``ValueError`` saying what is wrong with it.

    Only numeric directives are read (``%Y`` four digits; ``%m %d %H %M %S`` one or two, as
    ``strptime`` reads them) and ``%%``; every other character stands for itself. A pattern
    names a day (``%Y``, ``%m``, ``%d``) and, for a time, the hour before the minute before the
    second: anything else could not be put in order.
    """
    regex, groups, i = [], [], 0
    while i < len(text):
        char = text[i]
        if char != "%":
            regex.append(re.escape(char))
            i += 1
            continue
        directive = text[i + 1 : i + 2]
        if directive == "%":
            regex.append("%")
        elif directive in _DIRECTIVES:
            if directive in groups:
                raise ValueError(f"%{directive} appears twice in {text!r}")
            regex.append(_DIRECTIVES[directive])
            groups.append(directive)
        else:
            shown = f"%{directive}" if directive else "a lone %"
            raise ValueError(
                f"{shown} in {text!r} is not supported; a pattern may use %Y %m %d %H %M %S"
            )
        i += 2
    if not {"Y", "m", "d"} <= set(groups):
        raise ValueError(f"{text!r} must name the year, month and day (%Y, %m, %d)")
    for later, earlier in (("M", "H"), ("S", "M")):
        if later in groups and earlier not in groups:
            raise ValueError(f"{text!r} has %{later} without %{earlier}")
    return Pattern("".join(regex), tuple(groups))


pattern_cached = cache(pattern)


def check_format(text: str) -> str:
    """A format bindings may declare: ``iso``, an epoch, or a pattern (``ValueError`` else)."""
    if text not in (ISO, *EPOCHS):
        pattern(text)
    return text


@cache
def zone(name: str) -> tzinfo:
    """An IANA time zone; ``ValueError`` for a name the zone database does not know."""
    if name == "UTC":
        return UTC
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(
            f"{name!r} is not a time zone; use an IANA name such as Europe/Helsinki or UTC"
        ) from None


def whole_second(moment: datetime) -> datetime:
    """``moment`` without its fraction of a second: every cut-off is a whole second."""
    return moment.replace(microsecond=0)


@dataclass(frozen=True)
class Stored:
    """A stored time as read: its wall-clock time to the second, and its offset from UTC when
    it carries one (None: it is read in the bindings' time zone)."""

    wall: datetime
    offset: timedelta | None

    def before(self, cutoff: datetime, tz: tzinfo) -> bool:
        """Strictly before ``cutoff``. A time without an offset is compared with the cut-off's
        wall-clock time in ``tz`` (so within the hour that repeats when clocks go back it is
        compared as written)."""
        cut = whole_second(cutoff.astimezone(UTC))
        if self.offset is None:
            return self.wall < local(cut, tz)
        return self.wall - self.offset < cut.replace(tzinfo=None)


_UTC = timedelta(0)


def read(value: object, fmt: str = ISO) -> Stored | None:
    """What a stored value means as a time, or None when it is not one.

    ``value`` is what a driver returns: text, a number, or a native date or time (a native
    time with a zone is an instant; one without, a wall-clock time).
    """
    if isinstance(value, datetime):
        if value.tzinfo is None:
            return Stored(whole_second(value), None)
        return Stored(whole_second(value.astimezone(UTC).replace(tzinfo=None)), _UTC)
    if isinstance(value, date):
        return Stored(datetime(value.year, value.month, value.day), None)
    if fmt in EPOCHS:
        return _epoch(value, EPOCHS[fmt])
    if not isinstance(value, str):
        return None
    if fmt != ISO:
        value = pattern_cached(fmt).canonical(value)
        if value is None:
            return None
    if not _ISO.fullmatch(value):
        return None
    moment = datetime.fromisoformat(re.sub(FRACTION_RE, "", value).replace("Z", "+00:00"))
    offset = moment.utcoffset()
    return Stored(moment.replace(tzinfo=None), offset)


def _epoch(value: object, per_second: int) -> Stored | None:
    """Seconds or milliseconds since 1970 (a number, or its digits as text), to the second."""
    if isinstance(value, str) and re.fullmatch(EPOCH_INTEGER_RE, value):
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        return None
    seconds = math.floor(value) // per_second
    try:
        return Stored(datetime(1970, 1, 1) + timedelta(seconds=seconds), _UTC)
    except OverflowError:  # beyond year 9999: still a time, after every cut-off or before it
        return Stored(datetime.max if seconds > 0 else datetime.min, _UTC)


def local(moment: datetime, tz: tzinfo) -> datetime:
    """The wall-clock time (naive) ``moment`` is in ``tz``: what a naive stored time is compared
    with, so that no source needs a time zone database."""
    return moment.astimezone(tz).replace(tzinfo=None)
