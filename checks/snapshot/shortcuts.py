"""Exact shortcuts for the shapes most values come in, so that the validators see only the rest.

email-validator and phonenumbers take about 20 µs a value, mostly in Python: three quarters of
value detection's time before these. Nearly every value in a real column is written the plain
way (``etu.suku@firma.fi``, ``040 123 4567``, ``+358 40 123 4567``), and for those shapes each
library's answer follows from a few rules: its own reserved names, limits and metadata, read
here once into one compiled pattern. A shortcut answers only where it is certain and returns
None everywhere else, which sends the value to the library, so no answer changes;
``tests/test_snapshot_shortcuts.py`` holds each shortcut to its library on generated values.
The identifiers (hetu, business ID, IBAN) and IP addresses have no shortcut: python-stdnum and
``ipaddress`` are fast, and a hetu is only asked about for the rare text that holds a
candidate.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

# --- e-mail: email-validator, syntax only, its default settings ------------------------------

# RFC 5322 atext: what email-validator's DOT_ATOM_TEXT accepts in an unquoted local part.
_ATEXT = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]"
# A host name label (RFC 952/1123), and a last label that ends with a letter, as every
# top-level domain does (email-validator refuses others while it asks for global delivery).
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
_TLD = r"(?:[A-Za-z0-9][A-Za-z0-9-]{0,61})?[A-Za-z]"
# email-validator's limits: the whole address (RFC 3696 errata), the local part (only in its
# strict mode, kept here so the shortcut holds in either mode), the domain (RFC 1035).
_EMAIL_MAX, _LOCAL_MAX, _DOMAIN_MAX = 254, 64, 253


@cache
def _plain_email() -> re.Pattern[str]:
    """An ASCII ``local@host.tld`` within the limits, without ``--`` in the domain (Punycode
    and the R-LDH labels the library refuses are left to it), and not under one of the
    reserved names the library refuses (``.local``, ``.test``...: its own list)."""
    from email_validator import SPECIAL_USE_DOMAIN_NAMES

    reserved = "|".join(re.escape(name) for name in SPECIAL_USE_DOMAIN_NAMES) or "(?!)"
    return re.compile(
        rf"(?=[^@]{{1,{_LOCAL_MAX}}}@)(?=.{{1,{_EMAIL_MAX}}}\Z)"
        rf"{_ATEXT}+(?:\.{_ATEXT}+)*@"
        rf"(?=.{{1,{_DOMAIN_MAX}}}\Z)(?!.*--)(?!(?i:(?:.*\.)?(?:{reserved}))\Z)"
        rf"(?:{_LABEL}\.)+{_TLD}"
    )


def plain_email(text: str) -> bool | None:
    """True for an address email-validator accepts, written the plain way; None: ask it.

    In this shape nothing is quoted, normalised or IDNA-encoded, so the library's checks
    come down to the pattern, the lengths and the reserved names.
    """
    return True if _plain_email().fullmatch(text) else None


# --- phone numbers: phonenumbers.parse(text, "FI") and is_valid_number ----------------------

# Digits in groups of one space, after the trunk prefix 0 or after +358. The first digit
# after the prefix is never 0, so no second trunk prefix is in play, and no letters,
# extensions or RFC 3966 parts are.
_FI_PLAIN = re.compile(r"(0|\+358 ?)([1-9][0-9]*(?: [0-9]+)*)", re.ASCII)
# The number types phonenumbers tries before it calls a number valid (_number_type_helper);
# no_international_dialling is not among them.
_TYPES: tuple[str, ...] = ("premium_rate", "toll_free", "shared_cost", "voip", "personal_number")
_TYPES += ("pager", "uan")
_TYPES += ("voicemail", "fixed_line", "mobile")


class _Finnish:
    """phonenumbers' judgement of +358 numbers, compiled from its metadata."""

    def __init__(self, fi: Any, regions: list[Any]) -> None:
        general = fi.general_desc
        self.lengths = frozenset(general.possible_length) - frozenset(
            general.possible_length_local_only
        )
        # parse() reads "0" + digits as national, and strips the 0, when the whole matches
        # no international prefix and not the general pattern (_maybe_strip_national_...).
        self.strips = re.compile(
            rf"(?!{fi.international_prefix})(?!(?:{general.national_number_pattern})\Z)"
        )
        self.regions = regions
        # One pattern per length, holding the types of that length (so that lengths are
        # matched once), made when a number of that length first comes.
        self.valid: dict[int, re.Pattern[str]] = {}

    def judge(self, prefix: str, groups: str) -> bool | None:
        nsn = groups.replace(" ", "")
        if len(nsn) not in self.lengths:
            return None
        if prefix == "0" and not self.strips.match(f"0{nsn}"):
            return None
        valid = self.valid.get(len(nsn))
        if valid is None:
            valid = self.valid[len(nsn)] = _regions_pattern(self.regions, len(nsn))
        return valid.match(nsn) is not None


def _regions_pattern(regions: list[Any], length: int) -> re.Pattern[str]:
    """is_valid_number for +358 numbers of ``length`` digits as one pattern: the first
    region whose leading digits match decides by its types (a region without leading digits,
    when its types match), as _region_code_for_number_from_list and
    is_valid_number_for_region do."""
    branches: list[str] = []
    earlier: list[str] = []
    for meta in regions:
        not_earlier = f"(?!{'|'.join(earlier)})" if earlier else ""
        leading = meta.leading_digits
        if leading is None:
            branches.append(f"{not_earlier}{_types_pattern(meta, length)}")
        else:
            branches.append(f"{not_earlier}(?=(?:{leading})){_types_pattern(meta, length)}")
            earlier.append(f"(?:{leading})")
    return re.compile(f"(?:{'|'.join(branches)})" if branches else "(?!)")


def _types_pattern(meta: Any, length: int) -> str:
    """The general description and some number type match the whole number, of the types
    that have numbers of ``length`` digits, as _is_number_matching_desc tests them."""
    types = [p for p in (_desc_pattern(getattr(meta, t, None), length) for t in _TYPES) if p]
    general = _desc_pattern(meta.general_desc, length)
    if general is None or not types:
        return "(?!)"
    return f"(?={general})(?:{'|'.join(types)})"


def _desc_pattern(desc: Any, length: int) -> str | None:
    """The description's whole-number pattern, or None when it has no numbers of ``length``
    digits (with no list of lengths, any length: the general description still applies)."""
    if desc is None or not desc.national_number_pattern:
        return None
    if desc.possible_length and length not in desc.possible_length:
        return None
    return rf"(?:{desc.national_number_pattern})\Z"


@cache
def _finnish() -> _Finnish | None:
    """The compiled judgement, or None when the metadata is not shaped as assumed above."""
    import phonenumbers
    from phonenumbers.phonemetadata import PhoneMetadata

    fi = PhoneMetadata.metadata_for_region("FI")
    if fi is None or fi.country_code != 358 or fi.national_prefix_for_parsing != "0":
        return None
    if fi.national_prefix_transform_rule or fi.international_prefix is None:
        return None
    codes = phonenumbers.COUNTRY_CODE_TO_REGION_CODE[358]
    regions = [PhoneMetadata.metadata_for_region(code) for code in codes]
    return _Finnish(fi, [m for m in regions if m is not None])


def finnish_phone(text: str, region: str) -> bool | None:
    """is_valid_number(parse(text, region)) for a plainly written Finnish number; None: ask."""
    found = _FI_PLAIN.fullmatch(text) if region == "FI" else None
    judge = _finnish() if found else None
    return judge.judge(*found.group(1, 2)) if judge and found else None
