"""What every page of the report shares: the jinja2 templates (``templates/``), escaping, the
status symbols, and the numbers kept whole.

Pages work offline: one stylesheet in the results folder (``report.css``), no script, nothing
loaded from anywhere but the results folder (figures are relative ``<img src>``; links to public
pages, such as a legal act's source, are plain ``<a href>`` that load nothing until followed).
:data:`REMOTE` finds anything that would load a remote resource. Deterministic: no dates from the
clock, no commit ids, no absolute paths.

Every status is shown by a symbol as well as a colour (:data:`SYMBOLS`), and the symbols of the
three kinds of errata item differ from each other and from 'consistent'.
"""

from __future__ import annotations

import functools
import html
import re
from pathlib import Path

from analysis.i18n import LANGUAGES, t

#: An attribute or rule that would make a browser load something remote (links, which load nothing
#: until followed, are allowed).
REMOTE = re.compile(r"""(?:\b(?:src|action|poster|data|srcset)\s*=\s*["']?\s*(?:https?:)?//)"""
                    r"""|(?:<link\b[^>]*\bhref\s*=\s*["']?\s*(?:https?:)?//)|(?:url\(\s*["']?\s*(?:https?:)?//)|@import""",
                    re.I)
#: Status -> symbol, so that no status is told by colour alone.
SYMBOLS = {"consistent": "✓", "error": "✗", "query": "?", "minor": "≈", "not_checkable": "∅", "excluded": "–",
           "inconsistent": "✗", "same": "=", "corrected": "✎", "differs": "≠", "verified": "✓", "partial": "◐",
           "corroborated": "◇", "unverified": "∅"}
#: A public page's address in a text (shown as a link).
URL = re.compile(r"https?://[^\s<>\"]+[^\s<>\".,;:)]")
#: The pages of the report in each language (the English edition has the plain names).
INDEX = {"en": "index.html", "kk": "index_kk.html", "ru": "index_ru.html"}
TEMPLATES = Path(__file__).with_name("templates")
#: The stylesheet every report page links (written once, at the top of the results folder).
STYLESHEET = "report.css"


def page_name(stem: str, lang: str) -> str:
    """``index.html`` / ``index_kk.html``: the English edition has the plain name."""
    return f"{stem}.html" if lang == "en" else f"{stem}_{lang}.html"


#: The space that groups a number's thousands (2 448): kept from breaking across lines.
GROUPING_SPACE = re.compile(r"(?<=\d) (?=\d{3}(?!\d))")


def nobreak(text: str) -> str:
    """Thousands grouped with a no-break space, so that '1 343' never splits over two lines."""
    return GROUPING_SPACE.sub("\u00a0", text)


def esc(text) -> str:
    """``text`` escaped for HTML text and attribute values, numbers kept whole."""
    return html.escape(nobreak(str(text)), quote=True)


def linked(text) -> str:
    """``text`` escaped, with every web address in it made a link (to a public source)."""
    text, parts, position = str(text), [], 0
    for match in URL.finditer(text):
        url = match.group(0)
        parts += [esc(text[position:match.start()]), f'<a class="url" href="{esc(url)}">{esc(url)}</a>']
        position = match.end()
    return "".join(parts) + esc(text[position:])


def mark(status: str, lang: str) -> str:
    """A status as its symbol, with its name as the tooltip and for screen readers."""
    name = t(f"report_status_{status}", lang)
    return f'<span class="st st-{esc(status)}" title="{esc(name)}" aria-label="{esc(name)}">{SYMBOLS[status]}</span>'


@functools.cache
def environment():
    """The jinja2 environment of the report's templates: autoescaped, strict about undefined names,
    with the helpers as filters (``t``, ``esc``-free ``nobreak``, ``mark``, ``linked``)."""
    import jinja2
    from markupsafe import Markup

    env = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES),
                             autoescape=jinja2.select_autoescape(["html"]),
                             undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True,
                             keep_trailing_newline=True)
    env.filters["nb"] = lambda text: Markup(esc(text))
    env.filters["linked"] = lambda text: Markup(linked(text))
    env.globals["t"] = t
    env.globals["mark"] = lambda status, lang: Markup(mark(status, lang))
    env.globals["LANGUAGES"] = LANGUAGES
    env.globals["SYMBOLS"] = SYMBOLS
    return env


def render(template: str, **context) -> str:
    """``templates/<template>`` filled with ``context``."""
    return environment().get_template(template).render(**context)


def stylesheet() -> str:
    """The report's stylesheet (screen and print)."""
    return (TEMPLATES / STYLESHEET).read_text(encoding="utf-8")
