"""Checks that compare: the text against a table, rankings and extremes, restatements of a number
elsewhere in the article, verbal quantifiers ("most", "small") against the numbers, two texts."""

from __future__ import annotations

from decimal import Decimal

from analysis.claims.checks.base import HUNDRED, _not_checkable, _sources, _verdict, check
from analysis.claims.model import Claim, Context, Quantity, Result, as_text, signed
from analysis.claims.text import Text, Verbatim
from analysis.i18n import LANGUAGES
from analysis.precision import consistent_at_precision, parse_printed, share_pct


def rank_table(values: dict[str, Decimal], direction: str) -> list[tuple[str, Decimal, int]]:
    """(key, value, rank) sorted from the most extreme; ties share the better rank."""
    if direction not in ("largest", "smallest"):
        raise ValueError("direction must be 'largest' or 'smallest'")
    ordered = sorted(values.items(), key=lambda kv: (-kv[1] if direction == "largest" else kv[1], kv[0]))
    out, rank = [], 0
    for i, (key, value) in enumerate(ordered):
        if i == 0 or value != ordered[i - 1][1]:
            rank = i + 1
        out.append((key, value, rank))
    return out


@check("text_vs_table")
def text_vs_table(claim: Claim, ctx: Context, table_value: dict, text: dict | None = None) -> Result:
    """A number in the text against the same number in a table, at the text's precision."""
    said, cell = ctx.resolve(text or {"reported": 0}, claim), ctx.resolve(table_value, claim)
    ok = consistent_at_precision(cell.value, said.printed.replace(" ", "").rstrip("%"), said.decimals)
    difference = "" if ok else signed(said.value - cell.value)
    key = "claims_ev_text_table_agree" if ok else "claims_ev_text_table_differ"
    evidence = (Text(key, {"text": said.printed, "source": cell.source, "cell": cell.printed, "difference": difference}),)
    return Result(_verdict(ok), cell.printed, evidence, difference,
                  {"reported": said.printed, "recomputed": cell.printed, "difference": difference})


@check("extremes")
def extremes(claim: Claim, ctx: Context, table: str, column: str, direction: str, regions: list,
             ordered: bool = False, among: int | None = None) -> Result:
    """Regions named as the largest (or smallest) against the full table: no region left out may
    be more extreme than a named one (ties allowed); ``ordered``: named in ranking order.
    ``among``: a weaker reading, for a word that is not a superlative ("small"): every named region
    is among the ``among`` most extreme."""
    frame = ctx.table(table)
    values = {r: parse_printed(v) for r, v in zip(frame["region_iso"], frame[column].astype(str), strict=True)}
    unknown = [r for r in regions if r not in values]
    if unknown:
        raise KeyError(f"claim {claim.id}: regions {unknown} are not in {table}")
    ranking = rank_table(values, direction)
    rank = {key: r for key, _, r in ranking}
    named = [values[r] for r in regions]
    if direction == "largest":
        missed = [key for key, v in values.items() if key not in regions and v > min(named)]
    else:
        missed = [key for key, v in values.items() if key not in regions and v < max(named)]
    ok = not missed if among is None else all(rank[r] <= among for r in regions)
    order_ok = True
    if ordered:
        pairs = list(zip(named, named[1:], strict=False))
        order_ok = all(a >= b for a, b in pairs) if direction == "largest" else all(a <= b for a, b in pairs)
    k = len(regions)
    expected = [key for key, _, _ in ranking[:k]]

    def listing(keys, lang):
        return ", ".join(f"{ctx.region_name(key, lang)} ({as_text(values[key])})" for key in keys)

    def ranked(keys):
        return {lang: "; ".join(f"{rank[key]}. {ctx.region_name(key, lang)} {as_text(values[key])}" for key in keys)
                for lang in LANGUAGES}

    shown = [key for key, _, _ in ranking[: max(k, among or 0) + 2]]
    evidence = [Text(f"claims_ev_ranking_{direction}", {"column": Text(f"claims_column_{column}"), "ranking": ranked(shown),
                                                         "named": {lang: ", ".join(f"{ctx.region_name(r, lang)} ({rank[r]})"
                                                                                   for r in regions) for lang in LANGUAGES}})]
    missed_sorted = sorted(missed, key=lambda key: rank[key])
    if among is not None:
        evidence.append(Text("claims_ev_all_among" if ok else "claims_ev_not_all_among", {"among": among}))
    elif missed:
        evidence.append(Text("claims_ev_more_extreme_not_named", {"missed": {lang: listing(missed_sorted, lang)
                                                                             for lang in LANGUAGES}}))
    if ordered:
        evidence.append(Text("claims_ev_in_order" if order_ok else "claims_ev_not_in_order"))
    if direction == "largest":
        outranked = [r for r in regions if missed and values[r] < max(values[m] for m in missed)]
    else:
        outranked = [r for r in regions if missed and values[r] > min(values[m] for m in missed)]
    lists = {"expected": expected, "named": regions, "missed": missed_sorted, "outranked": outranked}
    values_out = {**{f"{name}_{lang}": listing(keys, lang) for name, keys in lists.items() for lang in LANGUAGES},
                  "reported": ", ".join(ctx.region_name(r) for r in regions),
                  "recomputed": ", ".join(ctx.region_name(r) for r in expected)}
    return Result(_verdict(ok and order_ok), values_out["recomputed"], tuple(evidence), values=values_out)


RELATIONS = ("same", "more_than", "less_than", "approximately", "near_below")


