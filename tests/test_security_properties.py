"""Properties that hold for any input: the readers fail only with seloste's own error, reports
do not depend on hashing or on the run, and accepting a finding never adds an error.

Removing a field from a flow never adds a finding about that flow: that property lives in
tests/test_flows_property.py (test_removing_a_field_never_adds_a_finding).
"""

from __future__ import annotations

import glob
import os
import subprocess
import sys
import tempfile
from collections.abc import Callable
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from seloste.checks import baseline, waivers
from seloste.checks.config import load_config
from seloste.checks.findings import Finding, suppression
from seloste.checks.reports import FORMATS
from seloste.checks.rules import RULES
from seloste.policy.errors import InputError
from seloste.policy.flows import Flows
from seloste.policy.loader import load, load_any
from snapshot_truth import AS_OF, BINDINGS, DUMP, FIXTURE, ROOT, bound

# --- the readers: InputError or a model, nothing else --------------------------------------

READERS: dict[str, Callable[[Path], Any]] = {
    "any": load_any,
    "flows": lambda p: load(p, Flows),
    "waivers": waivers.load_waivers,
    "config": load_config,
}
KEYS = ["seloste", "kind", "policy", "tables", "flows", "waivers", "fields", "registers"]
KEYS += ["rule", "target", "expires", "snapshots", "url", "outputs", "register", "purpose"]
KINDS = ["policy", "bindings", "flows", "waivers", "config", "x"]
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**30), 10**30),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=20),
    st.sampled_from(["NO", "on", "2026-01-01", "010", "0x1F", "1e3", "~", "P1Y", "${HOME}"]),
    st.dates(),
)
keys = st.one_of(st.sampled_from(KEYS), st.text(max_size=10))
trees = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(keys, inner, max_size=5),
    max_leaves=25,
)
documents = st.fixed_dictionaries(
    {"seloste": st.sampled_from([1, 2, "1"]), "kind": st.sampled_from(KINDS)},
    optional={k: trees for k in KEYS[2:]},
)
WORK = Path(tempfile.mkdtemp(prefix="seloste-properties-"))


def _read_with_every_reader(content: bytes) -> None:
    path = WORK / "input.yaml"
    path.write_bytes(content)
    for name, reader in READERS.items():
        try:
            reader(path)
        except InputError as exc:
            assert exc.problems, name  # an error always says what and where
            assert all("\n" not in str(p) for p in exc.problems), name


PROPERTY = settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))


@PROPERTY
@given(st.text(max_size=300))
def test_any_text_gives_a_model_or_an_input_error(text: str) -> None:
    _read_with_every_reader(text.encode("utf-8", "surrogatepass"))


@PROPERTY
@given(st.binary(max_size=300))
def test_any_bytes_give_a_model_or_an_input_error(content: bytes) -> None:
    _read_with_every_reader(content)


@PROPERTY
@given(documents, st.sampled_from([False, True]))
def test_any_yaml_document_gives_a_model_or_an_input_error(
    document: dict[str, Any], flow_style: bool
) -> None:
    text = yaml.safe_dump(document, default_flow_style=flow_style, allow_unicode=True)
    _read_with_every_reader(text.encode("utf-8", "surrogatepass"))


@PROPERTY
@given(trees)
def test_any_yaml_value_gives_a_model_or_an_input_error(value: Any) -> None:
    _read_with_every_reader(yaml.safe_dump(value, allow_unicode=True).encode("utf-8", "replace"))


REAL = [
    FIXTURE / "policy.yaml",
    BINDINGS,
    FIXTURE / "seloste.yaml",
    *sorted((FIXTURE / "flows").glob("*.flows.yaml")),
]


