"""Every page of the report, in Kazakh, Russian and English, from the jinja2 templates.

:func:`build` (notebook 90) returns ``{path under results/: text}``:

- ``index.html``, ``index_kk.html``, ``index_ru.html``: findings first (what was checked, how many
  errors, queries and minor points, the errors with their corrections, the statistical headline),
  then the errata, the verdicts, Tables 1 and 2, the figures, the statistics, the legal facts, the
  corrections, and last, in a short box, how to rerun and what the edition was built from;
- ``article.html`` (and ``_kk``, ``_ru``): the whole article, each checked value marked in place;
- ``claims/claims_report.html`` (and ``_kk``, ``_ru``): every claim with its evidence;
- ``claims/errata_<lang>.md`` and ``claims/errata_letter_<lang>.html``: the errata letter to the
  editor, dated and versioned from the inputs (``CITATION.cff``'s version and date and the inputs'
  fingerprint), as Markdown and as a print-styled page (``make letter`` prints it to PDF);
- ``methods.html``: METHODS.md rendered, so that ``results/`` is complete on its own;
- ``report.css``: the stylesheet of every page (screen and print).

Every number comes from a file a notebook wrote; every text from the translation tables.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import mistune

from analysis.claims.model import ERRATA_OUTCOMES, OUTCOMES
from analysis.i18n import LANGUAGES, t
from analysis.ingest.rawio import read_yaml
from analysis.report import article as article_text
from analysis.report.content import (
    LEGAL_STATUSES,
    claims_data,
    figure,
    headline,
    items,
    legal_acts,
    legal_counts,
    read_csv,
    summary_html,
    table_data,
    table_row,
)
from analysis.report.html import INDEX, STYLESHEET, page_name, render, stylesheet
from analysis.report.provenance import provenance

#: The sections of an index page, in order: anchor -> translation key of the heading.
SECTIONS = {"summary": "report_summary", "errata": "report_errata", "verdicts": "report_verdicts",
            "tables": "report_tables", "figures": "report_figures", "statistics": "report_statistics",
            "legal": "report_legal", "corrections": "report_corrections", "reproduce": "report_reproduce"}
#: The statistics notebooks whose summaries the index shows, each followed by its figures.
STATISTICS_STEPS = ("40_regional_disparity", "41_teacher_shortage", "42_trends")


@dataclass
class Inputs:
    """Where the report reads from (every path plain: the notebook passes them)."""

    results: Path
    processed: Path
    raw: Path
    notebooks: list[Path]
    notebooks_dir: Path
    own_notebook: Path
    citation: Path
    methods: Path
    lock: Path
    pyproject: Path
    source: Path
    #: step -> the figure stems it declares (``figures/figure1_special_organisations``), in order.
    figures: dict[str, list[str]] = field(default_factory=dict)


# -- edition ----------------------------------------------------------------------------------------
def edition(inputs: Inputs) -> dict:
    """The edition's version and date (``CITATION.cff``, set by the maintainers when they release)
    and the inputs' fingerprint: never the clock."""
    cff, _ = read_yaml(inputs.citation)  # edited by people: duplicate keys, anchors and tags refused
    facts = provenance(inputs.raw, inputs.notebooks_dir, inputs.own_notebook, inputs.source, inputs.lock,
                       inputs.pyproject)
    return {"version": str(cff["version"]), "date": str(cff["date-released"]), "fingerprint": facts["inputs_sha256"],
            "short": facts["inputs_sha256"][:12], "provenance": facts}


def written_date(iso: str, lang: str) -> str:
    """'5 December 2026' in ``lang``."""
    from analysis.claims.legal_text import written_date as date

    return date(iso, lang)


# -- the pages -----------------------------------------------------------------------------------
def common(lang: str, title: str, stem: str, depth: int = 0) -> dict:
    """What every page's base template needs."""
    up = "../" * depth
    return {"lang": lang, "title": title, "css": up + STYLESHEET, "up": up,
            "alternates": {code: page_name(stem, code) for code in LANGUAGES}, "index": up + INDEX[lang],
            "article": up + page_name("article", lang), "claims_page": up + "claims/" + page_name("claims_report", lang),
            "citation": t("report_citation", lang)}


def index_page(inputs: Inputs, data: dict, ed: dict, lang: str) -> str:
    results = inputs.results
    number, figures = 0, []
    for step in ("20_figure1_special_organisations", "21_figure2_inclusive_schools", "22_figure3_tvet_students",
                 "23_map_preschool_inclusion", "24_dotplot_preschool_inclusion"):
        for stem in inputs.figures.get(step, []):
            number += 1
            figures.append(figure(results, stem, step, lang, number))
    statistics = []
    for step in STATISTICS_STEPS:
        path = results / "stats" / f"{step}_summary_{lang}.md"
        figs = []
        for stem in inputs.figures.get(step, []):
            number += 1
            figs.append(figure(results, stem, step, lang, number))
        statistics.append({"step": step, "html": summary_html(path), "summary": path.name, "figures": figs,
                           "headline": headline(path)})
    log = read_csv(inputs.processed / "corrections_log.csv")
    the_items = items(data["errata"], lang)
    context = {**common(lang, t("report_title", lang), "index"), "sections": SECTIONS, "totals": data["totals"],
               "items": the_items, "counts": data["counts"].to_dict("records"), "legal": legal_acts(data["legal"], lang),
               "legal_counts": legal_counts(data["legal"]), "tables": [table_data(results, "table1_preschools", lang),
                                                                        table_data(results, "table2_teacher_shortage", lang)],
               "table_titles": [t("report_table1", lang), t("report_table2", lang)], "figures": figures,
               "statistics": statistics, "corrections": log.to_dict("records"), "edition": ed,
               "edition_date": written_date(ed["date"], lang), "n_cells": sum(len(read_csv(results / "tables" / f"{s}_comparison.csv"))
                                                                              for s in ("table1_preschools", "table2_teacher_shortage")),
               "notebooks": [nb.stem for nb in inputs.notebooks], "outcomes": OUTCOMES, "errata_kinds": ERRATA_OUTCOMES,
               "legal_statuses": LEGAL_STATUSES, "page_alternates": INDEX}
    context["alternates"] = INDEX
    context["is_index"] = True
    return render("index.html", **context)


