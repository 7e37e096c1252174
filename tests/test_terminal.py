"""What a developer sees at the terminal: progress, source lines under errors, colour, help,
counts in words, and ``validate`` on a waiver file."""

from __future__ import annotations

import json
import os
import pty
import re
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from seloste.checks.cli import main
from seloste.checks.reports import text
from seloste.policy.errors import Problem, source_line, with_source
from seloste.policy.yamlsource import INDENTATION_HINT

ROOT = Path(__file__).resolve().parent.parent
K = ROOT / "fixtures" / "k-systems"
SELOSTE = Path(sys.executable).parent / "seloste"
SNAPSHOT_CHECK = [
    str(SELOSTE),
    "check",
    "--no-config",
    "--policy",
    str(K / "policy.yaml"),
    "--bindings",
    str(K / "bindings.yaml"),
    "--snapshot",
    str(K / "snapshot" / "k-systems.sql"),
    "--as-of",
    "2026-11-01T00:00:00Z",
    "--format",
    "json",
]
HEADER = "seloste: 1\nkind: policy\n"


# --- progress ---------------------------------------------------------------------------------


def _on_a_terminal(cmd: list[str]) -> tuple[bytes, bytes]:
    """``cmd``'s stdout (a pipe) and what it wrote to stderr, a pseudo-terminal."""
    leader, follower = pty.openpty()
    chunks: list[bytes] = []

    def read() -> None:
        while True:
            try:
                chunk = os.read(leader, 65536)
            except OSError:  # EIO: the terminal's other end is closed
                return
            if not chunk:
                return
            chunks.append(chunk)

    reader = threading.Thread(target=read)
    reader.start()
    try:
        done = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=follower, check=False)
    finally:
        os.close(follower)
        reader.join(timeout=30)
        os.close(leader)
    return done.stdout, b"".join(chunks)


def test_progress_is_shown_on_a_terminal_and_not_in_a_pipe(monkeypatch: pytest.MonkeyPatch) -> None:
    # Both runs report the same time of the check, so their reports can be compared whole.
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1793611800")
    out_tty, err_tty = _on_a_terminal(SNAPSHOT_CHECK)
    piped = subprocess.run(SNAPSHOT_CHECK, capture_output=True, check=False)
    # On the terminal: the bar, counting tables and rows, naming the table being checked.
    assert b"seloste: snapshot: 0/" in err_tty
    # Tables done of all, time taken < time left, rows counted so far.
    assert re.search(
        rb"snapshot: [1-9]\d*/\d+ tables \[\d\d:\d\d<\d\d:\d\d\], [\d,]+ rows", err_tty
    )
    assert b" rows counted; now " in err_tty
    assert err_tty.endswith(b"\r")  # the bar erases itself: the report follows
    # In a pipe: not a byte of it, and the report is the same either way.
    assert piped.stderr == b""
    assert piped.returncode == 1
    assert out_tty == piped.stdout


def test_progress_is_not_imported_on_the_pre_commit_path() -> None:
    flows = K / "flows" / "newsletter.flows.yaml"
    cmd = [sys.executable, "-X", "importtime", "-m", "seloste.checks.cli"]
    done = subprocess.run(
        [*cmd, "validate", "--no-config", str(K / "policy.yaml"), str(flows)],
        capture_output=True,
        text=True,
        check=False,
    )
    imported = {line.rsplit("|", 1)[-1].strip() for line in done.stderr.splitlines()}
    assert "seloste.checks.progress" not in imported and "tqdm" not in imported
    assert "seloste.policy.loader" in imported  # the import list is the one of a real run


# --- source lines under errors ----------------------------------------------------------------


def _validate(path: Path, capsys: pytest.CaptureFixture[str]) -> list[str]:
    assert main(["validate", "--no-config", str(path)]) == 2
    return capsys.readouterr().err.splitlines()


