"""Running every check of the claims registry: one :class:`Evaluated` per claim.

- :func:`evaluate`: claim and result, in registry order;
- :func:`report_frame`: the table ``claims_report.csv`` (``claim_id, location, quote, reported,
  recomputed, verdict, detail``, then for a legal claim the act, the fact and its source: status,
  part verified, the document's identifier, URL and quote; empty for the other claims);
- :func:`legal_uses`: which claims use which legal fact;
- :func:`verdict_counts`: claims and verdicts by section, with a total row.

The pages and texts written from them are in :mod:`analysis.report.claims` and
:mod:`analysis.report.errata`.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from analysis.claims.checks import CHECKS
from analysis.claims.checks.legal import SOURCE_KEYS, used_facts
from analysis.claims.model import VERDICTS, Claim, Context, Result
from analysis.i18n import t

REPORT_COLUMNS = ["claim_id", "location", "quote", "reported", "recomputed", "verdict", "detail", *SOURCE_KEYS]


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
             "verdict": e.result.verdict, "detail": e.result.detail,
             **{k: e.result.values.get(k, "") for k in SOURCE_KEYS}} for e in evaluated]
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
