"""Checks of arithmetic: shares of counts (also GRIM-style, for percentages whose counts are not
printed), sums against their parts, totals, growth, parts of a whole, implied denominators."""

from __future__ import annotations

from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal

from analysis.claims.checks.base import HUNDRED, _half, _not_checkable, _sources, _verdict, check
from analysis.claims.model import Claim, Context, Result, as_text, signed
from analysis.claims.text import Text
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
def _same(ok: bool) -> Text:
    return Text("claims_ev_same_at_precision" if ok else "claims_ev_not_same_at_precision")


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
    difference = "" if ok else signed(pct.value - round_half_up(exact, pct.decimals), pct.decimals)
    evidence = [Text("claims_ev_share", {"what": what, "den": den.printed, "exact": as_text(exact, pct.decimals + 3),
                                          "printed": pct.printed, "decimals": pct.decimals, "same": _same(ok)})]
    if not ok:
        evidence.append(Text("claims_ev_difference_points", {"difference": difference}))
    evidence += _sources(("numerator", num), ("denominator", den))
    return Result(_verdict(ok), f"{as_text(exact, pct.decimals + 2)}%", tuple(evidence), difference,
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
    key = "claims_ev_sum_agrees" if ok else "claims_ev_sum_differs"
    evidence = (Text(key, {"parts": sum_text, "sum": as_text(s), "total": tot.printed, "difference": difference}),)
    return Result(_verdict(ok), as_text(s), evidence, difference,
                  {"reported": tot.printed, "recomputed": as_text(s), "difference": difference, "parts": sum_text})


@check("recompute_total")
def recompute_total(claim: Claim, ctx: Context, table: str, column: str, total: dict | None = None) -> Result:
    """A printed national total against the sum of the 20 regions in the processed table."""
    tot = ctx.resolve(total or {"reported": 0}, claim)
    frame = ctx.table(table)
    s = sum((parse_printed(v) for v in frame[column].astype(str)), Decimal(0))
    ok = consistent_at_precision(s, tot.printed.replace(" ", ""), tot.decimals)
    difference = "" if ok else signed(tot.value - s)
    key = "claims_ev_regions_sum_agrees" if ok else "claims_ev_regions_sum_differs"
    evidence = (Text(key, {"n": len(frame), "table": Text(f"claims_table_{table}"), "column": Text(f"claims_column_{column}"),
                           "sum": as_text(s), "total": tot.printed, "difference": difference}),)
    return Result(_verdict(ok), as_text(s), evidence, difference,
                  {"reported": tot.printed, "recomputed": as_text(s), "difference": difference})


def _span(counts: list[int]) -> str | Text:
    return "{" + ", ".join(map(str, counts)) + "}" if counts else Text("claims_ev_no_count")


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
    evidence = [Text("claims_ev_two_shares", {"n": total.printed, "first": first.printed, "second": second.printed,
                                               "c1": _span(c1), "c2": _span(c2), "sum": as_text(printed_sum)})]
    values = {"reported": f"{first.printed}; {second.printed}", "n": total.printed, "first": first.printed,
              "second": second.printed, "sum": as_text(printed_sum), "gap": as_text(abs(printed_sum - HUNDRED))}
    if pairs:
        k, rest = pairs[0]
        evidence.append(Text("claims_ev_split_exists", {"k": str(k), "rest": str(rest), "n": str(size)}))
        return Result("consistent", f"{k} + {rest}", tuple(evidence), values=values)
    if c1 and c2 and min(c1) + min(c2) > size:
        evidence.append(Text("claims_ev_no_split_even_smallest", {"n": str(size), "a": str(min(c1)), "b": str(min(c2)),
                                                                   "ab": str(min(c1) + min(c2))}))
    else:
        evidence.append(Text("claims_ev_no_split", {"n": str(size)}))
    values["recomputed"] = "—"
    return Result("inconsistent", "—", tuple(evidence), signed(printed_sum - HUNDRED), values)


@check("grim_percentage")
def grim_percentage(claim: Claim, ctx: Context, n: dict, needs, share: dict | None = None) -> Result:
    """GRIM for one printed share of n: is there an integer count for which it is right?
    Not checkable when n is so large that every printed value is possible."""
    total, pct = ctx.resolve(n, claim), ctx.resolve(share or {"reported": 0}, claim)
    counts = grim_counts(int(total.value), pct.printed)
    if not counts:
        return Result("inconsistent", "—", (Text("claims_ev_grim_none", {"n": total.printed, "printed": pct.printed}),),
                      values={"reported": pct.printed, "n": total.printed})
    example = Text("claims_ev_example", {"k": str(counts[0]), "n": total.printed,
                                         "share": as_text(share_pct(counts[0], int(total.value)), pct.decimals + 2)})
    if not grim_discriminates(int(total.value), pct.decimals):
        return _not_checkable(claim, [Text("claims_ev_grim_not_discriminating", {
            "n": total.printed, "decimals": pct.decimals, "step": as_text(HUNDRED / total.value, 3), "example": example})],
            needs, f"{counts[0]}–{counts[-1]}")
    return Result("consistent", ", ".join(map(str, counts)), (Text("claims_ev_grim_possible", {"example": example}),))


@check("part_of_whole")
def part_of_whole(claim: Claim, ctx: Context, part: dict, whole: dict, needs) -> Result:
    """"Of which": the part may not exceed the whole. The values themselves are not in the data."""
    p, w = ctx.resolve(part, claim), ctx.resolve(whole, claim)
    ok = p.value <= w.value
    share = share_pct(int(p.value), int(w.value))
    key = "claims_ev_part_within" if ok else "claims_ev_part_exceeds"
    evidence = (Text(key, {"part": p.printed, "whole": w.printed, "share": as_text(share, 1)}),
                Text("claims_ev_only_relation", {"needs": needs if isinstance(needs, dict) else str(needs)}))
    return Result(_verdict(ok), f"{as_text(share, 1)}%", evidence,
                  "" if ok else signed(p.value - w.value), {"reported": p.printed, "recomputed": w.printed})


@check("growth")
def growth(claim: Claim, ctx: Context, start: dict, end: dict, direction: str = "increase",
           unchecked=None) -> Result:
    """A growth (or decline) statement against its start and end values. ``unchecked`` names a
    part of the statement the data cannot check (then the verdict is not_checkable, with the
    checkable part reported)."""
    if direction not in ("increase", "decrease"):
        raise ValueError(f"claim {claim.id}: direction must be increase or decrease")
    a, b = ctx.resolve(start, claim), ctx.resolve(end, claim)
    change = b.value - a.value
    ok = change > 0 if direction == "increase" else change < 0
    rel = as_text(HUNDRED * change / a.value, 1)
    evidence = [Text(f"claims_ev_{direction}_{'holds' if ok else 'fails'}",
                     {"start": a.printed, "end": b.printed, "change": signed(change), "relative": signed(Decimal(rel))})]
    if not ok:
        return Result("inconsistent", signed(change), tuple(evidence), signed(change))
    if unchecked:
        return _not_checkable(claim, [*evidence, Text("claims_ev_rest_not_in_data")], unchecked, signed(change))
    return Result("consistent", signed(change), tuple(evidence))


@check("share_implied_denominator")
def share_implied_denominator(claim: Claim, ctx: Context, numerator: dict, needs,
                              share: dict | None = None) -> Result:
    """A share printed without its denominator: not checkable; reports the range of
    denominators the printed share implies."""
    num, pct = ctx.resolve(numerator, claim), ctx.resolve(share or {"reported": 0}, claim)
    half = _half(pct.decimals)
    lo_pct, hi_pct = pct.value - half, pct.value + half
    lo = (HUNDRED * num.value / hi_pct).to_integral_value(rounding=ROUND_CEILING)
    hi = (HUNDRED * num.value / lo_pct).to_integral_value(rounding=ROUND_FLOOR) if lo_pct > 0 else None
    span = f"{as_text(lo)}–{as_text(hi)}" if hi is not None else Text("claims_ev_at_least", {"n": as_text(lo)})
    evidence = [Text("claims_ev_implied_total", {"num": num.printed, "printed": pct.printed, "span": span})]
    return _not_checkable(claim, evidence, needs, f"{as_text(lo)}–{as_text(hi)}" if hi is not None else f"≥ {as_text(lo)}")
