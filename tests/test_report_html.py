"""The HTML report for the compliance officer (issue 16, "The HTML report"): when and what was
checked, findings grouped by register with what they mean, rule links that resolve, a clean
run that says so, a flow map that says what is wrong in words, and how it looks in Chromium.

``SELOSTE_SCREENSHOTS=write`` keeps the screenshots as docs/img/report-*.png, which the
README shows.
"""

from __future__ import annotations

import itertools
import json
import os
import re
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

import pytest
from seloste.checks.cli import main
from seloste.checks.findings import CheckedFlow, Finding, Location, Suppression, suppress
from seloste.checks.reports import Report, renderer
from seloste.checks.reports.html import NO_REGISTER, register_of
from seloste.checks.reports.ruledocs import rule_docs
from shared import chromium as shared_chromium
from shared import headless

ROOT = Path(__file__).resolve().parent.parent
K = "fixtures/k-systems"
IMAGES = ROOT / "docs" / "img"
CHECKED_AT = "1793611800"  # 2026-11-02T09:30:00Z
FLOWS = sorted(str(p.relative_to(ROOT)) for p in (ROOT / K / "flows").glob("*.flows.yaml"))
CLEAN_FLOWS = sorted(
    str(p.relative_to(ROOT)) for p in (ROOT / K / "flows-clean").glob("*.flows.yaml")
)
CHECK = ["check", "--no-config", "--bindings", f"{K}/bindings.yaml", "--fail-on", "never"]
CHECK += ["--snapshot", f"{K}/snapshot/k-systems.sql", "--as-of", "2026-11-01T00:00:00Z"]


class Page(HTMLParser):
    """What a test asks of a page: ids, links, tags, headings, and the findings' rows."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.ids: set[str] = set()
        self.hrefs: list[str] = []
        self.srcs: list[str] = []
        self.tags: Counter[str] = Counter()
        self.headings: list[int] = []
        self.th_without_scope = 0
        self.rows: list[dict[str, str]] = []
        self.groups: list[str] = []
        self.feed(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        self.tags[tag] += 1
        if "id" in a:
            self.ids.add(a["id"])
        if "href" in a:
            self.hrefs.append(a["href"])
        if "src" in a:
            self.srcs.append(a["src"])
        if re.fullmatch(r"h[1-6]", tag):
            self.headings.append(int(tag[1]))
        if tag == "th" and "scope" not in a:
            self.th_without_scope += 1
        if tag == "tr" and "data-finding" in a:
            self.rows.append(a)
        if "data-group" in a:
            self.groups.append(a["id"])


@pytest.fixture(scope="module")
def k_systems(tmp_path_factory: pytest.TempPathFactory) -> str:
    """The K-Systems check (snapshot and planted flows) as an HTML page."""
    out = tmp_path_factory.mktemp("report") / "report.html"
    os.environ["SOURCE_DATE_EPOCH"] = CHECKED_AT
    cwd = Path.cwd()
    try:
        os.chdir(ROOT)
        assert main([*CHECK, "--flows", *FLOWS, "--format", f"html:{out}"]) == 0
    finally:
        os.chdir(cwd)
        del os.environ["SOURCE_DATE_EPOCH"]
    return out.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def k_findings() -> list[Finding]:
    """The same run's flow findings, as the report was made from them."""
    from seloste.checks.flows import checked

    cwd = Path.cwd()
    try:
        os.chdir(ROOT)
        result = checked(FLOWS)
    finally:
        os.chdir(cwd)
    return result.findings


