"""The pre-commit hook's path without pydantic (checks/flows/hook.py, policy/view.py): on every
seloste file in the repository it reports exactly what the full path reports, and it is
taken for every flow and bindings file that the full path reads without a problem. The
formats built from the models accept only documents that pydantic accepts, with the same
values.
"""

from __future__ import annotations

import copy
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from seloste.checks.cli import main
from seloste.checks.flows import hook
from seloste.policy import cache, view
from seloste.policy.flows import Flows
from seloste.policy.loader import load_policy
from seloste.policy.model import Bindings

ROOT = Path(__file__).resolve().parent.parent
KINDS = ("policy", "bindings", "flows")


def _seloste_files() -> list[Path]:
    """Every policy, bindings and flow file under fixtures/, tests/ and docs/."""
    found = []
    for where in ("fixtures", "tests", "docs"):
        for path in sorted((ROOT / where).rglob("*.y*ml")):
            text = path.read_text("utf-8", errors="replace")
            if any(f"kind: {kind}" in text for kind in KINDS):
                found.append(path.relative_to(ROOT))
    return found


FILES = _seloste_files()
FLOWS = [p for p in FILES if "kind: flows" in (ROOT / p).read_text("utf-8", errors="replace")]
assert len(FLOWS) > 30  # the fixtures' clean and planted flows, docs/examples, tests/hostile
BINDINGS = [p for p in FILES if "kind: bindings" in (ROOT / p).read_text("utf-8", errors="replace")]
assert len(BINDINGS) > 5


@pytest.fixture
def own_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1790000000")
    monkeypatch.delenv("SELOSTE_NO_CACHE", raising=False)
    monkeypatch.chdir(ROOT)
    return tmp_path / "cache"


@pytest.fixture
def taken(monkeypatch: pytest.MonkeyPatch) -> list[int | None]:
    """What the hook's path gave on each run from now on (None: the full path ran)."""
    seen: list[int | None] = []
    light = hook.run

    def spy(*args: Any) -> int | None:
        seen.append(light(*args))
        return seen[-1]

    monkeypatch.setattr(hook, "run", spy)
    return seen


def _report(
    path: Path, out: Path, capsys: pytest.CaptureFixture[str], *flags: str
) -> tuple[int, str, str]:
    """Exit code, JSON report and stderr of the hook's command on ``path``."""
    code = main(
        [
            "validate",
            "--with-referrers",
            "--no-config",
            *flags,
            "--format",
            f"json:{out}",
            str(path),
        ]
    )
    return code, out.read_text("utf-8") if out.exists() else "", capsys.readouterr().err


