"""The rendered notice as published: one printable stylesheet, links for addresses, and
sentences that read as written (issue 16, "The rendered notice")."""

from __future__ import annotations

import itertools
import os
import re
from pathlib import Path

import pytest
from seloste.policy.loader import load_policy
from seloste.policy.model import Policy
from seloste.policy.render import html_links, render_notice
from seloste.policy.terms import Lang
from shared import chromium as shared_chromium
from shared import headless

ROOT = Path(__file__).resolve().parent.parent
K_POLICY = ROOT / "fixtures" / "k-systems" / "policy.yaml"


@pytest.fixture(scope="module")
def k_policy() -> Policy:
    return load_policy(K_POLICY).model


def _variant(tmp_path: Path, *edits: tuple[str, str]) -> Policy:
    """The K-Systems policy with ``edits`` (old, new) made to its text."""
    text = K_POLICY.read_text(encoding="utf-8")
    for old, new in edits:
        assert old in text, old
        text = text.replace(old, new, 1)
    path = tmp_path / "policy.yaml"
    path.write_text(text, encoding="utf-8")
    return load_policy(path).model


@pytest.mark.parametrize("lang", ["fi", "en"])
def test_html_notice_has_one_printable_stylesheet(k_policy: Policy, lang: Lang) -> None:
    html = render_notice(k_policy, lang, "html")[0]
    assert f'<html lang="{lang}">' in html
    assert html.count("<style>") == 1 and "<link" not in html  # publishable as one file
    style = html[html.index("<style>") : html.index("</style>")]
    assert "max-width: 70ch" in style
    assert "system-ui" in style and "Times" not in style
    assert "@media print" in style
    assert '<meta name="viewport"' in html
    # Headings in order, one h1: a screen reader's outline of the notice.
    levels = [int(n) for n in re.findall(r"<h([1-6])", html)]
    assert levels.count(1) == 1 and levels[0] == 1
    assert all(b - a <= 1 for a, b in itertools.pairwise(levels))


def test_addresses_in_the_html_notice_are_links(k_policy: Policy) -> None:
    html = render_notice(k_policy, "fi", "html")[0]
    assert '<a href="mailto:myynti@k-systems.fi">myynti@k-systems.fi</a>.' in html
    assert '<a href="mailto:hostmaster@k-systems.fi">hostmaster@k-systems.fi</a>' in html
    assert (
        '<a href="https://tietosuoja.fi/yhteystiedot">https://tietosuoja.fi/yhteystiedot</a>'
        in html
    )
    # Titles and headings are never links.
    assert not re.search(r"<h[1-6][^>]*>[^<]*<a ", html)


def test_markdown_notice_has_no_html_links(k_policy: Policy) -> None:
    md = render_notice(k_policy, "fi", "md")[0]
    assert "<a " not in md and "myynti@k-systems.fi" in md


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Write to a@b.fi.", 'Write to <a href="mailto:a@b.fi">a@b.fi</a>.'),
        (
            "See (https://x.fi/a?b=1&c=2).",
            'See (<a href="https://x.fi/a?b=1&amp;c=2">https://x.fi/a?b=1&amp;c=2</a>).',
        ),
        # Untrusted text: no other scheme becomes a link, and markup stays escaped.
        ("javascript:alert(1)", "javascript:alert(1)"),
        ("<b>x@y.fi</b>", '&lt;b&gt;<a href="mailto:x@y.fi">x@y.fi</a>&lt;/b&gt;'),
        (
            'https://e.fi/"onmouseover="alert(1)',
            '<a href="https://e.fi/">https://e.fi/</a>&#34;onmouseover=&#34;alert(1)',
        ),
        ("no address here", "no address here"),
    ],
)
def test_links_keep_policy_text_escaped(text: str, expected: str) -> None:
    assert str(html_links(text)) == expected


def test_hostile_address_in_the_notice_stays_escaped(tmp_path: Path) -> None:
    policy = _variant(
        tmp_path,
        ("  rights_contact: myynti@k-systems.fi", '  rights_contact: "<i>m@k.fi</i>"'),
    )
    html = render_notice(policy, "fi", "html")[0]
    assert "<i>" not in html
    assert '&lt;i&gt;<a href="mailto:m@k.fi">m@k.fi</a>&lt;/i&gt;' in html


def test_purpose_description_that_repeats_its_name_is_said_once(tmp_path: Path) -> None:
    repeated = _variant(
        tmp_path,
        (
            "      fi: Markkinointi- ja viestintäpalvelujen hoitaminen\n",
            "      fi: Markkinointi- ja viestintäpalvelujen hoitaminen\n"
            "      en: Marketing and communication services\n"
            "    description:\n"
            "      fi: Markkinointi- ja viestintäpalvelujen hoitaminen.\n",
        ),
    )
    md = render_notice(repeated, "fi", "md")[0]
    assert md.count("Markkinointi- ja viestintäpalvelujen hoitaminen") == 1
    assert "- Markkinointi- ja viestintäpalvelujen hoitaminen\n" in md
    # A description that says more is kept, after the name.
    kept = render_notice(load_policy(K_POLICY).model, "fi", "md")[0]
    assert (
        "kolmannen osapuolen kanssa: Kolmansia osapuolia ovat Liikenne- ja viestintävirasto" in kept
    )