def _clean(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.chdir(ROOT)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", CHECKED_AT)
    out = tmp_path / "clean.html"
    assert main(["check", "--no-config", "--flows", *CLEAN_FLOWS, "--format", f"html:{out}"]) == 0
    return out.read_text(encoding="utf-8")


def test_the_page_says_when_and_what_was_checked(k_systems: str) -> None:
    assert '<dt>As of</dt>\n<dd><time datetime="2026-11-01T00:00:00Z">1 November 2026, ' in (
        k_systems
    )
    assert '<time datetime="2026-11-02T09:30:00Z">2 November 2026, 09:30:00 UTC</time>' in (
        k_systems
    )
    assert "<title>seloste report, as of 1 November 2026, 00:00:00 UTC</title>" in k_systems
    snapshots = k_systems.split("<dt>Snapshots</dt>", 1)[1].split("</dd>", 1)[0]
    assert snapshots == f"\n<dd><ul><li><code>{K}/snapshot/k-systems.sql</code></li></ul>"
    files = k_systems.split("<dt>Policy and bindings</dt>", 1)[1].split("</dd>", 1)[0]
    assert re.findall(r"<code>([^<]+)</code>", files) == [
        f"{K}/bindings.yaml",
        f"{K}/policy.yaml",
    ]
    flows = k_systems.split("<dt>Data flows</dt>", 1)[1].split("</dd>", 1)[0]
    assert re.findall(r"<code>([^<]+)</code>", flows) == FLOWS
    assert "15 flows in" in flows


def test_a_snapshot_url_shows_no_password(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    out = tmp_path / "r.html"
    url = "postgresql+psycopg://auditor:s3cret-pw@127.0.0.1:1/crm"
    args = ["check", "--no-config", "--bindings", f"{K}/bindings.yaml", "--snapshot", url]
    assert main([*args, "--timeout", "5", "--format", f"html:{out}"]) == 2
    text = out.read_text(encoding="utf-8")
    assert "s3cret" not in text
    assert "<li><code>postgresql+psycopg://auditor:***@127.0.0.1:1/crm</code></li>" in text


def test_findings_are_grouped_by_their_registers(k_systems: str, k_findings: list[Finding]) -> None:
    page = Page(k_systems)
    rows = [r for r in page.rows if "accepted" not in r]
    # Every finding is a row of its register's group, and every group holds its rows.
    assert len(rows) == 47  # the K-Systems run's findings: none waived
    assert Counter(r["data-register"] for r in rows) == {
        "customer_register": 32,
        "fi_domain_register": 7,
        NO_REGISTER: 5,
        "system": 2,
        "billing_register": 1,
    }
    assert page.groups == [
        "register-customer_register",  # "Customer register"
        "register-fi_domain_register",  # "The .fi domain name register"
        "register-billing_register",  # not declared: a typo in a flow
        "register-system",
        "register-none",
    ]
    # The flow findings are grouped by the register of the flow they point into.
    flow_registers = {(f.file, f.flow): f.register for f in _k_flows()}
    expected = Counter(register_of(f, flow_registers) for f in k_findings)
    shown = Counter(r["data-register"] for r in rows if r["data-rule"].startswith("FLW"))
    assert shown == expected
    # Each group says what its register is.
    assert (
        '<p class="group-about">What the notice promises about the Customer register '
        "(customer_register) is broken here" in k_systems
    )
    assert "The policy declares no register billing_register, yet a flow" in k_systems


def _k_flows() -> list[CheckedFlow]:
    from seloste.checks.flows import checked

    cwd = Path.cwd()
    try:
        os.chdir(ROOT)
        return checked(FLOWS, flows=True).flows
    finally:
        os.chdir(cwd)


def test_each_finding_says_what_it_means_and_links_to_its_rule(k_systems: str) -> None:
    page = Page(k_systems)
    internal = [h for h in page.hrefs if h.startswith("#")]
    assert internal == page.hrefs  # no link leaves the page
    assert sorted({h[1:] for h in internal} - page.ids) == []  # every link resolves
    rules = {r["data-rule"] for r in page.rows}
    assert {f"rule-{r}" for r in rules} <= page.ids
    row = k_systems.split('data-rule="SNP004"', 1)[1].split("</tr>", 1)[0]
    assert '<a href="#rule-SNP004">SNP004 retention-expired</a>' in row
    assert "Personal data is kept longer than the notice says (storage limitation" in row
    assert "3 months after the relationship ended" in row
    assert "P3M" not in k_systems
    rule = k_systems.split('id="rule-SNP004"', 1)[1].split("</section>", 1)[0]
    assert "<strong>How to fix:</strong> Delete (or anonymise" in rule


def test_every_rule_s_fix_is_one_sentence_with_one_full_stop() -> None:
    fixes = {doc.id: doc.fix for doc in rule_docs().values() if doc.fix}
    assert len(fixes) >= 20  # the rules whose "Use instead" is words, not only YAML
    assert {i: f for i, f in fixes.items() if f.endswith("..") or not f.endswith(".")} == {}


def test_the_page_is_accessible_markup(k_systems: str) -> None:
    page = Page(k_systems)
    assert '<html lang="en">' in k_systems
    assert page.headings.count(1) == 1 and page.headings[0] == 1
    assert all(b - a <= 1 for a, b in itertools.pairwise(page.headings)), page.headings
    assert page.th_without_scope == 0
    for name in ("register", "rule", "severity"):
        assert f'<label for="filter-{name}">' in k_systems and f'id="filter-{name}"' in k_systems
    assert {"header", "main"} <= set(page.tags)
    style = k_systems[k_systems.index("<style>") : k_systems.index("</style>")]
    assert "@media print" in style and ":focus-visible" in style
    # One inline script (the filters); the form it drives is hidden until it runs.
    assert page.tags["script"] == 1 and page.srcs == []
    assert '<form class="filters" id="filters" hidden' in k_systems
    # Severity is a word, not only a colour.
    assert '<td class="sev error">error</td>' in k_systems


def test_a_clean_run_says_so_and_what_was_checked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = _clean(tmp_path, monkeypatch)
    assert "Open findings" not in text
    assert '<p class="clean">No findings: every check ran and found nothing.</p>' in text
    assert "What was checked: the data flows, by these rules:" in text
    checked = re.findall(r'<li><a href="#rule-(\w+)">', text)
    assert checked == [f"FLW00{i}" for i in range(1, 8)]
    assert {f"rule-{r}" for r in checked} <= Page(text).ids
    assert "<script>" not in text  # nothing to filter


def test_waived_findings_have_their_own_section() -> None:
    where = Location(file="policy.yaml", line=3, column=5)
    open_one = Finding("POL005", "error", "no retention", where, "policy.yaml#/registers/r")
    waived = suppress(
        Finding("POL014", "warning", "unused", where, "policy.yaml#/recipients/x"),
        Suppression("waiver", "kept for next year", "dpo@example.fi", "2027-01-01"),
    )
    text = renderer("html")(Report.of([open_one, waived], ["policy.yaml"]))
    opened = text.split('id="open-findings"', 1)[1].split('id="accepted"', 1)[0]
    accepted = text.split('id="accepted"', 1)[1].split("</section>", 1)[0]
    assert "POL005" in opened and "POL014" not in opened
    assert "waived: kept for next year; owner dpo@example.fi; until 2027-01-01" in accepted


def test_hostile_text_stays_escaped() -> None:
    hostile = Finding(
        "POL004",
        "error",
        "<script>alert(1)</script> & more",
        Location(file="p.yaml", line=1, column=1),
        target="p.yaml#/registers/<img src=x>/fields",
    )
    flows = [CheckedFlow("f.flows.yaml", "x", "<b>r</b>", "<i>c</i>", ("a<b",), ("US",), "<u>")]
    text = renderer("html")(Report.of([hostile], ["p.yaml"], flows=flows))
    assert "<script>alert" not in text and "<img" not in text and "<b>r" not in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; more" in text
    assert "<i>" not in text and "<u>" not in text


def test_the_flow_map_says_what_is_wrong_in_words(k_systems: str) -> None:
    svg = k_systems.split('<svg xmlns="http://www.w3.org/2000/svg"', 1)[1].split("</svg>")[0]
    edges = re.findall(r'<g class="edge" data-status="(\w+)" data-offending="(\d+)">', svg)
    assert Counter(status for status, _ in edges) == {
        "transfer": 2,
        "unknown": 2,
        "other": 2,
        "field": 1,
    }
    # The transfers to the US, GB and CH are drawn as such, with their fields and places.
    assert "6 fields to CH, DE, EEA, FI, US</text>" in svg  # customer_register to hosting_partners
    assert "7 fields to FI, GB</text>" in svg  # the nightly backup, stored in GB
    assert "3 fields to US</text>" in svg  # the newsletter, to a typo'd recipient
    # A typo'd recipient is marked, not drawn as a recipient of its own.
    assert ">unknown recipient: trafficom</text>" in svg
    assert ">trafficom</text>" not in svg
    assert "…" not in svg  # every label fits its box whole
    # The legend says each colour in words, with the dash that draws it.
    legend = k_systems.split('<ul class="legend">', 1)[1].split("</ul>", 1)[0]
    words = re.findall(r"</svg>([^<]+)</li>", legend)
    assert words == [
        "transfer outside the allowed region",
        "a field not allowed",
        "unknown recipient",
        "breaks another rule (see its findings)",
        "within the policy",
    ]
    assert legend.count("stroke-dasharray") == 3  # and two solid, of different colours


def test_the_flow_map_edges_follow_the_open_findings(tmp_path: Path) -> None:
    """From ``Report.flows`` alone: the flow files named are never read (they do not exist)."""
    from seloste.checks.reports.flowmap import edges

    gone = str(tmp_path / "gone.flows.yaml")
    flows = [
        CheckedFlow(gone, "crm_sync", "customer_register", "crm", ("email",), ("FI",)),
        CheckedFlow(gone, "newsletter", "customer_register", "mailer", ("email",), ("US",)),
        CheckedFlow(gone, "backup", "customer_register", None, ("email", "name"), ("FI",)),
        CheckedFlow(gone, "invoices", "billing_register", "mailer", ("iban",), ("FI",)),
    ]

    def into(flow: str, rule: str) -> Finding:
        where = Location(file=gone, line=3, column=5)
        return Finding(rule, "error", "m", where, f"{gone}#/flows/{flow}/fields/[email]")

    waived = suppress(into("crm_sync", "FLW003"), Suppression("waiver", "ok", None, "2099-01-01"))
    report = Report.of([into("newsletter", "FLW004"), waived], [gone], flows=flows)
    found = [(e.register, e.recipient, e.offending, e.status.key, e.label()) for e in edges(report)]
    assert found == [
        ("billing_register", "mailer", (), "fine", "iban to FI"),
        ("customer_register", "(the controller itself)", (), "fine", "email, name to FI"),
        ("customer_register", "crm", (), "fine", "email to FI"),  # its only finding is waived
        ("customer_register", "mailer", ("newsletter",), "transfer", "email to US"),
    ]
    # The open flow finding is counted under its flow's register.
    text = renderer("html")(report)
    chart = text.split("<caption><h3>By register</h3></caption>", 1)[1].split("</table>", 1)[0]
    assert "(customer_register)</a>" in chart and "Not about one register" not in chart


# -- how it looks in a browser ---------------------------------------------------------------

# Measures the laid-out page from inside it: whether anything is wider than the window, and
# every flow-map text that runs past the box it stands in. Added to a copy of the page.
MEASURE = """<script>
window.addEventListener("load", function () {
  var cut = [];
  document.querySelectorAll(".flowmap svg g").forEach(function (g) {
    var rect = g.querySelector("rect"), texts = g.querySelectorAll("text");
    if (!rect) { return; }
    var right = rect.x.baseVal.value + rect.width.baseVal.value;
    texts.forEach(function (t) {
      if (t.getBBox().x + t.getBBox().width > right) { cut.push(t.textContent); }
    });
  });
  var box = function (sel) {
    var el = document.querySelector(sel);
    if (!el) { return null; }
    var r = el.getBoundingClientRect();
    var top = r.top + window.scrollY;
    return [Math.round(r.left), Math.round(top), Math.round(r.width), Math.round(r.height)];
  };
  var filtered = null, form = document.getElementById("filters");
  if (form) {  // the filters at work: the warnings alone, then every finding again
    form.severity.value = "warning";
    form.dispatchEvent(new Event("change"));
    filtered = {
      rows: document.querySelectorAll("tr[data-finding]:not([hidden])").length,
      groups: document.querySelectorAll("[data-group]:not([hidden])").length,
      status: document.getElementById("filter-status").textContent
    };
    form.severity.value = "";
    form.dispatchEvent(new Event("change"));
  }
  var out = {
    filtered: filtered,
    overflow: document.documentElement.scrollWidth - document.documentElement.clientWidth,
    cut: cut,
    flows: box("section.flowmap"),
    filters: !document.getElementById("filters") || !document.getElementById("filters").hidden
  };
  document.body.setAttribute("data-measured", JSON.stringify(out));
});
</script>"""


def _measure(chromium: Path, page: Path, profile: Path) -> dict[str, object]:
    measured = page.with_name("measured-" + page.name)
    measured.write_text(
        page.read_text(encoding="utf-8").replace("</body>", MEASURE + "</body>"), encoding="utf-8"
    )
    dom = headless(chromium, profile, "--dump-dom", measured.as_uri()).stdout
    found = re.search(r'data-measured="([^"]*)"', dom)
    assert found is not None, dom[-2000:]
    data: dict[str, object] = json.loads(found.group(1).replace("&quot;", '"'))
    return data


def _shot(chromium: Path, page: Path, profile: Path, size: str) -> Path:
    shot = page.with_suffix(f".{size.replace(',', 'x')}.png")
    headless(chromium, profile, f"--screenshot={shot}", page.as_uri(), size=size)
    return shot


def _keep(image: object, name: str) -> None:
    from PIL import Image

    assert isinstance(image, Image.Image)
    if os.environ.get("SELOSTE_SCREENSHOTS") == "write":
        IMAGES.mkdir(exist_ok=True)
        image.save(IMAGES / name, optimize=True)


def test_report_in_chromium_fits_the_window_and_its_labels(
    k_systems: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Headless Chromium, offline: no horizontal scrolling at 1280 or 800 pixels, no text of
    the flow map past its box, the filters shown once the script ran. The screenshots are
    docs/img/report-findings.png, report-flows.png and report-clean.png."""
    from PIL import Image

    chromium = shared_chromium("the HTML report")
    page = tmp_path / "report.html"
    page.write_text(k_systems, encoding="utf-8")
    for width in (1280, 800):
        measured = _measure(chromium, page, tmp_path / f"profile{width}")
        if width == 1280:
            wide = measured
    assert wide["overflow"] == 0 and measured["overflow"] == 0
    assert wide["cut"] == [] and wide["filters"] is True
    # The K-Systems warnings: 5, in the two registers whose data they are about.
    assert wide["filtered"] == {
        "rows": 5,
        "groups": 2,
        "status": "Showing 5 of 47 open findings.",
    }
    flows = wide["flows"]
    assert isinstance(flows, list) and flows[2] > 800 and flows[3] > 300
    _, top, _, box_height = flows
    tall = _shot(chromium, page, tmp_path / "profile", f"1280,{top + box_height + 40}")
    image = Image.open(tall).convert("RGB")
    colours = {colour: n for n, colour in image.getcolors(maxcolors=1 << 24) or []}
    assert colours.get((0xB3, 0x26, 0x1E), 0) > 500  # the errors and the transfers, in their red
    _keep(image.crop((0, 0, 1280, 1500)), "report-findings.png")
    _keep(image.crop((0, top - 20, 1280, top + box_height + 20)), "report-flows.png")
    clean = tmp_path / "clean.html"
    clean.write_text(_clean(tmp_path, monkeypatch), encoding="utf-8")
    assert _measure(chromium, clean, tmp_path / "profile-clean")["overflow"] == 0
    shot = Image.open(_shot(chromium, clean, tmp_path / "profile", "1280,1300")).convert("RGB")
    _keep(shot, "report-clean.png")
