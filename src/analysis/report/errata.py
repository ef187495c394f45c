"""The errata for the journal (only the inconsistent claims, in English and Kazakh) and the summary
of the claims check (the counts the README quotes, and the coverage of the article's numbers)."""

from __future__ import annotations

import re

import pandas as pd

from analysis.claims.evaluate import Evaluated, section_ids, verdict_counts
from analysis.claims.model import VERDICTS
from analysis.claims.tokens import EXCLUSION_REASONS, split_ids
from analysis.i18n import DECIMAL_COMMA, t

_DECIMAL_POINT = re.compile(r"(?<=\d)\.(?=\d)")


def _localise(value: str, lang: str) -> str:
    """Decimal comma in Kazakh and Russian text (dates and resolution numbers are untouched)."""
    return _DECIMAL_POINT.sub(",", str(value)) if lang in DECIMAL_COMMA else str(value)


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
