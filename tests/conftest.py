"""Shared test helpers. Each engineer's section is self-contained."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
K_SYSTEMS = ROOT / "fixtures" / "k-systems"


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


@pytest.fixture(params=["postgresql", "mariadb"])
def server(request: pytest.FixtureRequest, require_server):
    """The K-Systems snapshot in a fresh database on each server (PostgreSQL, MariaDB)."""
    from servers import SERVERS, scratch_database

    admin, what, port, driver = SERVERS[request.param]
    require_server(what, "127.0.0.1", port, driver)
    with scratch_database(admin) as url:
        yield url
