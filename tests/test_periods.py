"""ISO 8601 periods (policy/periods.py): one reading, one comparison, for every use."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from seloste.checks.lint import lint_policy
from seloste.policy import periods
from seloste.policy.errors import InputError
from seloste.policy.loader import load_policy

K_POLICY = Path(__file__).parent.parent / "fixtures" / "k-systems" / "policy.yaml"
UNITS = ["Y", "M", "W", "D", "TH", "TM", "TS"]


@st.composite
def period_texts(draw: st.DrawFn) -> str:
    """A period in whole units, as a policy writes one: P1Y6M, P90D, PT36H."""
    amounts = draw(st.lists(st.integers(0, 30), min_size=len(UNITS), max_size=len(UNITS)))
    written = {unit: amount for unit, amount in zip(UNITS, amounts, strict=True) if amount}
    if not written:
        written = {"D": 1}
    date = "".join(f"{written[u]}{u}" for u in UNITS[:4] if u in written)
    time = "".join(f"{written[u]}{u[1]}" for u in UNITS[4:] if u in written)
    return f"P{date}" + (f"T{time}" if time else "")


@given(period_texts(), period_texts())
def test_comparison_is_an_order(first: str, second: str) -> None:
    assert periods.compare(first, first) == 0
    assert periods.compare(first, second) == -periods.compare(second, first)
    order = periods.compare(first, second)
    assert order == (periods.end(first) > periods.end(second)) - (
        periods.end(first) < periods.end(second)
    )


@given(st.integers(1, 400), st.integers(1, 400))
def test_periods_in_one_unit_compare_as_their_numbers(a: int, b: int) -> None:
    expected = (a > b) - (a < b)
    for unit in ("P{}Y", "P{}M", "P{}W", "P{}D", "PT{}H"):
        assert periods.compare(unit.format(a), unit.format(b)) == expected


@given(st.integers(1, 100))
def test_what_every_calendar_agrees_on_is_equal(n: int) -> None:
    assert periods.compare(f"P{n}Y", f"P{12 * n}M") == 0
    assert periods.compare(f"P{n}W", f"P{7 * n}D") == 0
    assert periods.compare(f"P{n}D", f"PT{24 * n}H") == 0
    assert periods.compare(f"P{n}Y", f"P{12 * n + 1}M") == -1


@pytest.mark.parametrize(
    ("first", "second", "order"),
    [
        # Months against days: as counted from 1 January 2000 (31 + 29 = 60 days).
        ("P2M", "P60D", 0),
        ("P1M", "P30D", 1),
        ("P6M", "P182D", 0),
        ("P1Y", "P365D", 1),
        ("P1Y", "P366D", 0),
    ],
)
def test_months_and_days_compare_from_the_reference(first: str, second: str, order: int) -> None:
    assert periods.compare(first, second) == order


def test_a_period_is_counted_back_by_the_calendar() -> None:
    end = datetime(2025, 5, 31, 12, tzinfo=UTC)
    assert periods.start("P3M", end) == datetime(2025, 2, 28, 12, tzinfo=UTC)
    assert periods.start("P1Y", datetime(2024, 2, 29)) == datetime(2023, 2, 28)
    assert periods.start("PT36H", end) == end - timedelta(hours=36)


@given(period_texts(), st.datetimes(datetime(1900, 1, 1), datetime(2100, 1, 1)))
def test_a_period_in_days_and_time_ends_where_it_began(text: str, moment: datetime) -> None:
    days_only = text.split("P", 1)[1]
    if "Y" in days_only.split("T")[0] or "M" in days_only.split("T")[0]:
        return
    assert periods.end(text, periods.start(text, moment)) == moment


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("P0.5Y", "fraction of a year or month"),
        ("P1Y0.5M", "fraction of a year or month"),
        ("-P1D", "must be a positive duration"),
        ("P0D", "must be a positive duration"),
        ("3 months", "is not an ISO 8601 duration"),
        ("P", "is not an ISO 8601 duration"),
    ],
)
def test_what_a_policy_may_not_write(text: str, why: str) -> None:
    with pytest.raises(ValueError, match=why):
        periods.check(text)


@pytest.mark.parametrize("text", ["P3M", "P1.0Y", "P1.5D", "PT0.5S", "P1W2D"])
def test_what_a_policy_may_write(text: str) -> None:
    assert periods.check(text) == text


@given(period_texts())
def test_the_parts_are_the_period_as_written(text: str) -> None:
    written = periods.parts(text)
    assert written is not None
    date = "".join(f"{n}{u}" for u, n in written if not u.startswith("T"))
    time = "".join(f"{n}{u[1]}" for u, n in written if u.startswith("T"))
    assert f"P{date}" + (f"T{time}" if time else "") == text


def test_the_loader_refuses_a_fractional_month(tmp_path: Path) -> None:
    path = tmp_path / "policy.yaml"
    text = K_POLICY.read_text(encoding="utf-8")
    path.write_text(text.replace("        period: P3M\n", "        period: P1.5M\n", 1))
    with pytest.raises(InputError) as caught:
        load_policy(path)
    assert "fraction of a year or month" in str(caught.value.problems[0])


@pytest.mark.parametrize(
    ("exception", "reported"),
    [
        ("P84M", "84 months"),
        ("P2557D", "2557 days"),
        ("P85M", None),
        ("P2558D", None),
    ],
)
def test_an_exception_as_long_as_its_rule_is_reported(
    tmp_path: Path, exception: str, reported: str | None
) -> None:
    """POL013, for a rule of P7Y and an exception from the same date: P84M and P2557D (seven
    years from 2000) are no longer than the rule, though 30.44 days a month and 365.25 days
    a year, the approximation this replaced, said they were."""
    edits = [
        (
            '        trigger: relationship_end\n        # CHOSEN: "as',
            '        trigger: date\n        date_field: invoice_date\n        # CHOSEN: "as',
        ),
        ("        period: P3M\n", "        period: P7Y\n"),
        ("            period: P7Y\n", f"            period: {exception}\n"),
    ]
    text = K_POLICY.read_text(encoding="utf-8")
    for old, new in edits:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    path = tmp_path / "policy.yaml"
    path.write_text(text, encoding="utf-8")
    found = [f for f in lint_policy(load_policy(path)) if f.rule == "POL013"]
    assert [f.message for f in found] == (
        [
            f"retention 'after-relationship': exception 'accounting-records' keeps data for "
            f"{reported} ({exception}), not longer than the rule's 7 years (P7Y)"
        ]
        if reported
        else []
    )
