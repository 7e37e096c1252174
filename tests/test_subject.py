"""``seloste subject`` on the K-Systems snapshot against the generator's own truth
(fixtures/k-systems/snapshot/expected-subjects.yaml): five planted data subjects, each found
by the selector a request would give, with exactly their rows and, row by row, the erasure
plan worked out by hand in the generator; in SQLite (the dump and a file), PostgreSQL and
MariaDB. And the promises about values: they go only to the owner-only ``-o`` file, never to
stdout, stderr or the audit line."""

from __future__ import annotations

import json
import os
import sqlite3
import stat
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from seloste.checks.cli import main
from snapshot_truth import BINDINGS, DUMP, FIXTURE, ROOT, sqlite_from_dump

TRUTH = yaml.safe_load((FIXTURE / "snapshot" / "expected-subjects.yaml").read_text("utf-8"))
SUBJECTS: dict[str, Any] = TRUTH["subjects"]
AS_OF = TRUTH["as_of"]
SCHEMA = json.loads((ROOT / "docs" / "schema" / "subject.json").read_text("utf-8"))
# Shorter values occur in any text by chance (tests/test_no_leaks.py says why).
SHORTEST = 5


def selector_args(selector: dict[str, str]) -> list[str]:
    ((kind, value),) = selector.items()
    return [f"--{kind.replace('_', '-')}", value]


def ask(source: str, selector: dict[str, str], out: Path | None, *extra: str) -> list[str]:
    args = ["subject", "--bindings", str(BINDINGS), "--snapshot", source, "--as-of", AS_OF]
    args += selector_args(selector) + (["-o", str(out)] if out else []) + list(extra)
    return args


def answer(source: str, name: str, tmp_path: Path, capsys: Any) -> dict[str, Any]:
    out = tmp_path / f"{name}.json"
    assert main(ask(source, SUBJECTS[name]["selector"], out, "--erasure")) == 0
    captured = capsys.readouterr()
    assert captured.out == ""
    doc: dict[str, Any] = json.loads(out.read_text("utf-8"))
    jsonschema.Draft202012Validator(SCHEMA).validate(doc)
    return doc


