"""``seloste diff``: the changes between two policy versions, in the notice's terms."""

from __future__ import annotations

import json
import re
from pathlib import Path
from string import Formatter

import pytest
from seloste.checks.cli import main
from seloste.policy.diff import WHY, Change, diff
from seloste.policy.loader import load_policy
from seloste.policy.terms import DIFF_TERMS, TERMS
from shared import without_source

ROOT = Path(__file__).resolve().parent.parent
K_POLICY = ROOT / "fixtures" / "k-systems" / "policy.yaml"

MAILER = """
recipients:
  mailer:
    name: {fi: Uutiskirjepalvelu, en: Newsletter service}
    type: processor
    locations: [US]
    fields: [email, contact_name]
"""
SUPPORT = """
purposes:
  support:
    name: {fi: Asiakastuki, en: Customer support}
    legal_basis: {basis: contract}
    fields: [contact_name, email]
"""
# (old text, new text) edits that turn the K-Systems policy into the "new" version.
EDITS = [
    (
        "    fields: [organisation_name, domain, contact_name, address, email, phone]\n",
        "    fields: [organisation_name, business_id, domain, contact_name, address, email,"
        " phone]\n",
    ),
    ("        period: P3M\n", "        period: P1M\n"),
    ("            period: P7Y\n", "            period: P10Y\n"),
    (
        "    rights: [access, rectification, erasure, marketing_opt_out, restriction]\n",
        "    rights: [access, rectification, erasure, restriction]\n",
    ),
    (
        "part of that relationship.\n    legal_basis: {basis: contract}\n",
        "part of that relationship.\n    legal_basis: {basis: consent}\n",
    ),
    ("    marketing: true\n", "    marketing: true\n    recipients: [mailer]\n"),
    ("\nrecipients:\n", MAILER),
    ("\npurposes:\n", SUPPORT),
    (
        "    purposes: [service_maintenance, customer_relationship, marketing]\n",
        "    purposes: [service_maintenance, customer_relationship, marketing, support]\n",
    ),
    (
        "      - fi: Julkisista ja yksityisistä rekistereistä",
        "      - {fi: Asiakastuen puheluista., en: From support calls.}\n"
        "      - fi: Julkisista ja yksityisistä rekistereistä",
    ),
    ("      en: Web servers and web hosting partners\n", "      en: Web hosting partners\n"),
    ("  allowed: [EEA]\n", '  allowed: [EEA, "CH"]\n'),
]

# What the diff must say, in the policy's order: controller, purposes, registers, recipients,
# transfers. ``True`` marks a change data subjects must be told about.
EXPECTED = [
    ("purpose-added", "purposes.support", True,
     "new purpose “Customer support” (Contract (GDPR Art. 6(1)(b))) uses: Name of the contact "
     "person, E-mail"),
    ("legal-basis-changed", "purposes.marketing.legal_basis", True,
     "legal basis of purpose “Marketing and communication services”: Contract "
     "(GDPR Art. 6(1)(b)) → Consent (GDPR Art. 6(1)(a))"),
    ("purpose-recipient-added", "purposes.marketing.recipients", True,
     "purpose “Marketing and communication services” now discloses data to “Newsletter "
     "service”"),
    ("register-purpose-added", "registers.customer_register.purposes", True,
     "“Customer register” is now also used for: “Customer support”"),
    ("right-removed", "registers.customer_register.rights", True,
     "right removed from “Customer register”: Marketing opt-out"),
    ("register-sources-added", "registers.customer_register.sources", False,
     "new source in “Customer register”: “From support calls.”"),
    ("retention-shorter", "registers.customer_register.retention.after-relationship.period",
     False,
     "retention “after-relationship” of “Customer register”: 3 months → 1 month (shorter)"),
    ("retention-longer",
     "registers.customer_register.retention.after-relationship.exceptions.accounting-records"
     ".period", True,
     "exception “accounting-records” to retention “after-relationship” of “Customer "
     "register”: 7 years → 10 years (longer)"),
    ("recipient-added", "recipients.mailer", True,
     "new recipient “Newsletter service” (processor, acting on the controller's behalf) in "
     "United States "
     "receives: E-mail, Name of the contact person"),
    ("transfer-added", "recipients.mailer.locations", True,
     "“Newsletter service” processes data outside the EU/EEA: United States"),
    ("recipient-renamed", "recipients.hosting_partners.name", False,
     "recipient “Web servers and web hosting partners” is now called “Web hosting partners”"),
    ("recipient-fields-added", "recipients.hosting_partners.fields", True,
     "“Web hosting partners” now also receives: Business ID or registration number"),
    ("transfer-allowed-added", "transfers.allowed", True,
     "transfers now allowed to: Switzerland"),
]  # fmt: skip


