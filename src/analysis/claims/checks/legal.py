"""Checks of the legal framework against ``data/raw/legal_acts.csv``, and the explicit
'not checkable' for statements the published data cannot test."""

from __future__ import annotations

from analysis.claims.checks.base import _ambiguity, _not_checkable, _verdict, check
from analysis.claims.model import Claim, Context, Result

MATCHES = ("exact", "date", "year", "decade", "resolution", "period_end", "contains")


def _legal_matches(value: str, reference: str, match: str) -> bool:
    value, reference = str(value).strip(), str(reference).strip()
    if not reference:
        raise ValueError("the reference table has no value for this field")
    if match in ("exact", "date"):
        return value.casefold() == reference.casefold()
    if match == "year":
        return value == reference[:4]
    if match == "decade":
        return int(value) // 10 == int(reference[:4]) // 10
    if match == "resolution":
        return value.replace(" ", "") == reference.upper().removeprefix("A/RES/").replace(" ", "")
    if match == "period_end":
        return value == reference.split("-")[-1].strip()
    if match == "contains":
        return value.casefold() in reference.casefold()
    raise ValueError(f"unknown match {match!r}; use one of {MATCHES}")


@check("legal_fact")
def legal_fact(claim: Claim, ctx: Context, act: str, field: str, value: str, match: str = "exact") -> Result:
    """A legal-framework fact (adoption date, resolution number, Kazakhstan's ratification or
    accession and its year, programme period or target) against the reference table of acts.
    ``value`` is the registry's reading of the printed text (ISO date, '44/95', 'ratification')."""
    row = ctx.legal_act(act)
    reference = str(row[field])
    ok = _legal_matches(value, reference, match)
    shown = reference.upper().removeprefix("A/RES/") if match == "resolution" else reference
    detail = (f"{row['title_en']}: {field} = {reference} in the reference table "
              f"(source: {row['source']}; confidence: {row['confidence']}); the article: {value} "
              f"(compared by {match}): {'the same' if ok else 'different'}.")
    if str(row.get("notes", "")).strip():
        detail += f" Note: {row['notes']}"
    values = {k: str(v) for k, v in row.items()}
    values.update({"reported": value, "recomputed": shown})
    return Result(_verdict(ok), shown, detail + _ambiguity(claim), "" if ok else f"{value} vs {shown}", values)


@check("not_checkable")
def not_checkable(claim: Claim, ctx: Context, needs: str, reason: str = "") -> Result:
    """A number the article's data cannot confirm or refute: says what data would."""
    return _not_checkable(claim, reason or "The value is not in the data the article publishes.", needs)
