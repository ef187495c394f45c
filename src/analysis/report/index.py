"""``results/index.html`` (English), ``index_kk.html`` and ``index_ru.html``: the reviewer's report.

Sections, in order: how to rerun it and what it was run from; the verdicts on the article's
numbers; the errata (errors, then queries); Tables 1 and 2 cell by cell; the article's figures; the
statistics, each summary followed by its figures; the corrections applied to the printed extracts;
the executed notebooks. Every label comes from the translation tables (:func:`analysis.i18n.t`);
every number from a file a notebook wrote.
"""

from __future__ import annotations

import re
from pathlib import Path

import mistune
import pandas as pd

from analysis import pipeline
from analysis.i18n import LANGUAGES, t
from analysis.report.html import INDEX, esc, frame_html, img, legend, linked, mark, nobreak, page, png_width, scroll
from analysis.report.provenance import provenance
from analysis.tables import readable

#: The report's sections: anchor -> translation key of the heading.
SECTIONS = {"reproduce": "report_reproduce", "verdicts": "report_verdicts", "errata": "report_errata",
            "legal": "report_legal", "tables": "report_tables", "figures": "report_figures", "statistics": "report_statistics",
            "corrections": "report_corrections", "notebooks": "report_notebooks"}
#: The steps whose figures the report shows: the article's, then the statistics notebooks'.
ARTICLE_FIGURE_STEPS = ("20_figure1_special_organisations", "21_figure2_inclusive_schools",
                        "22_figure3_tvet_students", "23_map_preschool_inclusion", "24_dotplot_preschool_inclusion")
STATISTICS_STEPS = ("40_regional_disparity", "41_teacher_shortage", "42_trends")
VERDICTS = ("consistent", "inconsistent", "not_checkable")


def read_csv(path: Path) -> pd.DataFrame:
    """A results or processed CSV as text, recorded as an input of the report."""
    return pd.read_csv(path, dtype=str, keep_default_na=False)


def figure_stems(step: str) -> list[str]:
    """The figures a step declares (``figures/figure1_special_organisations``), in declared order."""
    return [match.group(1) for w in pipeline.spec(step).writes
            if (match := re.fullmatch(r"results/(.*)_\{lang\}\.(?:png|\{[a-z,]*png[a-z,]*\})", w))]


def caption(results: Path, stem: str, lang: str) -> tuple[str, list[str]]:
    """A figure's title and notes from its caption file ``<stem>_<lang>.txt`` (first line the title,
    then paragraphs); without one, the file name."""
    path = results / f"{stem}_{lang}.txt"
    if not path.exists():
        return Path(stem).name, []
    title, _, rest = path.read_text(encoding="utf-8").strip().partition("\n")
    return title.strip(), [p.strip() for p in rest.split("\n\n") if p.strip()]


class Numbering:
    """Figures numbered in the order a page shows them."""

    def __init__(self) -> None:
        self.n = 0

    def figure(self, results: Path, stem: str, step: str, lang: str) -> str:
        self.n += 1
        title, notes = caption(results, stem, lang)
        others = " ".join(f'<a href="{stem}_{code}.png" hreflang="{code}">{code}</a>' for code in LANGUAGES if code != lang)
        links = (f'<a href="../notebooks/{step}.ipynb">{esc(t("report_link_notebook", lang))}</a> · '
                 f'<a href="notebooks/{step}.html">{esc(t("report_link_rendered", lang))}</a> · '
                 f'<a href="{stem}_{lang}.csv">{esc(t("report_link_data", lang))}</a> · '
                 f'<a href="{stem}_{lang}.svg">SVG</a> · {esc(t("report_link_languages", lang))}: {others}')
        body = "".join(f"<br>{esc(note)}" for note in notes)
        with (results / f"{stem}_{lang}.png").open("rb") as png:
            width = png_width(png.read(24))
        return (f'<figure id="figure-{self.n}">{img(f"{stem}_{lang}.png", title, width)}<figcaption>'
                f"<strong>{esc(t('report_figure_n', lang, n=self.n))}</strong> {esc(title)}{body}"
                f'<br><span class="links">{links}</span></figcaption></figure>')


