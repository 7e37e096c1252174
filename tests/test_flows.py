"""Flow checks: the K-Systems ground truth, the clean set, broken input, policy resolution."""

from __future__ import annotations

import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
import yaml
from seloste.checks import cli, rules
from seloste.checks.flows import check_flows, checked
from seloste.policy.errors import InputError
from seloste.policy.flows import Flows
from seloste.policy.loader import load, load_policy

ROOT = Path(__file__).resolve().parent.parent
KSYS = ROOT / "fixtures" / "k-systems"
PLANTED = sorted(str(p) for p in (KSYS / "flows").glob("*.flows.yaml"))
CLEAN = sorted(str(p) for p in (KSYS / "flows-clean").glob("*.flows.yaml"))
POLICY_TEXT = (KSYS / "policy.yaml").read_text(encoding="utf-8")
FLW = [m for m in rules.RULES.values() if m.SCOPE == "flows"]

HEAD = "seloste: 1\nkind: flows\npolicy: policy.yaml\nflows:\n"
HOSTING = (
    "  dns:\n"
    "    register: customer_register\n"
    "    recipient: hosting_partners\n"
    "    purpose: service_maintenance\n"
    "    fields: [domain, email]\n"
    "    excludes: [restricted]\n"
)


def _where(findings: list) -> Counter[tuple[str, str, int, int]]:
    return Counter(
        (f.rule, Path(f.location.file).name, f.location.line, f.location.column) for f in findings
    )


def _write(directory: Path, name: str, text: str) -> str:
    path = directory / name
    path.write_text(text, encoding="utf-8")
    return str(path)


@pytest.fixture
def policy_dir(tmp_path: Path) -> Path:
    """A repository holding a policy (a policy outside the flows' repository is not read)."""
    (tmp_path / ".git").mkdir()
    (tmp_path / "policy.yaml").write_text(POLICY_TEXT, encoding="utf-8")
    return tmp_path


def _truth() -> Counter[tuple[str, str, int, int]]:
    expected = yaml.safe_load((KSYS / "flows" / "expected.yaml").read_text(encoding="utf-8"))
    return Counter((e["rule"], e["file"], e["line"], e["column"]) for e in expected["findings"])


def test_k_systems_flows_give_exactly_their_ground_truth() -> None:
    assert _where(check_flows(PLANTED)) == _truth()


def test_k_systems_ground_truth_covers_every_flow_rule() -> None:
    assert {f.rule for f in check_flows(PLANTED)} == {m.ID for m in FLW}


def test_planted_flows_exit_1_through_the_command(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["check", "--flows", *PLANTED]) == cli.FINDINGS
    out = capsys.readouterr().out
    assert f"{PLANTED[0]}:17:78: FLW002 [error] flow 'nightly-backup' carries" in out
    assert "Found 21 findings (21 errors)." in out


def test_the_html_report_of_a_check_draws_every_flow(tmp_path: Path) -> None:
    """The flows are kept for the map when an HTML report is asked for, beside another format."""
    page = tmp_path / "report.html"
    args = ["check", "--no-config", "--flows", *PLANTED, "--format", f"html:{page}"]
    assert cli.main([*args, "--format", f"json:{tmp_path / 'r.json'}"]) == cli.FINDINGS
    text = page.read_text(encoding="utf-8")
    assert 'aria-labelledby="flowmap-title"' in text
    assert 'data-offending="3"' in text


def test_clean_flows_exit_0_through_the_command(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["check", "--flows", *CLEAN]) == cli.CLEAN
    captured = capsys.readouterr()
    assert captured.out == "No findings.\n"
    assert captured.err == ""


def test_k_systems_policy_stays_valid(capsys: pytest.CaptureFixture[str]) -> None:
    paths = [str(KSYS / "policy.yaml"), str(KSYS / "bindings.yaml")]
    assert cli.main(["validate", *paths]) == cli.CLEAN


