"""The real command, end to end: exit codes, one-line errors, schema, docs."""

from __future__ import annotations

import gc
import json
import os
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
import yaml
from seloste.checks.cli import COMMANDS, main

ROOT = Path(__file__).parent.parent
K_POLICY = ROOT / "fixtures" / "k-systems" / "policy.yaml"


def run(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "seloste.checks.cli", *args], capture_output=True, text=True, cwd=cwd
    )


def broken_copy(tmp_path: Path, old: str, new: str) -> Path:
    text = K_POLICY.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "policy.yaml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def test_k_systems_validates() -> None:
    result = run("validate", str(K_POLICY), "fixtures/k-systems/bindings.yaml")
    assert (result.returncode, result.stdout, result.stderr) == (0, "No findings.\n", "")


@pytest.mark.parametrize(
    ("old", "new", "code", "message"),
    [
        (
            "  contact_name:\n",
            "  contact_name:\n  contact_name:\n",
            2,
            "duplicate key 'contact_name'",
        ),
        (
            "    staff_trained: true\n\n",
            "    staff_traind: true\n\n",
            2,
            "unknown key 'staff_traind'; did you mean 'staff_trained'?",
        ),
        (
            "fields: [organisation_name, contact_name, email, phone]",
            "fields: [organisation_name, contact_name, e_mail, phone]",
            1,
            "POL001 [error] field 'e_mail' is not declared in fields; did you mean 'email'?",
        ),
        (
            "    locations: [FI]",
            "    locations: [US]",
            1,
            "POL004 [error] recipient 'traficom': US is outside the allowed transfer region EEA",
        ),
    ],
)
def test_broken_copies(tmp_path: Path, old: str, new: str, code: int, message: str) -> None:
    path = broken_copy(tmp_path, old, new)
    result = run("validate", str(path))
    assert result.returncode == code
    output = result.stdout + result.stderr
    assert "Traceback" not in output
    line = next(t for t in output.splitlines() if message in t)
    assert line.startswith(f"{path}:")
    _, lineno, column, _ = line.split(":", 3)
    assert int(lineno) > 0 and int(column) > 0