def reproduce_section(raw: Path, notebooks_dir: Path, lang: str) -> str:
    p = provenance(raw, notebooks_dir)
    packages = ", ".join(f"{name} {version}" for name, version in p["packages"].items())
    return "\n".join([
        f"<p>{esc(t('report_reproduce_intro', lang))}</p>",
        "<pre><code>git clone &lt;this repository&gt;\ncd &lt;its folder&gt;\nmake reproduce\nmake test</code></pre>",
        f"<p>{esc(t('report_reproduce_needs', lang))}</p>",
        "<ul>",
        f"<li>{esc(t('report_python', lang))}: Python {esc(p['python'])}; {esc(packages)}.</li>",
        f"<li>{esc(t('report_lock', lang))}: <code>requirements.lock</code>, sha256 <code>{p['lock_sha256']}</code>.</li>",
        f"<li>{esc(t('report_inputs_hash', lang, n=p['n_files']))}: <code>{p['inputs_sha256']}</code>.</li>",
        "</ul>",
        f"<p>{esc(t('report_links', lang))}: "
        '<a href="../README.md">README.md</a> · <a href="manifest.csv">manifest.csv</a> · '
        '<a href="datapackage.json">results/datapackage.json</a> · <a href="../METHODS.md">METHODS.md</a> · '
        '<a href="../environment.yml">environment.yml</a>.</p>',
        f"<p>{esc(t('report_binder', lang))}</p>",
    ])


def verdicts_section(results: Path, lang: str) -> str:
    claims = read_csv(results / "claims" / "claims_report.csv")
    counts = claims["verdict"].value_counts()
    rows = "".join(f'<tr class="{v}"><td>{mark(v, lang)} {esc(t(f"claims_verdict_{v}", lang))}</td>'
                   f'<td class="num">{int(counts.get(v, 0))}</td></tr>' for v in VERDICTS)
    return "\n".join([
        f"<p>{esc(t('report_verdicts_intro', lang, n=len(claims)))}</p>",
        legend(lang, VERDICTS),
        scroll(f"<table><thead><tr><th>{esc(t('claims_col_verdict', lang))}</th><th>{esc(t('claims_col_claims', lang))}"
               f"</th></tr></thead><tbody>{rows}</tbody></table>"),
        f'<p><a href="article.html">{esc(t("report_link_article", lang))}</a> · '
        f'<a href="claims/claims_report.html">{esc(t("report_link_claims", lang))}</a> · '
        f'<a href="claims/claims_report.csv">CSV</a></p>'])


def _text(row: pd.Series, field: str, lang: str) -> tuple[str, str]:
    """The field in ``lang`` where the errata have it (en, kk, ru), else English; with its language."""
    key = f"{field}_{lang}"
    if key in row and row[key]:
        return row[key], lang
    return row[f"{field}_en"], "en"


def errata_section(results: Path, lang: str) -> str:
    items = read_csv(results / "claims" / "errata.csv")
    out = [f"<p>{esc(t('report_errata_intro', lang))} "
           + " · ".join(f'<a href="claims/errata_{code}.md">{esc(t(f"report_language_{code}", lang))} (Markdown)</a>'
                        for code in LANGUAGES) + "</p>"]
    for kind, heading in (("error", "claims_errata_errors"), ("query", "claims_errata_queries")):
        part = items[items["kind"] == kind]
        out.append(f'<h3 id="errata-{kind}">{esc(t(heading, lang))} ({len(part)})</h3>')
        for _, row in part.iterrows():
            fields = [("claims_errata_place", row[f"where_{lang}"] or row["where_en"], lang),
                      ("claims_errata_printed", row["printed"], "kk")]
            if row["correction_en"]:
                fields.append(("claims_errata_correction", *_text(row, "correction", lang)))
            if kind == "query":
                fields.append(("claims_errata_question", *_text(row, "question", lang)))
            if row["evidence"]:
                fields.append(("claims_errata_evidence", row["evidence"], "en"))
            if row["caveat"]:
                fields.append(("claims_errata_caveat", row["caveat"], "en"))
            dl = "".join(f'<dt>{esc(t(key, lang))}</dt><dd lang="{code}">{linked(value)}</dd>' for key, value, code in fields)
            out.append(f'<div class="item" id="erratum-{esc(row["claim_id"])}"><h4>{esc(row["number"])}. '
                       f'{mark(row["verdict"], lang)} <a href="claims/claims_report.html#claim-{esc(row["claim_id"])}">'
                       f'{esc(row["claim_id"])}</a></h4><blockquote lang="kk"><p>{esc(row["quote"])}</p></blockquote>'
                       f"<dl>{dl}</dl></div>")
    return "\n".join(out)


