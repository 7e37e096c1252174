"""The pre-commit hook's path for flow and bindings files whose policy did not change: without
pydantic.

``validate`` (the hook) is given the files a commit stages. When every one is a flow or
bindings file that parses without a problem, names a policy (inside its root) whose view is
in the user's policy cache, and is accepted by the format of its kind stored with that view
(policy/cache.py, policy/view.py), the flow rules and the bindings rules run here on the view:
the same rules as the full path's, reading the same attribute names. Anything else (a policy
or waiver file, a parse problem, a file the format does not accept, a policy with no view,
any option that reads other files) gives None, and the full path runs from the start; it
alone reports problems.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from seloste.checks.flows.context import FlowContext, PolicyIndex
from seloste.policy import files, view, yamlsource
from seloste.policy.errors import InputError
from seloste.policy.loaded import Loaded

if TYPE_CHECKING:
    from seloste.checks.findings import CheckedFlow, Finding
    from seloste.checks.gate import Options
    from seloste.policy.cache import View
    from seloste.policy.model import Policy

KINDS = ("flows", "bindings")


class _Policy:
    """A policy's view and the formats stored with it, read once a run, and the staged files
    of each kind that name it."""

    def __init__(self, path: Path, stored: View) -> None:
        # The view has no places: no flow or bindings rule points into the policy file.
        model = cast("Policy", stored.policy)  # the model's attribute names (policy/view.py)
        self.loaded: Loaded[Policy] = Loaded(model, yamlsource.Document(str(path), {}))
        self.formats: dict[str, Any] = stored.formats
        self.files: dict[str, list[Loaded[Any]]] = {kind: [] for kind in KINDS}


def run(
    args: argparse.Namespace, options: Options, read: dict[str, bytes | InputError]
) -> int | None:
    """The exit code of the hook on flow and bindings files only, or None: the full path
    decides, from what this path ``read`` of each file (its bytes, or why it could not be
    read)."""
    from seloste.checks.commands.common import emit
    from seloste.checks.findings import register_names

    if options.waivers or options.baseline or options.write_baseline or args.allow_outside_root:
        return None
    policies: dict[Path, _Policy] = {}
    # The policies in the order the full path meets them: those of bindings files, then
    # those of flow files (the report's registers come in that order).
    named: dict[str, dict[Path, _Policy]] = {kind: {} for kind in KINDS}
    bound: list[tuple[_Policy, Loaded[Any]]] = []
    for path in args.paths:
        staged = _staged(path, policies, read)
        if staged is None:
            return None
        kind, target = staged
        named[kind].setdefault(target, policies[target])
        if kind == "bindings":
            bound.append((policies[target], policies[target].files[kind][-1]))
    findings: list[Finding] = []
    checked: list[CheckedFlow] = []
    for policy, bindings in bound:  # each file against its policy, in the order given
        findings.extend(_bindings_rules(policy, bindings))
    for policy in named["flows"].values():
        index = PolicyIndex.of(policy.loaded.model)
        context = FlowContext(policy.loaded, tuple(policy.files["flows"]), index)
        findings.extend(_flow_rules(context))
        checked.extend(context.checked())
    met = {**named["bindings"], **named["flows"]}
    registers = [n for p in met.values() for n in register_names(p.loaded.model).items()]
    return emit(findings, [], list(args.paths), options, checked, registers=registers)


def _staged(
    path: str, policies: dict[Path, _Policy], read: dict[str, bytes | InputError]
) -> tuple[str, Path] | None:
    """The kind of ``path`` and the policy it names, the file added to the policy's; None
    when the file is not one this path may take."""
    from seloste.policy import cache

    if files.linked_outside(path) is not None:
        return None
    try:
        raw = read[path] = files.read_bytes(path)
        doc = yamlsource.parse_bytes(raw, path)
    except InputError as exc:
        read.setdefault(path, exc)
        return None
    if doc.problems or doc.more or not isinstance(doc.data, dict):
        return None
    kind, written = doc.data.get("kind"), doc.data.get("policy")
    if kind not in KINDS or not isinstance(written, str):
        return None
    target = Path(path).parent / written
    if files.outside(target, path) is not None:
        return None
    resolved = target.resolve()
    if resolved not in policies:
        try:
            stored = cache.fetch_view(cache.key(files.read_bytes(target)))
        except InputError:
            return None
        if stored is None:
            return None
        policies[resolved] = _Policy(resolved, stored)
    policy = policies[resolved]
    model = view.accept(policy.formats[kind], doc.data)
    if model is None:
        return None
    policy.files[kind].append(Loaded(model, doc))
    return kind, resolved


def _bindings_rules(policy: _Policy, bindings: Loaded[Any]) -> list[Finding]:
    from seloste.checks.context import BoundPolicy
    from seloste.checks.lint import lint_bindings

    return lint_bindings(BoundPolicy(policy.loaded, bindings))


def _flow_rules(context: FlowContext) -> list[Finding]:
    from seloste.checks.flows import run as flow_rules

    return flow_rules(context)
