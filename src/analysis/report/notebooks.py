"""Each executed notebook rendered to HTML with its stored outputs, no scripts, nothing remote."""

from __future__ import annotations

import functools
import re
from pathlib import Path

import nbformat


def strip_remote(text: str) -> str:
    """Drop scripts and any element that refers to a remote URL (the page must work offline)."""
    text = re.sub(r"<script\b[^>]*>.*?</script>", "", text, flags=re.S | re.I)
    text = re.sub(r"<style\b[^>]*>.*?</style>", lambda m: re.sub(r"/\*.*?\*/", "", m.group(0), flags=re.S), text,
                  flags=re.S | re.I)  # CSS comments cite URLs; nothing fetches them, but nothing needs them
    text = re.sub(r"<link\b[^>]*(?:https?:)?//[^>]*>", "", text, flags=re.I)
    return re.sub(r"""(href|src)\s*=\s*(["'])(?:https?:)?//[^"']*\2""", r"\1=\2#\2", text, flags=re.I)


#: The stylesheet every rendered notebook links, written once beside them.
NOTEBOOK_CSS = "notebook.css"
#: The link back to the report at the top of every rendered notebook (the three editions).
BACK_LINK = ('\n<nav style="font-family:sans-serif;padding:.5em 1em;border-bottom:1px solid #ccc">'
             '<a href="../index.html" lang="en">Report</a> · <a href="../index_kk.html" lang="kk">Есеп</a> · '
             '<a href="../index_ru.html" lang="ru">Отчёт</a></nav>\n')


@functools.cache
def html_exporter():
    """nbconvert's HTML exporter with the lab template, made once: it compiles its templates when
    made, which costs more than rendering a notebook."""
    from nbconvert import HTMLExporter

    exporter = HTMLExporter(template_name="lab")
    exporter.log.setLevel("ERROR")  # not the accessibility notes on the figures' alt text
    exporter.exclude_input_prompt = False
    return exporter


def render_notebook(path: Path) -> tuple[str, str]:
    """A notebook as HTML with its stored outputs, no scripts, nothing remote.

    Returns the page and the stylesheet of its head: the template's styles are the same for every
    notebook, so the page links ``notebook.css`` instead of carrying them (styles inside the
    outputs, such as those of styled tables, stay where they are).
    """
    page, _ = html_exporter().from_notebook_node(nbformat.read(path, as_version=4))
    page = strip_remote(page)
    head, end, rest = page.partition("</head>")
    styles = re.findall(r"<style\b[^>]*>.*?</style>", head, flags=re.S | re.I)
    css = "\n".join(re.sub(r"^<style\b[^>]*>|</style>$", "", block, flags=re.I).strip() for block in styles)
    head = re.sub(r"<style\b[^>]*>.*?</style>\s*", "", head, flags=re.S | re.I)
    rest = re.sub(r"(<body\b[^>]*>)", lambda m: m.group(1) + BACK_LINK, rest, count=1, flags=re.I)
    return f'{head}<link rel="stylesheet" href="{NOTEBOOK_CSS}">\n{end}{rest}', css + "\n"


