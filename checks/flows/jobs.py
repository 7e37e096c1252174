"""How a set of flow files is split over processes.

Reading YAML is Python work that one core does at about 10,000 flows a second, and every
flow rule asks about one flow at a time, so files can be checked apart and their findings
joined. A process costs a few milliseconds to fork and the policy must be sent to it, so
small sets (the pre-commit case: one or two files) stay in this process.
"""

from __future__ import annotations

import os
import sys
import threading
from typing import NamedTuple

from seloste.checks.findings import CheckedFlow, Finding
from seloste.policy.errors import Problem

# Below this much YAML a second process costs more than it saves (measured: 10,000 flows,
# 3.2 MB, take 0.9 s in one process; forking and sending a policy take about 20 ms).
PARALLEL_BYTES = 512 * 1024


class Outcome(NamedTuple):
    """What checking one part gave: findings and the flows checked, or the problems that
    stopped it."""

    findings: list[Finding]
    problems: list[Problem]
    flows: tuple[CheckedFlow, ...] = ()


def cores() -> int:
    """The cores this process may run on (a container's limit, not the machine's)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on every platform
        return os.cpu_count() or 1


def can_fork() -> bool:
    """Forking is safe here: Linux (macOS's system libraries are not fork-safe), and no
    other thread that might hold a lock the child would inherit taken."""
    return sys.platform == "linux" and threading.active_count() == 1


def _size(path: str) -> int:
    try:
        return os.path.getsize(path)
    except OSError:
        return 0  # reported when it is read


def chunks(paths: list[str], jobs: int = 0) -> list[list[str]]:
    """``paths`` in at most ``jobs`` parts of about equal size, each in the given order.

    ``jobs`` 0 means: one part per core when there is enough to read, else one part.
    """
    sizes = {p: _size(p) for p in paths}
    if jobs <= 0:
        jobs = cores() if sum(sizes.values()) >= PARALLEL_BYTES else 1
    jobs = min(jobs, len(paths)) if can_fork() else 1
    if jobs <= 1:
        return [list(paths)]
    # Largest first, each to the lightest part: within a few percent of even for many files.
    parts: list[list[str]] = [[] for _ in range(jobs)]
    loads = [0] * jobs
    for path in sorted(paths, key=lambda p: -sizes[p]):
        lightest = loads.index(min(loads))
        parts[lightest].append(path)
        loads[lightest] += sizes[path]
    order = {p: i for i, p in enumerate(paths)}
    return [sorted(part, key=order.__getitem__) for part in parts]
