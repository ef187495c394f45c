"""Running every check and writing the verification report.

- :func:`evaluate`: one :class:`Evaluated` (claim, result, location) per claim, in registry order;
- :func:`report_frame`: the table ``claims_report.csv`` (``claim_id, location, quote, reported,
  recomputed, verdict, detail``);
- :func:`verdict_counts`: claims and verdicts by section, with a total row;
- :func:`render_html`: a self-contained HTML page (inline CSS, no script, nothing loaded from
  anywhere), grouped by section, verdict counts at the top, each claim linked to its quote;
- :func:`render_errata`: only the inconsistent claims, worded for the journal (en, kk);
- :func:`render_summary`: the counts the README quotes, and the coverage of the number tokens.

Every label comes from :func:`analysis.i18n.t`; every number from the checks.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

import pandas as pd

from analysis.claims.checks import CHECKS
from analysis.claims.model import VERDICTS, Claim, Context, Result
from analysis.claims.tokens import EXCLUSION_REASONS, split_ids
from analysis.i18n import t

REPORT_COLUMNS = ["claim_id", "location", "quote", "reported", "recomputed", "verdict", "detail"]


@dataclass(frozen=True)
class Evaluated:
    claim: Claim
    result: Result

    def location(self, lang: str = "en") -> str:
        return location(self.claim, lang)


def location(claim: Claim, lang: str = "en") -> str:
    """'Results and discussion, paragraph 18, cites [14], p. 278' in ``lang``."""
    parts = [t(f"claims_section_{claim.section}", lang)]
    paragraph = claim.paragraph
    parts.append(t("claims_paragraph", lang, n=paragraph) if isinstance(paragraph, int) else str(paragraph))
    if claim.cited and claim.page is not None:
        parts.append(t("claims_cites_page", lang, cited=claim.cited, page=claim.page))
    elif claim.cited:
        parts.append(t("claims_cites", lang, cited=claim.cited))
    return ", ".join(parts)


def run_check(claim: Claim, ctx: Context) -> Result:
    return CHECKS[claim.check](claim, ctx, **claim.args)


def evaluate(claims: dict[str, Claim], ctx: Context) -> list[Evaluated]:
    return [Evaluated(claim, run_check(claim, ctx)) for claim in claims.values()]


def report_frame(evaluated: list[Evaluated]) -> pd.DataFrame:
    rows = [{"claim_id": e.claim.id, "location": e.location("en"), "quote": e.claim.quote,
             "reported": "; ".join(e.claim.reported), "recomputed": e.result.recomputed,
             "verdict": e.result.verdict, "detail": e.result.detail} for e in evaluated]
    return pd.DataFrame(rows, columns=REPORT_COLUMNS)


def verdict_counts(evaluated: list[Evaluated], sections: list[str]) -> pd.DataFrame:
    """Claims and verdicts per section (in ``sections`` order; empty sections left out), plus a total."""
    frame = pd.DataFrame({"section": [e.claim.section for e in evaluated],
                          "verdict": [e.result.verdict for e in evaluated]})
    table = pd.crosstab(frame["section"], frame["verdict"]).reindex(columns=list(VERDICTS), fill_value=0)
    table = table.reindex([s for s in sections if s in table.index])
    table.insert(0, "claims", table.sum(axis=1))
    table.loc["total"] = table.sum(axis=0)
    return table.rename_axis("section").reset_index().rename_axis(None, axis=1)


def section_ids(header: dict) -> list[str]:
    return [s["id"] for s in header["sections"]]


# -- HTML ---------------------------------------------------------------------------------------
CSS = """
body { font-family: "DejaVu Sans", "Noto Sans", Arial, sans-serif; margin: 2em auto; max-width: 70em; line-height: 1.4; color: #222; }
h1 { font-size: 1.5em; } h2 { font-size: 1.25em; margin-top: 2em; border-bottom: 1px solid #999; }
table { border-collapse: collapse; width: 100%; margin: 0.5em 0 1em; }
th, td { border: 1px solid #bbb; padding: 0.3em 0.5em; vertical-align: top; text-align: left; font-size: 0.9em; }
th { background: #eee; }
td.num { text-align: right; }
.consistent { background: #e3f4e3; } .inconsistent { background: #f9d9d9; font-weight: bold; } .not_checkable { background: #f2f2f2; }
blockquote { margin: 0.6em 0; padding: 0.4em 0.8em; border-left: 4px solid #999; background: #fafafa; }
blockquote p { margin: 0.2em 0; } .meta { font-size: 0.85em; color: #555; }
"""


def _e(text) -> str:
    return html.escape(str(text), quote=True)


def _counts_table(counts: pd.DataFrame, lang: str) -> str:
    head = [t("claims_col_section", lang), t("claims_col_claims", lang)] + [t(f"claims_verdict_{v}", lang) for v in VERDICTS]
    rows = []
    for row in counts.itertuples(index=False):
        name = t("claims_total", lang) if row.section == "total" else t(f"claims_section_{row.section}", lang)
        link = name if row.section == "total" else f'<a href="#section-{_e(row.section)}">{_e(name)}</a>'
        cells = [f"<td>{link}</td>", f'<td class="num">{row.claims}</td>']
        cells += [f'<td class="num {v}">{getattr(row, v)}</td>' for v in VERDICTS]
        rows.append("<tr>" + "".join(cells) + "</tr>")
    return ("<table><thead><tr>" + "".join(f"<th>{_e(h)}</th>" for h in head) + "</tr></thead><tbody>"
            + "".join(rows) + "</tbody></table>")


def render_html(evaluated: list[Evaluated], header: dict, lang: str = "en") -> str:
    """The verification report as one self-contained HTML page."""
    sections = section_ids(header)
    counts = verdict_counts(evaluated, sections)
    article = header.get("article", {})
    out = ['<!DOCTYPE html>', f'<html lang="{_e(lang)}">', "<head>", '<meta charset="utf-8">',
           f"<title>{_e(t('claims_report_title', lang))}</title>", f"<style>{CSS}</style>", "</head>", "<body>",
           f'<h1 id="top">{_e(t("claims_report_title", lang))}</h1>',
           f'<p class="meta">{_e(article.get("citation_" + lang, article.get("citation_en", "")))} doi:{_e(article.get("doi", ""))}</p>',
           f"<p>{_e(t('claims_report_intro', lang, n_claims=len(evaluated)))}</p>",
           f"<h2>{_e(t('claims_counts_heading', lang))}</h2>", _counts_table(counts, lang)]
    cols = [t(f"claims_col_{c}", lang) for c in ("claim_id", "location", "reported", "recomputed", "verdict", "detail")]
    for section in sections:
        items = [e for e in evaluated if e.claim.section == section]
        if not items:
            continue
        out.append(f'<section id="section-{_e(section)}">')
        out.append(f"<h2>{_e(t(f'claims_section_{section}', lang))}</h2>")
        out.append("<table><thead><tr>" + "".join(f"<th>{_e(c)}</th>" for c in cols) + "</tr></thead><tbody>")
        for e in items:
            c, r = e.claim, e.result
            out.append(
                f'<tr id="claim-{_e(c.id)}" class="{_e(r.verdict)}"><td><a href="#quote-{_e(c.id)}">{_e(c.id)}</a></td>'
                f"<td>{_e(e.location(lang))}</td><td>{_e('; '.join(c.reported))}</td><td>{_e(r.recomputed)}</td>"
                f"<td>{_e(t(f'claims_verdict_{r.verdict}', lang))}</td><td>{_e(r.detail)}</td></tr>")
        out.append("</tbody></table>")
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
    out += ["</body>", "</html>"]
    return "\n".join(out) + "\n"


# -- errata -------------------------------------------------------------------------------------
_DECIMAL_POINT = re.compile(r"(?<=\d)\.(?=\d)")


def _localise(value: str, lang: str) -> str:
    """Decimal comma in Kazakh and Russian text (dates and resolution numbers are untouched)."""
    return _DECIMAL_POINT.sub(",", str(value)) if lang in ("kk", "ru") else str(value)


def erratum_text(e: Evaluated, lang: str) -> str:
    """The claim's erratum in ``lang``: its registry template filled with the check's values,
    or the generic wording."""
    values = {"reported": "; ".join(e.claim.reported), "recomputed": e.result.recomputed,
              "difference": e.result.difference, "claim_id": e.claim.id}
    values.update(e.result.values)
    values = {k: _localise(v, lang) for k, v in values.items()}
    template = e.claim.errata.get(lang) or t("claims_errata_generic", lang)
    return " ".join(template.format_map(values).split())


def render_errata(evaluated: list[Evaluated], header: dict, lang: str) -> str:
    """Markdown errata for the journal: only the inconsistent claims, in ``lang`` ('en' or 'kk')."""
    article = header.get("article", {})
    wrong = [e for e in evaluated if e.result.verdict == "inconsistent"]
    lines = [f"# {t('claims_errata_title', lang)}", "",
             f"{article.get('citation_' + lang, article.get('citation_en', ''))} doi:{article.get('doi', '')}", "",
             t("claims_errata_intro", lang, journal=article.get("journal_" + lang, article.get("journal_en", "")),
               n_claims=len(evaluated), n_inconsistent=len(wrong)), ""]
    if not wrong:
        lines += [t("claims_errata_none", lang), ""]
    for i, e in enumerate(wrong, start=1):
        c = e.claim
        lines += [f"## {i}. {e.location(lang)}", "", f"> {c.quote}", ""]
        if lang == "en" and c.statement_en:
            lines += [f"({c.statement_en})", ""]
        lines += [f"**{t('claims_errata_printed', lang)}:** {_localise('; '.join(c.reported), lang) if lang != 'en' else '; '.join(c.reported)}", "",
                  erratum_text(e, lang), "", f"_{t('claims_errata_claim', lang, claim_id=c.id)}_", ""]
    return "\n".join(lines).rstrip("\n") + "\n"


# -- summary ------------------------------------------------------------------------------------
def coverage_counts(tokens: pd.DataFrame) -> dict:
    mapped = sum(1 for cell in tokens["claim_ids"] if split_ids(cell))
    reasons = tokens.loc[tokens["exclusion"].str.strip() != "", "exclusion"].value_counts()
    return {"n_tokens": len(tokens), "n_mapped": mapped, "n_excluded": int(reasons.sum()),
            "by_reason": {r: int(reasons.get(r, 0)) for r in EXCLUSION_REASONS if reasons.get(r, 0)}}


def render_summary(evaluated: list[Evaluated], header: dict, tokens: pd.DataFrame, lang: str = "en") -> str:
    """The numbers the README quotes: claims, verdicts by section, inconsistent claims, coverage."""
    counts = verdict_counts(evaluated, section_ids(header))
    total = counts.set_index("section").loc["total"]
    lines = [f"# {t('claims_summary_title', lang)}", "", f"_{t('claims_summary_generated', lang)}_", "",
             t("claims_summary_counts", lang, n_claims=int(total["claims"]),
               **{v: int(total[v]) for v in VERDICTS}), ""]
    head = [t("claims_col_section", lang), t("claims_col_claims", lang)] + [t(f"claims_verdict_{v}", lang) for v in VERDICTS]
    lines += ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for row in counts.itertuples(index=False):
        name = t("claims_total", lang) if row.section == "total" else t(f"claims_section_{row.section}", lang)
        lines.append("| " + " | ".join([name, str(row.claims)] + [str(getattr(row, v)) for v in VERDICTS]) + " |")
    wrong = [e.claim.id for e in evaluated if e.result.verdict == "inconsistent"]
    lines += ["", f"{t('claims_summary_inconsistent', lang)}: {', '.join(wrong) if wrong else '-'}", ""]
    cov = coverage_counts(tokens)
    lines += [f"## {t('claims_coverage_heading', lang)}", "",
              t("claims_coverage_text", lang, n_tokens=cov["n_tokens"], n_mapped=cov["n_mapped"], n_excluded=cov["n_excluded"]), ""]
    lines += [f"- {t(f'claims_exclusion_{r}', lang)}: {n}" for r, n in cov["by_reason"].items()]
    return "\n".join(lines) + "\n"
