"""Every report format: shape, escaping, determinism, and SARIF against the official schema."""

from __future__ import annotations

import dataclasses
import json
import os
import xml.etree.ElementTree as ET
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from seloste.checks.cli import main
from seloste.checks.findings import Anchor, Finding, Location, Suppression, suppress
from seloste.checks.reports import FORMATS, Report, renderer
from seloste.checks.reports.github import escape_data, escape_property
from seloste.checks.schema import report_schema
from seloste.policy.errors import Problem
from shared import shared

ROOT = Path(__file__).resolve().parent.parent
K_POLICY = ROOT / "fixtures" / "k-systems" / "policy.yaml"
SARIF_SCHEMA = shared("schemas", "sarif-schema-2.1.0.json")
SRCROOT = "%SRCROOT%"

POLICY_FINDING = Finding(
    rule="POL004",
    severity="error",
    message="recipient 'mailer': US is outside | the allowed region, 100% <b>sure</b>",
    location=Location(file="fixtures/k-systems/policy.yaml", line=372, column=17),
    target="fixtures/k-systems/policy.yaml#/recipients/mailer/locations/[US]",
)
TABLE_FINDING = Finding(
    rule="POL008",
    severity="warning",
    message="column holds a field the register does not declare",
    location=Location(source="snapshot", table="contacts", table_column="phone"),
    target="snapshot#contacts.phone",
    rows=3,
    row_keys=("1", "2", "5"),
    # Where the snapshot check pinned it: the line binding contacts.phone.
    anchor=Anchor("fixtures/k-systems/bindings.yaml", 34, 7),
)
NOTE_FINDING = Finding(
    rule="POL012",
    severity="note",
    message="line one\nline two",
    location=Location(file="fixtures/k-systems/policy.yaml", line=5, column=1),
    target="fixtures/k-systems/policy.yaml#/notice",
)
WAIVER = Suppression("waiver", "accepted: DPA signed", "dpo@example.fi", "2027-01-01", "w.yaml", 4)


# Input errors: at a place, and about a whole file.
ERRORS = [
    Problem("fixtures/k-systems/policy.yaml", 3, 9, "unknown key 'x'"),
    Problem("missing.yaml", 0, 0, "no such file"),
]


def sample(*, baseline: bool = False, errors: bool = False) -> Report:
    waived = suppress(NOTE_FINDING, WAIVER)
    findings = [POLICY_FINDING, TABLE_FINDING, waived]
    if baseline:
        findings[1] = suppress(TABLE_FINDING, Suppression("baseline", "in baseline b.json"))
    inputs = ["fixtures/k-systems/policy.yaml", "fixtures/k-systems/bindings.yaml"]
    return Report.of(findings, inputs, baseline=baseline, errors=ERRORS if errors else [])


@pytest.fixture
def at_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)


def sarif_validator() -> jsonschema.Draft4Validator:
    if not SARIF_SCHEMA.exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"{SARIF_SCHEMA} is missing, and CI must validate SARIF")
        pytest.skip(f"the official SARIF schema is not at {SARIF_SCHEMA}")
    return jsonschema.Draft4Validator(json.loads(SARIF_SCHEMA.read_text(encoding="utf-8")))


@pytest.mark.parametrize(("baseline", "errors"), [(False, False), (True, False), (False, True)])
def test_sarif_is_valid_sarif_2_1_0(at_root: None, baseline: bool, errors: bool) -> None:
    data = json.loads(renderer("sarif")(sample(baseline=baseline, errors=errors)))
    assert ("invocations" in data["runs"][0]) == errors
    errors = sorted(sarif_validator().iter_errors(data), key=str)
    assert not errors, [e.message for e in errors[:5]]


