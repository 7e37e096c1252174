"""Product code never knows a fixture: no key or name from ``fixtures/`` in ``policy/`` or
``checks/``.

seloste is judged on organisations it has never seen, so nothing it does may hang on the
worked examples' own words. The test gathers every identifier the fixtures define (policy
IDs, bindings' tables and columns, flow and config keys) and the organisations' names, takes
away the language's own vocabulary (every key and enumerated value of the published schemas),
and looks for what is left in the product's code: string literals of every module (docstrings
excepted: they document, and a rule's example may borrow a familiar name) and every data file
or template shipped with it. A hit means behaviour that only a fixture could trigger.
"""

from __future__ import annotations

import ast
import json
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
PRODUCT = (ROOT / "policy", ROOT / "checks")
FIXTURES = ROOT / "fixtures"
# Words of the generic vocabulary that a fixture happens to use too: a row key, and
# thing-words the personal-name heuristic knows ("plan_name", "domain_name" name things).
GENERIC = {"id", "plan", "domain"}
# Words the language had and still recognises, to say how to rewrite them (policy/retired.py).
RETIRED = {"partner", "role", "processors", "sub_processor"}
POLICY_IDS = ("fields", "registers", "purposes", "recipients", "regions")
REGISTER_IDS = ("data_subjects", "retention")
TABLE_COLUMNS = ("key", "relationship_end", "collected_at", "last_activity")
TABLE_COLUMNS += ("marketing_opt_out", "restricted")


def _policy_ids(policy: dict[str, Any]) -> Iterator[str]:
    for part in POLICY_IDS:
        yield from policy.get(part) or {}
    yield from ((policy.get("notice") or {}).get("sections") or {})
    for register in (policy.get("registers") or {}).values():
        for part in REGISTER_IDS:
            yield from register.get(part) or {}
        for rule in (register.get("retention") or {}).values():
            yield from rule.get("exceptions") or {}


def _bindings_names(bindings: dict[str, Any]) -> Iterator[str]:
    for table, binding in (bindings.get("tables") or {}).items():
        yield table
        yield from binding.get("columns") or {}
        yield from binding.get("other_columns") or []
        yield from binding.get("time_formats") or {}
        yield from (binding[c] for c in TABLE_COLUMNS if isinstance(binding.get(c), str))
        if isinstance(binding.get("subject"), dict):
            yield binding["subject"].get("column", "")
    yield from bindings.get("ignore_tables") or []


def _names(policy: dict[str, Any]) -> Iterator[str]:
    """The organisations' own names: the controller's, its other spellings, former names."""
    controller = policy.get("controller") or {}
    yield controller.get("name", "")
    yield from controller.get("also_known_as", [])
    for recipient in (policy.get("recipients") or {}).values():
        yield from recipient.get("formerly", [])


def fixture_words() -> tuple[set[str], set[str]]:
    """What the fixtures' organisations named: their IDs, tables, columns, flows and names."""
    ids: set[str] = set()
    names: set[str] = set()
    for path in sorted(FIXTURES.rglob("*.yaml")):
        for document in yaml.safe_load_all(path.read_text(encoding="utf-8")):
            kind = document.get("kind") if isinstance(document, dict) else None
            if kind == "policy":
                ids.update(_policy_ids(document))
                names.update(_names(document))
            elif kind == "bindings":
                ids.update(_bindings_names(document))
            elif kind == "flows":
                ids.update(document.get("flows") or {})
    return ids - {""}, names - {""}


def _schema_words(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key in ("properties", "$defs", "patternProperties"):
                yield from (str(k) for k in value)
            if key in ("enum", "const"):
                values = value if isinstance(value, list) else [value]
                yield from (str(v) for v in values)
            yield from _schema_words(value)
    elif isinstance(node, list):
        for value in node:
            yield from _schema_words(value)


def language_words() -> set[str]:
    words: set[str] = set()
    for name in ("policy", "bindings", "flows", "report"):
        out = subprocess.run(
            [sys.executable, "-m", "seloste.checks.cli", "schema", name],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        words.update(_schema_words(json.loads(out)))
    return words


def _literals(path: Path) -> Iterator[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = set()
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if isinstance(body, list) and body and isinstance(body[0], ast.Expr):
            docstrings.add(id(body[0].value))
    for node in ast.walk(tree):
        is_text = isinstance(node, ast.Constant) and isinstance(node.value, str)
        if is_text and id(node) not in docstrings:
            yield node.lineno, node.value


def product_texts() -> Iterator[tuple[str, str]]:
    for folder in PRODUCT:
        for path in sorted(folder.rglob("*")):
            if not path.is_file() or "__pycache__" in path.parts:
                continue
            where = str(path.relative_to(ROOT))
            if path.suffix == ".py":
                for line, text in _literals(path):
                    yield f"{where}:{line}", text
            else:
                yield where, path.read_text(encoding="utf-8")


def fideslang_keys() -> set[str]:
    """The keys of fideslang's default taxonomy (checks/fides/taxonomy.yaml): another
    language's own words, one of which a fixture may use as an ID too (user.payment)."""
    table = yaml.safe_load((ROOT / "checks" / "fides" / "taxonomy.yaml").read_text("utf-8"))
    return {key for part in table["default"].values() for key in part if "." in key}


def _in_foreign_key(text: str, match: re.Match[str], keys: set[str]) -> bool:
    """Whether ``match`` is a part of a whole dotted fideslang key written in ``text``."""
    start, end = match.start(), match.end()
    while start > 0 and (text[start - 1].isalnum() or text[start - 1] in "._"):
        start -= 1
    while end < len(text) and (text[end].isalnum() or text[end] in "._"):
        end += 1
    return text[start:end] in keys


def test_product_code_names_no_fixture_key() -> None:
    ids, names = fixture_words()
    own = ids - language_words() - GENERIC - RETIRED
    assert len(own) > 50, "the fixtures' identifiers were not found"
    assert "customer_register" in own and "fi_domain_register" in own
    word = re.compile(r"(?<![A-Za-z0-9_])(" + "|".join(map(re.escape, sorted(own))) + r")(?![\w-])")
    name = re.compile("|".join(re.escape(n) for n in sorted(names)), re.IGNORECASE)
    foreign = fideslang_keys()
    hits = [
        f"{where}: {m.group(0)!r}"
        for where, text in product_texts()
        for m in (*word.finditer(text), *name.finditer(text))
        if not _in_foreign_key(text, m, foreign)
    ]
    assert hits == []


def test_the_search_would_see_a_fixture_key(tmp_path: Path) -> None:
    """The matcher finds a planted key in a literal and ignores it in a docstring."""
    module = tmp_path / "planted.py"
    module.write_text('"""Example: customer_register."""\nX = {"section.customer_register": 1}\n')
    found = [text for _, text in _literals(module)]
    assert found == ["section.customer_register"]