def rows_by_table(doc: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    return {
        t["table"]: [{f["column"]: f["value"] for f in row["fields"]} for row in t["rows"]]
        for register in doc["registers"]
        for t in register["tables"]
    }


def plan(doc: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        {
            "table": t["table"],
            "key": row["key"],
            "overdue": row["erasure"]["overdue"],
            "decision": row["erasure"]["decision"],
            "exception": row["erasure"]["exception"],
            "until": row["erasure"]["until"],
            "inform": row["erasure"]["inform"],
            "kept_links": row["erasure"]["kept_links"],
        }
        for register in doc["registers"]
        for t in register["tables"]
        for row in t["rows"]
    ]


def keys(rows: dict[str, list[dict[str, Any]]]) -> dict[str, list[Any]]:
    return {table: [r["id"] for r in found] for table, found in rows.items()}


def assert_truth(doc: dict[str, Any], name: str, *, values: bool) -> None:
    truth = SUBJECTS[name]
    assert doc["found"] is True
    assert doc["subjects"] == [truth["subject"]]
    found = rows_by_table(doc)
    assert keys(found) == keys(truth["rows"])
    if values:  # SQLite holds what the dump says, value for value
        assert found == truth["rows"]
    assert plan(doc) == truth["erasure"]


@pytest.mark.parametrize("name", sorted(SUBJECTS))
def test_the_dump_gives_each_subjects_rows_and_plan_exactly(
    name: str, tmp_path: Path, capsys: Any
) -> None:
    assert_truth(answer(str(DUMP), name, tmp_path, capsys), name, values=True)


def test_a_sqlite_file_gives_the_same(tmp_path: Path, capsys: Any) -> None:
    db = str(sqlite_from_dump(tmp_path / "k.db"))
    for name in SUBJECTS:
        assert_truth(answer(db, name, tmp_path, capsys), name, values=True)


def test_postgres_gives_each_subject_exactly(postgres: str, tmp_path: Path, capsys: Any) -> None:
    for name in SUBJECTS:
        assert_truth(answer(postgres, name, tmp_path, capsys), name, values=False)


def test_mariadb_gives_each_subject_exactly(mariadb: str, tmp_path: Path, capsys: Any) -> None:
    for name in SUBJECTS:
        assert_truth(answer(mariadb, name, tmp_path, capsys), name, values=False)


def test_the_policy_part_is_what_art_15_asks(tmp_path: Path, capsys: Any) -> None:
    doc = answer(str(DUMP), "current", tmp_path, capsys)
    (register,) = doc["registers"]
    assert register["id"] == "customer_register"
    assert [p["id"] for p in register["purposes"]] == [
        "service_maintenance",
        "customer_relationship",
        "marketing",
    ]
    assert register["legal_basis"]["basis"] == "contract"
    assert [r["id"] for r in register["recipients"]] == ["traficom", "hosting_partners"]
    assert register["rights"] == [
        "access",
        "rectification",
        "erasure",
        "marketing_opt_out",
        "restriction",
    ]
    assert [r["id"] for r in register["retention"]] == ["after-relationship"]
    assert register["retention"][0]["exceptions"][0]["legal_basis"]["basis"] == "legal_obligation"
    assert len(register["sources"]) == 2
    # A current customer's relationship goes on: no due date yet.
    customer = register["tables"][0]["rows"][0]
    assert customer["retention"] == [
        {
            "rule": "after-relationship",
            "exception": None,
            "status": "pending",
            "counts_from": "customers.ended_at",
            "due": None,
        }
    ]


def test_an_ended_customers_due_date_is_three_months_after_the_end(
    tmp_path: Path, capsys: Any
) -> None:
    doc = answer(str(DUMP), "invoices_kept", tmp_path, capsys)
    customer = doc["registers"][0]["tables"][0]["rows"][0]
    # ended_at 2026-07-31 (a day, read in UTC): P3M later, and past at 2026-11-01.
    assert customer["retention"][0]["due"] == "2026-10-31T00:00:00Z"
    assert customer["retention"][0]["status"] == "past"


def test_nobody_gives_an_explicit_empty_answer(tmp_path: Path, capsys: Any) -> None:
    out = tmp_path / "nobody.json"
    assert main(ask(str(DUMP), TRUTH["nobody"], out)) == 0
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.splitlines()[-1] == f"seloste: subject: no data found (written to {out})"
    doc = json.loads(out.read_text("utf-8"))
    assert (doc["found"], doc["message"], doc["registers"]) == (False, "no data found", [])


def test_several_subjects_are_listed_by_key_and_none_is_answered(
    tmp_path: Path, capsys: Any
) -> None:
    several = TRUTH["several"]
    out = tmp_path / "several.json"
    assert main(ask(str(DUMP), {"business_id": several["business_id"]}, out)) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    listed = ", ".join(several["keys"])
    count = len(several["keys"])
    audit, error = captured.err.splitlines()
    assert error == f"seloste: error: {count} subjects match; choose one with --key: {listed}"
    assert not out.exists()
    entry = json.loads(audit)
    assert (entry["outcome"], entry["tables"], entry["rows"]) == ("several subjects", [], 0)
    assert several["business_id"] not in captured.err


def test_data_found_needs_a_file(capsys: Any) -> None:
    assert main(ask(str(DUMP), SUBJECTS["current"]["selector"], None)) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == (
        "seloste: error: the subject's data is written only to a file: give -o FILE\n"
    )


def personal_values(name: str) -> set[str]:
    """The subject's text values long enough to mean something, and the selector's."""
    found = {
        str(v)
        for rows in SUBJECTS[name]["rows"].values()
        for row in rows
        for column, v in row.items()
        if isinstance(v, str) and len(v) >= SHORTEST and not column.endswith("_at")
    }
    return found | set(SUBJECTS[name]["selector"].values())


@pytest.mark.parametrize("name", sorted(SUBJECTS))
def test_no_value_reaches_stdout_stderr_or_the_audit_log(
    name: str, tmp_path: Path, capsys: Any
) -> None:
    out, sql, log = tmp_path / "out.json", tmp_path / "out.sql", tmp_path / "audit.log"
    selector = SUBJECTS[name]["selector"]
    args = ask(str(DUMP), selector, out, "--erasure", "--sql", str(sql), "--audit-log", str(log))
    assert main(args) == 0
    captured = capsys.readouterr()
    printed = captured.out + captured.err + log.read_text("utf-8")
    leaked = sorted(v for v in personal_values(name) if v in printed)
    assert leaked == []
    assert captured.out == ""
    # ...while the file holds them all.
    written = out.read_text("utf-8")
    stored = personal_values(name) - set(selector.values())  # a selector as the officer wrote it
    assert [v for v in stored if json.dumps(v, ensure_ascii=False)[1:-1] not in written] == []
    (entry,) = [json.loads(line) for line in log.read_text("utf-8").splitlines()]
    rows = sum(len(r) for r in SUBJECTS[name]["rows"].values())
    assert entry["request"] == "erasure"
    assert entry["selector"] == next(iter(selector))
    assert entry["tables"] == list(SUBJECTS[name]["rows"])
    assert entry["rows"] == rows
    assert entry["user"]
    assert entry["outcome"] == "answered"
    assert set(entry) == {"event", "user", "time", "request", "selector", "outcome"} | {
        "source",
        "tables",
        "rows",
        "output",
    }


def test_the_files_are_owner_only(tmp_path: Path, capsys: Any) -> None:
    out, sql, log = tmp_path / "out.json", tmp_path / "out.sql", tmp_path / "audit.log"
    out.write_text("old")
    os.chmod(out, 0o644)  # replaced, not rewritten in place: the old mode does not survive
    args = ask(str(DUMP), SUBJECTS["current"]["selector"], out, "--erasure", "--sql", str(sql))
    assert main([*args, "--audit-log", str(log)]) == 0
    capsys.readouterr()
    for path in (out, sql, log):
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_a_symbolic_link_is_never_followed(tmp_path: Path, capsys: Any) -> None:
    elsewhere = tmp_path / "elsewhere.json"
    elsewhere.write_text("untouched")
    link = tmp_path / "out.json"
    link.symlink_to(elsewhere)
    assert main(ask(str(DUMP), SUBJECTS["current"]["selector"], link)) == 2
    captured = capsys.readouterr()
    assert captured.err.splitlines()[-1] == (
        f"seloste: error: {link}: is a symbolic link; give the file itself"
    )
    assert elsewhere.read_text() == "untouched"
    assert link.is_symlink()


def test_the_delete_statements_erase_exactly_the_plans_rows(tmp_path: Path, capsys: Any) -> None:
    """Run against a copy (seloste itself never does): what the plan erases is gone, what
    it keeps is there, and nobody else's rows are touched."""
    name = "ended_past_retention"
    sql = tmp_path / "erase.sql"
    args = ask(str(DUMP), SUBJECTS[name]["selector"], tmp_path / "o.json", "--erasure")
    assert main([*args, "--sql", str(sql)]) == 0
    capsys.readouterr()
    db = sqlite_from_dump(tmp_path / "copy.db")
    before = _all_keys(db)
    with sqlite3.connect(db) as conn:
        conn.executescript(sql.read_text("utf-8"))
    conn.close()
    after = _all_keys(db)
    truth = SUBJECTS[name]["erasure"]
    erased = {
        (e["table"], e["key"]) for e in truth if e["decision"] == "erase" and not e["kept_links"]
    }
    assert before - after == erased
    assert after <= before


def _all_keys(db: Path) -> set[tuple[str, Any]]:
    with sqlite3.connect(db) as conn:
        names = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        found = {
            (name, row[0])
            for name in names
            if name not in ("schema_migrations",)
            for row in conn.execute(f'SELECT id FROM "{name}"')  # our own table names
        }
    conn.close()
    return found


def test_a_key_on_a_linked_table_finds_its_subject(tmp_path: Path, capsys: Any) -> None:
    doc = answer(str(DUMP), "invoices_kept", tmp_path, capsys)
    assert SUBJECTS["invoices_kept"]["selector"]["key"].startswith("invoices.id=")
    assert doc["subjects"] == [{"table": "customers", "key": 301}]


def test_the_published_schema_is_the_commands(capsys: Any) -> None:
    assert main(["schema", "subject"]) == 0
    assert json.loads(capsys.readouterr().out) == SCHEMA


# -- the letter -------------------------------------------------------------------------------

LETTER_TITLES = {
    "fi": "Vastaus pyyntöönne poistaa teitä koskevat henkilötiedot",
    "en": "Your request for the erasure of your personal data",
}


def letter(tmp_path: Path, capsys: Any, lang: str, suffix: str, name: str) -> str:
    page = tmp_path / f"letter-{lang}{suffix}"
    args = ask(str(DUMP), SUBJECTS[name]["selector"], tmp_path / "o.json", "--erasure")
    assert main([*args, "--letter", str(page), "--lang", lang]) == 0
    captured = capsys.readouterr()
    assert captured.out == ""
    assert stat.S_IMODE(page.stat().st_mode) == 0o600
    return page.read_text("utf-8")


@pytest.mark.parametrize("lang", ["fi", "en"])
def test_the_markdown_letter_gives_every_row_and_decision(
    lang: str, tmp_path: Path, capsys: Any
) -> None:
    text = letter(tmp_path, capsys, lang, ".md", "invoices_kept")
    assert text.startswith(f"# {LETTER_TITLES[lang]}\n")
    truth = SUBJECTS["invoices_kept"]["erasure"]
    records = [line for line in text.splitlines() if line.startswith("#### ")]
    assert [r.split()[-2:] for r in records] == [[e["table"], str(e["key"])] for e in truth]
    decision = {"fi": "- **Päätös**: ", "en": "- **Decision**: "}[lang]
    decisions = [line for line in text.splitlines() if line.startswith(decision)]
    assert len(decisions) == len(truth)
    words = {
        "fi": {"erase": "Poistetaan", "keep": "Säilytetään {} asti: ", "review": "Selvitetään"},
        "en": {"erase": "Erased", "keep": "Kept until {}: ", "review": "Reviewed by hand"},
    }[lang]
    expected = [words[e["decision"]].format((e["until"] or "")[:10]) for e in truth]
    assert [
        d.removeprefix(decision)[: len(x)] for d, x in zip(decisions, expected, strict=True)
    ] == expected


def test_the_letter_escapes_every_value() -> None:
    from seloste.checks.subject import document as d
    from seloste.checks.subject.letter import render_letter

    hostile = "<script>alert(1)</script> *bold* [link](javascript:x)"
    row = d.Row(
        key=1,
        fields=[d.FieldValue(column="note", field=None, name=None, value=hostile)],
        retention=[],
    )
    basis = d.LegalBasisOut(basis="contract")
    register = d.RegisterOut(
        id="r",
        name={"en": "R"},
        role="controller",
        data_subjects={},
        legal_basis=basis,
        purposes=[],
        categories=[],
        recipients=[],
        retention=[],
        sources=[],
        rights=[],
        tables=[d.TableOut(table="t", rows=[row])],
    )
    request = d.Request(type="access", selector="key", as_of="2026-11-01T00:00:00Z", source="x")
    doc = d.SubjectDocument(
        request=request,
        found=True,
        message="1 rows in 1 tables",
        subjects=[d.SubjectKey(table="t", key=1)],
        controller="C <Oy>",
        rights_contact=None,
        registers=[register],
    )
    html = render_letter(doc, "en", "html")
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "C &lt;Oy&gt;" in html
    md = render_letter(doc, "en", "md")
    assert r"\*bold\*" in md and r"\[link\]" in md and "<script>" not in md


@pytest.mark.parametrize("lang", ["fi", "en"])
def test_the_html_letter_in_chromium(lang: str, tmp_path: Path, capsys: Any) -> None:
    """Headless Chromium (offline) reads the letter as written: its language, one record per
    row with the plan's decision, in order; and shows it as one centred, readable column."""
    import re
    import subprocess

    from PIL import Image, ImageOps
    from shared import chromium as shared_chromium

    chromium = shared_chromium("the letter")
    letter(tmp_path, capsys, lang, ".html", "invoices_kept")
    page = tmp_path / f"letter-{lang}.html"
    flags = [
        "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-sync",
        "--disable-background-networking", "--disable-component-update",
        f"--user-data-dir={tmp_path / 'profile'}",
    ]  # fmt: skip
    dom = subprocess.run(
        [str(chromium), *flags, "--dump-dom", page.as_uri()],
        check=True,
        capture_output=True,
        timeout=120,
        text=True,
    ).stdout
    assert f'<html lang="{lang}">' in dom
    assert f"<h1>{LETTER_TITLES[lang]}</h1>" in dom
    records = re.findall(r'<article class="record" data-table="(\w+)" data-key="(\d+)">', dom)
    truth = SUBJECTS["invoices_kept"]["erasure"]
    assert records == [(e["table"], str(e["key"])) for e in truth]
    assert re.findall(r'data-decision="(\w+)"', dom) == [e["decision"] for e in truth]
    shot = tmp_path / f"letter-{lang}.png"
    screenshot = ["--window-size=1280,1600", "--hide-scrollbars", f"--screenshot={shot}"]
    subprocess.run(
        [str(chromium), *flags, *screenshot, page.as_uri()],
        check=True,
        capture_output=True,
        timeout=120,
    )
    image = Image.open(shot).convert("L")
    box = ImageOps.invert(image).point(lambda v: 255 if v > 40 else 0).getbbox()
    assert box is not None
    left, _, right, _ = box
    assert right - left < 760, box
    assert left > 200 and image.width - right > 200, box


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--key", "nosuch.id=1"], f"{DUMP}: table 'nosuch' is not bound"),
        (["--key", "customers.nope=1"], f"{DUMP}: table 'customers' has no column 'nope'"),
        (["--key", "customers.id=abc"], f"{DUMP}: customers.id holds whole numbers"),
        (["--key", "customers=1"], "--key is TABLE.COLUMN=VALUE"),
        (["--email", "no-at-sign"], f"{DUMP}: the email given is not one"),
        (["--key", "customers.id=1", "--sql", "x.sql"], "--sql needs --erasure"),
        (["--key", "customers.id=1", "--letter", "x.pdf"], "--letter names a .md or .html file"),
    ],
)
def test_a_request_that_cannot_be_answered_says_why(
    extra: list[str], message: str, tmp_path: Path, capsys: Any
) -> None:
    args = ["subject", "--bindings", str(BINDINGS), "--snapshot", str(DUMP), "--as-of", AS_OF]
    assert main([*args, *extra, "-o", str(tmp_path / "o.json")]) == 2
    captured = capsys.readouterr()
    assert (captured.out, captured.err) == ("", f"seloste: error: {message}\n")
    assert not (tmp_path / "o.json").exists()


