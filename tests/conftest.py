"""Shared test helpers. Each engineer's section is self-contained."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
K_SYSTEMS = ROOT / "fixtures" / "k-systems"


@pytest.fixture(autouse=True)
def own_cache(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test has a policy cache of its own (policy/cache.py), never the user's: a test
    must not read what another run left, nor leave anything behind."""
    home = tmp_path_factory.mktemp("cache")
    monkeypatch.setenv("XDG_CACHE_HOME", str(home))
    monkeypatch.delenv("SELOSTE_NO_CACHE", raising=False)
    return home / "seloste"


@pytest.fixture
def k_policy_text() -> str:
    return (K_SYSTEMS / "policy.yaml").read_text(encoding="utf-8")


# --- database servers (snapshot tests) ------------------------------------------------------


def _reachable(host: str, port: int) -> bool:
    import socket

    try:
        with socket.create_connection((host, port), timeout=2):
            return True
    except OSError:
        return False


@pytest.fixture
def require_server():
    """``require_server(what, host, port, *modules)``: skip when a database server or its
    driver is missing, but fail under ``CI=true``, where every server must be there."""
    import importlib.util
    import os

    def require(what: str, host: str, port: int, *modules: str) -> None:
        missing = [m for m in modules if importlib.util.find_spec(m) is None]
        problem = f"driver {', '.join(missing)} is not installed" if missing else None
        if problem is None and not _reachable(host, port):
            problem = f"no server at {host}:{port}"
        if problem is None:
            return
        if os.environ.get("CI") == "true":
            pytest.fail(f"{what} is needed under CI=true: {problem}")
        pytest.skip(f"{what} unavailable: {problem}")

    return require


# --- scratch databases (issue 8: faults and read-only proofs) ---------------------------------


def _scratch(require_server, which: str, *, snapshot: bool = True):
    """A fresh database on server ``which``: the URL of a role that may only read it."""
    from servers import SERVERS, scratch_database

    admin, what, port, driver = SERVERS[which]
    require_server(what, "127.0.0.1", port, driver)
    with scratch_database(admin, snapshot=snapshot) as url:
        yield url


@pytest.fixture(params=["postgresql", "mariadb"])
def server(request: pytest.FixtureRequest, require_server):
    """The K-Systems snapshot in a fresh database on each server (PostgreSQL, MariaDB)."""
    yield from _scratch(require_server, request.param)


@pytest.fixture
def postgres(require_server):
    """The K-Systems snapshot in a fresh PostgreSQL database."""
    yield from _scratch(require_server, "postgresql")


@pytest.fixture
def mariadb(require_server):
    """The K-Systems snapshot in a fresh MariaDB database."""
    yield from _scratch(require_server, "mariadb")


@pytest.fixture
def empty_postgres(require_server):
    """An empty PostgreSQL database, for tests that make their own tables (as its admin)."""
    yield from _scratch(require_server, "postgresql", snapshot=False)


@pytest.fixture
def empty_mariadb(require_server):
    """An empty MariaDB database, for tests that make their own tables (as its admin)."""
    yield from _scratch(require_server, "mariadb", snapshot=False)
