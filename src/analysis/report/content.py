"""What the report's pages show, read from the outputs as plain data: the claims and their
counts, the errata items, the legal facts with their sources, the reproduced tables, the figures'
captions and the statistics' summaries, each in the page's language (:mod:`analysis.report.pages`
fills the templates with them)."""

from __future__ import annotations

import re
from pathlib import Path

import mistune
import pandas as pd

from analysis.claims.model import ERRATA_OUTCOMES, OUTCOMES
from analysis.i18n import LANGUAGES, t
from analysis.report.html import nobreak
from analysis.tables import readable

LEGAL_STATUSES = ("verified", "partial", "corroborated", "unverified")


def read_csv(path: Path) -> pd.DataFrame:
    """A results or processed CSV as text."""
    return pd.read_csv(path, dtype=str, keep_default_na=False)


def claims_data(results: Path) -> dict:
    """The claims report, the errata items, the outcome counts and the legal facts."""
    report = read_csv(results / "claims" / "claims_report.csv")
    errata = read_csv(results / "claims" / "errata.csv")
    counts = read_csv(results / "claims" / "outcome_counts.csv")
    legal = read_csv(results / "claims" / "legal_sources.csv")
    total = counts.set_index("section").loc["total"]
    return {"report": report, "errata": errata, "counts": counts, "legal": legal,
            "totals": {o: int(total[o]) for o in ("claims", *OUTCOMES)}}


def legal_status(row: pd.Series) -> str:
    """verified, partial (verified in part: the year only, or a derived value), corroborated or unverified."""
    if row["status"] in ("verified", "corrected"):
        return "verified" if row["verified_part"] == "whole" else "partial"
    return row["status"] if row["status"] == "corroborated" else "unverified"


def quotes(row: pd.Series, lang: str) -> list[dict]:
    """A fact's sources: each URL with its site, kind, quote, the quote's language and its
    translation into ``lang`` (none where the quote is in ``lang``)."""
    from analysis.claims.legal_sources import QUOTE_SEP, URL_SEP, domain, source_kind

    urls = [u.strip() for u in row["source_url"].split(URL_SEP.strip()) if u.strip()]
    texts = [q.strip() for q in row["quote"].split(QUOTE_SEP.strip())] if row["quote"] else []
    langs = [q.strip() for q in row["quote_lang"].split(QUOTE_SEP.strip())] if row["quote_lang"] else []
    translated = [q.strip() for q in row[f"translation_{lang}"].split(QUOTE_SEP.strip())] if row[f"translation_{lang}"] else []
    out = []
    for i, url in enumerate(urls):
        out.append({"url": url, "site": domain(url), "kind": source_kind(url), "quote": texts[i] if i < len(texts) else "",
                    "lang": langs[i] if i < len(langs) else "", "translation": translated[i] if i < len(translated) else ""})
    return out


def legal_acts(legal: pd.DataFrame, lang: str) -> list[dict]:
    """The legal facts by act, each with its status, sources and note in ``lang``."""
    acts = []
    for act, rows in legal.groupby("act_id", sort=False):
        facts = []
        for _, row in rows.iterrows():
            facts.append({"field": t(f"legal_field_{row['field']}", lang), "value": row[f"value_{lang}"],
                          "status": legal_status(row), "sources": quotes(row, lang), "identifier": row["identifier"],
                          "note": row["note"] if lang == "en" else row[f"note_{lang}"], "searched": row["searched"],
                          "claims": [c.strip() for c in row["claim_ids"].split(";") if c.strip()]})
        acts.append({"id": act, "title": rows[f"title_{lang}"].iloc[0], "facts": facts})
    return acts


def legal_counts(legal: pd.DataFrame) -> dict[str, int]:
    statuses = legal.apply(legal_status, axis=1)
    return {s: int((statuses == s).sum()) for s in LEGAL_STATUSES}


def items(errata: pd.DataFrame, lang: str) -> dict[str, list[dict]]:
    """The errata's items by kind, every text in ``lang``."""
    out = {}
    for kind in ERRATA_OUTCOMES:
        part = errata[errata["kind"] == kind]
        out[kind] = [{"number": int(r["number"]), "id": r["claim_id"], "where": r[f"where_{lang}"], "quote": r["quote"],
                      "quote_lang": r["lang"], "statement": r[f"statement_{lang}"] if r["lang"] != lang else "",
                      "printed": r["printed"], "correction": r[f"correction_{lang}"], "question": r[f"question_{lang}"],
                      "minor": r[f"minor_{lang}"], "evidence": r[f"evidence_{lang}"], "caveat": r[f"caveat_{lang}"]}
                     for _, r in part.iterrows()]
    return out


