"""Read flow files and the policies they name, collecting every input problem at once."""

from __future__ import annotations

from pathlib import Path

from seloste.policy.errors import InputError, Problem
from seloste.policy.flows import Flows
from seloste.policy.loader import Loaded, load_policy, named_policy_problems, policy_of
from seloste.policy.model import Policy


def unique(paths: list[str]) -> list[str]:
    """``paths`` without a file named twice (overlapping globs, ./a and a), which would
    report every finding twice."""
    seen: set[Path] = set()
    out = []
    for path in paths:
        if (resolved := Path(path).resolve()) not in seen:
            seen.add(resolved)
            out.append(path)
    return out


def policy_path(file: Loaded[Flows], *, outside_root: bool = False) -> Path | None:
    """The policy a flow file names, relative to the file itself (not to the working dir);
    ``InputError`` when it resolves outside the file's root and ``outside_root`` is False."""
    if file.model.policy is None:
        return None
    return policy_of(file, outside_root=outside_root).resolve()


def _load_once(
    target: Path, loaded: dict[Path, Loaded[Policy] | InputError], cache: bool
) -> Loaded[Policy] | InputError:
    if target not in loaded:
        try:
            loaded[target] = load_policy(target, cache=cache)
        except InputError as exc:
            loaded[target] = exc
    return loaded[target]


def group(
    files: list[Loaded[Flows]],
    given: Loaded[Policy] | None = None,
    *,
    problems: list[Problem] | None = None,
    policies: dict[Path, Loaded[Policy] | InputError] | None = None,
    outside_root: bool = False,
    cache: bool = False,
) -> list[tuple[Loaded[Policy], list[Loaded[Flows]]]]:
    """Loaded flow files grouped by their policy; ``policies`` holds those already loaded
    (by resolved path), so a run that also names the policy reads it once. A policy outside
    a file's root is read only with ``outside_root`` (policy/files.py); with ``cache``, a
    policy is taken from the user's policy cache when it did not change (policy/cache.py)."""
    problems = list(problems or [])
    if given is not None:
        if problems:
            raise InputError(problems)
        return [(given, files)] if files else []
    policies = {} if policies is None else policies
    groups: dict[Path, tuple[Loaded[Policy], list[Loaded[Flows]]]] = {}
    for file in files:
        try:
            target = policy_path(file, outside_root=outside_root)
        except InputError as exc:
            problems += exc.problems
            continue
        if target is None:
            problems.append(
                file.doc.problem(
                    (), "no policy to check against: add `policy: PATH` or give --policy FILE"
                )
            )
            continue
        loaded = _load_once(target, policies, cache)
        if isinstance(loaded, InputError):
            problems += named_policy_problems(file, loaded)
            continue
        groups.setdefault(target, (loaded, []))[1].append(file)
    if problems:
        raise InputError(problems)
    return list(groups.values())
