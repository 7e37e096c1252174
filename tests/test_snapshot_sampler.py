"""PostgreSQL's sampler thread hands the GIL back itself and leaves the process's settings
alone: a check run inside another program changes nothing of that program's."""

from __future__ import annotations

import sys
import threading

import pytest
from snapshot_truth import NATIVE, check, errors, expected, observed


@pytest.mark.postgres
def test_the_sampler_gives_way_between_batches_and_sets_nothing(
    postgres: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from seloste.checks.snapshot import sampling

    given: list[str] = []
    monkeypatch.setattr(sampling, "give_way", lambda: given.append(threading.current_thread().name))

    def refuse(_: float) -> None:
        raise AssertionError("the switch interval is the process's, not seloste's")

    monkeypatch.setattr(sys, "setswitchinterval", refuse)
    before = sys.getswitchinterval()
    findings = check(postgres)
    assert errors(findings) == []
    assert observed(findings) == expected(storage=NATIVE)
    assert sys.getswitchinterval() == before
    # one batch (or more) for each of the 8 tables with value checks, all on the sampler
    assert len(given) >= 8 and set(given) == {"seloste-sampler"}
