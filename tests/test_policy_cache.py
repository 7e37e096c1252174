"""The policy cache (policy/cache.py): a policy that did not change is not parsed again, and an
entry is used only when no one but the user could have written it. The attacker tests plant a
pickle that would make a directory when unpickled: the trust checks, not luck, must keep it
from running, which the first of them shows by letting the same entry run when it is trusted.
"""

from __future__ import annotations

import hashlib
import json
import os
import pickle
import subprocess
import sys
from pathlib import Path

import pytest
from seloste.checks.cli import main
from seloste.policy import cache, loader
from seloste.policy.files import read_bytes
from seloste.policy.loader import load_policy
from seloste.policy.model import Policy

ROOT = Path(__file__).resolve().parent.parent
K_SYSTEMS = ROOT / "fixtures" / "k-systems"
TEXT = (K_SYSTEMS / "policy.yaml").read_bytes()
FLOW = (K_SYSTEMS / "flows-clean" / "billing.flows.yaml").read_text(encoding="utf-8")


class Planted:
    """What an attacker's entry holds: unpickling it makes the directory ``marker``."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[object, tuple[str]]:
        return os.mkdir, (str(self.marker),)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A repository holding the K-Systems policy and a flow file naming it."""
    (tmp_path / ".git").mkdir()
    (tmp_path / "policy.yaml").write_bytes(TEXT)
    flow = FLOW.replace("policy: ../policy.yaml", "policy: policy.yaml")
    (tmp_path / "billing.flows.yaml").write_text(flow, encoding="utf-8")
    return tmp_path


