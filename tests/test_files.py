"""What seloste agrees to read (policy/files.py): files inside the root they were named from,
regular files only, never blocking, never more than 16 MiB."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from seloste.checks.cli import main
from shared import without_source

ROOT = Path(__file__).resolve().parent.parent
K_SYSTEMS = ROOT / "fixtures" / "k-systems"
ALLOW = "resolves outside the repository; --allow-outside-root reads it"
LINKED = "a symbolic link leads outside the repository; --allow-outside-root reads it"
# What /etc/shadow looks like: each line ends in ':', so YAML reads it as a key.
SHADOW = "root:$6$Zt3x9Qm1$hashofrootpassword:19000:0:99999:7:::\nbin:*:19000:0:99999:7:::\n"


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A repository with the K-Systems policy, and a secret outside it."""
    root = tmp_path / "repo"
    (root / ".git").mkdir(parents=True)
    shutil.copy(K_SYSTEMS / "policy.yaml", root / "policy.yaml")
    (tmp_path / "shadow").write_text(SHADOW, encoding="utf-8")
    monkeypatch.chdir(root)
    return root


def flows(policy: str) -> str:
    return f"seloste: 1\nkind: flows\npolicy: {policy}\nflows: {{}}\n"


def bindings(policy: str) -> str:
    return (
        f"seloste: 1\nkind: bindings\npolicy: {policy}\ntables: {{t: {{register: r, key: id}}}}\n"
    )


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    """The exit code, stdout, and stderr's error lines (the source lines under them left out:
    they show the user's own file, which tests/test_terminal.py covers)."""
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, without_source(err)


def leaked(text: str) -> bool:
    return "19000" in text or "hashofroot" in text


@pytest.mark.parametrize(
    ("name", "text", "command"),
    [
        ("a.flows.yaml", flows, ["validate"]),
        ("a.flows.yaml", flows, ["check", "--no-config", "--flows"]),
        ("bindings.yaml", bindings, ["validate"]),
        ("bindings.yaml", bindings, ["check", "--no-config", "--snapshot", "x.db", "--bindings"]),
    ],
)
@pytest.mark.parametrize("written", ["../shadow", "{tmp}/shadow", "link.yaml"])
def test_a_policy_outside_the_repository_is_refused_at_its_place(
    repo: Path,
    capsys: pytest.CaptureFixture[str],
    name: str,
    text,
    command: list[str],
    written: str,
) -> None:
    """``policy: /etc/shadow`` (or a link to it, or ``../``) is one line at ``policy:``, and
    no line of the file is printed; the flag reads it (and then its lines are errors)."""
    (repo / "link.yaml").symlink_to(repo.parent / "shadow")
    written = written.format(tmp=repo.parent)
    (repo / name).write_text(text(written), encoding="utf-8")
    code, out, err = run([*command, name], capsys)
    assert (code, out, err) == (2, "", f"{name}:3:9: policy {written!r} {ALLOW}\n")
    code, out, err = run([*command, name, "--allow-outside-root"], capsys)
    assert code == 2 and leaked(out + err)  # what the refusal keeps out of the log