@pytest.mark.parametrize(
    ("body", "line", "column", "message"),
    [
        (
            HOSTING + "    purpose: marketing\n",
            11,
            5,
            "duplicate key 'purpose' (first defined on line 8)",
        ),
        (
            HOSTING + "    location: [FI]\n",
            11,
            5,
            "unknown key 'location'; did you mean 'locations'?",
        ),
        (
            HOSTING.replace("fields: [domain, email]", "fields: domain"),
            9,
            13,
            "expected a list, got 'domain'",
        ),
        (
            HOSTING.replace("excludes: [restricted]", "excludes: [restriction]"),
            10,
            16,
            "expected one of 'marketing_opt_out' or 'restricted', got 'restriction'",
        ),
        (HOSTING + "    locations: [NO, XX]\n", 11, 21, "'XX' is not an ISO 3166-1 alpha-2"),
    ],
    ids=["duplicate-key", "unknown-key", "wrong-type", "wrong-literal", "bad-country"],
)
def test_broken_flow_files_exit_2_with_their_place(
    policy_dir: Path,
    capsys: pytest.CaptureFixture[str],
    body: str,
    line: int,
    column: int,
    message: str,
) -> None:
    path = _write(policy_dir, "broken.flows.yaml", HEAD + body)
    assert cli.main(["check", "--flows", path]) == cli.ERROR
    captured = capsys.readouterr()
    assert f"{path}:{line}:{column}: {message}" in captured.err
    assert captured.out == ""


def test_every_problem_of_every_file_at_once(policy_dir: Path) -> None:
    one = _write(policy_dir, "one.yaml", HEAD + HOSTING + "    purpose: marketing\n")
    two = _write(policy_dir, "two.yaml", HEAD + HOSTING + "    fieldz: [email]\n")
    with pytest.raises(InputError) as caught:
        check_flows([one, two])
    assert [(p.file, p.line, p.column) for p in caught.value.problems] == [
        (one, 11, 5),
        (two, 11, 5),
    ]


def test_findings_before_a_broken_file_do_not_pass_as_a_result(policy_dir: Path) -> None:
    """Files are checked as they are read; a broken one still voids the findings of the
    files read before and after it, and every file's problems are reported."""
    bad = HEAD + HOSTING.replace("fields: [domain, email]", "fields: [domain, email, hetu]")
    first = _write(policy_dir, "a.yaml", bad)
    broken = _write(policy_dir, "b.yaml", HEAD + HOSTING + "    fieldz: [email]\n")
    last = _write(policy_dir, "c.yaml", bad + "    fieldz: [email]\n")
    assert check_flows([first]) != []
    with pytest.raises(InputError) as caught:
        check_flows([first, broken, last], jobs=1)
    assert [(p.file, p.line) for p in caught.value.problems] == [(broken, 11), (last, 11)]


