"""Render the privacy notice: its view (``policy/notice.py``) laid out by a Jinja2 template.

The shipped templates are in ``policy/templates``; a user's (``--templates DIR``) override
them by name, so they change the layout and never the content. Every value is escaped for the
format: by Jinja2's autoescape in HTML, by :func:`md_escape` in Markdown.

Jinja2 is imported inside the functions only: the pre-commit path imports ``policy`` and must
stay light.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from seloste.policy.errors import InputError, Problem
from seloste.policy.model import Policy
from seloste.policy.notice import notice_view
from seloste.policy.terms import Lang, terms_for
from seloste.policy.wording import Words, md_escape

FORMATS = ("md", "html")

# A web address (http or https only: no other scheme can come from policy text as a link) or
# an e-mail address. Closing punctuation after an address ends the sentence, not the address.
_LINKABLE = re.compile(
    r"(?P<url>https?://[^\s<>\"']*[^\s<>\"'.,;:!?)\]])"
    r"|(?P<email>[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,})"
)


def html_links(value: object) -> Any:
    """Policy text as escaped HTML in which e-mail addresses (``mailto:``) and web addresses
    are links; everything else, and the addresses themselves, stay escaped."""
    from markupsafe import Markup, escape

    text = str(value)
    parts: list[Markup] = []
    start = 0
    for match in _LINKABLE.finditer(text):
        parts.append(escape(text[start : match.start()]))
        address = match.group(0)
        href = address if match.group("url") else f"mailto:{address}"
        parts.append(Markup('<a href="{}">{}</a>').format(href, address))
        start = match.end()
    parts.append(escape(text[start:]))
    return Markup("").join(parts)


def _plain(value: object) -> object:
    return value  # Markdown: finalize escapes the text; a reader's viewer links addresses


def _environment(fmt: str, templates: str | Path | None) -> Any:
    import jinja2

    loaders: list[jinja2.BaseLoader] = []
    if templates is not None:
        if not Path(templates).is_dir():
            raise InputError([Problem(str(templates), 0, 0, "templates: no such directory")])
        loaders.append(jinja2.FileSystemLoader(str(templates)))
    loaders.append(jinja2.PackageLoader("seloste.policy", "templates"))
    env = jinja2.Environment(
        loader=jinja2.ChoiceLoader(loaders),
        # HTML escapes every value; Markdown gets the same protection by finalize.
        autoescape=fmt == "html",
        finalize=md_escape if fmt == "md" else None,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["links"] = html_links if fmt == "html" else _plain
    return env


def render_notice(
    policy: Policy, lang: Lang, fmt: str = "md", templates: str | Path | None = None
) -> tuple[str, int]:
    """The privacy notice, and how many texts fell back to another language.

    A template that cannot be read or rendered is an input error with its place.
    """
    import jinja2

    words = Words(lang)
    view = notice_view(policy, words)
    name = f"notice.{fmt}.j2"
    try:
        template = _environment(fmt, templates).get_template(name)
        out = template.render(notice=view, t=terms_for(lang))
    except jinja2.TemplateSyntaxError as exc:
        where = exc.filename or exc.name or name
        raise InputError([Problem(where, exc.lineno, 1, exc.message or str(exc))]) from None
    except jinja2.TemplateNotFound:
        raise InputError([Problem(str(templates or name), 0, 0, f"no template {name}")]) from None
    except jinja2.TemplateError as exc:
        raise InputError([Problem(name, 0, 0, f"template error: {exc}")]) from None
    # One final newline whatever the template ends with: files and diffs stay clean.
    return out.rstrip("\n") + "\n", words.fallbacks
