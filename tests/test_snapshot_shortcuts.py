"""The validators' shortcuts give the libraries' own answers (checks/snapshot/shortcuts.py).

Each test compares a value test (which tries the shortcut first) with the library called
directly, on values in the shortcut's shapes, on values just outside them, and on any text.
"""

from __future__ import annotations

import itertools
import random

import phonenumbers
from email_validator import EmailNotValidError, validate_email
from hypothesis import example, given, settings
from hypothesis import strategies as st
from seloste.checks.snapshot import shortcuts
from seloste.checks.snapshot.values import is_email, is_phone


def library_email(text: str) -> bool:
    try:
        validate_email(text, check_deliverability=False)
    except EmailNotValidError:
        return False
    return True


def library_phone(text: str, region: str = "FI") -> bool:
    try:
        return bool(phonenumbers.is_valid_number(phonenumbers.parse(text, region)))
    except phonenumbers.NumberParseException:
        return False


# --- e-mail ---------------------------------------------------------------------------------

ATEXT = "abcXYZ0189!#$%&'*+/=?^_`{|}~-"
HOST = "abzAZ059-"
atoms = st.text(st.sampled_from(ATEXT), min_size=0, max_size=8)
labels = st.text(st.sampled_from(HOST), min_size=0, max_size=12)
tlds = st.one_of(
    st.sampled_from(["fi", "com", "FI", "local", "test", "onion", "arpa", "x1", "1x", "a-b"]),
    labels,
    st.sampled_from(["invalid", "localhost", "xn--p1ai", "co--op", "q"]),
)


@st.composite
def plain_emails(draw: st.DrawFn) -> str:
    """Addresses in and around the plain shape: empty atoms, odd dots and hyphens, reserved
    and numeric top-level domains, Punycode, and over-long parts."""
    local = ".".join(draw(st.lists(atoms, min_size=1, max_size=3)))
    hosts = [*draw(st.lists(labels, min_size=0, max_size=3)), draw(tlds)]
    if draw(st.booleans()):
        local *= draw(st.sampled_from([1, 9, 70]))
    if draw(st.booleans()):
        hosts[0] *= draw(st.sampled_from([1, 7, 64]))
    if draw(st.integers(0, 9)) == 0:
        hosts = hosts * draw(st.sampled_from([2, 40]))
    return f"{local}@{'.'.join(hosts)}"


@settings(max_examples=3000, deadline=None)
@given(plain_emails())
@example("etu1.suku2@firma3.fi")
@example("Info@Firma.FI")
@example("a@b.c")
@example("a@b.test")
@example("a@sub.localhost")
@example("a@b.1c")
@example("a@ab--c.fi")
@example(".a@b.fi")
@example("a.@b.fi")
@example("a..b@c.fi")
@example("a@-b.fi")
@example("a@b-.fi")
@example("a@b..fi")
@example("a@b.fi.")
def test_plain_email_shortcut_agrees_with_email_validator(text: str) -> None:
    assert is_email(text) == library_email(text)
    if shortcuts.plain_email(text):
        assert library_email(text)


@settings(max_examples=1000, deadline=None)
@given(st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=40))
def test_email_agrees_with_email_validator_on_any_text(text: str) -> None:
    assert is_email(text) == library_email(text)


# --- phone numbers --------------------------------------------------------------------------


def _grouped(rng: random.Random, digits: str) -> str:
    """``digits`` with single spaces at random places between them."""
    out = digits[0]
    for d in digits[1:]:
        out += (" " if rng.random() < 0.25 else "") + d
    return out


def test_finnish_phone_shortcut_agrees_with_phonenumbers_for_every_prefix() -> None:
    """Every three-digit start of a national significant number, at every length the
    shortcut may answer for and one either side, written nationally and internationally."""
    rng = random.Random(20261101)
    checked = 0
    for prefix, length in itertools.product(range(100, 1000), range(4, 14)):
        rest = "".join(rng.choice("0123456789") for _ in range(length - 3))
        nsn = f"{prefix}{rest}"[:length]
        for text in (f"0{_grouped(rng, nsn)}", f"+358 {_grouped(rng, nsn)}", f"+358{nsn}"):
            assert is_phone(text) == library_phone(text), text
            checked += 1
    assert checked == 900 * 10 * 3


phone_texts = st.builds(
    lambda head, digits, spaces: (
        head + "".join(d + (" " if s else "") for d, s in zip(digits, spaces, strict=False)).strip()
    ),
    st.sampled_from(["0", "+358", "+358 ", "00", "358", "+3580", "+", "0 ", "(0)", "+46 "]),
    st.text(st.sampled_from("0123456789"), min_size=1, max_size=16),
    st.lists(st.booleans(), min_size=16, max_size=16),
)


@settings(max_examples=3000, deadline=None)
@given(phone_texts)
@example("040 123")
@example("040 1234567")
@example("+358 40 123 4567")
@example("018 12345")
@example("+358 18 12345")
@example("0  40 123")
def test_finnish_phone_shortcut_agrees_with_phonenumbers(text: str) -> None:
    assert is_phone(text) == library_phone(text)


@settings(max_examples=1000, deadline=None)
@given(st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=30))
def test_phone_agrees_with_phonenumbers_on_any_text(text: str) -> None:
    assert is_phone(text) == library_phone(text)


def test_other_regions_are_left_to_phonenumbers() -> None:
    assert shortcuts.finnish_phone("040 1234567", "SE") is None
    assert is_phone("08 123 456 78", "SE") == library_phone("08 123 456 78", "SE")