@pytest.mark.parametrize(
    ("body", "first", "source", "caret"),
    [
        pytest.param(
            "fields:\n  a: 1\n   b: 2\n",
            "5:5: YAML syntax: mapping values are not allowed in this context "
            f"({INDENTATION_HINT})",
            " 5 |    b: 2",
            "   |     ^",
            id="syntax-indentation",
        ),
        pytest.param(
            "kind: flows\n",
            "3:1: duplicate key 'kind' (first defined on line 2)",
            " 3 | kind: flows",
            "   | ^",
            id="duplicate-key",
        ),
        pytest.param(
            "purposes: {}\nsurplus: 1\n",
            # The keys it lists are the policy model's, which grows: the start is enough.
            "4:1: unknown key 'surplus'; expected one of: seloste, kind, controller,",
            " 4 | surplus: 1",
            "   | ^",
            id="unknown-key",
        ),
        pytest.param(
            "fields: [1, 2]\n",
            "3:9: expected a mapping, got a list",
            " 3 | fields: [1, 2]",
            "   |         ^",
            id="wrong-type",
        ),
        pytest.param(
            "fields:\n  Bad-ID:\n    kind: email\n",
            "4:3: 'Bad-ID' is not a valid ID (lowercase letters, digits, _ and -)",
            " 4 |   Bad-ID:",
            "   |   ^",
            id="bad-id",
        ),
    ],
)
def test_each_input_error_shows_its_source_line_and_a_caret(
    body: str,
    first: str,
    source: str,
    caret: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    path = tmp_path / "policy.yaml"
    path.write_text(HEADER + body, encoding="utf-8")
    err = _validate(path, capsys)
    at = next(i for i, line in enumerate(err) if line.startswith(f"{path}:{first}"))
    assert err[at + 1 : at + 3] == [source, caret]
    # Every problem of the run has its line and caret under it.
    problems = [i for i, line in enumerate(err) if line.startswith(f"{path}:")]
    assert all(err[i + 1].startswith(" ") and err[i + 2].endswith("^") for i in problems)


def test_the_caret_counts_escaped_characters(tmp_path: Path) -> None:
    path = tmp_path / "policy.yaml"
    path.write_text("a: 1\nb: '\x1b[2J' x\n", encoding="utf-8")
    # Column 9 is the closing quote; before it, the escape takes four characters, not one.
    assert source_line(Problem(str(path), 2, 9, "m")) == [
        " 2 | b: '\\x1b[2J' x",
        "   | " + " " * len("b: '\\x1b[2J") + "^",
    ]


def test_no_source_line_where_none_may_or_can_be_shown(tmp_path: Path) -> None:
    secret = tmp_path / "seloste.yaml"
    secret.write_text("snapshot:\n  url: postgresql://u:${PASSWORD}@db/x\n", encoding="utf-8")
    dump = tmp_path / "dump.sql"
    dump.write_text("INSERT INTO t VALUES ('Matti Meikäläinen');\n", encoding="utf-8")
    assert source_line(Problem(str(secret), 2, 3, "m")) == []  # environment text
    assert source_line(Problem(str(dump), 1, 1, "m")) == []  # a snapshot holds personal data
    assert source_line(Problem(str(secret), 9, 1, "m")) == []  # no such line
    assert source_line(Problem(str(secret), 0, 0, "m")) == []  # the whole file
    assert with_source(Problem(str(dump), 1, 1, "m")) == f"{dump}:1:1: m"


def test_a_long_line_is_shown_around_its_column(tmp_path: Path) -> None:
    path = tmp_path / "policy.yaml"
    path.write_text("x" * 200 + "Y" + "z" * 200 + "\n", encoding="utf-8")
    shown, caret = source_line(Problem(str(path), 1, 201, "m"))
    assert shown == " 1 | …" + "x" * 60 + "Y" + "z" * 59 + "…"
    assert caret == "   | " + " " * 61 + "^"


def test_machine_formats_carry_no_source_lines(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "policy.yaml"
    path.write_text(HEADER + "surplus: 1\n", encoding="utf-8")
    report = tmp_path / "report.txt"
    code = main(
        ["validate", "--no-config", str(path), "--format", "json", "--format", f"text:{report}"]
    )
    assert code == 2
    out = json.loads(capsys.readouterr().out)
    messages = [e["message"] for e in out["errors"]]
    assert messages and not any("|" in m or "^" in m for m in messages)
    # The text report, a file, shows them as the terminal does.
    assert " 3 | surplus: 1\n   | ^\n" in report.read_text(encoding="utf-8")


def test_indentation_hint_only_for_indentation(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "policy.yaml"
    path.write_text(HEADER + "fields: [a, b\n", encoding="utf-8")
    err = "\n".join(_validate(path, capsys))
    assert "YAML syntax" in err and INDENTATION_HINT not in err


# --- colour -----------------------------------------------------------------------------------


class _Stream:
    def __init__(self, tty: bool) -> None:
        self.tty = tty

    def isatty(self) -> bool:
        return self.tty


@pytest.mark.parametrize(
    ("env", "tty", "expected"),
    [
        ({}, False, False),
        ({}, True, True),
        ({"FORCE_COLOR": "1"}, False, True),
        ({"FORCE_COLOR": "0"}, False, True),  # any value but the empty one, as the convention says
        ({"FORCE_COLOR": ""}, False, False),
        ({"NO_COLOR": "1"}, True, False),
        ({"NO_COLOR": ""}, True, True),
        ({"NO_COLOR": "1", "FORCE_COLOR": "1"}, True, False),  # the reader's choice wins
    ],
)
def test_colour_follows_no_color_and_force_color(
    env: dict[str, str], tty: bool, expected: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    assert text.coloured(_Stream(tty)) is expected


def test_force_color_colours_a_piped_report(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("FORCE_COLOR", "1")
    main(["validate", "--no-config", str(K / "flows" / "newsletter.flows.yaml")])
    assert "\033[31merror\033[0m" in capsys.readouterr().out


# --- words ------------------------------------------------------------------------------------


@pytest.mark.parametrize(("n", "expected"), [(0, "0 rows"), (1, "1 row"), (2, "2 rows")])
def test_plural(n: int, expected: str) -> None:
    assert text.plural(n, "row") == expected


def test_markdown_counts_one_row_as_one_row() -> None:
    piped = subprocess.run(
        [*SNAPSHOT_CHECK[:-1], "markdown"], capture_output=True, text=True, check=False
    )
    rows = [line for line in piped.stdout.splitlines() if line.startswith("| 🔴")]
    assert rows and any(line.endswith("(1 row) | open |") for line in rows)
    assert not any("(1 rows)" in line for line in rows)


def test_help_lists_exit_codes_and_examples(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as ended:
        main(["--help"])
    assert ended.value.code == 0
    out = capsys.readouterr().out
    assert "exit codes:\n  0  clean" in out
    assert "\n  1  findings at or above --fail-on" in out
    assert "\n  2  usage, input or tool error" in out
    assert "examples:\n  seloste validate " in out


def test_every_argument_of_diff_has_help(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["diff", "--help"])
    out = capsys.readouterr().out
    assert "OLD                   the policy as it was" in out
    assert "NEW                   the policy as it is now" in out
    assert "Markdown" in out


# --- validate on a waiver file ----------------------------------------------------------------


def _waivers(tmp_path: Path, rule: str, expires: str, extra: str = "") -> Path:
    path = tmp_path / "waivers.yaml"
    path.write_text(
        "seloste: 1\nkind: waivers\nwaivers:\n"
        f"  - rule: {rule}\n    target: policy.yaml#/recipients/x\n"
        f"    justification: SCCs signed\n    owner: dpo@example.fi\n    expires: '{expires}'\n"
        + extra,
        encoding="utf-8",
    )
    return path


def test_validate_accepts_a_good_waiver_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _waivers(tmp_path, "POL004", "2027-01-01")
    assert main(["validate", "--no-config", str(path)]) == 0
    assert capsys.readouterr().err == ""


def test_validate_checks_a_waiver_file_s_rules_dates_and_keys(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _waivers(tmp_path, "XYZ999", "2027-13-01")
    err = _validate(path, capsys)
    assert err == [
        f"{path}:4:11: no rule 'XYZ999'; `seloste rules` lists them",
        " 4 |   - rule: XYZ999",
        "   |           ^",
        f"{path}:8:14: expires: '2027-13-01' is not a date (YYYY-MM-DD)",
        " 8 |     expires: '2027-13-01'",
        "   |              ^",
    ]
    path = _waivers(tmp_path, "POL004", "2027-01-01", extra="    surplus: 1\n")
    err = _validate(path, capsys)
    assert err[0].startswith(f"{path}:9:5: unknown key 'surplus'")
    # The same file written again in this process: its new line, not the one read before.
    assert err[1:3] == [" 9 |     surplus: 1", "   |     ^"]


def test_validate_names_waivers_among_the_kinds(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "x.yaml"
    path.write_text("seloste: 1\nkind: nothing\n", encoding="utf-8")
    err = _validate(path, capsys)
    assert err[0] == (
        f"{path}:2:7: 'kind' is 'nothing'; expected one of: policy, bindings, flows, waivers"
    )
