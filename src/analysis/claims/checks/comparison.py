"""Checks that compare: the text against a table, rankings and extremes, restatements of a number
elsewhere in the article, verbal quantifiers ("most", "small") against the numbers, two texts."""

from __future__ import annotations

from decimal import Decimal

from analysis.claims.checks.base import HUNDRED, _ambiguity, _not_checkable, _sources, _verdict, check
from analysis.claims.model import Claim, Context, Quantity, Result, as_text, signed
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
    detail = f"text {said.printed}; {cell.label}: {cell.printed}"
    detail += "." if ok else f"; difference (text - table): {difference}."
    return Result(_verdict(ok), cell.printed, detail + _ambiguity(claim), difference,
                  {"reported": said.printed, "recomputed": cell.printed, "difference": difference})


@check("extremes")
def extremes(claim: Claim, ctx: Context, table: str, column: str, direction: str, regions: list,
             ordered: bool = False) -> Result:
    """Regions named as the largest (or smallest) against the full table: no region left out may
    be more extreme than a named one (ties allowed); ``ordered``: named in ranking order."""
    frame = ctx.table(table)
    values = {r: parse_printed(v) for r, v in zip(frame["region_iso"], frame[column].astype(str), strict=True)}
    unknown = [r for r in regions if r not in values]
    if unknown:
        raise KeyError(f"claim {claim.id}: regions {unknown} are not in {table}")
    ranking = rank_table(values, direction)
    rank = {key: r for key, _, r in ranking}
    named = [values[r] for r in regions]
    others = [v for key, v in values.items() if key not in regions]
    if direction == "largest":
        ok = not others or min(named) >= max(others)
        missed = [key for key, v in values.items() if key not in regions and v > min(named)]
    else:
        ok = not others or max(named) <= min(others)
        missed = [key for key, v in values.items() if key not in regions and v < max(named)]
    order_ok = True
    if ordered:
        pairs = list(zip(named, named[1:], strict=False))
        order_ok = all(a >= b for a, b in pairs) if direction == "largest" else all(a <= b for a, b in pairs)
    k = len(regions)
    expected = [key for key, _, _ in ranking[:k]]

    def listing(keys, lang):
        return ", ".join(f"{ctx.region_name(key, lang)} ({as_text(values[key])})" for key in keys)

    top = "; ".join(f"{r}. {ctx.region_name(key)} {as_text(v)}" for key, v, r in ranking[: k + 2])
    detail = (f"{direction} first, {column}: {top}. Named: "
              + ", ".join(f"{ctx.region_name(r)} (rank {rank[r]})" for r in regions) + ".")
    if missed:
        detail += " More extreme but not named: " + listing(missed, "en") + "."
    if ordered:
        detail += " Named in ranking order." if order_ok else " Not named in ranking order."
    missed_sorted = sorted(missed, key=lambda key: rank[key])
    # named regions that a region left out is more extreme than
    if direction == "largest":
        outranked = [r for r in regions if missed and values[r] < max(values[m] for m in missed)]
    else:
        outranked = [r for r in regions if missed and values[r] > min(values[m] for m in missed)]
    lists = {"expected": expected, "named": regions, "missed": missed_sorted, "outranked": outranked}
    values_out = {**{f"{name}_{lang}": listing(keys, lang) for name, keys in lists.items() for lang in LANGUAGES},
                  "reported": ", ".join(ctx.region_name(r) for r in regions),
                  "recomputed": ", ".join(ctx.region_name(r) for r in expected)}
    return Result(_verdict(ok and order_ok), values_out["recomputed"], detail + _ambiguity(claim), values=values_out)


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


def _relation_text(relation: str, bound: Quantity, tolerance: Decimal | None) -> str:
    return {"same": f"the same as {bound.printed} at its printed precision",
            "more_than": f"more than {bound.printed}", "less_than": f"less than {bound.printed}",
            "approximately": f"within {as_text(tolerance or 0)} of {bound.printed}",
            "near_below": f"below {bound.printed} by at most {as_text(tolerance or 0)}"}[relation]


@check("restatement")
def restatement(claim: Claim, ctx: Context, original: dict, relation: str = "same",
                restated: dict | None = None, tolerance: str | None = None) -> Result:
    """A restated number (conclusion, abstract) against the original statement:
    ``same`` (at the restated precision), ``more_than`` ("more than 80%": the original exceeds
    the restated bound), ``less_than``, ``approximately`` (within ``tolerance``)."""
    orig, again = ctx.resolve(original, claim), ctx.resolve(restated or {"reported": 0}, claim)
    tol = Decimal(str(tolerance)) if tolerance is not None else None
    ok = _relation_holds(orig.value, relation, again, tol)
    detail = (f"restates {orig.printed} ({orig.label or 'this claim'}); the restatement says {_relation_text(relation, again, tol)}: "
              f"{'holds' if ok else 'does not hold'}.")
    difference = "" if ok else signed(again.value - orig.value)
    return Result(_verdict(ok), orig.printed, detail + _ambiguity(claim), difference,
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
        how = f"100 - {how} = {as_text(number)}"
    b = ctx.resolve(bound, claim)
    tol = Decimal(str(tolerance)) if tolerance is not None else None
    ok = _relation_holds(number, relation, b, tol)
    shown = as_text(number, 1) if denominator is not None else as_text(number)
    detail = f"{how}; the words say {_relation_text(relation, b, tol)}: {'holds' if ok else 'does not hold'}."
    values = {"reported": b.printed, "recomputed": shown, "value": shown, "numerator": v.printed,
              "denominator": ctx.resolve(denominator, claim).printed if denominator is not None else ""}
    return Result(_verdict(ok), shown + ("%" if denominator is not None else ""), detail + _ambiguity(claim),
                  "" if ok else signed(number - b.value, 1), values)


@check("text_vs_text")
def text_vs_text(claim: Claim, ctx: Context, first: dict, second: dict, scope_note: str | None = None) -> Result:
    """Two numbers the text gives for what reads as one quantity. If they differ and
    ``scope_note`` says they may measure different things, the verdict is not_checkable."""
    a, b = ctx.resolve(first, claim), ctx.resolve(second, claim)
    if a.value == b.value:
        return Result("consistent", b.printed, f"both {a.printed}." + _ambiguity(claim))
    diff = signed(a.value - b.value)
    detail = f"{a.printed} and {b.printed}: difference {diff}." + _sources(("first", a), ("second", b))
    if scope_note:
        return _not_checkable(claim, detail, scope_note, b.printed)
    return Result("inconsistent", b.printed, detail + _ambiguity(claim), diff,
                  {"reported": a.printed, "recomputed": b.printed, "difference": diff})