def edited(tmp_path: Path, edits: list[tuple[str, str]], name: str = "new.yaml") -> Path:
    text = K_POLICY.read_text(encoding="utf-8")
    for old, new in edits:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def changes(new: Path) -> list[Change]:
    return diff(load_policy(K_POLICY).model, load_policy(new).model)


def test_diff_lists_exactly_the_changes_with_the_notifiable_ones_marked(tmp_path: Path) -> None:
    got = [(c.kind, c.where, c.notifiable, c.message) for c in changes(edited(tmp_path, EDITS))]
    assert got == EXPECTED


def test_every_notifiable_change_says_why(tmp_path: Path) -> None:
    for change in changes(edited(tmp_path, EDITS)):
        assert bool(change.why) == change.notifiable
        if change.why:
            assert "Art. 13(" in change.why


def test_same_policy_has_no_changes(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["diff", str(K_POLICY), str(K_POLICY), "--fail-on-notifiable"]) == 0
    assert capsys.readouterr().out == "No changes to the notice.\n"


def test_equal_periods_written_differently_are_no_change(tmp_path: Path) -> None:
    assert changes(edited(tmp_path, [("period: P7Y\n", "period: P84M\n")])) == []


def test_changed_trigger_is_notifiable(tmp_path: Path) -> None:
    before = '        trigger: relationship_end\n        # CHOSEN: "as'
    after = '        trigger: last_activity\n        # CHOSEN: "as'
    new = edited(tmp_path, [(before, after)])
    [change] = changes(new)
    assert (change.kind, change.notifiable) == ("retention-changed", True)
    assert change.where == "registers.customer_register.retention.after-relationship.trigger"