def legal_section(results: Path, lang: str) -> str:
    """Every legal fact with its source, each act's sources shown once, under the act."""
    facts = read_csv(results / "claims" / "legal_sources.csv")
    statuses = ("verified", "corrected", "unverified")
    counts = facts["status"].value_counts()
    out = [f"<p>{esc(t('report_legal_intro', lang))}</p>", legend(lang, statuses),
           "<p>" + ", ".join(f"{mark(s, lang)} {int(counts.get(s, 0))} {esc(t(f'report_status_{s}', lang))}"
                            for s in statuses) + ".</p>"]
    head = "".join(f"<th>{esc(t(f'report_col_{c}', lang))}</th>" for c in ("field", "value", "status", "source", "quote", "claims"))
    for act, rows in facts.groupby("act_id", sort=False):
        body = []
        for _, f in rows.iterrows():
            source = (f'<a href="{esc(f["source_url"].split(" ; ")[0])}">{esc(f["identifier"] or f["source_title"])}</a>'
                      if f["source_url"] else "")
            note = f'<br><span class="note">{linked(f["note"])}</span>' if f["note"] else ""
            claims = " ".join(f'<a href="claims/claims_report.html#claim-{esc(c.strip())}">{esc(c.strip())}</a>'
                              for c in f["claim_ids"].split(";") if c.strip())
            body.append(f'<tr class="{esc(f["status"])}"><td>{esc(f["field"])}</td><td>{esc(f["value"])}</td>'
                        f'<td>{mark(f["status"], lang)}</td><td>{source}</td><td class="prose">{esc(f["quote"])}{note}</td>'
                        f"<td>{claims}</td></tr>")
        title, title_lang = (rows["title_ru"].iloc[0], "ru") if lang == "ru" and rows["title_ru"].iloc[0] else (
            rows["title_en"].iloc[0], "en")  # the register has English and Russian titles
        out.append(f'<h3 id="legal-{esc(act)}" lang="{title_lang}">{esc(title)}</h3>')
        out.append(scroll(f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"))
    return "\n".join(out)


def table_section(results: Path, stem: str, title_key: str, lang: str, table_lang: str | None = None) -> str:
    """A reproduced table (in ``table_lang``, by default the page's language), every cell marked
    against the printed one. The Kazakh table shows its numbers as printed; a Russian or English
    one as its language writes them (:func:`analysis.tables.readable`)."""
    table = read_csv(results / "tables" / f"{stem}_{table_lang or lang}.csv")
    table = table.map(lambda cell: readable(cell, table_lang or lang))
    comparison = read_csv(results / "tables" / f"{stem}_comparison.csv")
    status = comparison.pivot_table(index="line", columns="column", values="status", aggfunc="first")
    status.index = status.index.astype(int)
    status = status.sort_index()[list(comparison["column"].drop_duplicates())]
    statuses = pd.DataFrame(status.to_numpy(), columns=table.columns)
    counts = comparison["status"].value_counts()
    notes = comparison[comparison["status"] != "same"]
    parts = [f"<h3>{esc(t(title_key, lang))}</h3>", legend(lang, ("same", "corrected", "differs")),
             f"<p>{esc(t('report_cells_compared', lang, n=len(comparison)))} "
             + ", ".join(f"{mark(k, lang)} {int(v)} {esc(t(f'report_status_{k}', lang))}" for k, v in sorted(counts.items()))
             + ".</p>",
             frame_html(table, statuses, statuses, lang)]
    if len(notes):
        parts.append(f"<p>{esc(t('report_cells_differ', lang))}</p>")
        shown = notes[["line", "region_iso", "column", "printed", "reproduced", "status", "note"]].rename(
            columns={c: t(f"report_col_{c}", lang) for c in notes.columns})
        parts.append(frame_html(shown, lang=lang, prose=(t("report_col_note", lang),)))
    links = " · ".join(f'<a href="tables/{stem}_{code}.{ext}">{code}.{ext}</a>' for code in LANGUAGES
                       for ext in ("csv", "md", "tex"))
    parts.append(f'<p class="note">{esc(t("report_files", lang))}: {links}</p>')
    return "\n".join(parts)


def summary_html(path: Path) -> str:
    body = mistune.html(nobreak(path.read_text(encoding="utf-8")))
    for level in (3, 2, 1):  # the summaries' headings sit under this page's h2
        body = body.replace(f"<h{level}", f"<h{level + 2}").replace(f"</h{level}>", f"</h{level + 2}>")
    return body.replace("<table>", '<div class="scroll"><table>').replace("</table>", "</table></div>")


def statistics_section(results: Path, lang: str, numbering: Numbering) -> str:
    parts = [f'<p>{esc(t("report_statistics_intro", lang))} <a href="../METHODS.md">METHODS.md</a>.</p>']
    for step in STATISTICS_STEPS:
        summary = results / "stats" / f"{step}_summary_{lang}.md"
        parts.append(f'<section id="stats-{step[:2]}">{summary_html(summary)}')
        parts.append(f'<p class="note"><a href="stats/{summary.name}">{esc(summary.name)}</a> · '
                     f'<a href="notebooks/{step}.html">{esc(t("report_link_rendered", lang))}</a> · '
                     f'<a href="stats/{step}_statistics.csv">{esc(t("report_link_statistics", lang))}</a></p>')
        parts += [numbering.figure(results, stem, step, lang) for stem in figure_stems(step)]
        parts.append("</section>")
    return "\n".join(parts)


def corrections_section(processed: Path, lang: str) -> str:
    log = read_csv(processed / "corrections_log.csv")
    columns = ["correction_id", "file", "line", "row_label", "column", "old_value", "new_value", "reason", "evidence"]
    shown = log[columns].rename(columns={c: t(f"report_col_{c}", lang) for c in columns})
    return (f"<p>{esc(t('report_corrections_intro', lang))}</p>"
            + frame_html(shown, lang=lang, prose=(t("report_col_reason", lang), t("report_col_evidence", lang))))


def build_index(results: Path, processed: Path, raw: Path, notebooks: list[Path], notebooks_dir: Path, lang: str) -> str:
    numbering = Numbering()
    figures = "\n".join(numbering.figure(results, stem, step, lang)
                        for step in ARTICLE_FIGURE_STEPS for stem in figure_stems(step))
    statistics = statistics_section(results, lang, numbering)
    notebook_links = "".join(f'<li><a href="notebooks/{nb.stem}.html">{esc(nb.name)}</a></li>' for nb in notebooks)
    body = {
        "reproduce": reproduce_section(raw, notebooks_dir, lang),
        "verdicts": verdicts_section(results, lang),
        "errata": errata_section(results, lang),
        "legal": legal_section(results, lang),
        "tables": table_section(results, "table1_preschools", "report_table1", lang)
        + table_section(results, "table2_teacher_shortage", "report_table2", lang),
        "figures": f"<p>{esc(t('report_figures_intro', lang))}</p>{figures}",
        "statistics": statistics,
        "corrections": corrections_section(processed, lang),
        "notebooks": f"<ul>{notebook_links}</ul>",
    }
    title = t("report_title", lang)
    head = (f"<h1>{esc(title)}</h1><p>{esc(t('report_citation', lang))}</p>"
            f'<p class="note">{esc(t("report_written_by", lang))}</p>')
    sections = "\n".join(f'<section id="{anchor}"><h2>{esc(t(key, lang))}</h2>\n{body[anchor]}</section>'
                         for anchor, key in SECTIONS.items())
    toc = [(anchor, t(key, lang)) for anchor, key in SECTIONS.items()]
    return page(lang, title, toc, head + sections, alternates=INDEX)
