"""Names from input cannot write to a terminal or a CI log what seloste did not: control
characters and bidirectional overrides are escaped in every output (policy/errors.py), and
input errors go through the same formats as findings."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from seloste.checks.cli import main
from seloste.checks.reports import FORMATS
from shared import without_source

ROOT = Path(__file__).resolve().parent.parent
K_SYSTEMS = ROOT / "fixtures" / "k-systems"
INJECTED = "::error file=x::INJECTED"
# What must never reach an output as it is: the raw controls and overrides of the names.
RAW = [f"\n{INJECTED}", "\x1b", "\u202e", "\u2066", "\r", "\x85", "##["]


def test_printable_escapes_controls_and_overrides_and_nothing_else() -> None:
    from seloste.policy.errors import Problem, printable

    text = "a\nb\rc\td\x00e\x1b[31mf\x7fg\x85h\u2028i\u202ej\u2066k\u2069l"
    assert printable(text) == (
        "a\\nb\\rc\\td\\x00e\\x1b[31mf\\x7fg\\x85h\\u2028i\\u202ej\\u2066k\\u2069l"
    )
    ordinary = "Käyttäjä Öhman, kenttä «e-mail» — 100 % €, \\n as typed, 名前, a::b, #1 [x]"
    assert printable(ordinary) == ordinary
    # What GitHub Actions would run as a workflow command: a line starting "::", or "##[".
    assert printable("::error::x") == "\\x3a:error::x"
    assert printable("  ::warning::x") == "  \\x3a:warning::x"
    assert printable("a ##[error]b") == "a #\\x23[error]b"
    assert printable(printable(text)) == printable(text)
    assert str(Problem("a\nb.yaml", 3, 9, "bad \x1b[2J key")) == "a\\nb.yaml:3:9: bad \\x1b[2J key"


def _every_format(argv: list[str], tmp_path: Path) -> tuple[int, dict[str, str]]:
    outputs = [f"{name}:{tmp_path / f'report.{name}'}" for name in FORMATS]
    code = main([*argv, *(a for o in outputs for a in ("--format", o))])
    return code, {n: (tmp_path / f"report.{n}").read_text("utf-8") for n in FORMATS}


def test_names_from_a_snapshot_are_escaped_in_every_output(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A table and a column named to start a workflow command, recolour a terminal and turn
    text around: every format, stdout and stderr show them escaped."""
    table = f"x\n{INJECTED}"
    column = "y\x1b[31m\u202eevil\u2066\r\x85"
    from snapshot_truth import sqlite_from_dump

    db = sqlite_from_dump(tmp_path / "hostile.db")  # the K-Systems snapshot, and:
    with sqlite3.connect(db) as conn:
        conn.execute(f'CREATE TABLE "{table}" (id INTEGER PRIMARY KEY, "{column}" TEXT)')
        conn.execute(f'INSERT INTO "{table}" VALUES (1, ?)', ("131052-308T",))
        conn.execute(f'ALTER TABLE contacts ADD COLUMN "{column}" TEXT')
        conn.execute('CREATE TABLE "##[error]v1" (id INTEGER PRIMARY KEY, note TEXT)')
        conn.execute('INSERT INTO "##[error]v1" VALUES (1, ?)', ("131052-308T",))
    conn.close()
    argv = ["check", "--no-config", "--bindings", str(K_SYSTEMS / "bindings.yaml")]
    code, texts = _every_format([*argv, "--snapshot", str(db)], tmp_path)
    out, err = capsys.readouterr()
    assert code == 1
    outputs = {**texts, "stdout": out, "stderr": err}
    assert {name: [r for r in RAW if r in text] for name, text in outputs.items()} == {
        name: [] for name in outputs
    }
    assert not [
        (name, line)
        for name, text in outputs.items()
        for line in text.splitlines()
        if line.lstrip().startswith(INJECTED)
    ]
    # The names are there, escaped (so the search above looked at them).
    for name in ("text", "json", "markdown", "html", "junit", "gitlab", "github", "sarif"):
        assert "x\\n::error file=x::INJECTED" in texts[name].replace("\\\\", "\\") or (
            "x\\n%3A%3Aerror" in texts[name]
        ), name
    github = texts["github"].splitlines()
    assert all(
        line.startswith(("::error ", "::warning ", "::notice ", "Found ")) for line in github
    )