def test_diff_command_text_and_gate(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    new = edited(tmp_path, EDITS)
    assert main(["diff", str(K_POLICY), str(new)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("NOTIFY  purposes.support: new purpose “Customer support”")
    assert out[-1] == (
        "13 changes, 10 to tell data subjects about before it applies (GDPR Art. 13(3), 14(4))."
    )
    assert main(["diff", str(K_POLICY), str(new), "--fail-on-notifiable"]) == 1
    capsys.readouterr()
    # Shorter retention alone need not be told: the gate passes.
    shorter = edited(tmp_path, [("        period: P3M\n", "        period: P1M\n")], "s.yaml")
    assert main(["diff", str(K_POLICY), str(shorter), "--fail-on-notifiable"]) == 0


def test_diff_command_json_and_markdown(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    new = edited(tmp_path, EDITS)
    assert main(["diff", str(K_POLICY), str(new), "--format", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["notifiable"] == 10
    assert [(c["kind"], c["where"], c["notifiable"]) for c in doc["changes"]] == [
        e[:3] for e in EXPECTED
    ]
    assert main(["diff", str(K_POLICY), str(new), "--format", "md"]) == 0
    md = capsys.readouterr().out
    told, rest = md.split("#### Data subjects must be told\n")[1].split("#### Other changes\n")
    assert told.count("\n- ") == 10 and rest.count("\n- ") == 3
    assert "- **removed right (Art. 13(2)(b))**: right removed from “Customer register”" in told


# The same edits in Finnish: sentences as well as names (the hosting partners' English name
# changed only, so the Finnish diff has no rename).
EXPECTED_FI = [
    "uusi käyttötarkoitus “Asiakastuki” (Sopimus (tietosuoja-asetuksen 6 artiklan 1 kohdan b "
    "alakohta)), käytettävät tiedot: Yhteyshenkilön nimi, Sähköposti",
    "käyttötarkoitus “Markkinointi- ja viestintäpalvelujen hoitaminen”: käsittelyperuste "
    "Sopimus (tietosuoja-asetuksen 6 artiklan 1 kohdan b alakohta) → Suostumus "
    "(tietosuoja-asetuksen 6 artiklan 1 kohdan a alakohta)",
    "käyttötarkoitus “Markkinointi- ja viestintäpalvelujen hoitaminen”: vastaanottajiin "
    "lisättiin “Uutiskirjepalvelu”",
    "rekisteri “Asiakasrekisteri”: käyttötarkoituksiin lisättiin “Asiakastuki”",
    "rekisteri “Asiakasrekisteri”: rekisteröidyn oikeuksista poistettiin Markkinointikielto",
    "rekisteri “Asiakasrekisteri”: tietolähteisiin lisättiin “Asiakastuen puheluista.”",
    "säilytyssääntö “after-relationship” (rekisteri “Asiakasrekisteri”): säilytysaika "
    "3 kuukautta → 1 kuukausi (lyhyempi)",
    "poikkeus “accounting-records”, säilytyssääntö “after-relationship” (rekisteri "
    "“Asiakasrekisteri”): säilytysaika 7 vuotta → 10 vuotta (pidempi)",
    "uusi vastaanottaja “Uutiskirjepalvelu” (henkilötietojen käsittelijä, joka käsittelee "
    "tietoja rekisterinpitäjän lukuun), käsittelypaikka: Yhdysvallat, luovutettavat tiedot: "
    "Sähköposti, Yhteyshenkilön nimi",
    "vastaanottaja “Uutiskirjepalvelu” käsittelee tietoja EU:n tai ETA:n ulkopuolella: Yhdysvallat",
    "vastaanottaja “Verkkopalvelimet ja webhotellit”: luovutettaviin tietoihin lisättiin "
    "Y-tunnus tai rekisterinumero",
    "sallittuihin siirtokohteisiin lisättiin Sveitsi",
]


def test_diff_in_finnish_says_its_sentences_in_finnish(tmp_path: Path) -> None:
    new = load_policy(edited(tmp_path, EDITS)).model
    got = diff(load_policy(K_POLICY).model, new, "fi")
    assert [c.message for c in got] == EXPECTED_FI
    assert next(c.why for c in got if c.notifiable) == (
        "uusi käyttötarkoitus (13 artiklan 1 kohdan c alakohta)"
    )
    assert all("artiklan" in c.why for c in got if c.notifiable)


def test_diff_command_in_finnish(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    new = edited(tmp_path, EDITS)
    assert main(["diff", str(K_POLICY), str(new), "--lang", "fi"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[-1] == (
        "12 muutosta, joista 10 on kerrottava rekisteröidyille ennen niiden voimaantuloa "
        "(tietosuoja-asetuksen 13 artiklan 3 kohta ja 14 artiklan 4 kohta)."
    )
    # No English sentence is left (the places are the policy's YAML keys, and stay).
    prose = " ".join(line.split(": ", 1)[1] for line in out.splitlines()[:-1])
    english = {"new", "now", "removed", "longer", "shorter", "uses", "receives", "changes"}
    assert english.isdisjoint(re.findall(r"[a-z]+", prose))
    assert main(["diff", str(K_POLICY), str(new), "--lang", "fi", "--format", "md"]) == 0
    md = capsys.readouterr().out
    assert md.startswith("### Muutokset tietosuojaselosteeseen\n")
    assert "#### Muutokset, joista on kerrottava rekisteröidyille\n" in md
    assert "#### Muut muutokset\n" in md
    assert main(["diff", str(K_POLICY), str(K_POLICY), "--lang", "fi"]) == 0
    assert capsys.readouterr().out == "Selosteeseen ei tule muutoksia.\n"


def test_every_diff_wording_has_both_languages_with_the_same_placeholders() -> None:
    for key, wording in DIFF_TERMS.items():
        fields = [
            sorted(f for _, f, _, _ in Formatter().parse(wording[lang]) if f)
            for lang in ("fi", "en")
        ]
        assert fields[0] == fields[1], key


def test_every_notifiable_kind_has_a_reason_in_both_languages() -> None:
    for reason in set(WHY.values()):
        assert set(TERMS[f"diff.why.{reason}"]) == {"fi", "en"}


def test_broken_input_is_exit_2_with_places(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = edited(tmp_path, [("  contact: hostmaster", "  contakt: x")], "broken.yaml")
    missing = tmp_path / "missing.yaml"
    assert main(["diff", str(missing), str(broken), "--fail-on-notifiable"]) == 2
    err = without_source(capsys.readouterr().err).splitlines()
    # Both files' problems at once, each with its place (lines follow the fixture, so a pattern).
    assert [re.sub(r":\d+:\d+:", ":L:C:", line) for line in err] == [
        f"{broken}:L:C: missing required key 'contact'",
        f"{broken}:L:C: unknown key 'contakt'; did you mean 'contact'?",
        f"{missing}: no such file",
    ]