def test_an_unreadable_source_is_an_error_not_an_empty_answer(tmp_path: Path, capsys: Any) -> None:
    missing = str(tmp_path / "missing.db")
    assert main(ask(missing, {"email": "a@b.fi"}, tmp_path / "o.json")) == 2
    captured = capsys.readouterr()
    assert captured.err == f"seloste: error: {missing}: no such file or directory\n"


# -- registers that share their data subjects ---------------------------------------------------

SHARED_POLICY = """\
seloste: 1
kind: policy
controller: {name: Esimerkki Oy, contact: tietosuoja@esimerkki.example}
fields:
  email: {name: {fi: Sähköposti, en: E-mail}, kind: email, personal: true}
registers:
  accounts:
    name: {fi: Asiakastilit, en: Accounts}
    role: controller
    data_subjects: {members: {fi: Jäsenet, en: Members}}
    legal_basis: {basis: contract}
    fields: [email]
  letters:
    name: {fi: Uutiskirje, en: Newsletter}
    role: controller
    data_subjects: {members: {fi: Jäsenet, en: Members}}
    legal_basis: {basis: consent}
    fields: [email]
  visits:
    name: {fi: Kävijät, en: Visitors}
    role: controller
    data_subjects: {visitors: {fi: Kävijät, en: Visitors}}
    legal_basis: {basis: legitimate_interests}
    fields: [email]
purposes: {}
transfers: {allowed: [EEA]}
"""
SHARED_BINDINGS = """\
seloste: 1
kind: bindings
policy: policy.yaml
tables:
  accounts: {register: accounts, key: id, columns: {email: email}}
  letters: {register: letters, key: id, columns: {address: email}}
  visits: {register: visits, key: id, columns: {email: email}}
"""


