"""``results/index.html``: the sections of the one offline page for reviewers."""

from __future__ import annotations

from pathlib import Path

import mistune
import pandas as pd

from analysis.i18n import LANGUAGES
from analysis.pipeline import access
from analysis.report.html import CSS, esc, frame_html, img


def read_csv(path: Path) -> pd.DataFrame:
    """A results or processed CSV as text, recorded as an input of the report."""
    return pd.read_csv(access(path), dtype=str, keep_default_na=False)

def table_section(results: Path, stem: str, title: str) -> str:
    """The reproduced table (Kazakh, as printed) with every cell marked against the printed one."""
    table = read_csv(results / "tables" / f"{stem}_kk.csv")
    comparison = read_csv(results / "tables" / f"{stem}_comparison.csv")
    status = comparison.pivot_table(index="line", columns="column", values="status", aggfunc="first")
    status.index = status.index.astype(int)
    status = status.sort_index()[[c for c in comparison["column"].drop_duplicates()]]
    classes = pd.DataFrame(status.to_numpy(), columns=table.columns)
    counts = comparison["status"].value_counts().to_dict()
    notes = comparison[comparison["status"] != "same"]
    parts = [f"<h3>{esc(title)}</h3>",
             f"<p>{len(comparison)} cells compared with the printed table: "
             + ", ".join(f'<span class="{k}">{v} {k}</span>' for k, v in sorted(counts.items())) + ".</p>",
             frame_html(table, classes)]
    if len(notes):
        parts.append("<p>Cells that differ from the printed table:</p>")
        parts.append(frame_html(notes[["line", "region_iso", "column", "printed", "reproduced", "status", "note"]]))
    links = " ".join(f'<a href="tables/{stem}_{lang}.{ext}">{lang}.{ext}</a>' for lang in LANGUAGES
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
                         for lang in LANGUAGES for ext in ("png", "svg", "csv"))
        parts.append(f"<figure>{img(access(png), stem)}<figcaption>{esc(stem)}: {links}</figcaption></figure>")
    return "\n".join(parts)


def claims_section(results: Path) -> str:
    report = results / "claims" / "claims_report.csv"
    if not report.exists():
        return "<p>No claims report.</p>"
    claims = read_csv(report)
    counts = claims["verdict"].value_counts()
    summary = pd.DataFrame({"verdict": counts.index, "claims": counts.to_numpy()})
    inconsistent = claims[claims["verdict"] == "inconsistent"][["claim_id", "location", "reported", "recomputed", "detail"]]
    return "\n".join([
        f"<p>{len(claims)} numeric statements of the article registered and checked "
        '(<a href="claims/claims_report.html">full claims report</a>, '
        '<a href="claims/claims_report.csv">CSV</a>, errata: <a href="claims/errata_en.md">English</a>, '
        '<a href="claims/errata_kk.md">Kazakh</a>).</p>',
        frame_html(summary, pd.DataFrame({"verdict": [f"verdict-{v}" for v in summary["verdict"]], "claims": ""})),
        "<h3>Inconsistent statements</h3>", frame_html(inconsistent)])


def statistics_section(results: Path) -> str:
    parts = []
    for summary in sorted((results / "stats").glob("*summary_en.md")):
        body = mistune.html(access(summary).read_text(encoding="utf-8"))
        for level in (2, 1):  # the summaries' headings sit under this page's h2
            body = body.replace(f"<h{level}", f"<h{level + 2}").replace(f"</h{level}>", f"</h{level + 2}>")
        parts.append(f'<div class="summary">{body}</div>')
        parts.append(f'<p class="note">Source: <a href="stats/{summary.name}">{esc(summary.name)}</a></p>')
    for png in sorted((results / "stats").glob("*_en.png")):
        parts.append(f"<figure>{img(access(png), png.stem)}<figcaption>{esc(png.stem)}</figcaption></figure>")
    return "\n".join(parts) or "<p>No statistics yet.</p>"


def corrections_section(processed: Path) -> str:
    log = read_csv(processed / "corrections_log.csv")
    return frame_html(log[["correction_id", "file", "line", "row_label", "column", "old_value", "new_value", "reason", "evidence"]])


def build_index(results: Path, processed: Path, notebooks: list[Path]) -> str:
    nav = ["tables", "figures", "claims", "statistics", "corrections", "notebooks"]
    notebook_links = "".join(f'<li><a href="notebooks/{nb.stem}.html">{esc(nb.name)}</a></li>' for nb in notebooks)
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
