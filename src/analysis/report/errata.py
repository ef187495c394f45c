"""The errata items and the summary of the claims check, as tables (notebook 30 writes them).

Three kinds, kept apart everywhere (:data:`analysis.claims.model.ERRATA_OUTCOMES`):

- **error**: a printed number or fact that is wrong: the correction and the evidence;
- **query**: a statement whose meaning, scope or basis the authors must clarify: the question
  (never a proposed correction) and the evidence;
- **minor**: a difference within the printed precision or a matter of typography: what it is,
  the correction and the evidence.

Every text is in Kazakh, Russian and English; every item names the article's own page (and the
cited source's page where the sentence cites one). The letter and the pages are written from
these tables by :mod:`analysis.report.pages` (and printed to PDF by `make letter`, tools/letter.py).
"""

from __future__ import annotations

import pandas as pd

from analysis.claims.evaluate import Evaluated, outcome_counts, section_ids, statement
from analysis.claims.model import ERRATA_OUTCOMES, OUTCOMES
from analysis.claims.text import localise
from analysis.claims.tokens import EXCLUSION_REASONS, split_ids
from analysis.i18n import LANGUAGES, fill, t

TEXTS = ("where", "statement", "correction", "question", "minor", "evidence", "caveat")
ERRATA_COLUMNS = ["kind", "number", "claim_id", "check_verdict", "article_page_first", "article_page_last", "lang", "quote",
                  "printed", *[f"{text}_{lang}" for text in TEXTS for lang in LANGUAGES]]


def erratum_text(e: Evaluated, lang: str) -> str:
    """The correction in ``lang``: the registry's template filled with the check's values (numbers
    with the language's decimal separator); empty for a query, which proposes none."""
    if e.outcome not in ("error", "minor") or not e.claim.errata:
        return ""
    values = {"reported": "; ".join(e.claim.reported), "recomputed": e.result.recomputed,
              "difference": e.result.difference, "claim_id": e.claim.id}
    values.update(e.result.values)
    values = {k: localise(v, lang) for k, v in values.items()}
    return " ".join(fill(e.claim.errata[lang], lang, **values).split())


def minor_text(e: Evaluated, lang: str) -> str:
    """Why a minor point is minor, in ``lang`` (its template filled like a correction)."""
    if e.outcome != "minor":
        return ""
    values = {k: localise(v, lang) for k, v in e.result.values.items()}
    return " ".join(fill(e.claim.minor[lang], lang, **values).split())


def errata_items(evaluated: list[Evaluated]) -> dict[str, list[Evaluated]]:
    """The errata's items by kind (error, query, minor), each in registry order."""
    return {kind: [e for e in evaluated if e.outcome == kind] for kind in ERRATA_OUTCOMES}


def errata_frame(evaluated: list[Evaluated]) -> pd.DataFrame:
    """``errata.csv``: every item of the errata, errors, then queries, then minor points, numbered
    within its kind, every text in every language (see :data:`ERRATA_COLUMNS`)."""
    rows = []
    for kind, items in errata_items(evaluated).items():
        for number, e in enumerate(items, start=1):
            c, page = e.claim, e.claim.article_page
            row = {"kind": kind, "number": number, "claim_id": c.id, "check_verdict": e.result.verdict,
                   "article_page_first": "" if page is None or page.first is None else page.first,
                   "article_page_last": "" if page is None or page.last is None else page.last,
                   "lang": c.lang, "quote": c.quote, "printed": "; ".join(c.reported)}
            for lang in LANGUAGES:
                row.update({f"where_{lang}": e.location(lang), f"statement_{lang}": statement(c, lang),
                            f"correction_{lang}": erratum_text(e, lang),
                            f"question_{lang}": c.query.get(lang, "") if kind == "query" else "",
                            f"minor_{lang}": minor_text(e, lang), f"evidence_{lang}": e.evidence(lang),
                            f"caveat_{lang}": c.ambiguity.get(lang, "")})
            rows.append(row)
    return pd.DataFrame(rows, columns=ERRATA_COLUMNS)


def coverage_counts(tokens: pd.DataFrame) -> dict:
    """How many number tokens of the article belong to a claim, and why the others are not claims."""
    mapped = sum(1 for cell in tokens["claim_ids"] if split_ids(cell))
    reasons = tokens.loc[tokens["exclusion"].str.strip() != "", "exclusion"].value_counts()
    return {"n_tokens": len(tokens), "n_mapped": mapped, "n_excluded": int(reasons.sum()),
            "by_reason": {r: int(reasons.get(r, 0)) for r in EXCLUSION_REASONS if reasons.get(r, 0)}}


def render_summary(evaluated: list[Evaluated], header: dict, tokens: pd.DataFrame, lang: str = "en") -> str:
    """``summary.md``: the claims by section and outcome, the items of the errata, the coverage of
    the article's numbers (the counts come from :func:`analysis.claims.evaluate.outcome_counts`)."""
    counts = outcome_counts(evaluated, section_ids(header))
    total = counts.set_index("section").loc["total"]
    lines = [f"# {t('claims_summary_title', lang)}", "", f"_{t('claims_summary_generated', lang)}_", "",
             t("claims_summary_counts", lang, n_claims=int(total["claims"]), **{o: int(total[o]) for o in OUTCOMES}), ""]
    head = [t("claims_col_section", lang), t("claims_col_claims", lang)] + [t(f"claims_verdict_{o}", lang) for o in OUTCOMES]
    lines += ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for row in counts.itertuples(index=False):
        name = t("claims_total", lang) if row.section == "total" else t(f"claims_section_{row.section}", lang)
        lines.append("| " + " | ".join([name, str(row.claims)] + [str(getattr(row, o)) for o in OUTCOMES]) + " |")
    lines.append("")
    for kind, items in errata_items(evaluated).items():
        lines.append(f"{t(f'claims_errata_{kind}_list', lang)}: {', '.join(e.claim.id for e in items) if items else '—'}")
    cov = coverage_counts(tokens)
    lines += ["", f"## {t('claims_coverage_heading', lang)}", "",
              t("claims_coverage_text", lang, n_tokens=cov["n_tokens"], n_mapped=cov["n_mapped"], n_excluded=cov["n_excluded"]), ""]
    lines += [f"- {t(f'claims_exclusion_{r}', lang)}: {n}" for r, n in cov["by_reason"].items()]
    return "\n".join(lines) + "\n"
