"""Running every check of the claims registry, and what each claim comes to.

- :func:`evaluate`: one :class:`Evaluated` per claim (claim, check result, outcome), in registry order;
- :func:`location`: where a claim stands in the article, in a language (section, paragraph or
  table row, the article's own page, the cited source and its page);
- :func:`report_frame`: the table ``claims_report.csv``: one row per claim, every text a reader
  sees in Kazakh, Russian and English, the check's verdict and the outcome, then for a legal claim
  the act, the fact and its source;
- :func:`outcome_counts`: claims by section and outcome, with a total row (``outcome_counts.csv``:
  the counts every page and the README quote);
- :func:`legal_uses`: which claims use which legal fact.

The pages and texts written from them are in :mod:`analysis.report`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd

from analysis.claims.checks import CHECKS
from analysis.claims.checks.legal import SOURCE_KEYS, used_facts
from analysis.claims.model import OUTCOMES, VERDICTS, Claim, Context, Result, outcome
from analysis.i18n import LANGUAGES, t

#: The columns of ``claims_report.csv`` before the legal ones.
BASE_COLUMNS = ["claim_id", "section", "paragraph", "article_page_first", "article_page_last", "lang", "quote",
                "reported", "recomputed", "check_verdict", "verdict",
                *[f"{field}_{lang}" for field in ("location", "statement", "recomputed", "evidence", "caveat")
                  for lang in LANGUAGES]]
REPORT_COLUMNS = [*BASE_COLUMNS, *SOURCE_KEYS]
#: A table claim's paragraph label: 'Table 2, row Алматы, column shortage_total, correction C001'.
TABLE_LABEL = re.compile(r"^Table (?P<n>\d), row (?P<row>.+?)(?P<second> #2)?(?:, column (?P<column>\w+))?"
                         r"(?:, correction (?P<correction>C\d+))?$")
CAPTION_LABEL = re.compile(r"^(?P<kind>Table|Figure) (?P<n>\d) caption$")


@dataclass(frozen=True)
class Evaluated:
    """A claim, what its check found, and what it comes to (:data:`~analysis.claims.model.OUTCOMES`)."""

    claim: Claim
    result: Result

    @property
    def outcome(self) -> str:
        """error, query, minor, consistent or not_checkable (see :func:`analysis.claims.model.outcome`)."""
        return outcome(self.claim, self.result)

    def location(self, lang: str = "en") -> str:
        """Where the claim stands in the article, in ``lang``."""
        return location(self.claim, lang)

    def evidence(self, lang: str) -> str:
        """The check's evidence written in ``lang``."""
        return self.result.evidence_in(lang)


def paragraph_label(claim: Claim, lang: str) -> str:
    """'paragraph 18', 'Table 2, row «Алматы», column: total', 'Figure 1, caption' in ``lang``."""
    paragraph = claim.paragraph
    if isinstance(paragraph, int):
        return t("claims_paragraph", lang, n=paragraph)
    caption = CAPTION_LABEL.match(paragraph)
    if caption:
        return t(f"claims_label_{caption['kind'].lower()}_caption", lang, n=caption["n"])
    row = TABLE_LABEL.match(paragraph)
    if not row:
        raise ValueError(f"claim {claim.id}: paragraph label {paragraph!r} is neither a number, 'Table N caption' "
                         "nor 'Table N, row LABEL[, column COLUMN][, correction CNNN]'")
    parts = [t("claims_label_row_second" if row["second"] else "claims_label_row", lang, n=row["n"], row=row["row"])]
    if row["column"]:
        parts.append(t("claims_label_column", lang, column=t(f"claims_column_{row['column']}", lang)))
    if row["correction"]:
        parts.append(t("claims_label_correction", lang, id=row["correction"]))
    return ", ".join(parts)


def location(claim: Claim, lang: str = "en") -> str:
    """'Results and discussion, paragraph 18, p. 71 or later; cites [14], p. 278' in ``lang``:
    the section, the paragraph (or table row), the article's own page and, where the sentence
    cites a source, that source and its page."""
    parts = [paragraph_label(claim, lang)]
    if claim.section not in ("table1", "table2"):  # a table's label names it
        parts.insert(0, t(f"claims_section_{claim.section}", lang))
    if claim.article_page is not None:
        page = claim.article_page
        parts.append(t(page.key(), lang, first=page.first or "", last=page.last or ""))
    text = ", ".join(parts)
    if claim.cited and claim.page is not None:
        text += "; " + t("claims_cites_page", lang, cited=claim.cited, page=claim.page)
    elif claim.cited:
        text += "; " + t("claims_cites", lang, cited=claim.cited)
    return text


