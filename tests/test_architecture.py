"""The direction of the code: policy -> checks -> findings -> reports, and rules on engines.

Read from the source with ``ast`` (every import, those inside functions included), so that the
direction holds for the code as written, not only for what one run happens to import:

- Reports render a ``Report`` and read no file: what they show about an input (the line that
  binds a snapshot's table, the flows of a flow file) was resolved by the check that read it.
- Engines do not import rules. A *rule module* is any module below ``seloste.checks.rules``
  (the rules and their helpers ``_refs``, ``_flows``, ``_snapshot``); an *engine* is every
  other module of ``seloste.checks``, the registry ``seloste.checks.rules`` itself included:
  engines find rules through the registry, which imports them by name at run time, and what
  both sides need lives where both read it (``seloste.policy.names``, ``...transfers``).
- The policy language does not know the checks.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = {"seloste.policy": ROOT / "policy", "seloste.checks": ROOT / "checks"}
RULES = "seloste.checks.rules"
REPORTS = "seloste.checks.reports"
# What reads files by name: the YAML reader and loader, the guarded file reads, and package
# data or metadata.
FILE_READERS = (
    "seloste.policy.yamlsource",
    "seloste.policy.loader",
    "seloste.policy.files",
    "importlib.resources",
    "importlib.metadata",
)
FILE_CALLS = {"open", "read_text", "read_bytes", "write_text", "write_bytes"}


def _modules() -> dict[str, Path]:
    found = {}
    for package, folder in PACKAGES.items():
        for path in sorted(folder.rglob("*.py")):
            parts = path.relative_to(folder).with_suffix("").parts
            if parts[-1] == "__init__":
                parts = parts[:-1]
            found[".".join((package, *parts))] = path
    return found


MODULES = _modules()


def _package_of(module: str, path: Path) -> str:
    return module if path.name == "__init__.py" else module.rpartition(".")[0]


def imported(module: str, source: str, path: Path) -> set[str]:
    """Every module ``source`` imports, anywhere in it; ``from M import n`` counts as ``M.n``
    too where that is a module (of ours, or of another distribution: it cannot be told)."""
    out: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            out.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                up = _package_of(module, path).split(".")
                up = up[: len(up) - node.level + 1]
                base = ".".join([*up, base] if base else up)
            out.add(base)
            ours = base.startswith(tuple(PACKAGES))
            names = (f"{base}.{alias.name}" for alias in node.names)
            out.update(n for n in names if n in MODULES or not ours)
        elif isinstance(node, ast.Call) and _name(node.func) in ("import_module", "__import__"):
            first = node.args[0] if node.args else None
            if isinstance(first, ast.Constant) and isinstance(first.value, str):
                out.add(first.value)
    return out


def _name(func: ast.expr) -> str | None:
    if isinstance(func, ast.Name):
        return func.id
    return func.attr if isinstance(func, ast.Attribute) else None


def file_access(module: str, source: str, path: Path) -> list[str]:
    """How ``source`` reads or writes files: the calls and the imports that do."""
    calls = [
        f"line {node.lineno}: {_name(node.func)}()"
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.Call) and _name(node.func) in FILE_CALLS
    ]
    names = imported(module, source, path)
    readers = [r for r in FILE_READERS if any(m == r or m.startswith(f"{r}.") for m in names)]
    return calls + [f"imports {r}" for r in readers]


def is_rule(module: str) -> bool:
    return module.startswith(f"{RULES}.")


def rule_imports(module: str, source: str, path: Path) -> list[str]:
    """The rule modules an engine's ``source`` imports."""
    if is_rule(module):
        return []
    return sorted(m for m in imported(module, source, path) if is_rule(m))


def _source(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def test_the_walk_sees_the_packages_and_their_imports() -> None:
    """The checks below would pass over nothing if the walk found no modules or no imports."""
    assert {"seloste.checks.reports.sarif", f"{RULES}._refs", RULES} <= set(MODULES)
    lint = MODULES["seloste.checks.lint"]
    assert RULES in imported("seloste.checks.lint", _source(lint), lint)
    common = MODULES["seloste.checks.commands.common"]
    found = imported("seloste.checks.commands.common", _source(common), common)
    assert "seloste.checks.gate" in found  # an import inside a function


def test_the_checks_catch_what_they_are_for() -> None:
    """An import inside a function, a relative import and a file read are all seen."""
    engine = ROOT / "checks" / "flows" / "context.py"
    lazy = "def f():\n    from seloste.checks.rules._refs import references\n"
    assert rule_imports("seloste.checks.flows.context", lazy, engine) == [f"{RULES}._refs"]
    relative = "from ..rules import pol004_transfer_outside_region\n"
    assert rule_imports("seloste.checks.flows.context", relative, engine) == [
        f"{RULES}.pol004_transfer_outside_region"
    ]
    registry = "from seloste.checks.rules import by_scope\nfrom seloste.checks import rules\n"
    assert rule_imports("seloste.checks.flows.context", registry, engine) == []
    report = ROOT / "checks" / "reports" / "html.py"
    reads = "def f(p):\n    from seloste.policy import yamlsource\n    return p.read_text()\n"
    assert file_access(f"{REPORTS}.html", reads, report) == [
        "line 3: read_text()",
        "imports seloste.policy.yamlsource",
    ]
    assert file_access(f"{REPORTS}.html", "with open(p) as f:\n    pass\n", report) == [
        "line 1: open()"
    ]


def test_no_report_reads_a_file() -> None:
    found = {
        module: access
        for module, path in MODULES.items()
        if module == REPORTS or module.startswith(f"{REPORTS}.")
        if (access := file_access(module, _source(path), path))
    }
    assert found == {}


def test_no_engine_imports_a_rule() -> None:
    found = {
        module: names
        for module, path in MODULES.items()
        if module.startswith("seloste.checks")
        if (names := rule_imports(module, _source(path), path))
    }
    assert found == {}


def test_the_policy_language_does_not_import_the_checks() -> None:
    found = {
        module: sorted(m for m in imported(module, _source(path), path) if "seloste.checks" in m)
        for module, path in MODULES.items()
        if module.startswith("seloste.policy")
    }
    assert {m: names for m, names in found.items() if names} == {}