def _paths(data: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every place in a document, as a path of keys and indexes."""
    if isinstance(data, dict):
        items: list[tuple[Any, Any]] = list(data.items())
    elif isinstance(data, list):
        items = list(enumerate(data))
    else:
        return [prefix]
    return [prefix] + [p for k, v in items for p in _paths(v, (*prefix, k))]


def _replace(data: Any, path: tuple[Any, ...], value: Any) -> Any:
    if not path:
        return value
    head, *rest = path
    copy = dict(data) if isinstance(data, dict) else list(data)
    copy[head] = _replace(data[head], tuple(rest), value)
    return copy


@PROPERTY
@given(st.sampled_from(REAL), st.data())
def test_a_real_file_with_any_part_replaced_gives_a_model_or_an_input_error(
    path: Path, data: st.DataObject
) -> None:
    """The K-Systems files, each with one value (at any depth) swapped for anything."""
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    where = data.draw(st.sampled_from(_paths(document)))
    mutated = _replace(document, where, data.draw(trees))
    text = yaml.safe_dump(mutated, allow_unicode=True, sort_keys=False)
    _read_with_every_reader(text.replace("policy.yaml", str(FIXTURE / "policy.yaml")).encode())


# --- reports: the same bytes whatever the run and the hash seed -----------------------------

FLOWS = sorted(glob.glob(str(FIXTURE / "flows" / "*.flows.yaml")))


def _reports(seed: str, directory: Path) -> dict[str, bytes]:
    directory.mkdir()
    argv = ["check", "--no-config", "--bindings", str(BINDINGS), "--snapshot", str(DUMP)]
    argv += ["--as-of", AS_OF.isoformat(), "--flows", *FLOWS]
    for name in FORMATS:
        argv += ["--format", f"{name}:{directory / name}"]
    code = f"import sys; from seloste.checks.cli import main; sys.exit(main({argv!r}))"
    # The time of the check, which the JSON and HTML reports print, fixed the standard way.
    env = {**os.environ, "PYTHONHASHSEED": seed, "PYTHONPATH": str(ROOT)}
    env["SOURCE_DATE_EPOCH"] = "1793611800"
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, check=False
    )
    assert done.returncode == 1, done.stderr
    return {name: (directory / name).read_bytes() for name in FORMATS}


def test_reports_are_byte_identical_across_runs_and_hash_seeds(tmp_path: Path) -> None:
    first = _reports("0", tmp_path / "seed-0")
    for seed in ("0", "1", "4242"):
        assert _reports(seed, tmp_path / f"again-{seed}") == first, seed


# --- accepting a finding never adds an error ------------------------------------------------


@cache
def _findings() -> tuple[Finding, ...]:
    """Findings of every scope: the K-Systems snapshot, flows and policy."""
    from seloste.checks.flows import check_flows
    from seloste.checks.snapshot import check_snapshot

    found = check_snapshot(bound(), str(DUMP), as_of=AS_OF, sample=5000, max_keys=5)
    return tuple(found + check_flows(FLOWS))


def _errors(findings: list[Finding]) -> set[tuple[str, str, str]]:
    """The error findings that count: neither waived nor in a baseline."""
    return {
        (f.rule, f.target, f.message)
        for f in findings
        if f.severity == "error" and suppression(f) is None
    }


WAIVABLE = sorted(r for r, m in RULES.items() if r != "SEL001" and m.SCOPE != "gate")
TODAY = date(2026, 11, 1)


@st.composite
def waiver_entries(draw: st.DrawFn) -> dict[str, str]:
    """A waiver for one of the findings (by target or fingerprint), or for nothing."""
    findings = _findings()
    if draw(st.booleans()):
        f = draw(st.sampled_from(findings).filter(lambda f: f.rule != "SEL001"))
        rule, target = f.rule, draw(st.sampled_from([f.target, f.fingerprint]))
    else:
        rule = draw(st.sampled_from(WAIVABLE))
        target = draw(st.text(min_size=1, max_size=20).filter(str.strip))
    expires = draw(st.dates(date(2026, 1, 1), date(2027, 12, 31)))
    return {
        "rule": rule,
        "target": target,
        "justification": "accepted",
        "owner": "DPO",
        "expires": expires.isoformat(),
    }


def _waived(entries: list[dict[str, str]], directory: Path) -> list[Finding]:
    path = directory / f"waivers-{len(entries)}.yaml"
    document = {"seloste": 1, "kind": "waivers", "waivers": entries}
    path.write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")
    loaded = waivers.load_waivers(path)
    return waivers.apply(list(_findings()), loaded, TODAY)


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.lists(waiver_entries(), max_size=6), waiver_entries())
def test_adding_a_waiver_never_adds_an_error(
    entries: list[dict[str, str]], extra: dict[str, str]
) -> None:
    directory = Path(tempfile.mkdtemp(dir=WORK))
    before = _errors(_waived(entries, directory))
    after = _errors(_waived([*entries, extra], directory))
    assert after <= before


@st.composite
def baseline_entries(draw: st.DrawFn) -> tuple[str, str, str]:
    """A known finding (fingerprint, rule, target): one of the run's, or one that never was."""
    if draw(st.booleans()):
        f = draw(st.sampled_from(_findings()))
        return f.fingerprint, f.rule, f.target
    rule = draw(st.sampled_from(sorted(RULES)))
    return draw(st.text(max_size=16)), rule, draw(st.text(max_size=20))


def _baselined(entries: list[tuple[str, str, str]]) -> list[Finding]:
    known = baseline.Baseline("baseline.json", frozenset(e[0] for e in entries))
    return baseline.apply(list(_findings()), known)


@settings(max_examples=100, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.lists(baseline_entries(), max_size=8), baseline_entries())
def test_adding_a_baseline_entry_never_adds_an_error(
    entries: list[tuple[str, str, str]], extra: tuple[str, str, str]
) -> None:
    before = _errors(_baselined(entries))
    after = _errors(_baselined([*entries, extra]))
    assert after <= before


def test_not_checked_stays_an_error_whatever_is_accepted(tmp_path: Path) -> None:
    """Neither a baseline holding everything nor waivers can hide a SEL001."""
    from seloste.checks.snapshot import check_snapshot

    gaps = check_snapshot(bound(), str(tmp_path / "none.db"), as_of=AS_OF, sample=1, max_keys=1)
    everything = [(f.fingerprint, f.rule, f.target) for f in gaps]
    known = baseline.Baseline("b.json", frozenset(e[0] for e in everything))
    assert [f.rule for f in baseline.apply(gaps, known) if suppression(f) is None] == ["SEL001"]
    with pytest.raises(InputError, match="SEL001 \\(not-checked\\) cannot be waived"):
        waivers.load_waivers(_waiver_file(tmp_path, "SEL001", gaps[0].target))


def _waiver_file(directory: Path, rule: str, target: str) -> Path:
    path = directory / "waivers.yaml"
    entry = {"rule": rule, "target": target, "justification": "x", "owner": "y"}
    document = {"seloste": 1, "kind": "waivers", "waivers": [{**entry, "expires": "2099-01-01"}]}
    path.write_text(yaml.safe_dump(document), encoding="utf-8")
    return path


def test_every_test_the_security_document_names_exists() -> None:
    """docs/security.md proves each guarantee by naming tests; a renamed test breaks it."""
    import re

    text = (ROOT / "docs" / "security.md").read_text(encoding="utf-8")
    named = set(re.findall(r"`(test_[a-z_]+\.py)::(test_[a-z0-9_]+)`", text))
    missing = [
        (file, test)
        for file, test in sorted(named)
        if not re.search(
            rf"^def {test}\(", (ROOT / "tests" / file).read_text(encoding="utf-8"), re.M
        )
    ]
    assert len(named) >= 40
    assert missing == []
