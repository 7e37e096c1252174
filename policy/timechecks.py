"""The checks of a time format and a time zone that the bindings model applies, here without
pydantic so that the pre-commit hook's bindings format (policy/view.py) applies the same
functions. policy/times.py, which they call, is imported only when one is checked."""

from __future__ import annotations


def time_format(value: str) -> str:
    from seloste.policy.times import check_format

    return check_format(value)


def time_zone(value: str) -> str:
    from seloste.policy.times import zone

    zone(value)
    return value
