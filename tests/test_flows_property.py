"""Properties of the flow checks over generated flows against the K-Systems policy."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from seloste.checks.findings import Finding
from seloste.checks.flows import FlowContext, run
from seloste.policy import yamlsource
from seloste.policy.flows import Flows
from seloste.policy.loader import from_document, load_policy

POLICY = load_policy(Path(__file__).resolve().parent.parent / "fixtures/k-systems/policy.yaml")
MODEL = POLICY.model
FIELDS = [*MODEL.fields, "bank_account"]
PLACES = ["FI", "SE", "NO", "DE", "US", "CH", "GB", "EEA", "EU"]


def _places(min_size: int = 1) -> st.SearchStrategy[list[str]]:
    return st.lists(st.sampled_from(PLACES), min_size=min_size, max_size=3, unique=True)


@st.composite
def flows(draw: st.DrawFn) -> dict[str, Any]:
    """One flow, valid in form, with references that may or may not fit the policy."""
    flow: dict[str, Any] = {
        "register": draw(st.sampled_from([*MODEL.registers, "system", "billing_register"])),
        "purpose": draw(st.sampled_from([*MODEL.purposes, "accounting"])),
        "fields": draw(st.lists(st.sampled_from(FIELDS), min_size=2, max_size=8, unique=True)),
    }
    recipient = draw(st.sampled_from([None, *MODEL.recipients, "newsletter_service"]))
    if recipient is not None:
        flow["recipient"] = recipient
    if draw(st.booleans()):
        flow["locations"] = draw(_places())
    if draw(st.booleans()):
        flow["storage"] = draw(_places())
    subs = draw(st.lists(_places(), max_size=2))
    if subs:
        flow["sub_processors"] = [{"name": f"sub {i}", "locations": p} for i, p in enumerate(subs)]
    excludes = draw(st.lists(st.sampled_from(["marketing_opt_out", "restricted"]), unique=True))
    if excludes or draw(st.booleans()):
        flow["excludes"] = excludes
    processing = draw(st.sampled_from([None, "use", "storage"]))
    if processing is not None:
        flow["processing"] = processing
    return flow


def _check(flow: dict[str, Any]) -> set[tuple[str, str]]:
    """What the rules find about the flow, named so that list positions do not matter."""
    text = json.dumps({"seloste": 1, "kind": "flows", "flows": {"f": flow}}, indent=1)
    loaded = from_document(yamlsource.parse(text, "f.yaml"), Flows)
    findings: list[Finding] = run(FlowContext.of(POLICY, [loaded]))
    return {(f.rule, f.target) for f in findings}


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(flows(), st.data())
def test_removing_a_field_never_adds_a_finding(flow: dict[str, Any], data: st.DataObject) -> None:
    before = _check(flow)
    dropped = data.draw(st.sampled_from(flow["fields"]))
    after = _check({**flow, "fields": [f for f in flow["fields"] if f != dropped]})
    assert after <= before
    assert not any(target.endswith(f"/fields/[{dropped}]") for _, target in after)


@settings(max_examples=200, deadline=None)
@given(flows())
def test_excluding_more_subjects_never_adds_a_finding(flow: dict[str, Any]) -> None:
    before = _check(flow)
    after = _check({**flow, "excludes": ["marketing_opt_out", "restricted"]})
    assert {rule for rule, _ in after} <= {rule for rule, _ in before} - {"FLW005", "FLW006"}


@settings(max_examples=200, deadline=None)
@given(flows())
def test_a_flow_that_stays_inside_needs_no_recipient_checks(flow: dict[str, Any]) -> None:
    internal = {k: v for k, v in flow.items() if k != "recipient"}
    assert "FLW001" not in {rule for rule, _ in _check(internal)}


@settings(max_examples=200, deadline=None)
@given(flows())
def test_restriction_is_needed_by_every_flow_but_storage(flow: dict[str, Any]) -> None:
    """GDPR Art. 18(2): restricted data may be stored; any other processing needs the
    exclusion, inside the controller or not."""
    found = {rule for rule, _ in _check(flow)}
    exempt = flow.get("processing") == "storage" or "restricted" in flow.get("excludes", [])
    assert ("FLW006" in found) == (not exempt)