def run_check(claim: Claim, ctx: Context) -> Result:
    """The claim's named check run on the context."""
    return CHECKS[claim.check](claim, ctx, **claim.args)


def evaluate(claims: dict[str, Claim], ctx: Context) -> list[Evaluated]:
    """Every claim's check, in registry order."""
    return [Evaluated(claim, run_check(claim, ctx)) for claim in claims.values()]


def statement(claim: Claim, lang: str) -> str:
    """What the claim says in ``lang``: its statement, or the quote itself where it is in that
    language; a table cell has no statement (its row is shown)."""
    if lang in claim.statement:
        return claim.statement[lang]
    return claim.quote if claim.lang == lang and claim.section not in ("table1", "table2") else ""


def recomputed(e: Evaluated, lang: str) -> str:
    """What the check recomputed, written in ``lang``: region names and legal facts in that
    language, numbers with its decimal separator."""
    from analysis.claims.legal_text import fact_value
    from analysis.claims.text import localise

    values = e.result.values
    if f"expected_{lang}" in values:
        return re.sub(r" \([^)]*\)", "", values[f"expected_{lang}"])
    if values.get("legal_act") and e.result.recomputed:
        act, field = values["legal_act"], values["legal_field"]
        if e.result.recomputed == str(values.get(field, "")):
            return fact_value(act, field, e.result.recomputed)[lang]
        return e.result.recomputed
    return localise(e.result.recomputed, lang)


def report_frame(evaluated: list[Evaluated]) -> pd.DataFrame:
    """``claims_report.csv``: every claim with its check verdict, its outcome, and every text in
    every language (see :data:`REPORT_COLUMNS`)."""
    rows = []
    for e in evaluated:
        c, r = e.claim, e.result
        page = c.article_page
        row = {"claim_id": c.id, "section": c.section, "paragraph": str(c.paragraph),
               "article_page_first": "" if page is None or page.first is None else page.first,
               "article_page_last": "" if page is None or page.last is None else page.last,
               "lang": c.lang, "quote": c.quote, "reported": "; ".join(c.reported), "recomputed": r.recomputed,
               "check_verdict": r.verdict, "verdict": e.outcome}
        for lang in LANGUAGES:
            row.update({f"location_{lang}": e.location(lang), f"statement_{lang}": statement(c, lang),
                        f"recomputed_{lang}": recomputed(e, lang),
                        f"evidence_{lang}": e.evidence(lang), f"caveat_{lang}": c.ambiguity.get(lang, "")})
        row.update({k: r.values.get(k, "") for k in SOURCE_KEYS})
        rows.append(row)
    return pd.DataFrame(rows, columns=REPORT_COLUMNS)


def legal_uses(claims: dict[str, Claim]) -> dict[tuple[str, str], list[str]]:
    """(act_id, field) -> the ids of the claims that use that legal fact (compared, or stated by
    their erratum), in registry order."""
    uses: dict[tuple[str, str], list[str]] = {}
    for claim in claims.values():
        if claim.check == "legal_fact":
            for fact in used_facts(claim, claim.args["field"]):
                uses.setdefault((claim.args["act"], fact), []).append(claim.id)
    return uses


def outcome_counts(evaluated: list[Evaluated], sections: list[str]) -> pd.DataFrame:
    """Claims per section and outcome (in ``sections`` order; empty sections left out), plus a
    total row: ``section, claims, error, query, minor, consistent, not_checkable``."""
    frame = pd.DataFrame({"section": [e.claim.section for e in evaluated], "outcome": [e.outcome for e in evaluated]})
    table = pd.crosstab(frame["section"], frame["outcome"]).reindex(columns=list(OUTCOMES), fill_value=0)
    table = table.reindex([s for s in sections if s in table.index])
    table.insert(0, "claims", table.sum(axis=1))
    table.loc["total"] = table.sum(axis=0)
    return table.rename_axis("section").reset_index().rename_axis(None, axis=1)


def verdict_counts(evaluated: list[Evaluated], sections: list[str]) -> pd.DataFrame:
    """What the checks found (before triage), per section, plus a total row."""
    frame = pd.DataFrame({"section": [e.claim.section for e in evaluated], "verdict": [e.result.verdict for e in evaluated]})
    table = pd.crosstab(frame["section"], frame["verdict"]).reindex(columns=list(VERDICTS), fill_value=0)
    table = table.reindex([s for s in sections if s in table.index])
    table.insert(0, "claims", table.sum(axis=1))
    table.loc["total"] = table.sum(axis=0)
    return table.rename_axis("section").reset_index().rename_axis(None, axis=1)


def section_ids(header: dict) -> list[str]:
    """The registry's sections in reading order."""
    return [s["id"] for s in header["sections"]]
