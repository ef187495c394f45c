"""Checks of arithmetic: shares of counts (also GRIM-style, for percentages whose counts are not
printed), sums against their parts, totals, growth, parts of a whole, implied denominators."""

from __future__ import annotations

from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal

from analysis.claims.checks.base import HUNDRED, _ambiguity, _half, _not_checkable, _sources, _verdict, check
from analysis.claims.model import Claim, Context, Result, as_text, signed
from analysis.precision import consistent_at_precision, decimals_of, parse_printed, round_half_up, share_pct


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
    detail = (f"{what} / {den.printed} = {as_text(exact, pct.decimals + 3)}%; printed {pct.printed}% "
              f"({pct.decimals} decimal{'s' if pct.decimals != 1 else ''}): "
              f"{'the same at the printed precision' if ok else 'not the same at the printed precision'}."
              + _sources(("numerator", num), ("denominator", den)))
    difference = "" if ok else signed(pct.value - round_half_up(exact, pct.decimals), pct.decimals)
    if not ok:
        detail += f" Difference (printed - recomputed): {difference} points."
    return Result(_verdict(ok), f"{as_text(exact, pct.decimals + 2)}%", detail + _ambiguity(claim), difference,
                  {"reported": pct.printed, "recomputed": as_text(exact, pct.decimals + 2), "difference": difference})


@check("total_vs_parts")
def total_vs_parts(claim: Claim, ctx: Context, parts: list, total: dict | None = None) -> Result:
    """A printed total against the exact sum of its printed parts."""
    tot = ctx.resolve(total or {"reported": 0}, claim)
    items = [ctx.resolve(p, claim) for p in parts]
    s = sum((q.value for q in items), Decimal(0))
    ok = consistent_at_precision(s, tot.printed.replace(" ", ""), tot.decimals)
    sum_text = " + ".join(q.printed for q in items)
    difference = "" if ok else signed(tot.value - s)
    detail = f"{sum_text} = {as_text(s)}; printed total {tot.printed}"
    detail += "." if ok else f"; difference (printed - sum): {difference}."
    return Result(_verdict(ok), as_text(s), detail + _ambiguity(claim), difference,
                  {"reported": tot.printed, "recomputed": as_text(s), "difference": difference, "parts": sum_text})


@check("recompute_total")
def recompute_total(claim: Claim, ctx: Context, table: str, column: str, total: dict | None = None) -> Result:
    """A printed national total against the sum of the 20 regions in the processed table."""
    tot = ctx.resolve(total or {"reported": 0}, claim)
    frame = ctx.table(table)
    s = sum((parse_printed(v) for v in frame[column].astype(str)), Decimal(0))
    ok = consistent_at_precision(s, tot.printed.replace(" ", ""), tot.decimals)
    difference = "" if ok else signed(tot.value - s)
    detail = f"sum of the {len(frame)} regions ({table}, {column}) = {as_text(s)}; printed {tot.printed}"
    detail += "." if ok else f"; difference (printed - recomputed): {difference}."
    return Result(_verdict(ok), as_text(s), detail + _ambiguity(claim), difference,
                  {"reported": tot.printed, "recomputed": as_text(s), "difference": difference})


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
    def span(ks):
        return f"{{{', '.join(map(str, ks))}}}" if ks else "none"
    detail = (f"n = {total.printed}; {first.printed}% is printed for k in {span(c1)}, "
              f"{second.printed}% for k in {span(c2)}; printed shares add up to {as_text(printed_sum)}%.")
    values = {"reported": f"{first.printed}; {second.printed}", "n": total.printed, "first": first.printed,
              "second": second.printed, "sum": as_text(printed_sum)}
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
    example = f"{counts[0]} / {total.printed} = {as_text(share_pct(counts[0], int(total.value)), pct.decimals + 2)}%"
    if not grim_discriminates(int(total.value), pct.decimals):
        return _not_checkable(
            claim, f"With n = {total.printed} every share printed with {pct.decimals} decimal(s) is the share of "
            f"some count (steps of {as_text(HUNDRED / total.value, 3)} points), so the test cannot discriminate "
            f"(e.g. {example}).", needs, f"counts {counts[0]}-{counts[-1]}")
    return Result("consistent", ", ".join(map(str, counts)), f"possible counts: {example}." + _ambiguity(claim))


@check("part_of_whole")
def part_of_whole(claim: Claim, ctx: Context, part: dict, whole: dict, needs: str) -> Result:
    """"Of which": the part may not exceed the whole. The values themselves are not in the data."""
    p, w = ctx.resolve(part, claim), ctx.resolve(whole, claim)
    ok = p.value <= w.value
    share = share_pct(int(p.value), int(w.value))
    detail = (f"{p.printed} of {w.printed} = {as_text(share, 1)}%: the part "
              f"{'does not exceed' if ok else 'exceeds'} the whole. Only this relation is checkable; "
              f"the values themselves would need {needs}.")
    return Result(_verdict(ok), f"{as_text(share, 1)}%", detail + _ambiguity(claim),
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
    rel = as_text(HUNDRED * change / a.value, 1)
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
    span = f"{as_text(lo)}-{as_text(hi)}" if hi is not None else f"at least {as_text(lo)}"
    detail = f"{num.printed} is {pct.printed}% of a total the article does not give; the printed share implies a total of {span}."
    return _not_checkable(claim, detail, needs, f"implied total {span}")
