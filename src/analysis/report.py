"""``results/index.html``: one offline page for reviewers.

Everything in one self-contained file (figures embedded as data URIs, styles inline, no script,
no remote URL of any kind): the reproduced tables beside the printed values, every figure, the
claims verdicts with a link to the full claims report, the statistics summaries, the corrections
applied, and links to each executed notebook rendered to HTML (``results/notebooks/``, scripts
and remote references stripped). Deterministic: no dates, no commit ids, no absolute paths.
"""

from __future__ import annotations

import analysis.fastimport  # noqa: F401, I001  first: before nbformat (see that module)
import base64
import html
import re
from pathlib import Path

import mistune
import nbformat
import pandas as pd


#: Matches an attribute that would make a browser fetch something remote.
REMOTE = re.compile(r"""(?:src|href|action|poster|data)\s*=\s*["']?\s*(?:https?:)?//""", re.I)
CSS = """
body{font-family:'DejaVu Sans',Arial,sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;color:#222;line-height:1.45}
h1{font-size:1.6em}h2{border-bottom:1px solid #ccc;padding-bottom:.2em;margin-top:2em}
table{border-collapse:collapse;margin:.8em 0;font-size:.9em}th,td{border:1px solid #ddd;padding:.25em .5em;text-align:right}
th:first-child,td:first-child{text-align:left}th{background:#f3f3f3}
.same{color:#2a7a2a}.corrected{background:#fff3cd}.differs{background:#f8d7da}
.verdict-consistent{color:#2a7a2a}.verdict-inconsistent{color:#b00020;font-weight:bold}.verdict-not_checkable{color:#666}
figure{margin:1.5em 0}figure img{max-width:100%;border:1px solid #eee}figcaption{font-size:.85em;color:#444}
nav a{margin-right:1em}.note{font-size:.85em;color:#555}
"""


def _esc(text) -> str:
    return html.escape(str(text), quote=True)


def _img(path: Path, alt: str) -> str:
    data = base64.b64encode(path.read_bytes()).decode("ascii")
    return f'<img alt="{_esc(alt)}" src="data:image/png;base64,{data}">'


