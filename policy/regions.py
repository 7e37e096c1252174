"""Countries and regions: the data behind every transfer decision."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import yaml


@cache
def builtin() -> dict[str, tuple[str, ...]]:
    """The built-in regions (EU, EEA), from ``regions.yaml``."""
    # Beside this file (importlib.resources would cost the pre-commit hook ~3 ms to import).
    text = Path(__file__).with_name("regions.yaml").read_text(encoding="utf-8")
    # libyaml's parser where PyYAML has it: the pure-Python one takes ~1 ms for this file.
    data = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    return {name: tuple(members) for name, members in data.items()}


@cache
def members() -> frozenset[str]:
    """Every country some built-in region names: each a valid ISO 3166-1 code (a test holds
    regions.yaml to that), so a place among them needs no look-up in pycountry's table."""
    return frozenset().union(*(countries(name) for name in builtin()))


def countries(place: str, extra: dict[str, list[str]] | None = None) -> frozenset[str]:
    """The countries a place stands for: a country is itself, a region its members, nested."""
    table = {**builtin(), **(extra or {})}
    out: set[str] = set()
    todo, seen = [place], set()
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        if name in table:
            todo.extend(table[name])
        else:
            out.add(name)
    return frozenset(out)


def is_region(place: str, extra: dict[str, list[str]] | None = None) -> bool:
    return place in builtin() or place in (extra or {})


def within(place: str, allowed: list[str], extra: dict[str, list[str]] | None = None) -> bool:
    """Whether every country of ``place`` lies in one of the ``allowed`` places."""
    region: set[str] = set()
    for a in allowed:
        region |= countries(a, extra)
    return countries(place, extra) <= region


@cache  # a policy names the same few places thousands of times (every flow's locations)
def place(value: str) -> str:
    """A country (ISO 3166-1 alpha-2) or a region name; regions are resolved by ``regions``."""
    if value in builtin() or value in members():  # members: no need for pycountry (~5 ms)
        return value
    if re.fullmatch(r"[A-Z]{2}", value):
        import pycountry

        if pycountry.countries.get(alpha_2=value) is None:
            hint = _place_hint(value)
            raise ValueError(f"{value!r} is not an ISO 3166-1 alpha-2 country code{hint}")
        return value
    if re.fullmatch(r"[A-Z][A-Z0-9_]{2,31}", value):
        return value
    hint = _place_hint(value)
    raise ValueError(
        f"{value!r} is neither a country code (FI, NO) nor a region name (EU, EEA){hint}"
    )


# Codes written for a country that ISO 3166-1 spells otherwise: the United Kingdom's common
# abbreviation and domain (UK), and Greece's code in the EU's own documents (EL).
_PLACE_MISTAKES = {"UK": "GB", "EL": "GR"}


def _place_hint(value: str) -> str:
    """``"; did you mean 'GB'?"`` for a place written the way people often write it: a
    known mistake (UK), a code or region in lower case (fi, eea), a country's English name
    (Finland); "" when nothing fits."""
    upper = value.strip().upper()
    if upper in _PLACE_MISTAKES:
        return f"; did you mean {_PLACE_MISTAKES[upper]!r}?"
    if upper in builtin():
        return f"; did you mean {upper!r}?"
    import pycountry

    try:
        country = pycountry.countries.lookup(value.strip())
    except LookupError:
        return ""
    code: str = country.alpha_2
    return "" if code == value else f"; did you mean {code!r}?"