def test_a_symbolic_link_on_the_command_line_may_not_leave_the_repository(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A ``*.flows.yaml`` that is a link out of the repository, as the pre-commit hook passes
    it, and one under a linked directory, are refused; a link inside the repository and a
    path outside it typed by the user are read."""
    (repo / "evil.flows.yaml").symlink_to(repo.parent / "shadow")
    (repo / "outside").symlink_to(repo.parent, target_is_directory=True)
    (repo / "inside.yaml").symlink_to(repo / "policy.yaml")
    for path in ("evil.flows.yaml", "outside/shadow"):
        assert run(["validate", path], capsys) == (2, "", f"{path}: {LINKED}\n")
        read = f"{path}:1:1: 'kind' is missing; expected one of: policy, bindings, flows, waivers\n"
        assert run(["validate", "--allow-outside-root", path], capsys) == (2, "", read)
    assert run(["check", "--no-config", "--flows", "evil.flows.yaml"], capsys)[0] == 2
    assert run(["validate", "inside.yaml"], capsys) == (0, "No findings.\n", "")
    assert run(["validate", str(repo.parent / "shadow")], capsys)[0] == 2  # the user's choice


def test_a_configuration_names_only_files_inside_its_repository(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Every file a configuration names, each refused at its own line, all at once."""
    (repo / "flows").mkdir()
    (repo / "flows" / "evil.flows.yaml").symlink_to(repo.parent / "shadow")
    (repo / "seloste.yaml").write_text(
        "seloste: 1\nkind: config\n"
        "policy: ../shadow\n"
        "bindings: /etc/passwd\n"
        "waivers: ../shadow\n"
        "baseline: ../shadow\n"
        "flows: ['flows/*.flows.yaml']\n"
        "snapshots: [/etc, 'sqlite:////etc/passwd', {url: '../shadow'}]\n",
        encoding="utf-8",
    )
    code, out, err = run(["check"], capsys)
    assert (code, out) == (2, "")
    assert err.splitlines() == [
        f"seloste.yaml:3:9: policy '../shadow' {ALLOW}",
        f"seloste.yaml:4:11: bindings '/etc/passwd' {ALLOW}",
        f"seloste.yaml:5:10: waivers '../shadow' {ALLOW}",
        f"seloste.yaml:6:11: baseline '../shadow' {ALLOW}",
        f"seloste.yaml:7:9: flows file 'flows/evil.flows.yaml' {ALLOW}",
        f"seloste.yaml:8:13: snapshot '/etc' {ALLOW}",
        f"seloste.yaml:8:19: snapshot 'sqlite:////etc/passwd' {ALLOW}",
        f"seloste.yaml:8:50: snapshot '../shadow' {ALLOW}",
    ]


def test_a_linked_configuration_is_refused(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (repo / "seloste.yaml").symlink_to(repo.parent / "shadow")
    assert run(["check"], capsys) == (2, "", f"seloste.yaml: {LINKED}\n")


def test_outside_any_repository_the_root_is_the_working_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "work").mkdir()
    (tmp_path / "shadow").write_text(SHADOW, encoding="utf-8")
    (tmp_path / "work" / "a.flows.yaml").write_text(flows("../shadow"), encoding="utf-8")
    monkeypatch.chdir(tmp_path / "work")
    message = "resolves outside the working directory; --allow-outside-root reads it"
    assert run(["validate", "a.flows.yaml"], capsys) == (
        2,
        "",
        f"a.flows.yaml:3:9: policy '../shadow' {message}\n",
    )


def _command(argv: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    """The command in a child, so that a read that blocks fails the test instead of hanging."""
    code = f"import sys; from seloste.checks.cli import main; sys.exit(main({argv!r}))"
    return subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        timeout=30,
        cwd=cwd,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )


@pytest.mark.parametrize(
    ("special", "what"),
    [
        ("/dev/zero", "a character device"),
        ("/dev/urandom", "a character device"),
        ("/dev/null", "a character device"),
        ("fifo", "a FIFO"),
        ("directory", "a directory"),
    ],
)
def test_only_a_regular_file_is_read_and_nothing_blocks(
    repo: Path, special: str, what: str
) -> None:
    """A FIFO nobody writes to would block the run for ever and /dev/zero would never end:
    each is refused at once, named on the command line or as a policy."""
    if special == "fifo":
        os.mkfifo(repo / "fifo")
    elif special == "directory":
        (repo / "directory").mkdir()
    (repo / "a.flows.yaml").write_text(flows(special), encoding="utf-8")
    named = _command(["validate", "--allow-outside-root", special], repo)
    assert (named.returncode, named.stderr) == (2, f"{special}: is {what}, not a regular file\n")
    policy = _command(["validate", "--allow-outside-root", "a.flows.yaml"], repo)
    assert (policy.returncode, without_source(policy.stderr)) == (
        2,
        f"a.flows.yaml:3:9: policy {special!r}: is {what}, not a regular file\n",
    )


def test_a_fifo_swapped_in_after_the_look_does_not_block(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Between the look (``stat``) and the open, a regular file can become a FIFO: it is
    opened without blocking and refused by what was opened."""
    os.mkfifo(tmp_path / "fifo")
    (tmp_path / "plain").write_text("seloste: 1\n", encoding="utf-8")
    code = (
        "import os, sys\n"
        "from seloste.policy import files\n"
        "from seloste.policy.errors import InputError\n"
        f"regular = os.stat({str(tmp_path / 'plain')!r})\n"
        "files.os.stat = lambda path: regular  # the look sees a regular file\n"
        "try:\n"
        f"    files.read_bytes({str(tmp_path / 'fifo')!r})\n"
        "except InputError as exc:\n"
        "    print(exc)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        timeout=30,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert result.stdout == f"{tmp_path / 'fifo'}: is a FIFO, not a regular file\n"


def test_the_size_limit_is_kept_while_reading(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The limit holds whatever ``stat`` says (a file still being written, a /proc file that
    reports 0 bytes): no more than 16 MiB and one byte are read."""
    from seloste.policy import files

    big = tmp_path / "big.yaml"
    big.write_bytes(b"seloste: 1\nnote: " + b"x" * (17 * 1024 * 1024) + b"\n")
    real = os.stat

    def small(path: str | Path, *args: object, **kwargs: object) -> os.stat_result:
        found = real(path, *args, **kwargs)  # type: ignore[arg-type]
        if Path(path) == big:
            return os.stat_result((found.st_mode, *found[1:6], 10, *found[7:]))
        return found

    monkeypatch.setattr(os, "stat", small)
    reads: list[int] = []

    class Counted(io.BufferedReader):
        def read(self, size: int | None = -1) -> bytes:
            reads.append(-1 if size is None else size)
            return super().read(size)

    def counting(fd: int, mode: str) -> Counted:
        return Counted(io.FileIO(fd, mode))

    monkeypatch.setattr(files, "open", counting, raising=False)
    assert run(["validate", "--no-config", str(big)], capsys) == (
        2,
        "",
        f"{big}: file is larger than 16777216 bytes\n",
    )
    assert reads == [16 * 1024 * 1024 + 1]
