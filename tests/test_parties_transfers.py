"""Recipients typed once (processor, third party, joint controller, authority) and transfers
outside the allowed places under a mechanism: the model, the rules, the notice and the diff."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from seloste.checks.flows import check_flows
from seloste.checks.lint import lint_policy
from seloste.policy import parties
from seloste.policy.diff import diff
from seloste.policy.errors import InputError
from seloste.policy.loader import load_policy
from seloste.policy.model import Policy
from seloste.policy.notice import notice_view
from seloste.policy.ropa import ropa_row
from seloste.policy.transfers import why_not
from seloste.policy.wording import Words

HEAD = """\
seloste: 1
kind: policy
controller: {name: Esimerkki Oy, contact: tietosuoja@example.fi}
fields:
  email: {name: {fi: Sähköposti, en: E-mail}, kind: email, personal: true}
registers:
  members:
    name: {fi: Jäsenet, en: Members}
    role: controller
    data_subjects: {members: {fi: Jäsenet, en: Members}}
    legal_basis: {basis: contract}
    fields: [email]
    purposes: [service]
purposes:
  service:
    name: {fi: Palvelu, en: Service}
    legal_basis: {basis: contract}
    fields: [email]
    recipients: [RECIPIENTS]
"""


def recipient(rid: str, type_: str, locations: str, transfers: str = "") -> str:
    text = (
        f"  {rid}:\n"
        f"    name: {{fi: {rid}-fi, en: {rid}-en}}\n"
        f"    type: {type_}\n"
        f"    locations: [{locations}]\n"
        "    fields: [email]\n"
    )
    return text + (f"    transfers:\n{transfers}" if transfers else "")


def policy_text(
    recipients: list[str], transfers: str = "  allowed: [EEA]\n", *, named: int | None = None
) -> str:
    """A policy whose one purpose names the first ``named`` recipients (default all)."""
    ids = ", ".join(r.split(":")[0].strip() for r in recipients[:named])
    head = HEAD.replace("RECIPIENTS", ids)
    return head + "recipients:\n" + "".join(recipients) + "transfers:\n" + transfers


def write(tmp_path: Path, text: str, name: str = "policy.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def lint(tmp_path: Path, text: str, rule: str) -> list[tuple[int, str]]:
    policy = load_policy(write(tmp_path, text))
    return [(f.location.line, f.message) for f in lint_policy(policy) if f.rule == rule]


ALL = "  allowed: [EEA]\n  mechanisms: [adequacy, scc, bcr, derogation]\n"


# -- old policies: a precise error that says how to rewrite them ---------------------------


def test_old_recipient_and_register_keys_get_a_rewrite_message(tmp_path: Path) -> None:
    text = policy_text(
        [
            "  partners:\n"
            "    name: {fi: Kumppanit, en: Partners}\n"
            "    type: partner\n"
            "    role: controller\n"
            "    locations: [FI]\n"
            "    fields: [email]\n",
            "  mailer:\n"
            "    name: {fi: Postittaja, en: Mailer}\n"
            "    type: processor\n"
            "    role: sub_processor\n"
            "    locations: [FI]\n"
            "    fields: [email]\n",
        ]
    ).replace("    purposes: [service]\n", "    purposes: [service]\n    processors: [mailer]\n")
    path = write(tmp_path, text)
    with pytest.raises(InputError) as caught:
        load_policy(path)
    assert [str(p) for p in caught.value.problems] == [
        f"{path}:14:5: 'processors' is removed: a register's processors are the recipients of "
        "type processor that its purposes name; list mailer under the recipients of the "
        "purposes it serves (purposes.<id>.recipients) and delete this key",
        f"{path}:24:11: type 'partner' is retired: a partner that uses the data for its own "
        "purposes is 'third_party', one that acts on your behalf is 'processor'",
        f"{path}:25:5: 'role' is replaced by 'type' (processor, third_party, joint_controller, "
        "authority): type: partner + role: controller becomes type: third_party; delete 'role'",
        f"{path}:31:5: 'role' is replaced by 'type' (processor, third_party, joint_controller, "
        "authority): type: processor + role: sub_processor becomes type: processor; delete "
        "'role'",
    ]


def test_an_authority_keeps_its_type_when_role_goes(tmp_path: Path) -> None:
    text = policy_text([recipient("traffic", "authority", "FI") + "    role: controller\n"])
    path = write(tmp_path, text)
    with pytest.raises(InputError) as caught:
        load_policy(path)
    assert [p.message for p in caught.value.problems] == [
        "'role' is replaced by 'type' (processor, third_party, joint_controller, authority): "
        "type: authority + role: controller becomes type: authority; delete 'role'"
    ]


# -- processors derived from the purposes ---------------------------------------------------


def test_processors_and_controllers_are_derived_from_the_purposes(tmp_path: Path) -> None:
    text = policy_text(
        [
            recipient("hosting", "processor", "FI"),
            recipient("carrier", "third_party", "FI"),
            recipient("partner", "joint_controller", "FI"),
            recipient("tax", "authority", "FI"),
            # A processor no purpose names is not the register's: it reaches none of its data.
            recipient("idle", "processor", "FI"),
        ],
        named=4,
    )
    model = load_policy(write(tmp_path, text)).model
    register = model.registers["members"]
    assert parties.processors(model, register) == ["hosting"]
    assert parties.controllers(model, register) == ["carrier", "partner", "tax"]


def test_a_flow_to_a_processor_named_by_its_purpose_passes_flw003(tmp_path: Path) -> None:
    write(tmp_path, policy_text([recipient("hosting", "processor", "FI")]))
    flows = write(
        tmp_path,
        "seloste: 1\nkind: flows\npolicy: policy.yaml\nflows:\n"
        "  ok:\n    register: members\n    recipient: hosting\n    purpose: service\n"
        "    fields: [email]\n    excludes: [restricted]\n",
        "a.flows.yaml",
    )
    assert [f.rule for f in check_flows([str(flows)], outside_root=True)] == []


# -- POL011: on_behalf_of names a controller -------------------------------------------------


def _on_behalf_of(type_: str) -> str:
    text = policy_text([recipient("owner", type_, "FI")])
    return text.replace(
        "    role: controller\n", "    role: processor\n    on_behalf_of: owner\n", 1
    )


def test_pol011_on_behalf_of_a_processor_is_a_finding(tmp_path: Path) -> None:
    assert lint(tmp_path, _on_behalf_of("processor"), "POL011") == [
        (
            10,
            "register 'members' is processed on behalf of 'owner', whose type is processor, "
            "not a controller (third_party, joint_controller, authority)",
        )
    ]


@pytest.mark.parametrize("type_", ["third_party", "joint_controller", "authority"])
def test_pol011_on_behalf_of_a_controller_type_is_clean(tmp_path: Path, type_: str) -> None:
    assert lint(tmp_path, _on_behalf_of(type_), "POL011") == []


# -- POL004: each mechanism, holding and not -------------------------------------------------


def _pol004(tmp_path: Path, locations: str, transfers: str, policy_transfers: str = ALL) -> list:
    text = policy_text([recipient("r", "processor", locations, transfers)], policy_transfers)
    return [message for _, message in lint(tmp_path, text, "POL004")]


OUT = "recipient 'r': {place} is outside the allowed transfer region EEA"


@pytest.mark.parametrize(
    ("place", "safeguard"),
    [
        ("US", "{mechanism: adequacy}"),  # the EU-US Data Privacy Framework, no end date
        ("JP", "{mechanism: adequacy}"),
        ("IN", "{mechanism: scc, reference: SCC module 2}"),
        ("IN", "{mechanism: bcr}"),
        ("IN", "{mechanism: derogation, reason: {fi: Sopimus, en: The contract}}"),
    ],
)
def test_pol004_a_permitted_mechanism_that_holds_is_clean(
    tmp_path: Path, place: str, safeguard: str
) -> None:
    assert _pol004(tmp_path, place, f"      {place}: {safeguard}\n") == []


def test_pol004_adequacy_for_a_country_without_a_decision(tmp_path: Path) -> None:
    found = _pol004(tmp_path, "CN", "      CN: {mechanism: adequacy}\n")
    assert found == [OUT.format(place="CN") + ": no adequacy decision for CN"]


def test_pol004_a_derogation_without_its_reason(tmp_path: Path) -> None:
    found = _pol004(tmp_path, "IN", "      IN: {mechanism: derogation}\n")
    assert found == [
        OUT.format(place="IN") + ": its mechanism derogation (derogation, Art. 49) gives no reason"
    ]


def test_pol004_a_mechanism_the_notice_does_not_permit(tmp_path: Path) -> None:
    only = "  allowed: [EEA]\n  mechanisms: [adequacy]\n"
    found = _pol004(tmp_path, "IN", "      IN: {mechanism: scc}\n", only)
    assert found == [
        OUT.format(place="IN") + ": its mechanism scc (standard contractual clauses, "
        "Art. 46(2)(c)) is not one the notice permits (transfers.mechanisms: adequacy)"
    ]
    none = _pol004(tmp_path, "IN", "      IN: {mechanism: scc}\n", "  allowed: [EEA]\n")
    assert none == [
        OUT.format(place="IN") + ": its mechanism scc (standard contractual clauses, "
        "Art. 46(2)(c)) is not one the notice permits (transfers.mechanisms: none)"
    ]


def test_pol010_a_mechanism_or_banned_place_listed_twice(tmp_path: Path) -> None:
    transfers = (
        "  allowed: [EEA]\n  mechanisms: [scc, adequacy, scc]\n"
        "  bans:\n    - places: [RU, BY, RU]\n      reason: {fi: Kielletty, en: Banned}\n"
    )
    text = policy_text([recipient("host", "processor", "FI")], transfers)
    assert lint(tmp_path, text, "POL010") == [
        (28, "'scc' is listed twice in transfers.mechanisms"),
        (30, "'RU' is listed twice in transfers.bans.0.places"),
    ]


def test_pol004_no_mechanism_declared(tmp_path: Path) -> None:
    assert _pol004(tmp_path, "IN", "") == [
        OUT.format(place="IN") + ", and recipient 'r' declares no transfer mechanism for it"
    ]
    # Where the notice permits none, the place itself is the finding (the message as before).
    assert _pol004(tmp_path, "IN", "", "  allowed: [EEA]\n") == [OUT.format(place="IN")]


def test_pol004_a_mechanism_for_a_place_inside_the_allowed_ones(tmp_path: Path) -> None:
    found = _pol004(tmp_path, "FI", "      FI: {mechanism: scc}\n")
    assert found == [
        "recipient 'r': a transfer mechanism is declared for FI, which is inside the allowed "
        "transfer region EEA; remove it"
    ]


def test_pol004_a_ban_wins_over_any_mechanism(tmp_path: Path) -> None:
    banned = ALL + "  bans:\n    - places: [US]\n      reason: {fi: Ei, en: No}\n"
    found = _pol004(tmp_path, "US", "      US: {mechanism: scc}\n", banned)
    assert found == ["recipient 'r': US is banned by transfers.bans (US)"]


def test_pol004_a_policy_decision_not_yet_and_no_longer_in_force(tmp_path: Path) -> None:
    today = date.today().isoformat()
    own = ALL + (
        "  adequacy:\n"
        "    BR:\n"
        "      - {name: Brazil framework, adopted: '2099-01-01'}\n"
        "    CA:\n"
        "      - {decision: Old decision, adopted: '2001-12-20', until: '2001-12-31'}\n"
    )
    found = _pol004(
        tmp_path,
        "BR, CA",
        "      BR: {mechanism: adequacy}\n      CA: {mechanism: adequacy}\n",
        own,
    )
    assert found == [
        OUT.format(place="BR") + f": no adequacy decision for BR in force on {today} "
        "(Brazil framework applies from 2099-01-01)",
        OUT.format(place="CA") + f": no adequacy decision for CA in force on {today} "
        "(Old decision applied until 2001-12-31)",
    ]


# -- adequacy in force by day (the data file) ------------------------------------------------


def _adequacy_policy(tmp_path: Path) -> Policy:
    text = policy_text(
        [
            recipient(
                "r",
                "processor",
                "US, GB",
                "      US: {mechanism: adequacy}\n      GB: {mechanism: adequacy}\n",
            )
        ],
        ALL,
    )
    return load_policy(write(tmp_path, text)).model


@pytest.mark.parametrize(
    ("place", "day", "expected"),
    [
        ("US", "2020-07-15", None),  # the last day of the Privacy Shield
        (
            "US",
            "2020-07-16",
            "US is outside the allowed transfer region EEA: no adequacy decision for US in "
            "force on 2020-07-16 (EU-US Privacy Shield applied until 2020-07-15)",
        ),
        (
            "US",
            "2023-07-09",
            "US is outside the allowed transfer region EEA: no adequacy decision for US in "
            "force on 2023-07-09 (EU-US Privacy Shield applied until 2020-07-15)",
        ),
        ("US", "2023-07-10", None),  # the Data Privacy Framework's first day
        (
            "GB",
            "2021-06-27",
            "GB is outside the allowed transfer region EEA: no adequacy decision for GB in "
            "force on 2021-06-27 (Commission Implementing Decision (EU) 2021/1772 applies "
            "from 2021-06-28)",
        ),
        ("GB", "2025-12-27", None),
        ("GB", "2031-12-27", None),
        (
            "GB",
            "2031-12-28",
            "GB is outside the allowed transfer region EEA: no adequacy decision for GB in "
            "force on 2031-12-28 (Commission Implementing Decision of 19 December 2025 "
            "(renewal) applied until 2031-12-27)",
        ),
    ],
)
def test_adequacy_holds_only_while_in_force(
    tmp_path: Path, place: str, day: str, expected: str | None
) -> None:
    policy = _adequacy_policy(tmp_path)
    assert why_not(place, policy, recipient="r", on=date.fromisoformat(day)) == expected


# -- FLW004: every hop, with the recipient's mechanisms and the --as-of day -----------------


FLOW = """\
seloste: 1
kind: flows
policy: policy.yaml
flows:
  analytics:
    register: members
    recipient: r
    purpose: service
    fields: [email]
    excludes: [restricted]
    locations: [FI]
    sub_processors:
      - {name: Analytics, locations: [US]}
    storage: [IN]
