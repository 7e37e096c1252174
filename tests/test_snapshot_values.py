"""Properties of value judgement, masking and the retention cutoff, with hypothesis."""

from __future__ import annotations

import sqlite3
import tempfile
from datetime import UTC, date, datetime
from pathlib import Path

import isodate
from hypothesis import given, settings
from hypothesis import strategies as st
from seloste.checks.snapshot import check_snapshot
from seloste.checks.snapshot.sources import mask, scrub, secrets_in
from seloste.checks.snapshot.values import (
    contains_hetu,
    hetu_free,
    is_business_id,
    looks_personal,
    personal_name,
)
from snapshot_truth import bound

CHECKS = "0123456789ABCDEFHJKLMNPRSTUVWXY"
SIGNS = {1800: "+", 1900: "-YXWVU", 2000: "ABCDEF"}


@st.composite
def hetus(draw: st.DrawFn) -> tuple[str, str]:
    """A valid personal identity code and the same code with a wrong check character."""
    day = draw(st.dates(date(1850, 1, 1), date(2025, 12, 31)))
    sign = draw(st.sampled_from(SIGNS[day.year // 100 * 100]))
    individual = draw(st.integers(2, 899))
    digits = f"{day:%d%m%y}{individual:03d}"
    right = CHECKS[int(digits) % 31]
    wrong = draw(st.sampled_from([c for c in CHECKS if c != right]))
    code = f"{day:%d%m%y}{sign}{individual:03d}"
    return code + right, code + wrong


words = st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=30)


@given(hetus(), words, words)
def test_a_hetu_is_found_in_text_only_with_its_check_character(
    pair: tuple[str, str], before: str, after: str
) -> None:
    valid, invalid = pair
    assert contains_hetu(f"{before} {valid} {after}")
    assert not contains_hetu(f"{invalid}")


texts = st.lists(
    st.one_of(
        words,
        st.text(st.sampled_from("0123456789٣٤-+AXY \0k"), max_size=20),
        st.builds(lambda pair, a, b: f"{a}{pair[1]}{b}", hetus(), words, words),
    ),
    max_size=8,
)


@given(texts)
def test_a_batch_is_hetu_free_only_when_no_text_has_a_candidate(batch: list[str]) -> None:
    """The batch screen agrees with the pattern run on each text alone (NUL, Arabic-Indic
    digits and codes with a wrong check character included)."""
    from seloste.checks.snapshot.values import _HETU

    assert hetu_free(batch) == all(_HETU.search(t) is None for t in batch)


@given(st.integers(0, 9_999_999), st.integers(0, 9))
def test_a_business_id_is_valid_only_with_its_check_digit(number: int, digit: int) -> None:
    digits = f"{number:07d}"
    rest = sum(int(d) * w for d, w in zip(digits, (7, 9, 10, 5, 8, 4, 2), strict=True)) % 11
    check = None if rest == 1 else (0 if rest == 0 else 11 - rest)
    assert is_business_id(f"{digits}-{digit}") == (digit == check)


@given(st.text(st.characters(codec="ascii", categories=["L", "N"]), min_size=3, max_size=40))
def test_a_password_is_masked_and_scrubbed(password: str) -> None:
    url = f"postgresql+psycopg://user:{password}@db.example:5432/crm?sslpassword={password}"
    masked = mask(url)
    assert masked == "postgresql+psycopg://user:***@db.example:5432/crm?sslpassword=***"
    assert password not in scrub(f"failed for {url}", secrets_in(url))


def test_paths_and_urls_without_a_password_stay_as_they_are() -> None:
    for source in ("k-systems.sql", "/data/k.db", "postgresql://u@h/db", "sqlite:///x.db"):
        assert mask(source) == source


def test_column_names_that_say_personal() -> None:
    yes = ["reporter_email", "E_Mail", "sukunimi", "contact_phone", "birth_date", "hetu"]
    no = ["org_name", "host_name", "subject", "body", "customer_id", "plan", "file_name"]
    assert [c for c in yes if not personal_name(c)] == []
    assert [c for c in no if personal_name(c)] == []


def test_values_that_are_personal_by_themselves() -> None:
    assert looks_personal("matti.meikalainen@firma.fi")
    assert looks_personal("+358 40 1234567")
    assert not looks_personal("2026-10-31")
    assert not looks_personal("web1.k-systems.fi")


ENDS = st.lists(
    st.one_of(st.none(), st.datetimes(datetime(2020, 1, 1), datetime(2027, 1, 1))),
    min_size=1,
    max_size=20,
)


@settings(max_examples=25, deadline=None)
@given(ENDS, st.datetimes(datetime(2026, 1, 1), datetime(2026, 12, 31)))
def test_retention_counts_what_the_calendar_says(
    ends: list[datetime | None], as_of: datetime
) -> None:
    """The SQL comparison of ISO text agrees with Python's calendar arithmetic."""
    as_of = as_of.replace(tzinfo=UTC, microsecond=0)
    cutoff = as_of - isodate.parse_duration("P3M")
    stored = [e.replace(microsecond=0, tzinfo=UTC) if e else None for e in ends]
    want = sorted(i + 1 for i, e in enumerate(stored) if e is not None and e < cutoff)
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "c.db"
        with sqlite3.connect(db) as conn:
            conn.execute("CREATE TABLE customers (id INTEGER PRIMARY KEY, ended_at TIMESTAMP)")
            conn.executemany(
                "INSERT INTO customers VALUES (?, ?)",
                [(i + 1, e and e.strftime("%Y-%m-%dT%H:%M:%SZ")) for i, e in enumerate(stored)],
            )
        conn.close()
        findings = check_snapshot(bound(), str(db), as_of=as_of, sample=10, max_keys=100)
    got = [f for f in findings if f.rule == "SNP004" and f.location.table == "customers"]
    assert [list(map(int, f.row_keys)) for f in got] == ([want] if want else [])