def test_sarif_content(at_root: None) -> None:
    data = json.loads(renderer("sarif")(sample(baseline=True)))
    run = data["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    by_id = {r["id"]: r for r in rules}
    pol004 = by_id["POL004"]
    assert pol004["name"] == "transfer-outside-region"
    assert pol004["shortDescription"]["text"].startswith("Checks every place a recipient")
    assert "GDPR Chapter V" in pol004["fullDescription"]["text"]
    assert pol004["help"]["markdown"].startswith("## What it does")
    assert "```yaml" in pol004["help"]["text"]
    assert {"SEL002", "SEL003"} <= set(by_id)

    # Findings without a file sort first, then by file and line.
    table, waived, first = run["results"]
    assert first["ruleId"] == "POL004"
    assert rules[first["ruleIndex"]]["id"] == "POL004"
    assert first["level"] == "error"
    assert first["locations"] == [
        {
            "physicalLocation": {
                "artifactLocation": {"uri": "fixtures/k-systems/policy.yaml", "uriBaseId": SRCROOT},
                "region": {"startLine": 372, "startColumn": 17},
            }
        }
    ]
    assert first["partialFingerprints"] == {"seloste/v1": POLICY_FINDING.fingerprint}
    assert first["baselineState"] == "new"
    assert "suppressions" not in first

    # Code scanning needs a file: the line binding contacts.phone in the bindings file.
    assert table["locations"] == [
        {
            "physicalLocation": {
                "artifactLocation": {
                    "uri": "fixtures/k-systems/bindings.yaml",
                    "uriBaseId": SRCROOT,
                },
                "region": {"startLine": 34, "startColumn": 7},
            },
            "logicalLocations": [
                {
                    "name": "contacts.phone",
                    "fullyQualifiedName": "snapshot#contacts.phone",
                    "kind": "member",
                }
            ],
        }
    ]
    assert table["baselineState"] == "unchanged"
    assert table["properties"]["rows"] == 3

    assert waived["suppressions"] == [
        {
            "kind": "external",
            "status": "accepted",
            "justification": "waived: accepted: DPA signed; owner dpo@example.fi; until 2027-01-01",
        }
    ]


def test_sarif_uri_is_relative_to_the_repository(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(ROOT / "fixtures")
    finding = Finding(
        "POL004", "error", "m", Location(file="k-systems/policy.yaml", line=1), target="t"
    )
    data = json.loads(renderer("sarif")(Report.of([finding])))
    location = data["runs"][0]["results"][0]["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"] == "fixtures/k-systems/policy.yaml"


@pytest.mark.parametrize(
    ("table", "column", "place"),
    [
        ("contacts", "phone", (34, 7)),  # mapped under columns
        ("customers", "ended_at", (23, 5)),  # named by a rule column
        ("customers", "id", (13, 5)),  # the key
        ("contacts", "role", (27, 3)),  # only in other_columns: the table
        ("contacts", None, (27, 3)),
    ],
)
def test_a_snapshot_finding_is_pinned_where_its_column_is_bound(
    at_root: None, table: str, column: str | None, place: tuple[int, int]
) -> None:
    """At check time, where the bindings are read: no report reads them again."""
    from seloste.checks.snapshot.context import pinned
    from seloste.policy.loader import load_bindings

    bindings = load_bindings("fixtures/k-systems/bindings.yaml")
    finding = Finding(
        "SNP002", "error", "m", Location(source="s", table=table, table_column=column), "t"
    )
    found = pinned(finding, bindings)
    assert found.anchor == Anchor("fixtures/k-systems/bindings.yaml", *place)
    assert found.register == "customer_register"
    # A table the bindings do not bind has no line of its own: the file's `tables:` key.
    unbound = dataclasses.replace(finding, location=Location(source="s", table="audit_log"))
    tables_key = Anchor("fixtures/k-systems/bindings.yaml", 10, 1)
    assert pinned(unbound, bindings) == dataclasses.replace(unbound, anchor=tables_key)
    whole_source = dataclasses.replace(finding, location=Location(source="s"))
    assert pinned(whole_source, bindings).anchor == tables_key


def test_sarif_without_bindings_pins_to_the_first_input(at_root: None) -> None:
    report = Report.of(
        [dataclasses.replace(TABLE_FINDING, anchor=None)], ["fixtures/k-systems/policy.yaml"]
    )
    result = json.loads(renderer("sarif")(report))["runs"][0]["results"][0]
    physical = result["locations"][0]["physicalLocation"]
    assert physical == {
        "artifactLocation": {"uri": "fixtures/k-systems/policy.yaml", "uriBaseId": SRCROOT},
        "region": {"startLine": 1},
    }
    # Nothing to pin to at all: a logical location only.
    unpinned = dataclasses.replace(TABLE_FINDING, anchor=None)
    result = json.loads(renderer("sarif")(Report.of([unpinned])))["runs"][0]["results"][0]
    assert list(result["locations"][0]) == ["logicalLocations"]


def test_junit_parses_back(at_root: None) -> None:
    root = ET.fromstring(renderer("junit")(sample()))
    assert root.tag == "testsuites"
    # The warning is below the default --fail-on error: shown, but not a failure.
    assert (root.get("tests"), root.get("failures"), root.get("skipped")) == ("3", "1", "1")
    suites = {s.get("name"): s for s in root.findall("testsuite")}
    assert sorted(suites) == [
        "POL004 transfer-outside-region",
        "POL008 field-not-held",
        "POL012 missing-translation",
    ]
    case = suites["POL004 transfer-outside-region"].find("testcase")
    assert case is not None
    assert case.get("classname") == "POL004"
    assert case.get("name") == POLICY_FINDING.target
    assert (case.get("file"), case.get("line")) == ("fixtures/k-systems/policy.yaml", "372")
    failure = case.find("failure")
    assert failure is not None
    assert failure.get("type") == "error"
    assert failure.get("message") == POLICY_FINDING.message
    below = suites["POL008 field-not-held"].find("testcase")
    assert below is not None
    assert [child.tag for child in below] == ["system-out"]
    assert below.findtext("system-out") == (
        f"snapshot contacts.phone: POL008 [warning] {TABLE_FINDING.message} (3 rows)"
    )
    skipped = suites["POL012 missing-translation"].find("testcase/skipped")
    assert skipped is not None
    assert skipped.get("message", "").startswith("waived: accepted: DPA signed")


def test_junit_clean_run_has_a_passing_testcase_per_input() -> None:
    root = ET.fromstring(renderer("junit")(Report.of([], ["a.yaml", "b.yaml"])))
    cases = root.findall("testsuite/testcase")
    assert [c.get("name") for c in cases] == ["a.yaml", "b.yaml"]
    assert all(len(c) == 0 for c in cases)
    assert root.get("failures") == "0"


def test_github_escaping() -> None:
    assert escape_data("100%\r\ndone") == "100%25%0D%0Adone"
    assert escape_property("a:b,c%\n") == "a%3Ab%2Cc%25%0A"


def test_github_annotations(at_root: None) -> None:
    lines = renderer("github")(sample()).splitlines()
    assert lines == [
        "::warning file=fixtures/k-systems/bindings.yaml,line=34,col=7,"
        "title=POL008 field-not-held::snapshot contacts.phone: column holds a field "
        "the register does not declare",
        "::error file=fixtures/k-systems/policy.yaml,line=372,col=17,"
        "title=POL004 transfer-outside-region::recipient 'mailer': US is outside | the allowed "
        "region, 100%25 <b>sure</b>",
        "Found 2 findings (1 error, 1 warning); 1 waived.",
    ]


def test_gitlab_code_quality(at_root: None) -> None:
    issues = json.loads(renderer("gitlab")(sample()))
    assert issues == [
        {
            "type": "issue",
            "check_name": "POL008",
            "categories": ["Security"],
            "description": f"POL008: snapshot contacts.phone: {TABLE_FINDING.message}",
            "severity": "minor",
            "fingerprint": TABLE_FINDING.fingerprint,
            "location": {"path": "fixtures/k-systems/bindings.yaml", "lines": {"begin": 34}},
        },
        {
            "type": "issue",
            "check_name": "POL004",
            "categories": ["Security"],
            "description": f"POL004: {POLICY_FINDING.message}",
            "severity": "major",
            "fingerprint": POLICY_FINDING.fingerprint,
            "location": {"path": "fixtures/k-systems/policy.yaml", "lines": {"begin": 372}},
        },
    ]


def test_markdown_escapes_cells(at_root: None) -> None:
    text = renderer("markdown")(sample())
    lines = text.splitlines()
    assert "| 1 | 1 | 0 | 1 | 0 |" in lines
    row = next(t for t in lines if "POL004" in t)
    assert row == (
        "| 🔴 error | POL004 | fixtures/k-systems/policy.yaml:372:17 | recipient 'mailer': US is "
        "outside \\| the allowed region, 100% &lt;b&gt;sure&lt;/b&gt; | open |"
    )
    note = next(t for t in lines if "POL012" in t)
    # The line break is shown, escaped (policy/errors.py), and its backslash kept (a cell).
    assert "| line one\\\\nline two |" in note
    assert note.endswith("| waived: accepted: DPA signed; owner dpo@example.fi; until 2027-01-01 |")
    # A table row has exactly as many unescaped pipes as the header.
    assert row.replace("\\|", "").count("|") == 6


def test_text_lists_waived_and_counts_baselined() -> None:
    lines = renderer("text")(sample(baseline=True)).splitlines()
    assert len(lines) == 3  # the error, the waived note, the summary
    assert lines[-1] == "Found 1 finding (1 error); 1 waived, 1 in the baseline."


def test_json_report_matches_its_published_schema(at_root: None) -> None:
    data = json.loads(renderer("json")(sample(baseline=True)))
    jsonschema.Draft202012Validator.check_schema(report_schema())
    jsonschema.Draft202012Validator(report_schema()).validate(data)
    with_errors = json.loads(renderer("json")(sample(errors=True)))
    jsonschema.Draft202012Validator(report_schema()).validate(with_errors)
    assert with_errors["errors"] == [p._asdict() for p in sorted(ERRORS)]
    assert data["summary"] == {"error": 1, "warning": 0, "note": 0, "waived": 1, "baselined": 1}


def test_schema_report_command(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["schema", "report"]) == 0
    assert json.loads(capsys.readouterr().out) == report_schema()


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_every_format_is_deterministic(
    fmt: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(ROOT)
    # The time of the check is the one thing two runs differ in; it is fixed the standard way.
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1793611800")
    policy = tmp_path / "policy.yaml"
    text = K_POLICY.read_text(encoding="utf-8").replace("locations: [EEA]", "locations: [US]")
    policy.write_text(text, encoding="utf-8")
    outputs = []
    for i in range(2):
        out = tmp_path / f"out{i}"
        assert main(["validate", str(policy), "--format", f"{fmt}:{out}"]) == 1
        outputs.append(out.read_bytes())
    assert outputs[0] == outputs[1]
    assert b"outside the allowed transfer region" in outputs[0]
    assert capsys.readouterr().out == ""


def test_json_report_says_what_was_read_and_when(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, at_root: None
) -> None:
    """The as-of time, the time of the check and the snapshot sources, a URL's password
    masked (issue 16: the report's inputs left the snapshots out)."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1793611800")
    out = tmp_path / "report.json"
    url = "postgresql+psycopg://auditor:s3cret-pw@127.0.0.1:1/crm"
    dump = "fixtures/k-systems/snapshot/k-systems.sql"
    bindings = "fixtures/k-systems/bindings.yaml"
    args = ["check", "--no-config", "--bindings", bindings, "--snapshot", dump, "--snapshot", url]
    args += ["--as-of", "2026-11-01T02:00:00+02:00", "--format", f"json:{out}", "--timeout", "5"]
    assert main(args) == 2  # the server is not there: SEL001, never a pass
    text = out.read_text(encoding="utf-8")
    assert "s3cret" not in text
    data = json.loads(text)
    masked = "postgresql+psycopg://auditor:***@127.0.0.1:1/crm"
    assert data["run"] == {
        "as_of": "2026-11-01T00:00:00Z",
        "checked_at": "2026-11-02T09:30:00Z",
        "files": [bindings, "fixtures/k-systems/policy.yaml"],
        "snapshots": [dump, masked],
    }
    assert data["inputs"] == sorted([bindings, "fixtures/k-systems/policy.yaml", dump, masked])
    jsonschema.Draft202012Validator(report_schema()).validate(data)


def test_validate_measures_no_as_of_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, at_root: None
) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    out = tmp_path / "report.json"
    assert main(["validate", "--no-config", str(K_POLICY), "--format", f"json:{out}"]) == 0
    run = json.loads(out.read_text(encoding="utf-8"))["run"]
    assert "as_of" not in run and run["snapshots"] == []
    # Without SOURCE_DATE_EPOCH, the time of the check is now.
    checked = datetime.fromisoformat(run["checked_at"])
    assert abs((datetime.now(UTC) - checked).total_seconds()) < 60


def test_reports_carry_only_what_findings_carry(at_root: None) -> None:
    """Row keys identify rows; nothing else about a row (a value) can reach a report."""
    secret = "matti.meikalainen@example.fi"
    finding = Finding(
        "POL008",
        "error",
        "column holds e-mail addresses",
        Location(source="snapshot", table="contacts", table_column="email"),
        target="snapshot#contacts.email",
        rows=1,
        row_keys=("17",),
        extra=(("value", secret),),
    )
    for fmt in FORMATS:
        assert secret not in renderer(fmt)(Report.of([finding], ["policy.yaml"])), fmt


def test_markdown_is_cut_to_fit_a_comment() -> None:
    from seloste.checks.reports.markdown import MAX_ROWS

    many = [
        Finding("POL004", "error", "m", Location(file="p.yaml", line=i), target=f"t{i}")
        for i in range(1, MAX_ROWS + 6)
    ]
    lines = renderer("markdown")(Report.of(many)).splitlines()
    assert sum(1 for t in lines if t.startswith("| 🔴")) == MAX_ROWS
    assert lines[-1] == "… and 5 more; see the full report."


def test_published_report_schema_is_current(capsys: pytest.CaptureFixture[str]) -> None:
    """docs/schema/report.json is what `seloste schema report` prints; regenerate it with that."""
    main(["schema", "report"])
    assert (ROOT / "docs" / "schema" / "report.json").read_text("utf-8") == capsys.readouterr().out


def _junit_outcomes(report: Report) -> dict[str, str]:
    """Each testcase's rule and what JUnit consumers see of it: failure, system-out, skipped."""
    root = ET.fromstring(renderer("junit")(report))
    return {c.get("classname", ""): c[0].tag for c in root.iter("testcase") if len(c)}


@pytest.mark.parametrize(
    ("fail_on", "outcomes"),
    [
        ("error", {"POL004": "failure", "POL008": "system-out", "SEL001": "failure"}),
        ("warning", {"POL004": "failure", "POL008": "failure", "SEL001": "failure"}),
        # A source that could not be checked fails the run (exit 2) whatever the threshold.
        ("never", {"POL004": "system-out", "POL008": "system-out", "SEL001": "failure"}),
    ],
)
def test_junit_fails_only_what_fails_the_build(
    at_root: None, fail_on: str, outcomes: dict[str, str]
) -> None:
    not_checked = Finding(
        "SEL001", "error", "could not check s: gone", Location(source="s"), target="*.*"
    )
    findings = [POLICY_FINDING, TABLE_FINDING, not_checked]
    report = Report.of(findings, ["fixtures/k-systems/policy.yaml"], fail_on=fail_on)
    assert _junit_outcomes(report) == outcomes
    root = ET.fromstring(renderer("junit")(report))
    assert root.get("failures") == str(list(outcomes.values()).count("failure"))


def test_junit_follows_the_fail_on_of_the_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """End to end: the gate hands its --fail-on to the report."""
    monkeypatch.chdir(tmp_path)
    work = tmp_path
    policy = K_POLICY.read_text("utf-8").replace("    locations: [FI]", "    locations: [US]", 1)
    (work / "policy.yaml").write_text(policy, encoding="utf-8")
    for fail_on, code, tag in (("error", 1, "failure"), ("never", 0, "system-out")):
        args = ["validate", "--no-config", "policy.yaml", "--fail-on", fail_on]
        assert main([*args, "--format", "junit:out.xml"]) == code
        root = ET.parse(work / "out.xml").getroot()
        cases = [c for c in root.iter("testcase") if c.get("classname") == "POL004"]
        assert cases
        assert {c[0].tag for c in cases} == {tag}


def _github_code_scanning_problems(data: dict[str, Any]) -> list[str]:
    """What GitHub code scanning rejects or misplaces in an upload, as its documentation
    states it ("SARIF support for code scanning"): every result needs a physical location
    whose artifact URI is relative to the checkout (or a file URI) and a region with a
    startLine of at least 1; its rule must be in tool.driver.rules; partialFingerprints let
    it track alerts; level is one of SARIF's four."""
    problems = []
    for run in data["runs"]:
        rules = [r["id"] for r in run["tool"]["driver"]["rules"]]
        bases = run.get("originalUriBaseIds", {})
        for i, result in enumerate(run["results"]):
            where = f"result {i} ({result['ruleId']})"
            if result["ruleId"] not in rules:
                problems.append(f"{where}: rule not in tool.driver.rules")
            elif rules[result["ruleIndex"]] != result["ruleId"]:
                problems.append(f"{where}: ruleIndex names another rule")
            if result.get("level") not in ("none", "note", "warning", "error"):
                problems.append(f"{where}: level {result.get('level')!r}")
            if not result.get("partialFingerprints"):
                problems.append(f"{where}: no partialFingerprints")
            if not result["message"].get("text"):
                problems.append(f"{where}: no message text")
            physical = (
                result["locations"][0].get("physicalLocation") if result["locations"] else None
            )
            if physical is None:
                problems.append(f"{where}: no physicalLocation")
                continue
            artifact = physical["artifactLocation"]
            uri = artifact.get("uri", "")
            if uri.startswith("/") or ":" in uri.split("/")[0] or ".." in uri.split("/"):
                problems.append(f"{where}: uri {uri!r} is not relative to the repository")
            if artifact.get("uriBaseId") not in (None, *bases):
                problems.append(f"{where}: uriBaseId {artifact['uriBaseId']!r} not declared")
            if physical.get("region", {}).get("startLine", 0) < 1:
                problems.append(f"{where}: no region with startLine >= 1")
    return problems


@pytest.mark.parametrize("run", ["check", "validate"])
def test_sarif_meets_github_code_scanning_constraints(run: str) -> None:
    """The K-Systems reports as the golden tests make them: database findings included, also
    on a table the bindings do not bind (pinned to their `tables:` key)."""
    data = json.loads((ROOT / "tests" / "golden" / f"{run}.sarif").read_text("utf-8"))
    assert data["runs"][0]["results"]
    assert _github_code_scanning_problems(data) == []
    errors = sorted(sarif_validator().iter_errors(data), key=str)
    assert not errors, [e.message for e in errors[:5]]


def test_github_code_scanning_check_catches_what_github_rejects(at_root: None) -> None:
    """The check above can fail: a result without a line, with an absolute URI, with an
    unknown rule, with no fingerprint and a level GitHub does not know."""
    data = json.loads(renderer("sarif")(sample()))
    result = data["runs"][0]["results"][0]
    del result["locations"][0]["physicalLocation"]["region"]
    result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] = "/abs/bindings.yaml"
    result["ruleId"] = "XYZ999"
    del result["partialFingerprints"]
    result["level"] = "fatal"
    assert len(_github_code_scanning_problems(data)) == 5


def test_sarif_from_outside_the_repository_stays_relative(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Run from a directory outside the repository, with absolute paths into it: the URIs
    are still relative to the repository's root (%SRCROOT%); a file in no repository keeps
    its absolute place as a file URI."""
    monkeypatch.chdir(tmp_path)
    inside = Finding("POL004", "error", "m", Location(file=str(K_POLICY), line=3), target="t")
    elsewhere = tmp_path / "policy.yaml"
    outside = Finding("POL004", "error", "m", Location(file=str(elsewhere), line=4), target="u")
    data = json.loads(renderer("sarif")(Report.of([inside, outside])))
    run = data["runs"][0]
    assert SRCROOT in run["originalUriBaseIds"]
    artifacts = [r["locations"][0]["physicalLocation"]["artifactLocation"] for r in run["results"]]
    assert sorted(artifacts, key=str) == sorted(
        [
            {"uri": "fixtures/k-systems/policy.yaml", "uriBaseId": SRCROOT},
            {"uri": elsewhere.as_uri()},
        ],
        key=str,
    )
    issues = json.loads(renderer("gitlab")(Report.of([inside])))
    assert issues[0]["location"]["path"] == "fixtures/k-systems/policy.yaml"
