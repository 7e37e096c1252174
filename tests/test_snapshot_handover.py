"""The switch interval the snapshot runner shortens while its sampler runs (PostgreSQL): the
setting is the process's, so no thread but the runner's and the sampler's may run under it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Prints the interval outside, inside and after the runner's handover, with the given threads.
PROBE = """
import sys, threading
from seloste.checks.snapshot.runner import _quick_handover
stop = threading.Event()
def waiting():
    t = threading.Thread(target=stop.wait)
    t.start()
    return t
sampler = waiting() if "sampler" in sys.argv else None
other = waiting() if "other" in sys.argv else None
shown = [sys.getswitchinterval()]
try:
    with _quick_handover(sampler):
        shown.append(sys.getswitchinterval())
        if "raise" in sys.argv:
            raise KeyError
except KeyError:
    pass
shown.append(sys.getswitchinterval())
stop.set()
print(" ".join(str(s) for s in shown))
"""


def _intervals(*threads: str) -> list[float]:
    result = subprocess.run(
        [sys.executable, "-c", PROBE, *threads],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=True,
    )
    return [round(float(s), 6) for s in result.stdout.split()]  # kept in whole microseconds


def test_shortened_while_the_sampler_is_the_only_other_thread() -> None:
    assert _intervals("sampler") == [0.005, 0.0002, 0.005]
    assert _intervals("sampler", "raise") == [0.005, 0.0002, 0.005]


def test_left_alone_when_another_thread_runs_or_there_is_no_sampler() -> None:
    assert _intervals("sampler", "other") == [0.005, 0.005, 0.005]
    assert _intervals() == [0.005, 0.005, 0.005]
