"""The pre-commit hook's path for flow files whose policy did not change: without pydantic.

``validate`` (the hook) is given the files a commit stages. When every one is a flow file that
parses without a problem, names a policy (inside its root) whose view is in the user's policy
cache, and is accepted by the flows format stored with that view (policy/cache.py,
policy/view.py), the flow rules run here on the view: the same rules as the full path's,
reading the same attribute names. Anything else (a policy, bindings or waiver file, a parse
problem, a file the format does not accept, a policy with no view, any option that reads
other files) gives None, and the full path runs from the start; it alone reports problems.
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


class _Policy:
    """A policy's view and the flows format stored with it, read once a run."""

    def __init__(self, path: Path, stored: View) -> None:
        # The view has no places: no flow rule points into the policy file.
        model = cast("Policy", stored.policy)  # the model's attribute names (policy/view.py)
        self.loaded: Loaded[Policy] = Loaded(model, yamlsource.Document(str(path), {}))
        self.flows: dict[str, Any] = stored.formats["flows"]
        self.files: list[Loaded[Any]] = []


def run(
    args: argparse.Namespace, options: Options, read: dict[str, bytes | InputError]
) -> int | None:
    """The exit code of the hook on flow files only, or None: the full path decides, from
    what this path ``read`` of each file (its bytes, or why it could not be read)."""
    from seloste.checks.commands.common import emit

    if options.waivers or options.baseline or options.write_baseline or args.allow_outside_root:
        return None
    policies: dict[Path, _Policy] = {}
    for path in args.paths:
        named = _flow_file(path, policies, read)
        if named is None:
            return None
    findings: list[Finding] = []
    checked: list[CheckedFlow] = []
    for policy in policies.values():
        context = FlowContext(
            policy.loaded, tuple(policy.files), PolicyIndex.of(policy.loaded.model)
        )
        findings.extend(_rules(context))
        checked.extend(context.checked())
    from seloste.checks.findings import register_names

    registers = [n for p in policies.values() for n in register_names(p.loaded.model).items()]
    return emit(findings, [], list(args.paths), options, checked, registers=registers)


def _flow_file(
    path: str, policies: dict[Path, _Policy], read: dict[str, bytes | InputError]
) -> _Policy | None:
    """The policy ``path`` is checked against, with the file added to it; None when the
    file is not one this path may take."""
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
    written = doc.data.get("policy")
    if doc.data.get("kind") != "flows" or not isinstance(written, str):
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
        if stored is None or not isinstance(stored.formats.get("flows"), dict):
            return None
        policies[resolved] = _Policy(resolved, stored)
    policy = policies[resolved]
    model = view.accept(policy.flows, doc.data)
    if model is None:
        return None
    policy.files.append(Loaded(model, doc))
    return policy


def _rules(context: FlowContext) -> list[Finding]:
    from seloste.checks.flows import run as flow_rules

    return flow_rules(context)