@pytest.fixture
def parses(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The paths of the policies validated (not taken from the cache) from now on."""
    seen: list[str] = []
    validate = loader.from_document

    def counting(doc, model):  # type: ignore[no-untyped-def]
        if model is Policy:
            seen.append(doc.path)
        return validate(doc, model)

    monkeypatch.setattr(loader, "from_document", counting)
    return seen


def _entry(policy: Path) -> str:
    return cache.key(read_bytes(policy))


def _plant(directory: Path, name: str, payload: bytes, mode: int = 0o600) -> Path:
    """An entry as the cache writes one (its name and the hash of its payload in its head),
    so that only the trust checks can refuse it."""
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    head = cache._MAGIC + name.encode() + b"\n" + hashlib.sha256(payload).hexdigest().encode()
    path = directory / name
    path.write_bytes(head + b"\n" + payload)
    path.chmod(mode)
    return path


def test_a_policy_is_parsed_once_then_taken_from_the_cache(
    project: Path, own_cache: Path, parses: list[str]
) -> None:
    first = load_policy(project / "policy.yaml", cache=True)
    again = load_policy(project / "policy.yaml", cache=True)
    assert parses == [str(project / "policy.yaml")]
    assert again.model == first.model
    assert again.doc.data == first.doc.data
    # Places survive: a finding in the cached policy points where the parsed one does.
    assert again.mark("registers", "customer_register", "fields", 2) == first.mark(
        "registers", "customer_register", "fields", 2
    )
    name = _entry(project / "policy.yaml")
    assert {p.name for p in own_cache.iterdir()} == {name, cache.view_name(name)}
    for entry in own_cache.iterdir():
        assert entry.stat().st_mode & 0o777 == 0o600
    assert own_cache.stat().st_mode & 0o777 == 0o700


def test_the_same_bytes_elsewhere_are_named_by_their_own_path(
    project: Path, parses: list[str]
) -> None:
    load_policy(project / "policy.yaml", cache=True)
    (project / "copy").mkdir()
    (project / "copy" / "policy.yaml").write_bytes(TEXT)
    moved = load_policy(project / "copy" / "policy.yaml", cache=True)
    assert len(parses) == 1
    assert moved.path == str(project / "copy" / "policy.yaml")


def test_a_changed_policy_is_parsed_again(project: Path, parses: list[str]) -> None:
    load_policy(project / "policy.yaml", cache=True)
    renamed = TEXT.replace(b"K-Systems Contacts Oy", b"K-Systemz Contacts Oy")
    (project / "policy.yaml").write_bytes(renamed)
    changed = load_policy(project / "policy.yaml", cache=True)
    assert len(parses) == 2
    assert "K-Systemz" in changed.model.model_dump_json()


def test_a_broken_policy_is_not_stored(project: Path, own_cache: Path) -> None:
    (project / "policy.yaml").write_bytes(TEXT.replace(b"kind: policy", b"kind: polcy"))
    for _ in range(2):  # reported the same both times: nothing kept of the first
        assert main(["validate", "--no-config", str(project / "billing.flows.yaml")]) == 2
    assert not own_cache.exists() or list(own_cache.iterdir()) == []


def test_the_hook_gives_the_same_report_from_the_cache(
    project: Path, capsys: pytest.CaptureFixture[str], parses: list[str]
) -> None:
    broken = FLOW.replace("policy: ../policy.yaml", "policy: policy.yaml").replace(
        "fields: [", "fields: [hetu, ", 1
    )
    (project / "billing.flows.yaml").write_text(broken, encoding="utf-8")
    # A lint finding in the policy itself, placed by the cached document's places.
    linted = TEXT.replace(
        b"    fields: [organisation_name, contact_name, email, phone]",
        b"    fields: [organisation_name, contact_name, email, phone, fax]",
    )
    assert linted != TEXT
    (project / "policy.yaml").write_bytes(linted)
    hook = ["validate", "--no-config", "--with-referrers"]
    outputs = []
    for args in ([str(project / "policy.yaml")], [str(project / "billing.flows.yaml")]) * 2:
        assert main([*hook, *args]) == 1
        outputs.append(capsys.readouterr().out)
    assert outputs[0] == outputs[2] and outputs[1] == outputs[3]
    assert "FLW" in outputs[1]
    assert "POL001" in outputs[0]
    # A staged policy is read from the cache too when its bytes did not change.
    assert parses == [str(project / "policy.yaml")]


@pytest.mark.parametrize(
    "off", [["--no-cache"], "SELOSTE_NO_CACHE"], ids=["--no-cache", "SELOSTE_NO_CACHE=1"]
)
def test_the_cache_can_be_turned_off(
    project: Path,
    own_cache: Path,
    parses: list[str],
    monkeypatch: pytest.MonkeyPatch,
    off: list[str] | str,
) -> None:
    flags = off if isinstance(off, list) else []
    if isinstance(off, str):
        monkeypatch.setenv(off, "1")
    for command in ("validate", "check"):
        args = [command, "--no-config", *flags]
        args += ["--flows"] if command == "check" else []
        assert main([*args, str(project / "billing.flows.yaml")]) == 0
    assert len(parses) == 2
    assert not own_cache.exists()


def test_check_reads_the_policy_from_the_cache(project: Path, parses: list[str]) -> None:
    for _ in range(2):
        assert main(["check", "--no-config", "--flows", str(project / "billing.flows.yaml")]) == 0
    assert len(parses) == 1


def test_xdg_cache_home_is_used_when_absolute() -> None:
    assert cache.directory({"XDG_CACHE_HOME": "/somewhere"}) == Path("/somewhere/seloste")
    home = {"HOME": "/home/me"}
    assert cache.directory({**home, "XDG_CACHE_HOME": "rel"}) == Path("/home/me/.cache/seloste")
    assert cache.directory(home) == Path("/home/me/.cache/seloste")
    # Never relative to the working directory: no cache without a home.
    assert cache.directory({"HOME": "relative"}) is None


def test_the_entries_written_last_are_kept(project: Path, own_cache: Path) -> None:
    """Every edit of a policy names a new entry: the oldest go once there are more than
    ``KEEP``, and files that are not entries (a stranger's, a temporary) stay."""
    own_cache.mkdir(mode=0o700, parents=True)
    old = [own_cache / f"{i:064x}" for i in range(cache.KEEP + 5)]
    for age, path in enumerate(old):  # old[0] is the newest
        path.write_bytes(b"x")
        os.utime(path, ns=(10**18 - age * 10**9, 10**18 - age * 10**9))
    (own_cache / "notes.txt").write_text("mine")
    load_policy(project / "policy.yaml", cache=True)
    kept = {p.name for p in own_cache.iterdir()}
    name = _entry(project / "policy.yaml")
    assert (
        kept
        == {
            name,
            cache.view_name(name),  # an entry of its own, kept and pruned as one
            "notes.txt",
            *(p.name for p in old[: cache.KEEP - 2]),
        }
    )


# --- attackers ----------------------------------------------------------------------------


def test_a_trusted_entry_is_unpickled(project: Path, own_cache: Path, tmp_path: Path) -> None:
    """The control: a planted pickle runs when it passes the checks. The other tests show
    the checks are what keep it from running."""
    marker = tmp_path / "ran"
    _plant(own_cache, _entry(project / "policy.yaml"), pickle.dumps(Planted(marker)))
    load_policy(project / "policy.yaml", cache=True)
    assert marker.exists()


@pytest.mark.parametrize("mode", [0o644, 0o620, 0o602, 0o640])
def test_an_entry_others_may_read_or_write_is_not_unpickled(
    project: Path, own_cache: Path, tmp_path: Path, parses: list[str], mode: int
) -> None:
    marker = tmp_path / "ran"
    _plant(own_cache, _entry(project / "policy.yaml"), pickle.dumps(Planted(marker)), mode)
    assert load_policy(project / "policy.yaml", cache=True).path == str(project / "policy.yaml")
    assert not marker.exists()
    assert len(parses) == 1


@pytest.mark.skipif(os.geteuid() != 0, reason="planting a file of another user needs root")
def test_an_entry_of_another_user_is_not_unpickled(
    project: Path, own_cache: Path, tmp_path: Path, parses: list[str]
) -> None:
    marker = tmp_path / "ran"
    entry = _plant(own_cache, _entry(project / "policy.yaml"), pickle.dumps(Planted(marker)))
    os.chown(entry, 65534, 65534)
    load_policy(project / "policy.yaml", cache=True)
    assert not marker.exists()
    assert len(parses) == 1


@pytest.mark.skipif(os.geteuid() != 0, reason="planting a directory of another user needs root")
def test_a_directory_of_another_user_is_neither_read_nor_written(
    project: Path, own_cache: Path, tmp_path: Path
) -> None:
    marker = tmp_path / "ran"
    _plant(own_cache, _entry(project / "policy.yaml"), pickle.dumps(Planted(marker)))
    os.chown(own_cache, 65534, 65534)
    (own_cache / _entry(project / "policy.yaml")).unlink()
    load_policy(project / "policy.yaml", cache=True)
    assert list(own_cache.iterdir()) == []  # not written into
    _plant(own_cache, _entry(project / "policy.yaml"), pickle.dumps(Planted(marker)))
    load_policy(project / "policy.yaml", cache=True)
    assert not marker.exists()


@pytest.mark.parametrize("mode", [0o777, 0o1777, 0o720])
def test_a_directory_others_may_write_is_neither_read_nor_written(
    project: Path, own_cache: Path, tmp_path: Path, mode: int
) -> None:
    marker = tmp_path / "ran"
    _plant(own_cache, _entry(project / "policy.yaml"), pickle.dumps(Planted(marker)))
    own_cache.chmod(mode)
    load_policy(project / "policy.yaml", cache=True)
    assert not marker.exists()
    (own_cache / _entry(project / "policy.yaml")).unlink()
    load_policy(project / "policy.yaml", cache=True)
    assert list(own_cache.iterdir()) == []


def test_a_symlinked_directory_is_neither_read_nor_written(
    project: Path, own_cache: Path, tmp_path: Path, parses: list[str]
) -> None:
    elsewhere = tmp_path / "attacker"
    marker = tmp_path / "ran"
    _plant(elsewhere, _entry(project / "policy.yaml"), pickle.dumps(Planted(marker)))
    own_cache.parent.mkdir(parents=True, exist_ok=True)
    own_cache.symlink_to(elsewhere, target_is_directory=True)
    load_policy(project / "policy.yaml", cache=True)
    load_policy(project / "policy.yaml", cache=True)
    assert not marker.exists()
    assert len(parses) == 2
    assert [p.name for p in elsewhere.iterdir()] == [_entry(project / "policy.yaml")]


def test_a_symlinked_entry_is_not_followed(project: Path, own_cache: Path, tmp_path: Path) -> None:
    marker = tmp_path / "ran"
    target = _plant(tmp_path / "attacker", "x", pickle.dumps(Planted(marker)))
    own_cache.mkdir(mode=0o700, parents=True)
    (own_cache / _entry(project / "policy.yaml")).symlink_to(target)
    load_policy(project / "policy.yaml", cache=True)
    assert not marker.exists()


def _stored(project: Path, own_cache: Path) -> Path:
    load_policy(project / "policy.yaml", cache=True)
    return own_cache / _entry(project / "policy.yaml")


@pytest.mark.parametrize("cut", [1, 100, 5000])
def test_a_truncated_entry_is_parsed_again_and_replaced(
    project: Path, own_cache: Path, parses: list[str], cut: int
) -> None:
    entry = _stored(project, own_cache)
    whole = entry.read_bytes()
    entry.write_bytes(whole[:-cut])
    assert load_policy(project / "policy.yaml", cache=True).path == str(project / "policy.yaml")
    assert len(parses) == 2
    assert entry.read_bytes() == whole


def test_a_corrupt_entry_is_parsed_again(project: Path, own_cache: Path, parses: list[str]) -> None:
    entry = _stored(project, own_cache)
    blob = bytearray(entry.read_bytes())
    blob[-40] ^= 0xFF
    entry.write_bytes(bytes(blob))
    load_policy(project / "policy.yaml", cache=True)
    assert len(parses) == 2


def test_an_entry_of_another_version_is_not_used(
    project: Path, own_cache: Path, parses: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    entry = _stored(project, own_cache)
    # Another seloste, Python or pydantic makes another name ...
    with monkeypatch.context() as patched:
        patched.setattr(cache.sys, "version", sys.version + " (another)")
        other = own_cache / _entry(project / "policy.yaml")
        assert other != entry
        load_policy(project / "policy.yaml", cache=True)
        assert len(parses) == 2
    # ... and an entry copied under this version's name still names the other one.
    entry.write_bytes(other.read_bytes())
    load_policy(project / "policy.yaml", cache=True)
    assert len(parses) == 3


def test_an_entry_that_is_no_policy_is_not_used(
    project: Path, own_cache: Path, parses: list[str]
) -> None:
    _plant(own_cache, _entry(project / "policy.yaml"), pickle.dumps({"kind": "policy"}))
    assert load_policy(project / "policy.yaml", cache=True).model.controller.name
    assert len(parses) == 1


def test_runs_racing_on_one_entry_all_read_a_whole_policy(project: Path, own_cache: Path) -> None:
    """Writers rename whole entries into place, so a reader never sees half of one: runs
    started together on an empty cache and a full one all give the same answer."""
    cmd = [sys.executable, "-m", "seloste.checks.cli", "validate", "--no-config"]
    cmd.append(str(project / "billing.flows.yaml"))
    for _ in range(2):
        runs = [
            subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            for _ in range(8)
        ]
        results = {(r.wait(), *r.communicate()) for r in runs}
        assert results == {(0, "No findings.\n", "")}
    name = _entry(project / "policy.yaml")
    assert {p.name for p in own_cache.iterdir()} == {name, cache.view_name(name)}


# --- the view the hook reads (policy/view.py) ----------------------------------------------


def _view_blob(project: Path, own_cache: Path) -> tuple[str, bytes]:
    """The view entry the cache writes for the project's policy: its name and bytes."""
    _stored(project, own_cache)
    name = cache.view_name(_entry(project / "policy.yaml"))
    return name, (own_cache / name).read_bytes()


def test_a_view_holds_json_that_names_its_entry(project: Path, own_cache: Path) -> None:
    name, blob = _view_blob(project, own_cache)
    head, named, digest, formats, seen = blob.split(b"\n")
    assert head + b"\n" == cache._VIEW_MAGIC and named == name.encode()
    assert digest == hashlib.sha256(formats + b"\n" + seen).hexdigest().encode()
    assert json.loads(formats)["flows"]["root"] == {"t": "ref", "ref": ANY_REF}
    assert json.loads(seen)["v"]["kind"] == "policy"
    assert cache.fetch_view(_entry(project / "policy.yaml")) is not None


class _AnyRef(str):
    def __eq__(self, other: object) -> bool:
        return isinstance(other, str) and other.startswith("seloste.policy.flows.Flows:")

    def __hash__(self) -> int:
        return 0


ANY_REF = _AnyRef()


@pytest.mark.parametrize("mode", [0o644, 0o620, 0o602, 0o640])
def test_a_view_others_may_read_or_write_is_not_read(
    project: Path, own_cache: Path, mode: int
) -> None:
    name, _ = _view_blob(project, own_cache)
    (own_cache / name).chmod(mode)
    assert cache.fetch_view(_entry(project / "policy.yaml")) is None


@pytest.mark.parametrize("mode", [0o777, 0o1777, 0o720])
def test_a_view_in_a_directory_others_may_write_is_not_read(
    project: Path, own_cache: Path, mode: int
) -> None:
    _view_blob(project, own_cache)
    own_cache.chmod(mode)
    assert cache.fetch_view(_entry(project / "policy.yaml")) is None


@pytest.mark.skipif(os.geteuid() != 0, reason="planting a file of another user needs root")
def test_a_view_of_another_user_is_not_read(project: Path, own_cache: Path) -> None:
    name, _ = _view_blob(project, own_cache)
    os.chown(own_cache / name, 65534, 65534)
    assert cache.fetch_view(_entry(project / "policy.yaml")) is None


def test_a_symlinked_view_is_not_followed(project: Path, own_cache: Path, tmp_path: Path) -> None:
    name, blob = _view_blob(project, own_cache)
    target = tmp_path / "elsewhere"
    target.write_bytes(blob)
    target.chmod(0o600)
    (own_cache / name).unlink()
    (own_cache / name).symlink_to(target)
    assert cache.fetch_view(_entry(project / "policy.yaml")) is None


@pytest.mark.parametrize("damage", ["truncated", "flipped", "renamed", "not json"])
def test_a_damaged_view_is_not_read(project: Path, own_cache: Path, damage: str) -> None:
    name, blob = _view_blob(project, own_cache)
    if damage == "truncated":
        blob = blob[:-10]
    elif damage == "flipped":
        blob = blob[:-5] + bytes([blob[-5] ^ 0xFF]) + blob[-4:]
    elif damage == "renamed":  # another policy's view, copied under this name
        blob = blob.replace(name.encode(), b"0" * 64)
    else:  # whole and named, but not what the cache writes
        payload = b"{}\n[1]"
        blob = cache._VIEW_MAGIC + name.encode() + b"\n"
        blob += hashlib.sha256(payload).hexdigest().encode() + b"\n" + payload
    (own_cache / name).write_bytes(blob)
    assert cache.fetch_view(_entry(project / "policy.yaml")) is None