def test_each_file_is_checked_as_it_is_read(
    policy_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import seloste.checks.flows as engine

    seen: list[int] = []
    rules_of = engine.run

    def spy(ctx: engine.FlowContext) -> list:  # type: ignore[type-arg]
        seen.append(len(ctx.files))
        return rules_of(ctx)

    monkeypatch.setattr(engine, "run", spy)
    paths = [_write(policy_dir, f"{n}.yaml", HEAD + HOSTING) for n in "abc"]
    assert check_flows(paths, jobs=1) == []
    assert seen == [1, 1, 1]


def test_a_flow_file_without_policy_is_an_input_error(tmp_path: Path) -> None:
    path = _write(tmp_path, "f.yaml", HEAD.replace("policy: policy.yaml\n", "") + HOSTING)
    with pytest.raises(InputError) as caught:
        check_flows([path])
    (problem,) = caught.value.problems
    assert (problem.file, problem.line, problem.column) == (path, 1, 1)
    assert "add `policy: PATH` or give --policy FILE" in problem.message


def test_a_missing_policy_is_reported_at_the_policy_key(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    path = _write(tmp_path, "f.yaml", HEAD + HOSTING)
    with pytest.raises(InputError) as caught:
        check_flows([path])
    assert [str(p) for p in caught.value.problems] == [
        f"{path}:3:9: policy 'policy.yaml': no such file"
    ]


def test_a_broken_policy_is_reported_in_the_policy(policy_dir: Path) -> None:
    (policy_dir / "policy.yaml").write_text(POLICY_TEXT.replace("kind: policy", "kind: polcy"))
    path = _write(policy_dir, "f.yaml", HEAD + HOSTING)
    with pytest.raises(InputError) as caught:
        check_flows([path])
    assert [(Path(p.file).name, p.line) for p in caught.value.problems] == [("policy.yaml", 8)]


def test_a_given_policy_wins_over_the_files(tmp_path: Path) -> None:
    path = _write(tmp_path, "f.yaml", HEAD.replace("policy.yaml", "nowhere.yaml") + HOSTING)
    assert check_flows([path], policy=load_policy(KSYS / "policy.yaml")) == []


def test_the_command_takes_policy_from_the_option(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _write(tmp_path, "f.yaml", HEAD.replace("policy: policy.yaml\n", "") + HOSTING)
    assert cli.main(["check", "--policy", str(KSYS / "policy.yaml"), "--flows", path]) == 0


def test_each_policy_is_loaded_once(policy_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from seloste.checks.flows import load

    calls: list[Path] = []

    def counting(path: Path, *, cache: bool = False):  # type: ignore[no-untyped-def]
        calls.append(path)
        return load_policy(path, cache=cache)

    monkeypatch.setattr(load, "load_policy", counting)
    (policy_dir / "sub").mkdir()
    paths = [
        _write(policy_dir, "a.yaml", HEAD + HOSTING),
        _write(policy_dir, "b.yaml", HEAD + HOSTING),
        _write(
            policy_dir / "sub", "c.yaml", HEAD.replace("policy.yaml", "../policy.yaml") + HOSTING
        ),
    ]
    assert check_flows(paths) == []
    assert calls == [policy_dir / "policy.yaml"]


def test_a_recipient_declared_abroad_is_blamed_at_the_flow(policy_dir: Path) -> None:
    text = POLICY_TEXT.replace("    locations: [EEA]\n", "    locations: [EEA, US, CN]\n")
    (policy_dir / "policy.yaml").write_text(text, encoding="utf-8")
    path = _write(policy_dir, "f.yaml", HEAD + HOSTING)
    findings = check_flows([path])
    assert _where(findings) == Counter({("FLW004", "f.yaml", 7, 16): 2})
    assert sorted(f.message for f in findings) == [
        "flow 'dns', recipient 'hosting_partners' (policy): CN is outside the allowed "
        "transfer region EEA",
        "flow 'dns', recipient 'hosting_partners' (policy): US is outside the allowed "
        "transfer region EEA",
    ]
    assert len({f.fingerprint for f in findings}) == 2


def test_a_banned_place_inside_the_region_is_a_transfer_finding(policy_dir: Path) -> None:
    ban = "  allowed: [EEA]\n  bans:\n    - places: [SE]\n      reason: {en: test}\n"
    (policy_dir / "policy.yaml").write_text(POLICY_TEXT.replace("  allowed: [EEA]\n", ban))
    # Given locations replace the recipient's declared EEA, which the ban on SE would catch.
    body = HOSTING + "    locations: [FI]\n    storage: [FI, SE]\n"
    (finding,) = check_flows([_write(policy_dir, "f.yaml", HEAD + body)])
    assert (finding.rule, finding.location.line, finding.location.column) == ("FLW004", 12, 19)
    assert finding.message == "flow 'dns', storage: SE is banned by transfers.bans (SE)"


def test_an_internal_flow_that_uses_data_needs_the_restriction_too(policy_dir: Path) -> None:
    body = HOSTING.replace("    recipient: hosting_partners\n", "").replace(
        "    excludes: [restricted]\n", ""
    )
    [found] = check_flows([_write(policy_dir, "f.yaml", HEAD + body)])
    assert (found.rule, found.location.line) == ("FLW006", 5)
    assert "uses data" in found.message and "Art. 18(2)" in found.message


def test_a_flow_that_only_stores_needs_no_restriction(policy_dir: Path) -> None:
    body = HOSTING.replace("    excludes: [restricted]\n", "    processing: storage\n")
    assert check_flows([_write(policy_dir, "f.yaml", HEAD + body)]) == []


def test_ten_thousand_flows_are_all_checked(policy_dir: Path) -> None:
    """Every tenth flow sends the business ID to hosting partners; the rest are clean."""
    parts = [HEAD]
    for i in range(10_000):
        extra = ", business_id" if i % 10 == 0 else ""
        parts.append(
            HOSTING.replace("  dns:", f"  flow-{i}:").replace(
                "fields: [domain, email]", f"fields: [domain, email{extra}]"
            )
        )
    path = _write(policy_dir, "many.yaml", "".join(parts))
    findings = check_flows([path])
    assert len(findings) == 1000
    assert {f.rule for f in findings} == {"FLW002"}
    assert {f.location.line for f in findings} == {5 + 6 * i + 4 for i in range(0, 10_000, 10)}


@pytest.mark.parametrize("rule", FLW, ids=lambda m: m.ID)
def test_flow_rules_are_documented_like_the_others(rule) -> None:  # type: ignore[no-untyped-def]
    doc = rule.__doc__
    for heading in ("## What it does", "## Why is this bad?", "## Example", "Use instead:"):
        assert heading in doc
    assert rule.ID.startswith("FLW")
    assert rule.SEVERITY == "error"
    assert rule.__name__.rsplit(".", 1)[-1].startswith(rule.ID.lower() + "_")


def test_the_pre_commit_path_imports_no_database_or_template_code() -> None:
    result = subprocess.run(
        [
            sys.executable,
            "-X",
            "importtime",
            "-m",
            "seloste.checks.cli",
            "check",
            "--flows",
            *CLEAN,
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    imported = {
        line.rsplit("|", 1)[-1].strip().split(".")[0]
        for line in result.stderr.splitlines()
        if line.startswith("import time:")
    }
    heavy = {"sqlalchemy", "jinja2", "duckdb", "duckdb_engine", "psycopg", "pymysql", "sqlite3"}
    assert imported & heavy == set()
    assert "seloste" in imported  # the listing is real, not empty


def test_a_file_named_twice_is_checked_once(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(KSYS / "flows")
    once = check_flows(["hosting.flows.yaml"])
    assert len(once) == 5
    assert check_flows(["hosting.flows.yaml", "./hosting.flows.yaml"]) == once


def test_split_over_processes_the_findings_are_the_same() -> None:
    from seloste.checks.flows.jobs import chunks

    paths = PLANTED + CLEAN
    parts = chunks(paths, 2)
    assert len(parts) == 2  # the split is really made here (Linux, one thread)
    assert sorted(p for part in parts for p in part) == sorted(paths)
    split = checked(paths, jobs=2, flows=True)
    alone = checked(paths, jobs=1, flows=True)
    assert split.findings == alone.findings
    assert _where(split.findings) == _truth()
    # Every flow comes back from the workers too, for the HTML report's map.
    assert sorted(split.flows) == sorted(alone.flows)
    assert len(alone.flows) == sum(len(load(p, Flows).model.flows) for p in paths)
    # Kept only when asked for: a run without an HTML report draws no map.
    assert checked(paths, jobs=1).flows == []


def test_split_over_processes_every_problem_is_still_reported(policy_dir: Path) -> None:
    one = _write(policy_dir, "one.yaml", HEAD + HOSTING + "    purpose: marketing\n")
    two = _write(policy_dir, "two.yaml", HEAD + HOSTING + "    fieldz: [email]\n")
    with pytest.raises(InputError) as caught:
        check_flows([one, two], jobs=2)
    assert [(p.file, p.line, p.column) for p in caught.value.problems] == [
        (one, 11, 5),
        (two, 11, 5),
    ]


def test_small_sets_and_threaded_callers_stay_in_one_process(policy_dir: Path) -> None:
    import threading

    from seloste.checks.flows.jobs import PARALLEL_BYTES, chunks, cores

    assert chunks(PLANTED) == [PLANTED]  # a few KB: forking would cost more than it saves
    big = [_write(policy_dir, f"{i}.yaml", "#" * PARALLEL_BYTES) for i in range(2)]
    assert len(chunks(big)) == min(2, cores())
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:  # a fork now could inherit a lock that thread holds
        assert chunks(big, 2) == [big]
    finally:
        stop.set()
        other.join()


def test_the_command_gives_the_same_report_in_any_number_of_processes(
    capsys: pytest.CaptureFixture[str],
) -> None:
    reports = []
    for jobs in ("1", "2"):
        assert cli.main(["check", "--no-config", "--jobs", jobs, "--flows", *PLANTED]) == 1
        reports.append(capsys.readouterr().out)
    assert reports[0] == reports[1]
    assert "Found 21 findings (21 errors)." in reports[0]


def test_a_negative_number_of_processes_is_a_usage_error(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with pytest.raises(SystemExit) as caught:
        cli.main(["check", "--jobs", "-1", "--flows", *CLEAN])
    assert caught.value.code == cli.ERROR
    assert "--jobs: expected a whole number >= 0, got '-1'" in capsys.readouterr().err
