"""``seloste validate``: load and lint policy, bindings and flow files; the pre-commit hook."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from seloste.checks.commands.common import (
    add_cache,
    add_output,
    add_root,
    cache_wanted,
    emit,
    gate_options,
    linked_outside,
)
from seloste.policy.errors import InputError, Problem

if TYPE_CHECKING:
    from pydantic import BaseModel
    from seloste.checks.findings import CheckedFlow, Finding
    from seloste.policy.loader import Loaded


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "paths",
        nargs="+",
        metavar="FILE",
        help="policy, bindings, flow and waiver files, in any order (their kind: says which)",
    )
    p.add_argument(
        "--with-referrers",
        action="store_true",
        help="also check the flow and bindings files of the repository that name a given "
        "policy (the pre-commit hook's mode: a change to the policy alone can break them)",
    )
    add_output(p)
    add_root(p)
    add_cache(p)


def run(args: argparse.Namespace) -> int:
    """Load every file, whatever its kind, and run the rules that read it alone: policy lint,
    bindings lint (against the policy each names) and the flow rules."""
    options = gate_options(args)
    # What the hook's path read of each file (its bytes, or why it could not): read once.
    read: dict[str, bytes | InputError] = {}
    if cache_wanted(args):
        # Flow files whose policy is in the cache: checked without pydantic, or not at all
        # (None) and then here, from the start.
        from seloste.checks.flows import hook

        if (code := hook.run(args, options, read)) is not None:
            return code
    from seloste.checks.findings import register_names
    from seloste.checks.flows import FlowContext
    from seloste.checks.flows import run as flow_rules
    from seloste.checks.flows.load import group
    from seloste.checks.lint import lint_policy
    from seloste.policy.flows import Flows
    from seloste.policy.loader import load_any
    from seloste.policy.model import Bindings, Policy

    paths, allowed, cache = list(args.paths), args.allow_outside_root, cache_wanted(args)
    problems = linked_outside([options.waivers, options.baseline], args)
    findings: list[Finding] = []
    checked: list[CheckedFlow] = []
    policies: dict[Path, Any] = {}
    bindings: list[Any] = []
    flows: list[Loaded[Flows]] = []
    # Files whose problems are reported already: a broken policy given on the command line
    # and named by a bindings file too is reported once.
    reported: set[Path] = set()
    pending = list(paths)
    while pending:
        path = pending.pop(0)
        if refused := linked_outside([path], args):
            problems += refused
            continue
        try:
            raw = read.pop(path, None)
            if isinstance(raw, InputError):
                raise raw
            loaded = load_any(path, also={"waivers": _waiver_file}, cache=cache, raw=raw)
            if loaded.doc.data.get("kind") == "waivers":
                _check_waivers(loaded)
        except InputError as exc:
            problems.extend(exc.problems)
            reported.add(Path(path).resolve())
            continue
        # The model's kind says which document it is; the Loaded around it says no more.
        if isinstance(loaded.model, Policy):
            policies[Path(path).resolve()] = loaded
            findings.extend(lint_policy(cast("Loaded[Policy]", loaded)))
            if args.with_referrers:
                # The flows and bindings that name it, checked against it as if staged:
                # the run's inputs, and loaded by this loop like the files given.
                found = _referrers(path, paths)
                paths += found
                pending += found
        elif isinstance(loaded.model, Bindings):
            bindings.append(loaded)
        elif isinstance(loaded.model, Flows):
            flows.append(cast("Loaded[Flows]", loaded))
    if bindings:
        findings.extend(_lint_bindings(bindings, policies, problems, allowed, reported, cache))
    try:
        for policy, files in group(flows, policies=policies, outside_root=allowed, cache=cache):
            context = FlowContext.of(policy, files)
            findings.extend(flow_rules(context))
            checked.extend(context.checked())
    except InputError as exc:
        problems.extend(exc.problems)
    registers = [
        named
        for loaded in policies.values()
        if not isinstance(loaded, InputError)
        for named in register_names(loaded.model).items()
    ]
    return emit(findings, problems, paths, options, checked, registers=registers)


def _referrers(policy: str, given: list[str]) -> list[str]:
    """The files of the repository that name ``policy`` and are not ``given``."""
    from seloste.checks.referrers import referrers

    return referrers(policy, exclude=given)


def _waiver_file() -> type[BaseModel]:
    """Imported only when a file declares ``kind: waivers``: most hooks see none."""
    from seloste.checks.waivers import waiver_file

    return waiver_file()


def _check_waivers(loaded: Loaded[BaseModel]) -> None:
    """A waiver file's own checks beyond its schema: each rule exists and may be waived, each
    date is a date (what ``--waivers`` would refuse). Whether a waiver still matches a finding
    is for the run that makes the findings (``check --waivers``), not for ``validate``."""
    from seloste.checks.waivers import WaiverFile, checked

    checked(cast("Loaded[WaiverFile]", loaded))


def _lint_bindings(
    bindings: list[Any],
    policies: dict[Path, Any],
    problems: list[Problem],
    outside_root: bool,
    reported: set[Path],
    cache: bool,
) -> list[Finding]:
    """Bindings lint, each file against the policy it names (loaded once into ``policies``);
    a policy that cannot be loaded adds its problems to ``problems``, once (``reported``)."""
    from seloste.checks.context import BoundPolicy
    from seloste.checks.lint import lint_bindings
    from seloste.policy.loader import load_policy, named_policy_problems, policy_of

    findings: list[Finding] = []
    for loaded in bindings:
        try:
            named = policy_of(loaded, outside_root=outside_root)
        except InputError as exc:
            problems.extend(exc.problems)
            continue
        target = named.resolve()  # one load per file, however it is named
        if target not in policies:
            try:
                # As named: errors give a relative path.
                policies[target] = load_policy(named, cache=cache)
            except InputError as exc:
                policies[target] = exc
        if isinstance(policies[target], InputError):
            if target not in reported:
                problems.extend(named_policy_problems(loaded, policies[target]))
                reported.add(target)
        else:
            findings.extend(lint_bindings(BoundPolicy(policies[target], loaded)))
    return findings
