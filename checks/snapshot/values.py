"""Judging single values: is this a valid hetu, Y-tunnus, e-mail address, phone number, IBAN,
IP address? And names: does a column's name say it holds personal or Art. 9 data?

Each test takes one value and returns a bool; nothing is kept. Patterns only find
candidates; the check character or the library's parser decides, so an order number that
merely looks like a personal identity code is not reported as one.
"""

from __future__ import annotations

import ipaddress
import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources
from typing import Any

from seloste.checks.snapshot import shortcuts

# A hetu candidate anywhere in text: DDMMYY, century sign (incl. the 2023 signs), NNN, check.
_HETU = re.compile(r"(?<![0-9A-Za-z])\d{6}[-+A-FU-Y]\d{3}[0-9A-Y](?![0-9A-Za-z])", re.ASCII)
_DIGITS_AS_ZERO = str.maketrans("123456789", "000000000")
# A whole value that may be a phone number: starts with + or 0, so dates and counts are not.
_PHONE_LIKE = re.compile(r"[+0][\d\s()./-]{5,19}")
# Words that make a column name say it holds personal data (Finnish and English).
PERSONAL_WORDS = frozenset(
    {"email", "mail", "sahkoposti", "phone", "puhelin", "mobile", "gsm", "tel", "hetu"}
    | {"ssn", "henkilotunnus", "birth", "syntymaaika", "address", "osoite", "name", "nimi"}
    | {"firstname", "lastname", "surname", "etunimi", "sukunimi", "ip"}
    | {"dob", "syntymapaiva", "iban", "tilinumero"}
)
# ... unless they name a thing rather than a person: "org_name", "host_name", "file_name".
NOT_PERSONS = frozenset(
    {"org", "organisation", "organization", "company", "yritys", "host", "domain", "file"}
    | {"table", "plan", "product", "server", "schema", "version", "column", "mac"}
)


def contains_hetu(value: Any) -> bool:
    """Text holding a Finnish personal identity code with a correct check character."""
    return any(_hetu_is_valid(m) for m in _HETU.findall(str(value)))


def hetu_free(texts: Sequence[str]) -> bool:
    """None of ``texts`` holds even a hetu candidate: one search over them all.

    The texts are joined with NUL, which the pattern neither matches nor counts as a letter
    or digit, so it finds exactly the candidates of the texts one by one. Most text has no
    six digits in a row, which in ASCII text (where the only digits are 0-9) a translation
    to zeros shows several times faster than the pattern can.
    """
    blob = "\0".join(texts)
    if blob.isascii() and "000000" not in blob.translate(_DIGITS_AS_ZERO):
        return True
    return _HETU.search(blob) is None


def screen(test: Callable[[Any], bool]) -> Callable[[Sequence[str]], bool] | None:
    """A way to clear a whole batch of values for ``test`` at once, where there is one:
    it returns True only when ``test`` flags none of the texts."""
    return _SCREENS.get(test)


def _hetu_is_valid(code: str) -> bool:
    from stdnum.fi import hetu

    return bool(hetu.is_valid(code))


def is_business_id(value: Any) -> bool:
    from stdnum.fi import ytunnus

    return bool(ytunnus.is_valid(str(value)))


def is_email(value: Any) -> bool:
    """Syntax only: seloste never makes network requests about a subject's address."""
    text = str(value)
    if shortcuts.plain_email(text):
        return True
    from email_validator import EmailNotValidError, validate_email

    try:
        validate_email(text, check_deliverability=False)
    except EmailNotValidError:
        return False
    return True


def is_phone(value: Any, region: str = "FI") -> bool:
    text = str(value)
    plain = shortcuts.finnish_phone(text, region)
    if plain is not None:
        return plain
    import phonenumbers

    try:
        return bool(phonenumbers.is_valid_number(phonenumbers.parse(text, region)))
    except phonenumbers.NumberParseException:
        return False


def is_iban(value: Any) -> bool:
    """An IBAN whose country format and check digits hold (python-stdnum; spaces allowed)."""
    from stdnum import iban

    return bool(iban.is_valid(str(value)))


def is_ip_address(value: Any) -> bool:
    """An IPv4 or IPv6 address: text as ``ipaddress`` reads it (no prefix length, no spaces),
    or a driver's native address (PostgreSQL ``inet``). A whole number or 4/16 bytes is an
    address stored packed (MariaDB's INET_ATON, INET6_ATON), so it is one too."""
    if isinstance(value, ipaddress.IPv4Address | ipaddress.IPv6Address):
        return True
    if isinstance(value, ipaddress.IPv4Interface | ipaddress.IPv6Interface):
        return True  # inet with a netmask: still a host's address
    packed = isinstance(value, int | bytes) and not isinstance(value, bool)
    try:
        ipaddress.ip_address(value if packed else str(value))
    except ValueError:
        return False
    return True