def shared_subjects(tmp_path: Path) -> tuple[Path, Path]:
    (tmp_path / "policy.yaml").write_text(SHARED_POLICY, encoding="utf-8")
    bindings = tmp_path / "bindings.yaml"
    bindings.write_text(SHARED_BINDINGS, encoding="utf-8")
    db = tmp_path / "shared.db"
    with sqlite3.connect(db) as conn:
        conn.executescript(
            "CREATE TABLE accounts (id INTEGER PRIMARY KEY, email TEXT);"
            "CREATE TABLE letters (id INTEGER PRIMARY KEY, address TEXT);"
            "CREATE TABLE visits (id INTEGER PRIMARY KEY, email TEXT);"
            "INSERT INTO accounts VALUES (1, 'Aino@Example.fi'), (2, 'toinen@example.fi');"
            "INSERT INTO letters VALUES (7, ' aino@example.fi'), (8, 'toinen@example.fi');"
            "INSERT INTO visits VALUES (3, 'toinen@example.fi');"
        )
    conn.close()
    return bindings, db


def test_registers_that_share_subjects_give_one_answer(tmp_path: Path, capsys: Any) -> None:
    bindings, db = shared_subjects(tmp_path)
    out = tmp_path / "o.json"
    args = ["subject", "--bindings", str(bindings), "--snapshot", str(db), "--allow-outside-root"]
    assert main([*args, "--email", "AINO@example.fi", "-o", str(out)]) == 0
    capsys.readouterr()
    doc = json.loads(out.read_text("utf-8"))
    assert doc["subjects"] == [{"table": "accounts", "key": 1}, {"table": "letters", "key": 7}]
    assert [(r["id"], [t["table"] for t in r["tables"]]) for r in doc["registers"]] == [
        ("accounts", ["accounts"]),
        ("letters", ["letters"]),
    ]


def test_registers_with_other_subjects_are_other_subjects(tmp_path: Path, capsys: Any) -> None:
    bindings, db = shared_subjects(tmp_path)
    args = ["subject", "--bindings", str(bindings), "--snapshot", str(db), "--allow-outside-root"]
    assert main([*args, "--email", "toinen@example.fi", "-o", str(tmp_path / "o.json")]) == 2
    assert capsys.readouterr().err.splitlines()[-1] == (
        "seloste: error: 3 subjects match; choose one with --key: accounts.id=2, letters.id=8, "
        "visits.id=3"
    )