def table_data(results: Path, stem: str, lang: str) -> dict:
    """A reproduced table in ``lang`` with each cell's status against the printed one."""
    table = read_csv(results / "tables" / f"{stem}_{lang}.csv").map(lambda cell: readable(cell, lang))
    comparison = read_csv(results / "tables" / f"{stem}_comparison.csv")
    status = comparison.pivot_table(index="line", columns="column", values="status", aggfunc="first")
    status.index = status.index.astype(int)
    status = status.sort_index()[list(comparison["column"].drop_duplicates())]
    rows = []
    for i, row in enumerate(table.itertuples(index=False)):
        cells = []
        for j, value in enumerate(row):
            state = str(status.iat[i, j]) if i < len(status) and j < status.shape[1] else "same"
            cells.append({"text": str(value), "status": state, "num": bool(re.fullmatch(r"[-−\d\s\u00a0.,%]+", str(value)))})
        rows.append(cells)
    counts = comparison["status"].value_counts()
    differ = comparison[comparison["status"] != "same"]
    notes = [{"line": r["line"], "region": r["region_iso"], "column": r["column"], "printed": r["printed"],
              "reproduced": r["reproduced"], "status": r["status"]} for _, r in differ.iterrows()]
    return {"stem": stem, "columns": list(table.columns), "rows": rows, "n": len(comparison),
            "counts": {k: int(v) for k, v in sorted(counts.items())}, "notes": notes}


def caption(results: Path, stem: str, lang: str) -> tuple[str, list[str]]:
    """A figure's title and notes from its caption file (first line the title, then paragraphs)."""
    path = results / f"{stem}_{lang}.txt"
    if not path.exists():
        return Path(stem).name, []
    title, _, rest = path.read_text(encoding="utf-8").strip().partition("\n")
    return title.strip(), [p.strip() for p in rest.split("\n\n") if p.strip()]


def figure(results: Path, stem: str, step: str, lang: str, number: int) -> dict:
    title, notes = caption(results, stem, lang)
    return {"number": number, "id": f"figure-{Path(stem).name.removesuffix('_' + lang)}", "stem": stem, "step": step,
            "title": title, "notes": notes, "png": f"{stem}_{lang}.png", "svg": f"{stem}_{lang}.svg", "csv": f"{stem}_{lang}.csv",
            "others": [(code, f"{stem}_{code}.png") for code in LANGUAGES if code != lang]}


def summary_html(path: Path) -> str:
    """A statistics summary (Markdown) as HTML, its headings below the page's h2."""
    body = mistune.html(nobreak(path.read_text(encoding="utf-8")))
    for level in (3, 2, 1):
        body = body.replace(f"<h{level}", f"<h{level + 2}").replace(f"</h{level}>", f"</h{level + 2}>")
    return body.replace("<table>", '<div class="scroll"><table>').replace("</table>", "</table></div>")


def headline(path: Path) -> str:
    """The first finding of a statistics summary (its first bullet under the first subheading), as HTML."""
    text = path.read_text(encoding="utf-8")
    match = re.search(r"^## .*?\n\n(- .*?)(?:\n- |\n\n)", text, flags=re.S | re.M)
    if not match:
        return ""
    return mistune.html(nobreak(match.group(1))).strip().removeprefix("<ul>").removesuffix("</ul>").strip() \
        .removeprefix("<li>").removesuffix("</li>")


def table_row(pieces: list[dict]) -> list[list[dict]]:
    """A printed table row as cells: the label (the words before the first number), then one cell
    per number, a checked number keeping its mark."""
    cells: list[list[dict]] = [[]]
    for piece in pieces:
        if "outcome" in piece:
            cells.append([piece])
            continue
        for word in piece["text"].split():
            if re.fullmatch(r"\d+(?:[.,]\d+)?", word) and (len(cells) > 1 or cells[0]):
                cells.append([{"text": word}])
            elif len(cells) == 1:
                cells[0].append({"text": (" " if cells[0] else "") + word})
            else:
                cells.append([{"text": word}])
    return [cell for cell in cells if cell]