"""


def _flw004(tmp_path: Path, transfers: str, on: date | None = None) -> list[tuple[int, str]]:
    write(tmp_path, policy_text([recipient("r", "processor", "FI", transfers)], ALL))
    flows = write(tmp_path, FLOW, "a.flows.yaml")
    found = check_flows([str(flows)], on=on, outside_root=True)
    return [(f.location.line, f.message) for f in found if f.rule == "FLW004"]


def test_flw004_hops_under_a_mechanism_that_holds_are_clean(tmp_path: Path) -> None:
    safeguards = "      US: {mechanism: adequacy}\n      IN: {mechanism: scc}\n"
    assert _flw004(tmp_path, safeguards, on=date(2024, 1, 1)) == []


def test_flw004_each_hop_without_a_mechanism_is_a_finding(tmp_path: Path) -> None:
    assert _flw004(tmp_path, "      US: {mechanism: adequacy}\n", on=date(2021, 1, 1)) == [
        (
            13,
            "flow 'analytics', sub-processor 'Analytics': US is outside the allowed transfer "
            "region EEA: no adequacy decision for US in force on 2021-01-01 (EU-US Privacy "
            "Shield applied until 2020-07-15)",
        ),
        (
            14,
            "flow 'analytics', storage: IN is outside the allowed transfer region EEA, and "
            "recipient 'r' declares no transfer mechanism for it",
        ),
    ]


def test_check_passes_as_of_to_the_flow_rules(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from seloste.checks.cli import main

    monkeypatch.chdir(tmp_path)
    safeguards = "      US: {mechanism: adequacy}\n      IN: {mechanism: scc}\n"
    write(tmp_path, policy_text([recipient("r", "processor", "FI", safeguards)], ALL))
    flows = str(write(tmp_path, FLOW, "a.flows.yaml"))
    assert main(["check", "--flows", flows, "--as-of", "2024-01-01T00:00:00Z"]) == 0
    assert main(["check", "--flows", flows, "--as-of", "2021-01-01T00:00:00Z"]) == 1
    assert "no adequacy decision for US in force on 2021-01-01" in capsys.readouterr().out


# -- the notice, the record of processing and the diff ---------------------------------------


def _transfer_policy(tmp_path: Path) -> Policy:
    safeguards = (
        "      US: {mechanism: adequacy}\n"
        "      JP: {mechanism: adequacy}\n"
        "      IN: {mechanism: scc, reference: SCC module 2}\n"
        "      BR: {mechanism: derogation, reason: {fi: Asiakkaan pyyntö, en: The customer's"
        " request}}\n"
    )
    text = policy_text(
        [
            recipient("cloud", "processor", "FI, US, JP, IN, BR", safeguards),
            recipient("carrier", "third_party", "FI"),
        ],
        ALL,
    )
    return load_policy(write(tmp_path, text)).model


def test_notice_renders_each_transfer_with_its_mechanism(tmp_path: Path) -> None:
    policy = _transfer_policy(tmp_path)
    en = notice_view(policy, Words("en")).transfers
    assert en[-4:] == [
        "cloud-en: data is transferred to the United States under the EU-US Data Privacy "
        "Framework (adequacy decision of 10 July 2023), which covers organisations certified "
        "under the EU-US Data Privacy Framework only.",
        "cloud-en: data is transferred to Japan under the European Commission's adequacy "
        "decision of 23 January 2019, which covers organisations under the Act on the "
        "Protection of Personal Information (APPI).",
        "cloud-en: data is transferred to India under standard contractual clauses adopted by "
        "the European Commission (GDPR Art. 46(2)(c)), SCC module 2.",
        "cloud-en: data is transferred to Brazil under a derogation for a specific situation "
        "(GDPR Art. 49): The customer's request.",
    ]
    fi = notice_view(policy, Words("fi")).transfers
    assert fi[-4:] == [
        "cloud-fi: Yhdysvallat – siirto perustuu Euroopan komission tietosuojan riittävyyttä "
        "koskevaan päätökseen (EU-US Data Privacy Framework, päätös 10.7.2023), joka koskee "
        "vain EU:n ja Yhdysvaltojen välisen tietosuojakehyksen mukaisesti sertifioituja "
        "organisaatioita.",
        "cloud-fi: Japani – siirto perustuu Euroopan komission 23.1.2019 tekemään tietosuojan "
        "riittävyyttä koskevaan päätökseen, joka koskee Japanin henkilötietolain (APPI) "
        "alaisia organisaatioita.",
        "cloud-fi: Intia – siirto perustuu Euroopan komission hyväksymiin "
        "vakiosopimuslausekkeisiin (tietosuoja-asetuksen 46 artiklan 2 kohdan c alakohta), "
        "SCC module 2.",
        "cloud-fi: Brasilia – siirto perustuu tietosuoja-asetuksen 49 artiklan mukaiseen "
        "poikkeukseen erityistilanteissa: Asiakkaan pyyntö.",
    ]


def test_notice_and_record_list_processors_apart_from_controllers(tmp_path: Path) -> None:
    policy = _transfer_policy(tmp_path)
    groups = notice_view(policy, Words("en")).recipient_groups
    assert [(g.heading, [r.name for r in g.recipients]) for g in groups] == [
        ("Processors (GDPR Art. 28)", ["cloud-en"]),
        ("Recipients that are controllers in their own right", ["carrier-en"]),
    ]
    fi = notice_view(policy, Words("fi")).recipient_groups
    assert [g.heading for g in fi] == [
        "Henkilötietojen käsittelijät (tietosuoja-asetuksen 28 artikla)",
        "Luovutuksensaajat, jotka ovat itse rekisterinpitäjiä",
    ]
    assert notice_view(policy, Words("en")).registers[0].processors == ["cloud-en"]
    row = ropa_row(policy, "members", Words("en"))
    assert row["recipients"] == "Processors: cloud-en; Other controllers: carrier-en"
    assert row["transfers"].split("; ") == [
        "cloud-en: to the United States under the EU-US Data Privacy Framework (adequacy "
        "decision of 10 July 2023), which covers organisations certified under the EU-US Data "
        "Privacy Framework only",
        "cloud-en: to Japan under the European Commission's adequacy decision of 23 January "
        "2019, which covers organisations under the Act on the Protection of Personal "
        "Information (APPI)",
        "cloud-en: to India under standard contractual clauses adopted by the European "
        "Commission (GDPR Art. 46(2)(c)), SCC module 2",
        "cloud-en: to Brazil under a derogation for a specific situation (GDPR Art. 49): The "
        "customer's request",
    ]
    assert row["recipients"] != ropa_row(policy, "members", Words("fi"))["recipients"]


def test_diff_reports_a_recipient_type_change_and_a_new_safeguard(tmp_path: Path) -> None:
    old = load_policy(write(tmp_path, policy_text([recipient("r", "processor", "FI")], ALL)))
    new_text = policy_text(
        [recipient("r", "third_party", "FI", "      US: {mechanism: scc}\n")], ALL
    )
    new = load_policy(write(tmp_path, new_text, "new.yaml"))
    changes = [(c.kind, c.where, c.message, c.notifiable) for c in diff(old.model, new.model)]
    assert changes == [
        (
            "recipient-type-changed",
            "recipients.r.type",
            "“r-en” is now a third party, a controller in its own right, no longer a "
            "processor, acting on the controller's behalf",
            True,
        ),
        (
            "recipient-transfer-added",
            "recipients.r.transfers.US",
            "“r-en”: data is transferred to the United States under standard contractual "
            "clauses adopted by the European Commission (GDPR Art. 46(2)(c))",
            True,
        ),
    ]


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_rendered_notice_has_both_recipient_lists(tmp_path: Path, fmt: str) -> None:
    from seloste.policy.render import render_notice

    policy = _transfer_policy(tmp_path)
    text = render_notice(policy, "en", fmt)[0]
    if fmt == "md":
        assert "\n### Processors (GDPR Art. 28)\n\n#### cloud-en\n" in text
        assert (
            "\n### Recipients that are controllers in their own right\n\n#### carrier-en\n" in text
        )
        assert "to the United States under the EU-US Data Privacy Framework" in text
    else:
        assert "<h3>Processors (GDPR Art. 28)</h3>\n<h4>cloud-en</h4>" in text
        assert (
            "<h3>Recipients that are controllers in their own right</h3>\n<h4>carrier-en</h4>"
            in text
        )


def test_the_adequacy_data_names_real_countries_and_valid_decisions() -> None:
    import pycountry
    from seloste.policy import adequacy

    decisions = adequacy.builtin()  # each entry validated by the model as it is read
    assert all(pycountry.countries.get(alpha_2=c) is not None for c in decisions)
    # The ones the notice of a new user most likely names, with the dates the sources give.
    assert [(d.name, d.adopted, d.until) for d in decisions["US"]] == [
        ("EU-US Safe Harbour", "2000-07-26", "2015-10-05"),
        ("EU-US Privacy Shield", "2016-07-12", "2020-07-15"),
        ("EU-US Data Privacy Framework", "2023-07-10", None),
    ]
    for decisions_of_one in decisions.values():
        for d in decisions_of_one:
            assert d.until is None or d.adopted < d.until


def test_a_policy_entry_replaces_the_built_in_ones_for_its_country(tmp_path: Path) -> None:
    own = ALL + "  adequacy:\n    US:\n      - {name: Own record, adopted: '2099-01-01'}\n"
    policy = load_policy(
        write(
            tmp_path,
            policy_text(
                [recipient("r", "processor", "US", "      US: {mechanism: adequacy}\n")], own
            ),
        )
    ).model
    assert why_not("US", policy, recipient="r", on=date(2024, 1, 1)) == (
        "US is outside the allowed transfer region EEA: no adequacy decision for US in force on "
        "2024-01-01 (Own record applies from 2099-01-01)"
    )
