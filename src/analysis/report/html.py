"""One set of HTML helpers for every page of the report: escaping, the page layout and stylesheet,
status marks with symbols, tables, figures.

Pages work offline: styles inline, no script, nothing loaded from anywhere but the results folder
(figures are relative ``<img src>``; links to public pages, such as a legal act's source, are plain
``<a href>`` that load nothing until followed). :data:`REMOTE` finds anything that would load a
remote resource. Deterministic: no dates, commit ids or absolute paths.

Layout: a table of contents that stays in view (``position: sticky``) beside the text, prose
left-aligned, numbers right-aligned, wide tables scrolling inside their own box so that the page
never scrolls sideways at 1 024 px. Every status is shown by a symbol as well as a colour
(:data:`SYMBOLS`, :func:`legend`).
"""

from __future__ import annotations

import html
import re

import pandas as pd

from analysis.i18n import LANGUAGES, t

#: A cell that holds a number (right-aligned).
NUMBER = re.compile(r"[-+\u2212]?\d[\d\s\u00a0\u202f]*([.,]\d+)?%?")
#: An attribute or rule that would make a browser load something remote (links, which load nothing
#: until followed, are allowed).
REMOTE = re.compile(r"""(?:\b(?:src|action|poster|data|srcset)\s*=\s*["']?\s*(?:https?:)?//)"""
                    r"""|(?:<link\b[^>]*\bhref\s*=\s*["']?\s*(?:https?:)?//)|(?:url\(\s*["']?\s*(?:https?:)?//)|@import""",
                    re.I)
#: Status -> symbol, so that no status is told by colour alone.
SYMBOLS = {"consistent": "✓", "inconsistent": "✗", "not_checkable": "?", "excluded": "–",
           "same": "=", "corrected": "✎", "differs": "≠", "verified": "✓", "unverified": "?"}
#: A public page's address in a text (shown as a link).
URL = re.compile(r"https?://[^\s<>\"]+[^\s<>\".,;:)]")
#: The pages of the report in each language (the English edition has the plain names).
INDEX = {"en": "index.html", "kk": "index_kk.html", "ru": "index_ru.html"}

CSS = """
*{box-sizing:border-box}
html{scroll-padding-top:1em}
body{font-family:'DejaVu Sans','Noto Sans',Arial,sans-serif;margin:0;color:#222;line-height:1.5;background:#fff}
.layout{display:grid;grid-template-columns:15em minmax(0,1fr);gap:2em;max-width:84em;margin:0 auto;padding:0 1em}
.toc{position:sticky;top:0;align-self:start;max-height:100vh;overflow-y:auto;padding:1em 0 2em;font-size:.88em}
.toc ol{padding-left:1.2em;margin:.3em 0}.toc li{margin:.15em 0}.toc .languages{margin:.6em 0}
main{min-width:0;padding:1em 0 4em}
h1{font-size:1.5em;line-height:1.25}h2{font-size:1.25em;border-bottom:1px solid #999;padding-bottom:.2em;margin-top:2.2em}
h3{font-size:1.08em;margin-top:1.6em}h4{font-size:1em}
p,li,td,th,figcaption,blockquote{text-align:left}
.scroll{overflow-x:auto;max-width:100%;margin:.8em 0}
table{border-collapse:collapse;font-size:.88em}
th,td{border:1px solid #ccc;padding:.25em .5em;vertical-align:top}td.prose{overflow-wrap:anywhere}
th{background:#f0f0f0}td.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap;overflow-wrap:normal}
td.prose{min-width:14em}
.st{font-weight:bold;padding:0 .2em}
.st-consistent,.st-verified,.consistent .st{color:#1b6e1b}.st-unverified{color:#555}.st-inconsistent{color:#b00020}.st-not_checkable{color:#555}.st-excluded{color:#777}
.consistent{background:#e3f4e3}.inconsistent{background:#f9d9d9}.not_checkable{background:#f2f2f2}.excluded{background:#fafafa}
.same{background:#fff}.corrected{background:#fff3cd}.differs{background:#f8d7da}
figure{margin:1.5em 0}figure img{max-width:100%;height:auto;border:1px solid #eee}
figcaption{font-size:.9em;color:#333;margin-top:.4em}figcaption .links{font-size:.9em;color:#555}
blockquote{margin:.6em 0;padding:.4em .8em;border-left:4px solid #999;background:#fafafa}blockquote p{margin:.2em 0}
.note,.meta{font-size:.88em;color:#555}.legend span{display:inline-block;margin-right:1.2em}
.item{border-left:3px solid #ccc;padding:.1em 0 .1em 1em;margin:1.2em 0}.item dl{margin:.3em 0}
.item dt{font-weight:bold;margin-top:.4em}.item dd{margin-left:0}
code,pre{font-family:'DejaVu Sans Mono',monospace;font-size:.9em}pre{white-space:pre-wrap;overflow-wrap:anywhere}
a.n{text-decoration:none;border-bottom:1px dotted}mark{background:none;padding:0 .1em}
@media (max-width:60em){.layout{display:block}.toc{position:static;max-height:none}}
"""


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
        parts += [esc(text[position:match.start()]), f'<a href="{esc(url)}">{esc(url)}</a>']
        position = match.end()
    return "".join(parts) + esc(text[position:])