def article_page(inputs: Inputs, data: dict, lang: str) -> str:
    from analysis.claims import registry

    text = (inputs.raw / "article_text.txt").read_text(encoding="utf-8")
    _, claims = registry.load_registry(inputs.raw)
    outcomes = dict(zip(data["report"]["claim_id"], data["report"]["verdict"], strict=True))
    marks, missing = article_text.locate(text, claims, outcomes)
    if missing:
        raise ValueError(f"claims not found in data/raw/article_text.txt: {missing}")
    starts = article_text.line_starts(text)
    statements = {r["claim_id"]: r[f"statement_{lang}"] or r["quote"] for _, r in data["report"].iterrows()}
    def pieces_of(block):
        out = []
        for piece, mark in article_text.segments(block, text, starts, marks):
            if mark is None:
                out.append({"text": piece})
            else:
                tip = "; ".join(f"{c}: {t('claims_verdict_' + outcomes[c], lang)}" for c in mark.claims)
                out.append({"text": piece, "outcome": mark.outcome, "claims": mark.claims, "anchor": mark.anchor,
                            "title": tip})
        return out

    blocks = []
    for block in article_text.blocks(text):
        entry = {"kind": block.kind, "lang": block.lang, "first_line": block.lines[0][0]}
        if block.kind == "table":
            entry["rows"] = [table_row(pieces_of(article_text.Block("table", [line], block.lang))) for line in block.lines]
        else:
            entry["pieces"] = pieces_of(block)
        blocks.append(entry)
    counts = data["totals"]
    context = {**common(lang, t("article_title", lang), "article"), "blocks": blocks, "totals": counts,
               "outcomes": OUTCOMES, "statements": statements}
    return render("article.html", **context)


def claims_page(inputs: Inputs, data: dict, lang: str) -> str:
    report = data["report"]
    rows = [{"id": r["claim_id"], "section": r["section"], "where": r[f"location_{lang}"], "quote": r["quote"],
             "quote_lang": r["lang"], "statement": r[f"statement_{lang}"], "reported": r["reported"],
             "recomputed": r[f"recomputed_{lang}"], "outcome": r["verdict"], "evidence": r[f"evidence_{lang}"],
             "caveat": r[f"caveat_{lang}"]} for _, r in report.iterrows()]
    sections = list(dict.fromkeys(r["section"] for r in rows))
    context = {**common(lang, t("claims_report_title", lang), "claims_report", depth=1), "rows": rows, "sections": sections,
               "counts": data["counts"].to_dict("records"), "totals": data["totals"], "outcomes": OUTCOMES}
    context["alternates"] = {code: page_name("claims_report", code) for code in LANGUAGES}
    return render("claims_report.html", **context)


def letter_context(inputs: Inputs, data: dict, ed: dict, lang: str) -> dict:
    return {**common(lang, t("letter_title", lang), "errata_letter", depth=1), "items": items(data["errata"], lang),
            "totals": data["totals"], "edition": ed, "edition_date": written_date(ed["date"], lang),
            "legal_counts": legal_counts(data["legal"]), "errata_kinds": ERRATA_OUTCOMES}


def letter_pages(inputs: Inputs, data: dict, ed: dict, lang: str) -> tuple[str, str]:
    """The errata letter as Markdown and as a print-styled HTML page."""
    context = letter_context(inputs, data, ed, lang)
    context["alternates"] = {code: f"errata_letter_{code}.html" for code in LANGUAGES}
    return render("letter.md", **context), render("letter.html", **context)


def methods_page(inputs: Inputs, lang: str = "en") -> str:
    """METHODS.md as a page of the results folder (its links to files of the repository kept as text)."""
    text = inputs.methods.read_text(encoding="utf-8")
    body = mistune.html(text)
    body = re.sub(r'<a href="(?!https?://|#)[^"]*">(.*?)</a>', r"<code>\1</code>", body)
    body = body.replace("<table>", '<div class="scroll"><table>').replace("</table>", "</table></div>")
    context = {**common(lang, "METHODS.md", "methods"), "body": body}
    context["alternates"] = {}
    return render("methods.html", **context)


def build(inputs: Inputs) -> dict[str, str]:
    """Every page of the report: ``{path under results/: text}``."""
    data = claims_data(inputs.results)
    ed = edition(inputs)
    pages = {STYLESHEET: stylesheet(), "methods.html": methods_page(inputs)}
    for lang in LANGUAGES:
        pages[INDEX[lang]] = index_page(inputs, data, ed, lang)
        pages[page_name("article", lang)] = article_page(inputs, data, lang)
        pages["claims/" + page_name("claims_report", lang)] = claims_page(inputs, data, lang)
        markdown, letter = letter_pages(inputs, data, ed, lang)
        pages[f"claims/errata_{lang}.md"] = markdown
        pages[f"claims/errata_letter_{lang}.html"] = letter
    return pages
