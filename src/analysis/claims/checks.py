"""The named checks. The registry (``data/raw/claims.yml``) names one per claim with its
arguments; :data:`CHECKS` maps each name to its function. Every function takes the claim, the
:class:`~analysis.claims.model.Context` and the registry arguments, and returns a
:class:`~analysis.claims.model.Result`: ``consistent``, ``inconsistent`` (with the reported and
recomputed values and their difference) or ``not_checkable`` (saying what data would make it
checkable). Arithmetic is exact (:mod:`decimal`); a printed rounded number is compared at its
printed precision with :func:`analysis.precision.consistent_at_precision`, which accepts both
rounding directions at an exact half.

The pure helpers (:func:`grim_counts`, :func:`complementary_counts`, :func:`grim_discriminates`,
:func:`rank_table`) are tested on their own.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_UP, Decimal

from analysis.claims.model import Claim, Context, Quantity, Result, fmt, parse_printed, signed
from analysis.precision import consistent_at_precision, decimals_of, share_pct

CHECKS: dict[str, Callable[..., Result]] = {}
HUNDRED = Decimal(100)


def check(name: str):
    """Register a check function under ``name`` (the name the registry uses)."""

    def register(function):
        if name in CHECKS:
            raise ValueError(f"check {name!r} registered twice")
        CHECKS[name] = function
        function.check_name = name
        return function

    return register


def _half(decimals: int) -> Decimal:
    return Decimal(5) * Decimal(10) ** -(decimals + 1)


def _round_half_up(value: Decimal, decimals: int) -> Decimal:
    return value.quantize(Decimal(10) ** -decimals if decimals else Decimal(1), rounding=ROUND_HALF_UP)


def _ambiguity(claim: Claim) -> str:
    return f" Ambiguity: {claim.ambiguity}" if claim.ambiguity else ""


def _not_checkable(claim: Claim, detail: str, needs: str, recomputed: str = "", **values) -> Result:
    text = f"{detail} Checkable with: {needs}".strip()
    return Result("not_checkable", recomputed, text + _ambiguity(claim), values=values)


def _sources(*named: tuple[str, Quantity]) -> str:
    """' (numerator as printed in R14b; ...)' for the values that do not come from the claim itself."""
    parts = [f"{name} {q.label}" for name, q in named if q.label]
    return f" ({'; '.join(parts)})" if parts else ""


def _verdict(ok: bool) -> str:
    return "consistent" if ok else "inconsistent"


# -- pure helpers ---------------------------------------------------------------------------------
def grim_counts(n: int, printed: str) -> list[int]:
    """Every integer count ``k`` (0..n) whose share ``100 k / n`` prints as ``printed`` at the
    printed precision (both directions accepted at an exact half). Exact, with Decimal."""
    n = int(n)
    if n <= 0:
        raise ValueError("n must be positive")
    p = parse_printed(printed)
    decimals = decimals_of(str(printed).rstrip("%").strip())
    half = _half(decimals)
    lo = ((p - half) * n / HUNDRED).to_integral_value(rounding=ROUND_CEILING)
    hi = ((p + half) * n / HUNDRED).to_integral_value(rounding=ROUND_FLOOR)
    candidates = range(max(0, int(lo) - 1), min(n, int(hi) + 1) + 1)
    return [k for k in candidates if consistent_at_precision(share_pct(k, n), str(printed).rstrip("%"), decimals)]


def grim_discriminates(n: int, decimals: int) -> bool:
    """False when every percentage printed with ``decimals`` decimals is the share of some
    count of ``n`` (the step 100/n is no wider than the printed interval, 10**-decimals):
    for one decimal, every n >= 1000."""
    return HUNDRED / Decimal(int(n)) > Decimal(10) ** -decimals


def complementary_counts(n: int, first: str, second: str) -> list[tuple[int, int]]:
    """Pairs (k, n - k) for which ``first`` is the printed share of k and ``second`` that of n - k."""
    second_counts = set(grim_counts(n, second))
    return [(k, int(n) - k) for k in grim_counts(n, first) if int(n) - k in second_counts]


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


# -- checks -----------------------------------------------------------------------------------
@check("share_of_counts")
def share_of_counts(claim: Claim, ctx: Context, numerator: dict, denominator: dict,
                    share: dict | None = None, complement: bool = False) -> Result:
    """A printed share against ``100 * numerator / denominator`` at the printed precision
    (``complement``: the share of ``denominator - numerator``)."""
    num, den = ctx.resolve(numerator, claim), ctx.resolve(denominator, claim)
    pct = ctx.resolve(share or {"reported": 0}, claim)
    count = den.value - num.value if complement else num.value
    exact = share_pct(int(count), int(den.value))
    ok = consistent_at_precision(exact, pct.printed.rstrip("%"), pct.decimals)
    what = f"({den.printed} - {num.printed})" if complement else num.printed
    detail = (f"{what} / {den.printed} = {fmt(exact, pct.decimals + 3)}%; printed {pct.printed}% "
              f"({pct.decimals} decimal{'s' if pct.decimals != 1 else ''}): "
              f"{'the same at the printed precision' if ok else 'not the same at the printed precision'}."
              + _sources(("numerator", num), ("denominator", den)))
    difference = "" if ok else signed(pct.value - _round_half_up(exact, pct.decimals), pct.decimals)
    if not ok:
        detail += f" Difference (printed - recomputed): {difference} points."
    return Result(_verdict(ok), f"{fmt(exact, pct.decimals + 2)}%", detail + _ambiguity(claim), difference,
                  {"reported": pct.printed, "recomputed": fmt(exact, pct.decimals + 2), "difference": difference})


@check("total_vs_parts")
def total_vs_parts(claim: Claim, ctx: Context, parts: list, total: dict | None = None) -> Result:
    """A printed total against the exact sum of its printed parts."""
    tot = ctx.resolve(total or {"reported": 0}, claim)
    items = [ctx.resolve(p, claim) for p in parts]
    s = sum((q.value for q in items), Decimal(0))
    ok = consistent_at_precision(s, tot.printed.replace(" ", ""), tot.decimals)
    sum_text = " + ".join(q.printed for q in items)
    difference = "" if ok else signed(tot.value - s)
    detail = f"{sum_text} = {fmt(s)}; printed total {tot.printed}"
    detail += "." if ok else f"; difference (printed - sum): {difference}."
    return Result(_verdict(ok), fmt(s), detail + _ambiguity(claim), difference,
                  {"reported": tot.printed, "recomputed": fmt(s), "difference": difference, "parts": sum_text})


@check("recompute_total")
def recompute_total(claim: Claim, ctx: Context, table: str, column: str, total: dict | None = None) -> Result:
    """A printed national total against the sum of the 20 regions in the processed table."""
    tot = ctx.resolve(total or {"reported": 0}, claim)
    frame = ctx.table(table)
    s = sum((parse_printed(v) for v in frame[column].astype(str)), Decimal(0))
    ok = consistent_at_precision(s, tot.printed.replace(" ", ""), tot.decimals)
    difference = "" if ok else signed(tot.value - s)
    detail = f"sum of the {len(frame)} regions ({table}, {column}) = {fmt(s)}; printed {tot.printed}"
    detail += "." if ok else f"; difference (printed - recomputed): {difference}."
    return Result(_verdict(ok), fmt(s), detail + _ambiguity(claim), difference,
                  {"reported": tot.printed, "recomputed": fmt(s), "difference": difference})


@check("complementary_percentages")
def complementary_percentages(claim: Claim, ctx: Context, n: dict, shares: list) -> Result:
    """GRIM for two complementary shares of one n: is there an integer k with the first share
    printed for k and the second for n - k?"""
    total = ctx.resolve(n, claim)
    first, second = (ctx.resolve(s, claim) for s in shares)
    size = int(total.value)
    pairs = complementary_counts(size, first.printed, second.printed)
    c1, c2 = grim_counts(size, first.printed), grim_counts(size, second.printed)
    printed_sum = first.value + second.value
    span = lambda ks: (f"{{{', '.join(map(str, ks))}}}" if ks else "none")  # noqa: E731
    detail = (f"n = {total.printed}; {first.printed}% is printed for k in {span(c1)}, "
              f"{second.printed}% for k in {span(c2)}; printed shares add up to {fmt(printed_sum)}%.")
    values = {"reported": f"{first.printed}; {second.printed}", "n": total.printed, "first": first.printed,
              "second": second.printed, "sum": fmt(printed_sum)}
    if pairs:
        k, rest = pairs[0]
        detail += f" A split exists: {k} + {rest} = {size}."
        return Result("consistent", f"{k} + {rest}", detail + _ambiguity(claim), values=values)
    if c1 and c2 and min(c1) + min(c2) > size:
        detail += (f" No split of {size} gives both; even the smallest counts ({min(c1)} + {min(c2)} = "
                   f"{min(c1) + min(c2)}) exceed n, so the shares cannot both be right even if some were in neither group.")
    else:
        detail += f" No split of {size} gives both."
    values["recomputed"] = "no integer count"
    return Result("inconsistent", "no integer count", detail + _ambiguity(claim),
                  signed(printed_sum - HUNDRED) + " points over 100%", values)


@check("grim_percentage")
def grim_percentage(claim: Claim, ctx: Context, n: dict, needs: str, share: dict | None = None) -> Result:
    """GRIM for one printed share of n: is there an integer count for which it is right?
    Not checkable when n is so large that every printed value is possible."""
    total, pct = ctx.resolve(n, claim), ctx.resolve(share or {"reported": 0}, claim)
    counts = grim_counts(int(total.value), pct.printed)
    if not counts:
        return Result("inconsistent", "no integer count",
                      f"no count of n = {total.printed} gives {pct.printed}% at the printed precision." + _ambiguity(claim),
                      values={"reported": pct.printed, "n": total.printed})
    example = f"{counts[0]} / {total.printed} = {fmt(share_pct(counts[0], int(total.value)), pct.decimals + 2)}%"
    if not grim_discriminates(int(total.value), pct.decimals):
        return _not_checkable(
            claim, f"With n = {total.printed} every share printed with {pct.decimals} decimal(s) is the share of "
            f"some count (steps of {fmt(HUNDRED / total.value, 3)} points), so the test cannot discriminate "
            f"(e.g. {example}).", needs, f"counts {counts[0]}-{counts[-1]}")
    return Result("consistent", ", ".join(map(str, counts)), f"possible counts: {example}." + _ambiguity(claim))


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
        return ", ".join(f"{ctx.region_name(key, lang)} ({fmt(values[key])})" for key in keys)

    top = "; ".join(f"{r}. {ctx.region_name(key)} {fmt(v)}" for key, v, r in ranking[: k + 2])
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
    values_out = {"expected_en": listing(expected, "en"), "expected_kk": listing(expected, "kk"),
                  "named_en": listing(regions, "en"), "named_kk": listing(regions, "kk"),
                  "missed_en": listing(missed_sorted, "en"), "missed_kk": listing(missed_sorted, "kk"),
                  "outranked_en": listing(outranked, "en"), "outranked_kk": listing(outranked, "kk"),
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
            "approximately": f"within {fmt(tolerance or 0)} of {bound.printed}",
            "near_below": f"below {bound.printed} by at most {fmt(tolerance or 0)}"}[relation]


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
        how = f"{v.printed} / {den.printed} = {fmt(number, 2)}%"
    if complement:
        number = HUNDRED - number
        how = f"100 - {how} = {fmt(number)}"
    b = ctx.resolve(bound, claim)
    tol = Decimal(str(tolerance)) if tolerance is not None else None
    ok = _relation_holds(number, relation, b, tol)
    shown = fmt(number, 1) if denominator is not None else fmt(number)
    detail = f"{how}; the words say {_relation_text(relation, b, tol)}: {'holds' if ok else 'does not hold'}."
    values = {"reported": b.printed, "recomputed": shown, "value": shown, "numerator": v.printed,
              "denominator": ctx.resolve(denominator, claim).printed if denominator is not None else ""}
    return Result(_verdict(ok), shown + ("%" if denominator is not None else ""), detail + _ambiguity(claim),
                  "" if ok else signed(number - b.value, 1), values)


@check("part_of_whole")
def part_of_whole(claim: Claim, ctx: Context, part: dict, whole: dict, needs: str) -> Result:
    """"Of which": the part may not exceed the whole. The values themselves are not in the data."""
    p, w = ctx.resolve(part, claim), ctx.resolve(whole, claim)
    ok = p.value <= w.value
    share = share_pct(int(p.value), int(w.value))
    detail = (f"{p.printed} of {w.printed} = {fmt(share, 1)}%: the part "
              f"{'does not exceed' if ok else 'exceeds'} the whole. Only this relation is checkable; "
              f"the values themselves would need {needs}.")
    return Result(_verdict(ok), f"{fmt(share, 1)}%", detail + _ambiguity(claim),
                  "" if ok else signed(p.value - w.value), {"reported": p.printed, "recomputed": w.printed})


@check("growth")
def growth(claim: Claim, ctx: Context, start: dict, end: dict, direction: str = "increase",
           unchecked: str | None = None) -> Result:
    """A growth (or decline) statement against its start and end values. ``unchecked`` names a
    part of the statement the data cannot check (then the verdict is not_checkable, with the
    checkable part reported)."""
    a, b = ctx.resolve(start, claim), ctx.resolve(end, claim)
    change = b.value - a.value
    ok = change > 0 if direction == "increase" else change < 0
    rel = fmt(HUNDRED * change / a.value, 1)
    detail = f"{a.printed} -> {b.printed}: change {signed(change)} ({signed(Decimal(rel))}%); {direction} {'holds' if ok else 'does not hold'}."
    if not ok:
        return Result("inconsistent", signed(change), detail + _ambiguity(claim), signed(change))
    if unchecked:
        return _not_checkable(claim, detail + " The rest of the statement is not in the data.", unchecked, signed(change))
    return Result("consistent", signed(change), detail + _ambiguity(claim))


@check("share_implied_denominator")
def share_implied_denominator(claim: Claim, ctx: Context, numerator: dict, needs: str,
                              share: dict | None = None) -> Result:
    """A share printed without its denominator: not checkable; reports the range of
    denominators the printed share implies."""
    num, pct = ctx.resolve(numerator, claim), ctx.resolve(share or {"reported": 0}, claim)
    half = _half(pct.decimals)
    lo_pct, hi_pct = pct.value - half, pct.value + half
    lo = (HUNDRED * num.value / hi_pct).to_integral_value(rounding=ROUND_CEILING)
    hi = (HUNDRED * num.value / lo_pct).to_integral_value(rounding=ROUND_FLOOR) if lo_pct > 0 else None
    span = f"{fmt(lo)}-{fmt(hi)}" if hi is not None else f"at least {fmt(lo)}"
    detail = f"{num.printed} is {pct.printed}% of a total the article does not give; the printed share implies a total of {span}."
    return _not_checkable(claim, detail, needs, f"implied total {span}")


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
