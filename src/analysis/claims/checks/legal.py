"""Checks of the legal framework against ``data/raw/legal_acts.csv`` and the sources of its facts
(``data/raw/legal_sources.csv``), and the explicit 'not checkable' for statements the published
data cannot test.

A legal fact is compared with the article only when a public source states it
(:meth:`~analysis.claims.legal_sources.LegalSource.supports`: verified by a primary source, or
corroborated by secondary ones only, which the evidence then says); a claim that rests on an
unverified fact, the compared one or one its erratum would state, is ``not_checkable``, never
``inconsistent``."""

from __future__ import annotations

import string

from analysis.claims.checks.base import _not_checkable, _verdict, check, needs_text
from analysis.claims.legal_sources import FACT_FIELDS
from analysis.claims.legal_text import act_title, fact_value
from analysis.claims.model import Claim, Context, Result
from analysis.claims.text import Text, Verbatim

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


def _how_sourced(ctx: Context, act: str, field: str) -> Text:
    """'verified by A/RES/44/25', 'corroborated by secondary sources only (…)', '…, the year only'."""
    src = ctx.legal_source(act, field)
    return Text(f"claims_how_{src.status}_{src.verified_part}",
                {"identifier": src.identifier, "replaced": src.replaced_value})


def _article_value(act: str, field: str, value: str) -> dict[str, str]:
    """The article's reading, written in each language (an action word translated, a number as it is)."""
    return fact_value(act, field, value, article=True)


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
    title = act_title(act, str(row.get("title_en", "")))
    shown_value = Verbatim("«" + "; ".join(claim.reported) + "»") if match == "contains" else _article_value(act, field, value)
    compared = {"title": title, "value": shown_value, "match": Text(f"claims_match_{match}"),
                "field": Text(f"legal_field_{field}"), "reference": fact_value(act, field, reference)}
    if field in unsupported or (unsupported and not ok):
        marks = []
        for fact in unsupported:
            src = ctx.legal_source(act, fact)
            kind = "year_only" if src is not None and src.sourced else "unverified" if src is not None else "no_source"
            marks.append(Text(f"claims_ev_fact_{kind}", {"field": Text(f"legal_field_{fact}"),
                                                        "line": str(src.line) if src is not None else "—"}))
        evidence = [Text("claims_ev_legal_unbacked", {**compared, "facts": marks,
                                                       "would": Text(f"claims_would_{'consistent' if ok else 'inconsistent'}")})]
        needs = Text("claims_ev_legal_needs", {"facts": [Text(f"legal_field_{f}") for f in unsupported], "title": title})
        return Result("not_checkable", shown, (*evidence, needs_text(needs.all())), values=values)
    evidence = (Text("claims_ev_legal", {**compared, "how": _how_sourced(ctx, act, field),
                                          "same": Text("claims_ev_legal_same" if ok else "claims_ev_legal_different")}),)
    return Result(_verdict(ok), shown, evidence, "" if ok else f"{value} vs {shown}", values)


@check("not_checkable")
def not_checkable(claim: Claim, ctx: Context, needs, reason=None) -> Result:
    """A number the article's data cannot confirm or refute: says what data would."""
    first = Text("claims_ev_reason", {"reason": reason}) if reason else Text("claims_ev_not_in_published_data")
    return _not_checkable(claim, [first], needs)