def _relation_holds(value: Decimal, relation: str, bound: Quantity, tolerance: Decimal | None) -> bool:
    if relation == "same":
        return consistent_at_precision(value, bound.printed.replace(" ", "").rstrip("%"), bound.decimals)
    if relation == "more_than":
        return value > bound.value
    if relation == "less_than":
        return value < bound.value
    if tolerance is None:
        raise ValueError(f"relation {relation!r} needs a tolerance")
    if relation == "approximately":
        return abs(value - bound.value) <= tolerance
    if relation == "near_below":
        return bound.value - tolerance <= value < bound.value
    raise ValueError(f"unknown relation {relation!r}; use one of {RELATIONS}")


def _relation_text(relation: str, bound: Quantity, tolerance: Decimal | None) -> Text:
    if relation not in RELATIONS:
        raise ValueError(f"unknown relation {relation!r}; use one of {RELATIONS}")
    return Text(f"claims_rel_{relation}", {"bound": bound.printed, "tolerance": as_text(tolerance or 0)})


def _holds(ok: bool) -> Text:
    return Text("claims_ev_holds" if ok else "claims_ev_does_not_hold")


@check("restatement")
def restatement(claim: Claim, ctx: Context, original: dict, relation: str = "same",
                restated: dict | None = None, tolerance: str | None = None) -> Result:
    """A restated number (conclusion, abstract) against the original statement:
    ``same`` (at the restated precision), ``more_than`` ("more than 80%": the original exceeds
    the restated bound), ``less_than``, ``approximately`` (within ``tolerance``)."""
    orig, again = ctx.resolve(original, claim), ctx.resolve(restated or {"reported": 0}, claim)
    tol = Decimal(str(tolerance)) if tolerance is not None else None
    ok = _relation_holds(orig.value, relation, again, tol)
    evidence = (Text("claims_ev_restates", {"original": orig.printed, "source": orig.source or Text("claims_src_this"),
                                             "relation": _relation_text(relation, again, tol), "holds": _holds(ok)}),)
    difference = "" if ok else signed(again.value - orig.value)
    return Result(_verdict(ok), orig.printed, evidence, difference,
                  {"reported": again.printed, "recomputed": orig.printed, "difference": difference})


@check("quantifier")
def quantifier(claim: Claim, ctx: Context, value: dict, relation: str, bound: dict,
               denominator: dict | None = None, complement: bool = False, tolerance: str | None = None) -> Result:
    """A verbal quantity ("more than half", "the majority", "close to half") against the number
    it describes: ``value`` (or ``100 * value / denominator``; ``complement``: 100 minus it)
    compared with ``bound`` by ``relation``."""
    v = ctx.resolve(value, claim)
    number, how = v.value, v.printed
    if denominator is not None:
        den = ctx.resolve(denominator, claim)
        number = share_pct(int(v.value), int(den.value))
        how = f"{v.printed} / {den.printed} = {as_text(number, 2)}%"
    if complement:
        number = HUNDRED - number
        how = f"100 − {how} = {as_text(number)}"
    b = ctx.resolve(bound, claim)
    tol = Decimal(str(tolerance)) if tolerance is not None else None
    ok = _relation_holds(number, relation, b, tol)
    shown = as_text(number, 1) if denominator is not None else as_text(number)
    evidence = (Text("claims_ev_words_say", {"how": how, "relation": _relation_text(relation, b, tol), "holds": _holds(ok)}),)
    values = {"reported": b.printed, "recomputed": shown, "value": shown, "numerator": v.printed,
              "denominator": ctx.resolve(denominator, claim).printed if denominator is not None else ""}
    return Result(_verdict(ok), shown + ("%" if denominator is not None else ""), evidence,
                  "" if ok else signed(number - b.value, 1), values)


@check("text_vs_text")
def text_vs_text(claim: Claim, ctx: Context, first: dict, second: dict, scope_note=None) -> Result:
    """Two numbers the text gives for what reads as one quantity. If they differ and
    ``scope_note`` says they may measure different things, the verdict is not_checkable."""
    a, b = ctx.resolve(first, claim), ctx.resolve(second, claim)
    if a.value == b.value:
        return Result("consistent", b.printed, (Text("claims_ev_both", {"value": a.printed}),))
    diff = signed(a.value - b.value)
    evidence = [Text("claims_ev_two_numbers", {"first": a.printed, "second": b.printed, "difference": diff}),
                *_sources(("first", a), ("second", b))]
    if scope_note:
        return _not_checkable(claim, evidence, scope_note, b.printed)
    return Result("inconsistent", b.printed, tuple(evidence), diff,
                  {"reported": a.printed, "recomputed": b.printed, "difference": diff})


@check("printed_correction")
def printed_correction(claim: Claim, ctx: Context, correction: str) -> Result:
    """A printing error that a recorded correction fixes in the data (``data/raw/corrections.yml``,
    applied by code and logged in ``corrections_log.csv``): the printed cell differs from what the
    table must hold, so the claim is inconsistent; the registry says whether it is an error or a
    minor point. Refused if the correction is not applied."""
    log = ctx.corrections
    rows = log[log["correction_id"] == correction] if log is not None else None
    if rows is None or len(rows) != 1:
        raise KeyError(f"claim {claim.id}: correction {correction} is not (once) in the corrections log")
    row = rows.iloc[0]
    name = "teacher_shortage" if str(row["resource"]).startswith("table2") else "preschool_inclusion"
    evidence = (Text("claims_ev_correction", {"table": Text(f"claims_table_{name}"), "row": str(row["row_label"]),
                                              "column": Text(f"claims_column_{row['column']}"), "old": Verbatim(row["old_value"]),
                                              "new": Verbatim(row["new_value"]), "id": correction}),)
    return Result("inconsistent", str(row["new_value"]), evidence, f"{row['old_value']} → {row['new_value']}",
                  {"reported": str(row["old_value"]), "recomputed": str(row["new_value"]), "correction": correction})
