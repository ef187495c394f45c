"""The errata for the journal, in English, Kazakh and Russian, in two sections (errors: numeric or factual,
with the correction and the evidence; queries: wording, with the question to put to the authors),
the same items as a table for the HTML report, and the summary of the claims check (the counts the
README quotes, and the coverage of the article's numbers)."""

from __future__ import annotations

import re

import pandas as pd

from analysis.claims.evaluate import Evaluated, section_ids, verdict_counts
from analysis.claims.model import VERDICTS
from analysis.claims.tokens import EXCLUSION_REASONS, split_ids
from analysis.i18n import DECIMAL_COMMA, t

#: The languages of the corrections and questions, in the order of errata.csv's columns.
TEXT_LANGUAGES = ("en", "kk", "ru")
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


def is_query(e: Evaluated) -> bool:
    """A matter of wording or reading, for the authors to answer: the claim names its question, or
    it is inconsistent only on one reading of a word (it has an ``ambiguity``)."""
    return bool(e.claim.query) or (e.result.verdict == "inconsistent" and bool(e.claim.ambiguity))


def errata_items(evaluated: list[Evaluated]) -> tuple[list[Evaluated], list[Evaluated]]:
    """(errors, queries): errors are inconsistent claims that are numeric or factual; queries are
    claims whose reading is in question (inconsistent on the stricter reading, or flagged with a
    ``query`` in the registry whatever their verdict), in registry order."""
    errors = [e for e in evaluated if e.result.verdict == "inconsistent" and not is_query(e)]
    queries = [e for e in evaluated if is_query(e)]
    return errors, queries


def question(e: Evaluated, lang: str) -> str:
    return e.claim.query.get(lang) or e.claim.query.get("en", "")


def errata_frame(evaluated: list[Evaluated]) -> pd.DataFrame:
    """Every erratum item, for the HTML report: kind (error or query), its number within its kind,
    the claim, where it is (in each language), the sentence, the printed value, the proposed
    correction (en, kk, ru), the evidence, the caveat and the question (en, kk, ru)."""
    errors, queries = errata_items(evaluated)
    rows = []
    for kind, items in (("error", errors), ("query", queries)):
        for number, e in enumerate(items, start=1):
            c, r = e.claim, e.result
            rows.append({"kind": kind, "number": number, "claim_id": c.id, "verdict": r.verdict,
                         **{f"where_{lang}": e.location(lang) for lang in ("kk", "ru", "en")},
                         "quote": c.quote, "printed": "; ".join(c.reported),
                         **{f"correction_{lang}": erratum_text(e, lang) if r.verdict == "inconsistent" else ""
                            for lang in TEXT_LANGUAGES},
                         "evidence": r.detail, "caveat": c.ambiguity,
                         **{f"question_{lang}": question(e, lang) if kind == "query" else "" for lang in TEXT_LANGUAGES}})
    return pd.DataFrame(rows, columns=["kind", "number", "claim_id", "verdict", "where_kk", "where_ru", "where_en",
                                       "quote", "printed", *[f"correction_{lang}" for lang in TEXT_LANGUAGES],
                                       "evidence", "caveat", *[f"question_{lang}" for lang in TEXT_LANGUAGES]])


def _item(e: Evaluated, number: int, lang: str, kind: str) -> list[str]:
    c, r = e.claim, e.result
    printed = "; ".join(c.reported)
    lines = [f"### {number}. {e.location(lang)}", "", f"> {c.quote}", ""]
    if lang == "en" and c.statement_en:
        lines += [f"({c.statement_en})", ""]
    lines += [f"**{t('claims_errata_printed', lang)}:** {_localise(printed, lang) if lang != 'en' else printed}", ""]
    if r.verdict == "inconsistent":
        lines += [f"**{t('claims_errata_correction', lang)}:** {erratum_text(e, lang)}", ""]
    if kind == "query":
        lines += [f"**{t('claims_errata_question', lang)}:** {question(e, lang)}", ""]
    if r.detail:
        lines += [f"**{t('claims_errata_evidence', lang)}:** {' '.join(r.detail.split())}", ""]
    if c.ambiguity and kind == "error":
        lines += [f"**{t('claims_errata_caveat', lang)}:** {c.ambiguity}", ""]
    lines += [f"_{t('claims_errata_claim', lang, claim_id=c.id)}_", ""]
    return lines


def render_errata(evaluated: list[Evaluated], header: dict, lang: str) -> str:
    """Markdown errata for the journal in ``lang`` ('en', 'kk' or 'ru'), in two sections: errors (numeric or
    factual, with the correction and the evidence) and queries (wording, with the question to ask)."""
    article = header.get("article", {})
    errors, queries = errata_items(evaluated)
    lines = [f"# {t('claims_errata_title', lang)}", "",
             f"{article.get('citation_' + lang, article.get('citation_en', ''))} doi:{article.get('doi', '')}", "",
             t("claims_errata_intro", lang, journal=article.get("journal_" + lang, article.get("journal_en", "")),
               n_claims=len(evaluated), n_errors=len(errors), n_queries=len(queries)), ""]
    for kind, key, items in (("error", "claims_errata_errors", errors), ("query", "claims_errata_queries", queries)):
        lines += [f"## {t(key, lang)}", ""]
        if not items:
            lines += [t("claims_errata_none", lang), ""]
        for number, e in enumerate(items, start=1):
            lines += _item(e, number, lang, kind)
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
