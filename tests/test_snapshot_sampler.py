"""PostgreSQL's sampler thread hands the GIL back itself and leaves the process's settings
alone: a check run inside another program changes nothing of that program's."""

from __future__ import annotations

import sys
import threading
from collections.abc import Iterator
from typing import Any

import pytest
from snapshot_truth import NATIVE, check, errors, expected, observed


@pytest.fixture
def postgres(require_server: Any) -> Iterator[str]:
    from servers import SERVERS, scratch_database

    admin, what, port, driver = SERVERS["postgresql"]
    require_server(what, "127.0.0.1", port, driver)
    with scratch_database(admin) as url:
        yield url


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