def test_the_policy_a_bindings_file_names_is_reported_as_named(tmp_path: Path) -> None:
    broken_copy(tmp_path, "  contact_name:\n", "  contact_name:\n  contact_name:\n")
    bindings = (ROOT / "fixtures" / "k-systems" / "bindings.yaml").read_text(encoding="utf-8")
    (tmp_path / "bindings.yaml").write_text(bindings, encoding="utf-8")
    result = run("validate", "bindings.yaml", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.startswith("policy.yaml:")  # as the user would name it, not /tmp/...


def test_usage_error_is_exit_2_one_line() -> None:
    result = run("validate")
    assert result.returncode == 2
    assert (
        result.stderr.strip()
        .splitlines()[-1]
        .startswith("seloste validate: error: the following arguments are required")
    )
    assert "Traceback" not in result.stderr


def test_version() -> None:
    result = run("--version")
    assert result.returncode == 0 and result.stdout.startswith("seloste ")


@pytest.mark.parametrize("which", ["policy", "bindings", "flows"])
def test_schema_is_valid_draft_2020_12(which: str, capsys) -> None:
    assert main(["schema", which]) == 0
    schema = json.loads(capsys.readouterr().out)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    jsonschema.Draft202012Validator.check_schema(schema)


def _undescribed(node: object, where: str = "") -> list[str]:
    """Every key of the schema with no description, by its place."""
    if isinstance(node, list):
        return [x for item in node for x in _undescribed(item, where)]
    if not isinstance(node, dict):
        return []
    found = [
        f"{where}.{key}"
        for key, value in (node.get("properties") or {}).items()
        if isinstance(value, dict) and "description" not in value
    ]
    for key, value in node.items():
        inner = where if key in ("properties", "$defs") else f"{where}/{key}"
        found += _undescribed(value, inner)
    return found


@pytest.mark.parametrize("which", ["policy", "bindings", "flows"])
def test_every_key_says_on_hover_what_it_is(which: str, capsys) -> None:
    """Editors show a key's description on hover: every key of every document has one."""
    assert main(["schema", which]) == 0
    schema = json.loads(capsys.readouterr().out)
    assert _undescribed(schema) == []
    assert _undescribed({"properties": {"x": {}}}) == [".x"]  # the search sees a bare key


def test_k_systems_validates_against_the_published_schema(capsys) -> None:
    main(["schema", "policy"])
    schema = json.loads(capsys.readouterr().out)
    data = yaml.safe_load(K_POLICY.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator(schema).validate(data)
    committed = json.loads((ROOT / "docs" / "schema" / "policy.json").read_text())
    assert committed == schema, "docs/schema/policy.json is stale: regenerate it"


def test_schema_rejects_an_unknown_key(capsys) -> None:
    main(["schema", "policy"])
    schema = json.loads(capsys.readouterr().out)
    data = yaml.safe_load(K_POLICY.read_text(encoding="utf-8"))
    data["controller"]["nmae"] = "typo"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.Draft202012Validator(schema).validate(data)


def test_explain_prints_the_rule_docs(capsys) -> None:
    assert main(["explain", "transfer-outside-region"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("# transfer-outside-region (POL004)\n")
    assert "## Why is this bad?" in out and "Use instead" in out
    assert main(["explain", "POL999"]) == 2


def test_rules_lists_every_rule(capsys) -> None:
    from seloste.checks.rules import RULES

    assert main(["rules"]) == 0
    ids = [line.split()[0] for line in capsys.readouterr().out.splitlines()]
    assert ids == list(RULES)


def test_json_output_is_byte_identical(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The time of the check, which the report prints, fixed the reproducible-builds way.
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1793611800")
    data = ROOT / "tests" / "data" / "lint" / "policy.yaml"
    first = run("validate", "--format", "json", str(data))
    second = run("validate", "--format", "json", str(data))
    assert first.returncode == 1
    assert first.stdout == second.stdout
    assert len(json.loads(first.stdout)["findings"]) == 20


def test_validate_imports_only_what_it_uses() -> None:
    """The pre-commit path (docs/benchmarks.md, row 5) is mostly start-up: it must not load
    the snapshot engine or its rules, configuration, waiver or baseline code it was not asked
    for, or pycountry's table for a policy whose places are all in the EEA."""
    code = (
        "import sys; from seloste.checks.cli import main; "
        "code = main(['validate', '--no-config', 'fixtures/k-systems/policy.yaml', "
        "'fixtures/k-systems/flows-clean/billing.flows.yaml']); "
        "print(code, ' '.join(sorted(sys.modules)))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True
    )
    code, modules = result.stdout.splitlines()[-1].split(" ", 1)
    loaded = set(modules.split())
    assert code == "0"
    assert "seloste.checks.rules.pol001_unknown_field" in loaded  # the listing is real
    unwanted = {
        "seloste.checks.config",
        "seloste.checks.waivers",
        "seloste.checks.baseline",
        "seloste.policy.wording",
        "jinja2",
        "pycountry",
        "tomllib",
    }
    assert loaded & unwanted == set()
    commands = {m for m in loaded if m.startswith("seloste.checks.commands.")}
    assert commands == {"seloste.checks.commands.validate", "seloste.checks.commands.common"}
    assert [
        m for m in loaded if m.startswith(("seloste.checks.snapshot", "seloste.checks.rules.snp"))
    ] == []


def test_only_the_program_tunes_its_process(monkeypatch: pytest.MonkeyPatch) -> None:
    """``program()``: no pydantic plugins unless the user set the variable, a lazier
    collector, and an immediate exit. ``main()``, with or without ``argv``, changes nothing
    and returns."""
    code = (
        "import gc, os, sys; from seloste.checks.cli import {call}; "
        "sys.argv = ['seloste', 'rules']; "
        "os._exit = lambda code: print('exit', code); print('returned', {call}()); "
        "print(os.environ.get('PYDANTIC_DISABLE_PLUGINS'), gc.get_threshold()[0])"
    )
    threshold = gc.get_threshold()[0]
    for call, given, expected in (
        ("program", None, ["exit 0", "returned 0", "__all__ 100000"]),
        ("program", "", ["exit 0", "returned 0", " 100000"]),
        ("main", None, ["returned 0", f"None {threshold}"]),
    ):
        env = {k: v for k, v in os.environ.items() if k != "PYDANTIC_DISABLE_PLUGINS"}
        if given is not None:
            env["PYDANTIC_DISABLE_PLUGINS"] = given
        result = subprocess.run(
            [sys.executable, "-c", code.format(call=call)],
            capture_output=True,
            text=True,
            cwd=ROOT,
            env=env,
        )
        assert result.stdout.splitlines()[-len(expected) :] == expected, result.stderr
        assert result.stdout.startswith("POL001 ")  # the command ran, from sys.argv
    monkeypatch.delenv("PYDANTIC_DISABLE_PLUGINS", raising=False)
    assert main(["rules"]) == 0
    assert "PYDANTIC_DISABLE_PLUGINS" not in os.environ
    assert gc.get_threshold()[0] == threshold


def test_the_console_script_and_python_m_are_the_program() -> None:
    """pip writes ``seloste`` to call what pyproject names, and ``python -m`` runs the
    module's ``__main__`` block: both must be ``program``, which ends the process at once."""
    import tomllib

    with open(ROOT / "pyproject.toml", "rb") as f:
        scripts = tomllib.load(f)["project"]["scripts"]
    assert scripts == {"seloste": "seloste.checks.cli:program"}
    code = (
        "import os, runpy, sys; sys.argv = ['seloste', 'rules']; "
        "os._exit = lambda code: print('exit', code); "
        "runpy.run_module('seloste.checks.cli', run_name='__main__')"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert result.stdout.splitlines()[-1] == "exit 0", result.stderr


def test_the_program_exits_at_once_with_all_its_output(tmp_path: Path) -> None:
    # Findings on stdout through a pipe, the report file, and the exit code all survive
    # _exit_at_once, which skips the interpreter's shutdown.
    report = tmp_path / "r.json"
    policy = broken_copy(tmp_path, "recipients: [traficom]", "recipients: [nobody]")
    result = run(
        "validate", "--no-config", str(policy), "--format", "text", "--format", f"json:{report}"
    )
    assert result.returncode == 1
    assert result.stdout.endswith(".\n") and "POL002" in result.stdout
    assert "POL002" in report.read_text(encoding="utf-8")


def test_help_lists_every_command_and_a_subcommand_its_own_options(capsys) -> None:
    with pytest.raises(SystemExit):
        main(["--help"])
    listing = capsys.readouterr().out
    assert all(name in listing for name in COMMANDS)
    with pytest.raises(SystemExit):
        main(["validate", "--help"])
    assert "--fail-on" in capsys.readouterr().out