def looks_personal(value: Any) -> bool:
    """A value that is, by itself, personal data: an e-mail, a phone number, or holds a hetu."""
    text = str(value).strip()
    if "@" in text and is_email(text):
        return True
    if _PHONE_LIKE.fullmatch(text) and is_phone(text):
        return True
    return contains_hetu(text)


_SCREENS: dict[Callable[[Any], bool], Callable[[Sequence[str]], bool]] = {contains_hetu: hetu_free}


@dataclass(frozen=True)
class Candidates:
    """How a database pre-selects, in every row, the values that may hold a kind, so that only
    those come back to be confirmed by ``confirm``. Both patterns find every value ``confirm``
    accepts (they may find more): ``globs`` for SQLite, any of which matches (each begins,
    after its ``*``, with a plain character, which SQLite searches for quickly; a ``*[`` would
    try every position); ``regex`` for PostgreSQL, MariaDB and DuckDB."""

    globs: tuple[str, ...]
    regex: str
    confirm: Callable[[Any], bool]
    shortest: int  # no shorter text holds one


# A valid hetu has a real day (01-31) and month (01-12), a century sign, and a check
# character from stdnum's alphabet 0-9 A-Y without G, I, O, Q.
_HETU_TAIL = "[0-9][01][0-9][0-9][0-9][-+A-FU-Y][0-9][0-9][0-9][0-9A-FHJ-NPR-Y]"
CANDIDATES = {
    "fi_personal_identity_code": Candidates(
        globs=tuple(f"*{first}{_HETU_TAIL}*" for first in "0123"),
        regex="[0-3][0-9][01][0-9]{3}[-+A-FU-Y][0-9]{3}[0-9A-FHJ-NPR-Y]",
        confirm=contains_hetu,
        shortest=11,
    ),
}


@lru_cache(maxsize=1024)
def personal_name(column: str) -> bool:
    """A column name that says it holds personal data (``reporter_email``, ``sukunimi``)."""
    words = set(re.split(r"[^a-z0-9]+", column.lower().replace("ä", "a").replace("ö", "o")))
    words |= {w.replace("_", "") for w in words}
    return bool(words & PERSONAL_WORDS) and not words & NOT_PERSONS


# --- special categories by name (GDPR Art. 9(1)) ----------------------------------------------

# A name's parts: runs of capitals (IBAN, HEALTH), a word with its capital (Notes), digits.
_HUMPS = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|[0-9]+")


def name_parts(column: str) -> tuple[str, ...]:
    """The lower-case parts of a column name, split at snake_case, kebab-case and camelCase,
    with accents dropped (``lääkitys`` is ``laakitys``), as special_categories.yaml says."""
    ascii_name = unicodedata.normalize("NFKD", column).encode("ascii", "ignore").decode()
    return tuple(part.lower() for part in _HUMPS.findall(ascii_name))


@dataclass(frozen=True)
class _Words:
    """special_categories.yaml, ready to match: each entry as its parts, with its kind."""

    entries: tuple[tuple[tuple[str, ...], str, str], ...]  # (parts, kind, the entry)
    things: frozenset[str]


def _matches(part: str, word: str) -> bool:
    return part.startswith(word[:-1]) if word.endswith("*") else part == word


@cache
def _special_words() -> _Words:
    import yaml

    path = resources.files("seloste.checks.snapshot").joinpath("special_categories.yaml")
    data = yaml.load(path.read_text("utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    entries = [
        (tuple(_folded(token) for token in word.split()), kind, word)
        for kind, words in data["special_categories"].items()
        for word in words
    ]
    return _Words(tuple(entries), frozenset(_folded(t) for t in data["things"]))


def _folded(token: str) -> str:
    """One word of the list as a name's part reads (``lääke*``: ``laake*``)."""
    star = "*" if token.endswith("*") else ""
    return "".join(name_parts(token.removesuffix("*"))) + star


@lru_cache(maxsize=1024)
def special_category_of(column: str) -> tuple[str, str] | None:
    """The Art. 9(1) kind a column's name says it holds, and the word that says so
    (``medical_notes``: health_data, "medical"); None for other names, and for names of
    things (``server_health``)."""
    parts = name_parts(column)
    words = _special_words()
    if words.things.intersection(parts):
        return None
    for entry, kind, word in words.entries:
        n = len(entry)
        for i in range(len(parts) - n + 1):
            if all(_matches(p, w) for p, w in zip(parts[i : i + n], entry, strict=True)):
                return kind, word
        joined = "".join(entry)  # "trade union" written as one part: tradeunion
        if n > 1 and any(_matches(p, joined) for p in parts):
            return kind, word
    return None
