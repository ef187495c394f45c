"""Checks of the legal framework against ``data/raw/legal_acts.csv`` and the sources of its facts
(``data/raw/legal_sources.csv``), and the explicit 'not checkable' for statements the published
data cannot test.

A legal fact is compared with the article only when a public source states it
(:meth:`~analysis.claims.legal_sources.LegalSource.supports`); a claim that rests on an unverified
fact, the compared one or one its erratum would state, is ``not_checkable``, never
``inconsistent``."""

from __future__ import annotations

import string

from analysis.claims.checks.base import _ambiguity, _not_checkable, _verdict, check
from analysis.claims.legal_sources import FACT_FIELDS
from analysis.claims.model import Claim, Context, Result

MATCHES = ("exact", "date", "year", "decade", "resolution", "period_end", "contains")
#: The keys a legal check adds to its values, one column each in ``claims_report.csv``.
SOURCE_KEYS = ("legal_act", "legal_field", "source_status", "source_part", "source_identifier", "source_url",
               "source_quote")


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


def used_facts(claim: Claim, field: str) -> list[str]:
    """The facts a legal claim uses: the compared ``field``, then every fact its erratum templates
    would state (``{kz_signature_date}``), in order of first use."""
    facts = [field]
    for template in claim.errata.values():
        for _, name, _, _ in string.Formatter().parse(str(template)):
            if name in FACT_FIELDS and name not in facts:
                facts.append(name)
    return facts


def _unsupported(claim: Claim, ctx: Context, act: str, field: str, match: str) -> list[str]:
    """The facts the claim uses that no public source backs (the compared one by ``match``, the
    others whole, as an erratum states them)."""
    out = []
    for fact in used_facts(claim, field):
        src = ctx.legal_source(act, fact)
        if src is None or not src.supports(match if fact == field else "exact"):
            out.append(fact)
    return out


def _source_values(ctx: Context, act: str, field: str, match: str) -> dict[str, str]:
    src = ctx.legal_source(act, field)
    backed = src is not None and src.supports(match)
    return {"legal_act": act, "legal_field": field,
            "source_status": src.status if backed else "unverified",
            "source_part": src.verified_part if backed else "none",
            "source_identifier": src.identifier if src else "", "source_url": src.url if src else "",
            "source_quote": src.quote if src else ""}


def _cited(ctx: Context, act: str, facts: list[str]) -> str:
    """'A/RES/44/25 <url>; ...': the distinct sources of ``facts``, for an erratum."""
    cited = []
    for fact in facts:
        src = ctx.legal_source(act, fact)
        if src is not None and src.sourced and src.cited() not in cited:
            cited.append(src.cited())
    return "; ".join(cited)


def _how_sourced(ctx: Context, act: str, field: str) -> str:
    src = ctx.legal_source(act, field)
    text = f"{src.status} against {src.identifier}"
    if src.verified_part == "year":
        text += ", which confirms the year only"
    if src.status == "corrected":
        text += f"; first recorded as {src.replaced_value}"
    return text


@check("legal_fact")
def legal_fact(claim: Claim, ctx: Context, act: str, field: str, value: str, match: str = "exact") -> Result:
    """A legal-framework fact (adoption date, resolution number, Kazakhstan's ratification or
    accession and its year, programme period or target) against the reference table of acts,
    when a public source states it. ``value`` is the registry's reading of the printed text (ISO
    date, '44/95', 'ratification')."""
    row = ctx.legal_act(act)
    reference = str(row[field])
    ok = _legal_matches(value, reference, match)
    shown = reference.upper().removeprefix("A/RES/") if match == "resolution" else reference
    values = {k: str(v) for k, v in row.items()}
    facts = used_facts(claim, field)
    values.update({"reported": value, "recomputed": shown, "legal_sources": _cited(ctx, act, facts)})
    values.update(_source_values(ctx, act, field, match))
    unsupported = _unsupported(claim, ctx, act, field, match)
    if field in unsupported or (unsupported and not ok):
        marks = []
        for fact in unsupported:
            src = ctx.legal_source(act, fact)
            marks.append(f"{fact} (marked unverified in data/raw/legal_sources.csv, line {src.line})" if src and not src.sourced
                         else f"{fact} (its source confirms the year only)" if src
                         else f"{fact} (no source recorded)")
        would = "consistent" if ok else "inconsistent"
        detail = (f"{row['title_en']}: the article's {value} is compared by {match} with {field} = {reference}, but no "
                  f"public source found confirms {', '.join(marks)}. The recorded value would make the claim {would}; "
                  "an unverified fact cannot make it either.")
        needs = (f"a public source stating {' and '.join(unsupported)} of {act} (what was searched is in "
                 "data/raw/legal_sources.csv)")
        return Result("not_checkable", shown, f"{detail} Checkable with: {needs}" + _ambiguity(claim), values=values)
    detail = (f"{row['title_en']}: {field} = {reference} ({_how_sourced(ctx, act, field)}); the article: {value} "
              f"(compared by {match}): {'the same' if ok else 'different'}.")
    return Result(_verdict(ok), shown, detail + _ambiguity(claim), "" if ok else f"{value} vs {shown}", values)


@check("not_checkable")
def not_checkable(claim: Claim, ctx: Context, needs: str, reason: str = "") -> Result:
    """A number the article's data cannot confirm or refute: says what data would."""
    return _not_checkable(claim, reason or "The value is not in the data the article publishes.", needs)
