"""Countries and regions: the data behind every transfer decision."""

from __future__ import annotations

from functools import cache
from importlib import resources

import yaml


@cache
def builtin() -> dict[str, tuple[str, ...]]:
    """The built-in regions (EU, EEA), from ``regions.yaml``."""
    text = resources.files("seloste.policy").joinpath("regions.yaml").read_text(encoding="utf-8")
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
