"""``results/claims/claims_report.html``: the verification report as one self-contained page.

The inconsistent claims first (the section a reviewer reads), then the verdict counts, then every
claim by section, each linked to its quote; every verdict as a symbol and a colour; inline styles,
no script, nothing loaded from anywhere. Every label from :func:`analysis.i18n.t`.
"""

from __future__ import annotations

import pandas as pd

from analysis.claims.evaluate import Evaluated, section_ids, verdict_counts
from analysis.claims.model import VERDICTS
from analysis.i18n import t
from analysis.report.html import esc as _e
from analysis.report.html import legend, linked, mark, page, scroll


def _counts_table(counts: pd.DataFrame, lang: str) -> str:
    head = [t("claims_col_section", lang), t("claims_col_claims", lang)] + [t(f"claims_verdict_{v}", lang) for v in VERDICTS]
    rows = []
    for row in counts.itertuples(index=False):
        name = t("claims_total", lang) if row.section == "total" else t(f"claims_section_{row.section}", lang)
        link = name if row.section == "total" else f'<a href="#section-{_e(row.section)}">{_e(name)}</a>'
        cells = [f"<td>{link}</td>", f'<td class="num">{row.claims}</td>']
        cells += [f'<td class="num {v}">{getattr(row, v)}</td>' for v in VERDICTS]
        rows.append("<tr>" + "".join(cells) + "</tr>")
    return scroll("<table><thead><tr>" + "".join(f"<th>{_e(h)}</th>" for h in head) + "</tr></thead><tbody>"
                  + "".join(rows) + "</tbody></table>")


def _row(e: Evaluated, lang: str, anchor: bool = True) -> str:
    c, r = e.claim, e.result
    ident = f' id="claim-{_e(c.id)}"' if anchor else ""
    return (f'<tr{ident} class="{_e(r.verdict)}"><td><a href="#quote-{_e(c.id)}">{_e(c.id)}</a></td>'
            f"<td>{_e(e.location(lang))}</td><td>{_e('; '.join(c.reported))}</td><td>{_e(r.recomputed)}</td>"
            f"<td>{mark(r.verdict, lang)} {_e(t(f'claims_verdict_{r.verdict}', lang))}</td>"
            f'<td class="prose">{linked(r.detail)}</td></tr>')


def _table(rows: list[str], lang: str) -> str:
    cols = [t(f"claims_col_{c}", lang) for c in ("claim_id", "location", "reported", "recomputed", "verdict", "detail")]
    return scroll("<table><thead><tr>" + "".join(f"<th>{_e(c)}</th>" for c in cols) + "</tr></thead><tbody>"
                  + "".join(rows) + "</tbody></table>")


def render_html(evaluated: list[Evaluated], header: dict, lang: str = "en") -> str:
    """The verification report as one self-contained HTML page: the inconsistent claims first, then
    every claim by section with its quote."""
    sections = section_ids(header)
    counts = verdict_counts(evaluated, sections)
    article = header.get("article", {})
    wrong = [e for e in evaluated if e.result.verdict == "inconsistent"]
    out = [f'<h1 id="top">{_e(t("claims_report_title", lang))}</h1>',
           f'<p class="meta">{_e(article.get("citation_" + lang, article.get("citation_en", "")))} doi:{_e(article.get("doi", ""))}</p>',
           f"<p>{_e(t('claims_report_intro', lang, n_claims=len(evaluated)))}</p>",
           legend(lang, VERDICTS),
           f'<section id="inconsistent"><h2>{_e(t("claims_inconsistent_heading", lang))} ({len(wrong)})</h2>',
           _table([_row(e, lang, anchor=False) for e in wrong], lang), "</section>",
           f'<section id="counts"><h2>{_e(t("claims_counts_heading", lang))}</h2>', _counts_table(counts, lang), "</section>"]
    toc = [("inconsistent", t("claims_inconsistent_heading", lang)), ("counts", t("claims_counts_heading", lang))]
    for section in sections:
        items = [e for e in evaluated if e.claim.section == section]
        if not items:
            continue
        toc.append((f"section-{section}", t(f"claims_section_{section}", lang)))
        out.append(f'<section id="section-{_e(section)}">')
        out.append(f"<h2>{_e(t(f'claims_section_{section}', lang))}</h2>")
        out.append(_table([_row(e, lang) for e in items], lang))
        out.append(f"<h3>{_e(t('claims_quotes_heading', lang))}</h3>")
        for e in items:
            c = e.claim
            statement = (f'<p class="meta">{_e(t("claims_statement", lang))}: {_e(c.statement_en)}</p>'
                         if c.statement_en else "")
            out.append(
                f'<blockquote id="quote-{_e(c.id)}"><p lang="{_e(c.lang)}">{_e(c.quote)}</p>{statement}'
                f'<p class="meta">{_e(c.id)} · {_e(e.location(lang))} · '
                f'<a href="#claim-{_e(c.id)}">{_e(t("claims_back_to_table", lang))}</a></p></blockquote>')
        out.append("</section>")
    return page(lang, t("claims_report_title", lang), toc, "\n".join(out), home="../index.html")