@pytest.mark.parametrize("path", FILES, ids=str)
def test_the_hook_reports_the_same_from_the_view(
    path: Path,
    own_cache: Path,
    taken: list[int | None],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    full = _report(path, tmp_path / "full.json", capsys, "--no-cache")
    _report(path, tmp_path / "warm.json", capsys)  # stores the policy's view, if it loads
    again = _report(path, tmp_path / "again.json", capsys)
    assert again == full
    light = taken[-1] is not None
    if (path in FLOWS or path in BINDINGS) and full[0] != 2:
        assert light, "a file the full path reads without a problem takes the hook's path"
    if path not in FLOWS and path not in BINDINGS:
        assert not light


def test_the_planted_violations_are_found_from_the_view(
    own_cache: Path, taken: list[int | None], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Every flow rule fires on the fixtures' planted violations, from the view."""
    dirty = sorted((ROOT / "fixtures").glob("*/flows/*.flows.yaml"))
    rules: set[str] = set()
    for path in dirty:
        _report(path, tmp_path / "warm.json", capsys)
        code, report, _ = _report(path, tmp_path / "light.json", capsys)
        assert taken[-1] == code
        rules |= {f["rule"] for f in json.loads(report)["findings"]}
    assert rules == {f"FLW00{i}" for i in range(1, 8)}


def test_the_hook_path_imports_no_pydantic(tmp_path: Path) -> None:
    """A flow file whose policy is in the cache is checked without importing pydantic."""
    flow = ROOT / "fixtures" / "k-systems" / "flows" / "billing.flows.yaml"
    env = {"XDG_CACHE_HOME": str(tmp_path), "PATH": "/usr/bin:/bin"}
    cmd = [sys.executable, "-X", "importtime", "-m", "seloste.checks.cli", "validate"]
    cmd += ["--with-referrers", "--no-config", str(flow)]
    runs = [subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=ROOT) for _ in "ab"]
    assert [r.returncode for r in runs] == [1, 1]
    assert runs[0].stdout == runs[1].stdout
    assert "| pydantic" in runs[0].stderr  # the first run validated, and stored the view
    imported = [line.split("|")[-1].strip() for line in runs[1].stderr.splitlines()]
    assert not [name for name in imported if name.split(".")[0] in ("pydantic", "pydantic_core")]


# --- the format accepts only what pydantic accepts, with the same values -------------------


def _values(model: Any) -> Any:
    """A validated model's or a Plain object's values, and the fields that were set."""
    if hasattr(model, "model_fields_set"):
        names = sorted(n for n in vars(model) if n != "model_fields_set" and not n.startswith("__"))
        if hasattr(type(model), "model_fields"):
            names = sorted(type(model).model_fields)
        return ({n: _values(getattr(model, n)) for n in names}, sorted(model.model_fields_set))
    if isinstance(model, dict):
        return {k: _values(v) for k, v in model.items()}
    if isinstance(model, list | tuple):
        return [_values(v) for v in model]
    return model


FORMAT = json.loads(json.dumps(view.compile_format(Flows)))
BINDINGS_FORMAT = json.loads(json.dumps(view.compile_format(Bindings)))


def _both(data: Any, bindings: bool = False) -> tuple[Any, Any]:
    """What the format and pydantic make of ``data`` (None: refused)."""
    from pydantic import ValidationError

    form, model_class = (BINDINGS_FORMAT, Bindings) if bindings else (FORMAT, Flows)
    accepted = view.accept(form, copy.deepcopy(data))
    try:
        model: Any = model_class.model_validate(copy.deepcopy(data))
    except ValidationError:
        model = None
    return accepted, model


@pytest.mark.parametrize("path", FLOWS + BINDINGS, ids=str)
def test_the_format_accepts_what_pydantic_accepts_with_its_values(path: Path) -> None:
    try:
        data = yaml.safe_load((ROOT / path).read_text("utf-8"))
    except yaml.YAMLError:
        pytest.skip("not YAML that PyYAML reads: the loader's problem, not the format's")
    accepted, model = _both(data, path in BINDINGS)
    if accepted is not None:
        assert model is not None and _values(accepted) == _values(model)


BASE = {
    "seloste": 1,
    "kind": "flows",
    "policy": "policy.yaml",
    "flows": {
        "export": {
            "register": "customers",
            "recipient": "mailer",
            "purpose": "marketing",
            "fields": ["email"],
            "locations": ["FI", "EEA"],
            "sub_processors": [{"name": "Spam filter", "locations": ["SE"]}],
            "excludes": ["restricted"],
        }
    },
}

MUTANTS: dict[str, Any] = {
    "unknown key": ("flows", "export", "colour", "red"),
    "field by its name, not its alias": ("flows", "export", "register_id", "customers"),
    "id not an id": ("flows", "export", "purpose", "Marketing"),
    "id with a line break": ("flows", "export", "purpose", "marketing\n"),
    "id beyond ASCII": ("flows", "export", "purpose", "märketing"),
    "id too long": ("flows", "export", "purpose", "m" * 65),
    "number for a string": ("flows", "export", "purpose", 7),
    "empty fields": ("flows", "export", "fields", []),
    "unknown country": ("flows", "export", "locations", ["XX"]),
    "lower-case place": ("flows", "export", "locations", ["fi"]),
    "empty locations": ("flows", "export", "locations", []),
    "unknown exclusion": ("flows", "export", "excludes", ["everyone"]),
    "bool for a version": ("seloste", True),
    "other version": ("seloste", 2),
    "other kind": ("kind", "policy"),
    "list for a mapping": ("flows", ["export"]),
    "null recipient": ("flows", "export", "recipient", None),
    "null fields": ("flows", "export", "fields", None),
    "sub-processor without a name": ("flows", "export", "sub_processors", [{"locations": ["SE"]}]),
    "processing storage": ("flows", "export", "processing", "storage"),
    "processing unknown": ("flows", "export", "processing", "archive"),
    "description as text": ("flows", "export", "description", {"en": "mail", "fi": "posti"}),
    "description as a string": ("flows", "export", "description", "mail"),
}


@pytest.mark.parametrize("name", MUTANTS)
def test_the_format_refuses_what_pydantic_refuses(name: str) -> None:
    *where, value = MUTANTS[name]
    data = copy.deepcopy(BASE)
    holder: Any = data
    for step in where[:-1]:
        holder = holder[step]
    holder[where[-1]] = value
    accepted, model = _both(data)
    assert accepted is None or (model is not None and _values(accepted) == _values(model))
    if model is None:
        assert accepted is None


def test_the_format_takes_the_base_document() -> None:
    accepted, model = _both(BASE)
    assert accepted is not None and _values(accepted) == _values(model)


def test_the_view_gives_the_policy_values(own_cache: Path) -> None:
    """The view of each fixture policy reads back with the model's values."""
    for path in sorted((ROOT / "fixtures").glob("*/policy.yaml")):
        loaded = load_policy(path)
        stored = json.dumps(view.encode(loaded.model))
        assert _values(view.loads(stored)) == _values(loaded.model)


def test_a_mapping_keyed_by_the_marker_is_not_kept() -> None:
    with pytest.raises(view.Unsupported):
        view.encode({"": 1})


def test_the_view_is_stored_and_read_back(own_cache: Path) -> None:
    path = ROOT / "fixtures" / "k-systems" / "policy.yaml"
    name = cache.key(path.read_bytes())
    assert cache.fetch_view(name) is None
    load_policy(path, cache=True)
    stored = cache.fetch_view(name)
    assert stored is not None
    assert _values(stored.policy) == _values(load_policy(path).model)
    assert stored.formats == {"flows": FORMAT, "bindings": BINDINGS_FORMAT}


def _mutations(data: Any, rng: Any) -> Any:
    """``data`` with one value somewhere replaced, removed or added, chosen by ``rng``."""
    data = copy.deepcopy(data)
    holders: list[tuple[Any, Any]] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            for k in list(node):
                holders.append((node, k))
                walk(node[k])
        elif isinstance(node, list):
            for i in range(len(node)):
                holders.append((node, i))
                walk(node[i])

    walk(data)
    holder, key = rng.choice(holders)
    change = rng.choice(["drop", "replace", "add"])
    values = [
        None,
        True,
        0,
        1.5,
        "",
        "x",
        "FI",
        "US",
        "XX",
        "Name",
        "a\n",
        [],
        {},
        ["FI"],
        {"a": 1},
    ]
    if change == "drop":
        del holder[key]
    elif change == "replace":
        holder[key] = copy.deepcopy(rng.choice(values))
    elif isinstance(holder, dict):
        keys = ["colour", "register_id", "excludes", "storage", "db_schema", "time_formats"]
        holder[rng.choice(keys)] = copy.deepcopy(rng.choice(values))
    else:
        holder.append(copy.deepcopy(rng.choice(values)))
    return data


def test_mutated_files_are_accepted_only_as_pydantic_accepts_them() -> None:
    """Thousands of one-change variants of the repository's flow and bindings files: whatever
    the format accepts, pydantic accepts with the same values; and it accepts some."""
    import random

    rng = random.Random(17)
    documents = [(d, p in BINDINGS) for p, d in _documents_safe() if isinstance(d, dict)]
    both = 0
    for _ in range(4000):
        document, bindings = rng.choice(documents)
        data = _mutations(document, rng)
        accepted, model = _both(data, bindings)
        if accepted is not None:
            assert model is not None, data
            assert _values(accepted) == _values(model), data
            both += 1
    assert both > 300  # the format is not one that refuses everything


def _documents_safe() -> list[tuple[Path, Any]]:
    out = []
    for path in FLOWS + BINDINGS:
        try:
            out.append((path, yaml.safe_load((ROOT / path).read_text("utf-8"))))
        except (yaml.YAMLError, UnicodeDecodeError):
            continue
    return out


def test_the_planted_bindings_violations_are_found_from_the_view(
    own_cache: Path, taken: list[int | None], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Every bindings rule fires on tests/data/lint's planted violations, from the view."""
    path = ROOT / "tests" / "data" / "lint" / "bindings.yaml"
    _report(path, tmp_path / "warm.json", capsys)
    code, report, _ = _report(path, tmp_path / "light.json", capsys)
    assert taken[-1] == code == 1
    assert {f["rule"] for f in json.loads(report)["findings"]} == {f"BND00{i}" for i in range(1, 6)}