def test_a_file_named_with_a_newline_is_escaped(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    name = f"evil\n{INJECTED}.yaml"
    (tmp_path / name).write_text("seloste: 1\nkind: policy\nfaster: 1\n", encoding="utf-8")
    assert main(["validate", "--no-config", name, "--format", "github"]) == 2
    out, err = capsys.readouterr()
    assert without_source(err).splitlines() == [
        "evil\\n::error file=x::INJECTED.yaml:1:1: missing required key 'controller'",
        "evil\\n::error file=x::INJECTED.yaml:1:1: missing required key 'fields'",
        "evil\\n::error file=x::INJECTED.yaml:1:1: missing required key 'registers'",
        "evil\\n::error file=x::INJECTED.yaml:1:1: missing required key 'transfers'",
        "evil\\n::error file=x::INJECTED.yaml:3:1: unknown key 'faster'; expected one of: "
        "seloste, kind, controller, dpo, supervisory_authority, notice, regions, fields, "
        "forbidden_kinds, registers, purposes, recipients, transfers",
    ]
    where = "file=evil\\n%3A%3Aerror file=x%3A%3AINJECTED.yaml"
    assert out.splitlines()[0] == f"::error {where},line=1,col=1::missing required key 'controller'"
    assert len(out.splitlines()) == 6 and out.splitlines()[-1] == "No findings; 5 input errors."


def test_a_file_named_as_a_workflow_command_does_not_start_one(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """No newline needed: a line that starts with ``::`` is a command."""
    monkeypatch.chdir(tmp_path)
    version_2 = ROOT / "tests" / "hostile" / "version-2.yaml"  # a policy with seloste: 2
    (tmp_path / f"{INJECTED}.yaml").write_bytes(version_2.read_bytes())
    assert main(["validate", "--no-config", f"{INJECTED}.yaml"]) == 2
    out, err = capsys.readouterr()
    assert (out, err) == (
        "",
        "\\x3a:error file=x::INJECTED.yaml:1:10: expected one of 1, got '2'\n"
        " 1 | seloste: 2\n"
        "   |          ^\n",
    )


BROKEN = "seloste: 1\nkind: flows\npolicy: nowhere.yaml\nflows: {}\n"
# What stderr and the text report show under BROKEN's error (policy/errors.py: source_line).
SOURCE = " 3 | policy: nowhere.yaml\n   |         ^\n"


def test_input_errors_are_in_every_format(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A run with only input errors writes every report, each carrying them (none can read
    as clean), and prints them once to stderr; text on stdout stays quiet."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".git").mkdir()
    (tmp_path / "a.flows.yaml").write_text(BROKEN, encoding="utf-8")
    argv = ["check", "--no-config", "--flows", "a.flows.yaml"]
    code, texts = _every_format(argv, tmp_path)
    out, err = capsys.readouterr()
    line = "a.flows.yaml:3:9: policy 'nowhere.yaml': no such file"
    assert (code, out, err) == (2, "", f"{line}\n{SOURCE}")
    # The text report shows the source line too; the machine formats do not (below).
    assert texts["text"] == f"{line}\n{SOURCE}No findings; 1 input error.\n"
    assert texts["github"].splitlines()[0] == (
        "::error file=a.flows.yaml,line=3,col=9::policy 'nowhere.yaml': no such file"
    )
    assert json.loads(texts["json"])["errors"] == [
        {"file": "a.flows.yaml", "line": 3, "column": 9, "message": line.split(": ", 1)[1]}
    ]
    sarif = json.loads(texts["sarif"])["runs"][0]["invocations"]
    assert sarif == [
        {
            "executionSuccessful": False,
            "toolExecutionNotifications": [
                {
                    "level": "error",
                    "message": {"text": "policy 'nowhere.yaml': no such file"},
                    "locations": [
                        {
                            "physicalLocation": {
                                "artifactLocation": {
                                    "uri": "a.flows.yaml",
                                    "uriBaseId": "%SRCROOT%",
                                },
                                "region": {"startLine": 3, "startColumn": 9},
                            }
                        }
                    ],
                }
            ],
        }
    ]
    gitlab = json.loads(texts["gitlab"])
    assert [(i["check_name"], i["severity"], i["location"]) for i in gitlab] == [
        ("input-error", "critical", {"path": "a.flows.yaml", "lines": {"begin": 3}})
    ]
    assert (
        '<testcase classname="input" name="a.flows.yaml:3:9" file="a.flows.yaml" line="3">'
        in (texts["junit"])
    )
    assert 'failures="1"' in texts["junit"]
    assert "| a.flows.yaml:3:9 | policy 'nowhere.yaml': no such file |" in texts["markdown"]
    assert "1 input error: not everything was checked" in texts["markdown"]
    assert (
        "<code>a.flows.yaml:3:9</code> policy &#39;nowhere.yaml&#39;: no such file"
        in (texts["html"])
    )


def test_input_errors_on_stdout_for_a_ci_format(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """``--format github`` on stdout carries input errors as annotations; stderr keeps its
    plain line for the log."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".git").mkdir()
    (tmp_path / "a.flows.yaml").write_text(BROKEN, encoding="utf-8")
    assert main(["check", "--no-config", "--flows", "a.flows.yaml", "--format", "github"]) == 2
    out, err = capsys.readouterr()
    assert out == (
        "::error file=a.flows.yaml,line=3,col=9::policy 'nowhere.yaml': no such file\n"
        "No findings; 1 input error.\n"
    )
    assert err == "a.flows.yaml:3:9: policy 'nowhere.yaml': no such file\n" + SOURCE


@pytest.mark.parametrize("fmt", ["text", "md"])
def test_names_in_a_policy_diff_are_escaped(
    fmt: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``seloste diff`` is a CI gate too: a recipient named to start a workflow command and
    to drive a terminal is shown escaped, its line and every other as one line."""
    old = (K_SYSTEMS / "policy.yaml").read_text(encoding="utf-8")
    hostile = json.dumps(f"Kumppani\n{INJECTED}\x1b[2J\u202e")  # a YAML double-quoted string
    new = old.replace(
        "      en: Web servers and web hosting partners",
        f"      en: {hostile}",
    )
    assert new != old
    (tmp_path / "old.yaml").write_text(old, encoding="utf-8")
    (tmp_path / "new.yaml").write_text(new, encoding="utf-8")
    assert (
        main(["diff", str(tmp_path / "old.yaml"), str(tmp_path / "new.yaml"), "--format", fmt]) == 0
    )
    out = capsys.readouterr().out
    assert "INJECTED\\x1b" in out  # the name is there, escaped
    for raw in RAW:
        assert raw not in out, raw
    assert not any(line.lstrip().startswith("::") for line in out.splitlines())