def test_purposes_preamble_is_said_only_when_the_policy_has_one(tmp_path: Path) -> None:
    promise = "Henkilötietoja käsitellään vain etukäteen sovittuihin käyttötarkoituksiin:"
    with_it = render_notice(load_policy(K_POLICY).model, "fi", "md")[0]
    heading = "### Henkilötietojen käsittelyn ja rekisterin käyttötarkoitus"
    assert f"{heading}\n\n{promise}\n\n- " in with_it
    english = '    en: "Personal data is processed only for the purposes agreed in advance:"\n'
    without = _variant(tmp_path, (f'  purposes:\n    fi: "{promise}"\n{english}', ""))
    text = render_notice(without, "fi", "md")[0]
    assert promise not in text and "agreed in advance" not in text
    assert f"{heading}\n\n- " in text


# Assembled phrases that issue 16 quotes from earlier renderings; none may come back.
ASSEMBLED = {
    "fi": [
        "Huomioidaan:",
        "Aiemmin:",
        "vain alueella:",
        "tiedon ”",
        "rekisterinpitäjän, Liikenne- ja viestintävirasto Traficom, lukuun",
        "Viranomainen.",
        "Säilytysaika:",
    ],
    "en": ["Honours:", "Formerly:", "Public authority.", "Kept for"],
}


@pytest.mark.parametrize("lang", ["fi", "en"])
@pytest.mark.parametrize("fmt", ["md", "html"])
def test_notice_reads_as_written(k_policy: Policy, lang: Lang, fmt: str) -> None:
    text = render_notice(k_policy, lang, fmt)[0]
    assert [phrase for phrase in ASSEMBLED[lang] if phrase in text] == []


def test_inserted_names_stand_in_the_nominative(k_policy: Policy) -> None:
    fi = render_notice(k_policy, "fi", "md")[0]
    assert "Tämän rekisterin rekisterinpitäjänä toimii K-Systems Contacts Oy." in fi
    assert "rekisterinpitäjänä toimii Liikenne- ja viestintävirasto Traficom." in fi
    assert (
        "Seuraavat tiedot säilytetään 7 vuotta päivämäärästä, joka on kirjattu tietoon "
        "”Laskun päivämäärä”, minkä jälkeen ne poistetaan: Laskutustiedot, Laskun päivämäärä."
    ) in fi
    assert (
        "seuraavia rekisteröidyn oikeuksia: markkinointikielto, oikeus käsittelyn rajoittamiseen."
    ) in fi
    # One right is one: "seuraavaa oikeutta", not "seuraavia oikeuksia".
    assert "seuraavaa rekisteröidyn oikeutta: oikeus käsittelyn rajoittamiseen." in fi
    assert "seuraavia rekisteröidyn oikeuksia: oikeus käsittelyn rajoittamiseen." not in fi


# -- how it looks in a browser ---------------------------------------------------------------

IMAGES = ROOT / "docs" / "img"


@pytest.mark.parametrize("lang", ["fi", "en"])
def test_notice_in_chromium_is_a_centred_readable_column(
    k_policy: Policy, lang: Lang, tmp_path: Path
) -> None:
    """A screenshot in headless Chromium (offline): the text stands in one centred column of
    readable width, not across the window. ``SELOSTE_SCREENSHOTS=write`` keeps the screenshot
    as docs/img/notice-LANG.png, which the README shows."""
    from PIL import Image, ImageOps

    chromium = shared_chromium("the notice")
    page = tmp_path / f"notice-{lang}.html"
    page.write_text(render_notice(k_policy, lang, "html")[0], encoding="utf-8")
    shot = tmp_path / f"notice-{lang}.png"
    headless(chromium, tmp_path / "profile", f"--screenshot={shot}", page.as_uri())
    image = Image.open(shot).convert("L")
    box = ImageOps.invert(image).point(lambda v: 255 if v > 40 else 0).getbbox()
    assert box is not None  # something is drawn
    left, _, right, _ = box
    # About 70 characters of a 16px system font, centred: wide margins on both sides.
    assert right - left < 760, box
    assert left > 200 and image.width - right > 200, box
    if os.environ.get("SELOSTE_SCREENSHOTS") == "write":
        IMAGES.mkdir(exist_ok=True)
        Image.open(shot).save(IMAGES / f"notice-{lang}.png", optimize=True)