def mark(status: str, lang: str, label: str | None = None) -> str:
    """A status as its symbol, with its name as the tooltip and for screen readers."""
    name = label or t(f"report_status_{status}", lang)
    return f'<span class="st st-{esc(status)}" title="{esc(name)}" aria-label="{esc(name)}">{SYMBOLS[status]}</span>'


def legend(lang: str, statuses) -> str:
    return ('<p class="legend">' + "".join(f"<span>{mark(s, lang)} {esc(t(f'report_status_{s}', lang))}</span>"
                                           for s in statuses) + "</p>")


#: Dots per inch of the figures' PNGs, and of CSS (a CSS inch is 96 px): a figure is shown at its
#: printed width (3.5 in: 336 px; 7 in: 672 px), not stretched to the column.
PNG_DPI, CSS_DPI = 300, 96


def png_width(data: bytes) -> int:
    """The pixel width in a PNG's header."""
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError("not a PNG")
    return int.from_bytes(data[16:20], "big")


def img(src: str, alt: str, width_px: int | None = None) -> str:
    """A figure from the results folder, by its relative path, at its printed width."""
    width = f' width="{round(width_px * CSS_DPI / PNG_DPI)}"' if width_px else ""
    return f'<img alt="{esc(alt)}" src="{esc(src)}"{width}>'


def scroll(inner: str) -> str:
    """A wide element in its own horizontally scrolling box, so that the page does not scroll."""
    return f'<div class="scroll">{inner}</div>'


def frame_html(frame: pd.DataFrame, classes: pd.DataFrame | None = None, symbols: pd.DataFrame | None = None,
               lang: str = "en", prose: tuple[str, ...] = ()) -> str:
    """A table; ``classes`` (same shape) gives each cell's CSS class, ``symbols`` (same shape) a
    status whose symbol is shown in the cell (none for a cell as printed: the legend says so);
    columns in ``prose`` wrap as text."""
    head = "".join(f"<th>{esc(c)}</th>" for c in frame.columns)
    rows = []
    for i, row in enumerate(frame.itertuples(index=False)):
        cells = []
        for j, value in enumerate(row):
            text = "" if pd.isna(value) else str(value)
            kinds = ["" if classes is None else str(classes.iat[i, j]),
                     "num" if NUMBER.fullmatch(text) else "", "prose" if frame.columns[j] in prose else ""]
            css = " ".join(filter(None, kinds))
            status = "" if symbols is None else str(symbols.iat[i, j])
            content = esc(text) + (" " + mark(status, lang) if status in SYMBOLS and status != "same" else "")
            cells.append(f'<td class="{css}">{content}</td>' if css else f"<td>{content}</td>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    return scroll(f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>")


def page(lang: str, title: str, toc: list[tuple[str, str]], body: str, alternates: dict[str, str] | None = None,
         home: str | None = None) -> str:
    """A report page: the table of contents (``toc``: anchor, label) in view beside ``body``; links
    to the page in the other languages (``alternates``: language -> href) and back to the index."""
    items = "".join(f'<li><a href="#{esc(anchor)}">{esc(label)}</a></li>' for anchor, label in toc)
    languages = ""
    if alternates:
        languages = ('<p class="languages">' + " · ".join(
            f"<strong>{esc(t(f'report_language_{code}', lang))}</strong>" if code == lang
            else f'<a href="{esc(alternates[code])}" hreflang="{code}" lang="{code}">{esc(t(f"report_language_{code}", code))}</a>'
            for code in LANGUAGES if code in alternates) + "</p>")
    back = f'<p><a href="{esc(home)}">{esc(t("report_back_to_index", lang))}</a></p>' if home else ""
    return f"""<!DOCTYPE html>
<html lang="{esc(lang)}"><head><meta charset="utf-8"><title>{esc(title)}</title>
<meta name="viewport" content="width=device-width, initial-scale=1"><style>{CSS}</style></head>
<body><div class="layout">
<nav class="toc" aria-label="{esc(t('report_contents', lang))}">{back}{languages}<strong>{esc(t('report_contents', lang))}</strong><ol>{items}</ol></nav>
<main>
{body}
</main></div></body></html>
"""