def _frame_html(frame: pd.DataFrame, classes: pd.DataFrame | None = None) -> str:
    head = "".join(f"<th>{_esc(c)}</th>" for c in frame.columns)
    rows = []
    for i, row in enumerate(frame.itertuples(index=False)):
        cells = []
        for j, value in enumerate(row):
            css = "" if classes is None else str(classes.iat[i, j])
            cells.append(f'<td class="{css}">{_esc("" if pd.isna(value) else value)}</td>' if css else
                         f"<td>{_esc('' if pd.isna(value) else value)}</td>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"


def _rel(path: Path, results: Path) -> str:
    return path.relative_to(results).as_posix()


def table_section(results: Path, stem: str, title: str) -> str:
    """The reproduced table (Kazakh, as printed) with every cell marked against the printed one."""
    table = pd.read_csv(results / "tables" / f"{stem}_kk.csv", dtype=str, keep_default_na=False)
    comparison = pd.read_csv(results / "tables" / f"{stem}_comparison.csv", dtype=str, keep_default_na=False)
    status = comparison.pivot_table(index="line", columns="column", values="status", aggfunc="first")
    status.index = status.index.astype(int)
    status = status.sort_index()[[c for c in comparison["column"].drop_duplicates()]]
    classes = pd.DataFrame(status.to_numpy(), columns=table.columns)
    counts = comparison["status"].value_counts().to_dict()
    notes = comparison[comparison["status"] != "same"]
    parts = [f"<h3>{_esc(title)}</h3>",
             f"<p>{len(comparison)} cells compared with the printed table: "
             + ", ".join(f'<span class="{k}">{v} {k}</span>' for k, v in sorted(counts.items())) + ".</p>",
             _frame_html(table, classes)]
    if len(notes):
        parts.append("<p>Cells that differ from the printed table:</p>")
        parts.append(_frame_html(notes[["line", "region_iso", "column", "printed", "reproduced", "status", "note"]]))
    links = " ".join(f'<a href="tables/{stem}_{lang}.{ext}">{lang}.{ext}</a>' for lang in ("kk", "ru", "en")
                     for ext in ("csv", "md", "tex"))
    parts.append(f'<p class="note">Files: {links}</p>')
    return "\n".join(parts)


def figure_section(results: Path) -> str:
    parts = []
    order = ("figure1", "figure2", "figure3", "map", "dotplot")  # the article's order, then ours
    pngs = sorted((results / "figures").glob("*_en.png"),
                  key=lambda p: (next((i for i, o in enumerate(order) if p.name.startswith(o)), len(order)), p.name))
    for png in pngs:
        stem = png.name.removesuffix("_en.png")
        links = " ".join(f'<a href="figures/{stem}_{lang}.{ext}">{lang}.{ext}</a>'
                         for lang in ("kk", "ru", "en") for ext in ("png", "svg", "csv"))
        parts.append(f"<figure>{_img(png, stem)}<figcaption>{_esc(stem)}: {links}</figcaption></figure>")
    return "\n".join(parts)


def claims_section(results: Path) -> str:
    report = results / "claims" / "claims_report.csv"
    if not report.exists():
        return "<p>No claims report.</p>"
    claims = pd.read_csv(report, dtype=str, keep_default_na=False)
    counts = claims["verdict"].value_counts()
    summary = pd.DataFrame({"verdict": counts.index, "claims": counts.to_numpy()})
    inconsistent = claims[claims["verdict"] == "inconsistent"][["claim_id", "location", "reported", "recomputed", "detail"]]
    return "\n".join([
        f"<p>{len(claims)} numeric statements of the article registered and checked "
        '(<a href="claims/claims_report.html">full claims report</a>, '
        '<a href="claims/claims_report.csv">CSV</a>, errata: <a href="claims/errata_en.md">English</a>, '
        '<a href="claims/errata_kk.md">Kazakh</a>).</p>',
        _frame_html(summary, pd.DataFrame({"verdict": [f"verdict-{v}" for v in summary["verdict"]], "claims": ""})),
        "<h3>Inconsistent statements</h3>", _frame_html(inconsistent)])


def statistics_section(results: Path) -> str:
    parts = []
    for summary in sorted((results / "stats").glob("*summary_en.md")):
        body = mistune.html(summary.read_text(encoding="utf-8"))
        for level in (2, 1):  # the summaries' headings sit under this page's h2
            body = body.replace(f"<h{level}", f"<h{level + 2}").replace(f"</h{level}>", f"</h{level + 2}>")
        parts.append(f'<div class="summary">{body}</div>')
        parts.append(f'<p class="note">Source: <a href="stats/{summary.name}">{_esc(summary.name)}</a></p>')
    for png in sorted((results / "stats").glob("*_en.png")):
        parts.append(f"<figure>{_img(png, png.stem)}<figcaption>{_esc(png.stem)}</figcaption></figure>")
    return "\n".join(parts) or "<p>No statistics yet.</p>"


def corrections_section(processed: Path) -> str:
    log = pd.read_csv(processed / "corrections_log.csv", dtype=str, keep_default_na=False)
    return _frame_html(log[["correction_id", "file", "line", "row_label", "column", "old_value", "new_value", "reason", "evidence"]])


def strip_remote(text: str) -> str:
    """Drop scripts and any element that refers to a remote URL (the page must work offline)."""
    text = re.sub(r"<script\b[^>]*>.*?</script>", "", text, flags=re.S | re.I)
    text = re.sub(r"<style\b[^>]*>.*?</style>", lambda m: re.sub(r"/\*.*?\*/", "", m.group(0), flags=re.S), text,
                  flags=re.S | re.I)  # CSS comments cite URLs; nothing fetches them, but nothing needs them
    text = re.sub(r"<link\b[^>]*(?:https?:)?//[^>]*>", "", text, flags=re.I)
    return re.sub(r"""(href|src)\s*=\s*(["'])(?:https?:)?//[^"']*\2""", r"\1=\2#\2", text, flags=re.I)


#: The stylesheet every rendered notebook links, written once beside them.
NOTEBOOK_CSS = "notebook.css"


def render_notebook(path: Path) -> tuple[str, str]:
    """A notebook as HTML with its stored outputs, no scripts, nothing remote.

    Returns the page and the stylesheet of its head: the template's styles are the same for every
    notebook, so the page links ``notebook.css`` instead of carrying them (styles inside the
    outputs, such as those of styled tables, stay where they are).
    """
    from nbconvert import HTMLExporter

    exporter = HTMLExporter(template_name="lab")
    exporter.log.setLevel("ERROR")  # not the accessibility notes on the figures' alt text
    exporter.exclude_input_prompt = False
    page, _ = exporter.from_notebook_node(nbformat.read(path, as_version=4))
    page = strip_remote(page)
    head, end, rest = page.partition("</head>")
    styles = re.findall(r"<style\b[^>]*>.*?</style>", head, flags=re.S | re.I)
    css = "\n".join(re.sub(r"^<style\b[^>]*>|</style>$", "", block, flags=re.I).strip() for block in styles)
    head = re.sub(r"<style\b[^>]*>.*?</style>\s*", "", head, flags=re.S | re.I)
    return f'{head}<link rel="stylesheet" href="{NOTEBOOK_CSS}">\n{end}{rest}', css + "\n"


def build_index(results: Path, processed: Path, notebooks: list[Path]) -> str:
    nav = ["tables", "figures", "claims", "statistics", "corrections", "notebooks"]
    notebook_links = "".join(f'<li><a href="notebooks/{nb.stem}.html">{_esc(nb.name)}</a></li>' for nb in notebooks)
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Inclusive education in Kazakhstan: reproduction report</title>
<meta name="viewport" content="width=device-width, initial-scale=1"><style>{CSS}</style></head>
<body>
<h1>Inclusive education in the Republic of Kazakhstan: reproduction report</h1>
<p>Tamabayeva M.K., Abildina S.K., Zhekibayeva B.A. (2025). Inclusive education in the Republic of Kazakhstan:
legal framework and current state. Bulletin of Abylai Khan KazUIRWL, Pedagogical Sciences, 3 (78).
DOI 10.48371/PEDS.2025.78.3.005.</p>
<p class="note">Written by notebooks/90_build_report.ipynb from the compendium's outputs; every number on this page
comes from a file a notebook wrote. Works offline: nothing on this page is loaded from the network.</p>
<nav>{''.join(f'<a href="#{s}">{s.capitalize()}</a>' for s in nav)}</nav>
<h2 id="tables">Tables, reproduced and compared with the printed values</h2>
{table_section(results, "table1_preschools", "Table 1: public preschools with conditions for inclusive education, 2023")}
{table_section(results, "table2_teacher_shortage", "Table 2: shortage of teachers for inclusive education, 2023")}
<h2 id="figures">Figures (English; Kazakh and Russian linked)</h2>
{figure_section(results)}
<h2 id="claims">Claims: every number the article reports, checked</h2>
{claims_section(results)}
<h2 id="statistics">Statistics beyond the article</h2>
{statistics_section(results)}
<h2 id="corrections">Corrections applied to the printed extracts</h2>
{corrections_section(processed)}
<h2 id="notebooks">Executed notebooks</h2>
<ul>{notebook_links}</ul>
</body></html>
"""
