"""Every check function of analysis.claims.checks, with cases that must pass and cases that
must fail, including the rounding edge cases (exact halves, x.x5 boundaries, n too large for
a one-decimal percentage to discriminate)."""

from __future__ import annotations

from decimal import Decimal

import pandas as pd
import pytest

from analysis.claims import checks
from analysis.claims.checks import (
    CHECKS,
    complementary_counts,
    grim_counts,
    grim_discriminates,
    rank_table,
)
from analysis.claims.legal_sources import FACT_FIELDS, LegalSource
from analysis.claims.model import Claim, Context, Result, as_text
from analysis.precision import parse_printed


def claim(*reported, cid="X1"):
    return Claim(id=cid, section="results", paragraph=1, quote="q", reported=tuple(reported), check="none")


@pytest.fixture
def ctx():
    regions = pd.DataFrame({
        "region_iso": ["KZ-10", "KZ-19", "KZ-43", "KZ-55", "KZ-75"],
        "short_en": ["Abai", "Almaty Region", "Kyzylorda", "Pavlodar", "Almaty city"],
        "name_kk": ["Абай облысы", "Алматы облысы", "Қызылорда облысы", "Павлодар облысы", "Алматы қаласы"],
        "name_ru": ["Абайская область", "Алматинская область", "Кызылординская область", "Павлодарская область", "город Алматы"],
    })
    shortage = pd.DataFrame({"region_iso": regions["region_iso"], "shortage_total": [157, 2024, 196, 144, 2297],
                             "shortage_urban": [83, 235, 139, 68, 2297]})
    preschool = pd.DataFrame({"region_iso": regions["region_iso"], "inclusive_share_pct": [47.7, 40.7, 72.3, 53.4, 77.9]})
    totals = pd.DataFrame({"resource": ["table2-teacher-shortage-2023"], "column": ["shortage_total"],
                           "printed_as": ["4818"], "printed": [4818]})
    legal = pd.DataFrame([{"act_id": "CRC", "title_en": "Convention on the Rights of the Child", "adoption_date": "1989-11-20",
                           "adoption_instrument": "A/RES/44/25", "period": "", "kz_action": "ratification",
                           "kz_action_date": "1994-08-12", "key_provision": "Goal 4: education", "source": "UNTC",
                           "confidence": "high", "notes": ""},
                          {"act_id": "PROG", "title_en": "Programme", "adoption_date": "2010-12-07", "adoption_instrument": "Decree No. 1118",
                           "period": "2011-2020", "kz_action": "adoption", "kz_action_date": "2010-12-07", "key_provision": "",
                           "source": "adilet", "confidence": "medium", "notes": "target recalled"}])
    sourced = {(act, f): LegalSource(act, f, str(row[f]), "verified", "whole", urls=("https://www.un.org/x",),
                                     identifier="DOC-1", quotes=("q",))
               for act, row in legal.set_index("act_id").iterrows() for f in FACT_FIELDS if str(row.get(f, "")).strip()}
    c = Context(tables={"teacher_shortage": shortage, "preschool_inclusion": preschool}, printed_totals=totals,
                regions=regions, legal_acts=legal, legal_sources=sourced)
    c.claims["R0"] = claim("39,4", "2 448", cid="R0")
    return c


# -- printed numbers --------------------------------------------------------------------------
@pytest.mark.parametrize("printed, value", [("5 555", "5555"), ("85,9", "85.9"), ("44.0", "44.0"), ("44%", "44"),
                                            ("9\u00a0139", "9139")])
def test_parse_printed(printed, value):
    assert parse_printed(printed) == Decimal(value)


@pytest.mark.parametrize("bad", ["abc", "", "1,2,3", "NaN"])
def test_parse_printed_rejects_non_numbers(bad):
    with pytest.raises(ValueError):
        parse_printed(bad)


def test_as_text_and_result_verdicts():
    assert as_text(Decimal("510")) == "510" and as_text(Decimal("43.9604"), 2) == "43.96"
    with pytest.raises(ValueError):
        Result("maybe")


# -- GRIM helpers -------------------------------------------------------------------------------
def test_grim_counts_exact_half_accepts_both_directions():
    # 1/8 = 12.5 %: printed "12" (half down) and "13" (half up) are both right, "14" is not
    assert grim_counts(8, "12") == [1] and grim_counts(8, "13") == [1]
    assert grim_counts(8, "14") == []
    assert grim_counts(8, "12.5") == [1]


def test_grim_counts_x_x5_boundary():
    # 1/16 = 6.25 % and 3/16 = 18.75 %: both one-decimal neighbours are accepted
    assert grim_counts(16, "6.2") == [1] and grim_counts(16, "6.3") == [1]
    assert grim_counts(16, "18.7") == [3] and grim_counts(16, "18.8") == [3]
    assert grim_counts(16, "6.1") == [] and grim_counts(16, "18.9") == []


def test_grim_counts_just_inside_and_outside_a_half():
    # 86/103 = 83.4951 %: prints 83.5, not 83.4; 61/71 = 85.915 %: 85.9, not 86.0
    assert 86 in grim_counts(103, "83,5") and 86 not in grim_counts(103, "83,4")
    assert 61 in grim_counts(71, "85,9") and 61 not in grim_counts(71, "86,0")


def test_grim_counts_impossible_share():
    assert grim_counts(20, "45.2") == []  # multiples of 5 % only
    assert grim_counts(20, "45") == [9]
    with pytest.raises(ValueError):
        grim_counts(0, "10")


@pytest.mark.parametrize("n, decimals, expected", [(999, 1, True), (1000, 1, False), (3439, 1, False),
                                                   (99, 0, True), (100, 0, False), (2175, 2, True)])
def test_grim_discriminates(n, decimals, expected):
    assert grim_discriminates(n, decimals) is expected


def test_complementary_counts():
    assert complementary_counts(2175, "45,2", "54,9") == []  # the article's certification shares
    assert (983, 1192) in complementary_counts(2175, "45,2", "54,8")
    assert complementary_counts(8, "12", "88") == [(1, 7)]  # 12.5 / 87.5: halves both ways
    assert complementary_counts(8, "11", "88") == []


def test_rank_table_ties_share_the_better_rank():
    ranked = rank_table({"a": Decimal(5), "b": Decimal(7), "c": Decimal(5)}, "largest")
    assert [(k, r) for k, _, r in ranked] == [("b", 1), ("a", 2), ("c", 2)]
    with pytest.raises(ValueError):
        rank_table({}, "middle")


# -- checks ---------------------------------------------------------------------------------------
def test_every_check_is_registered_under_its_name():
    assert set(CHECKS) == {
        "share_of_counts", "total_vs_parts", "recompute_total", "complementary_percentages", "grim_percentage",
        "text_vs_table", "extremes", "restatement", "quantifier", "part_of_whole", "growth",
        "share_implied_denominator", "text_vs_text", "legal_fact", "not_checkable", "printed_correction"}
    assert all(fn.check_name == name for name, fn in CHECKS.items())


@pytest.mark.parametrize("printed, verdict", [("44", "consistent"), ("44.0", "consistent"), ("43.96", "consistent"),
                                              ("43.9", "inconsistent"), ("45", "inconsistent")])
def test_share_of_counts(ctx, printed, verdict):
    c = claim(printed, "2442", "5555")
    result = checks.CHECKS["share_of_counts"](c, ctx, numerator={"reported": 1}, denominator={"reported": 2})
    assert result.verdict == verdict
    assert (result.difference != "") is (verdict == "inconsistent")


@pytest.mark.parametrize("printed, verdict", [("12", "consistent"), ("13", "consistent"), ("14", "inconsistent")])
def test_share_of_counts_accepts_either_rounding_at_an_exact_half(ctx, printed, verdict):
    assert checks.CHECKS["share_of_counts"](claim(printed, "1", "8"), ctx, numerator={"reported": 1},
                                  denominator={"reported": 2}).verdict == verdict


def test_share_of_counts_complement(ctx):
    c = claim("56", "2442", "5555")
    args = {"numerator": {"reported": 1}, "denominator": {"reported": 2}, "complement": True}
    assert checks.CHECKS["share_of_counts"](c, ctx, **args).verdict == "consistent"
    assert checks.CHECKS["share_of_counts"](claim("44", "2442", "5555"), ctx, **args).verdict == "inconsistent"


def test_total_vs_parts(ctx):
    parts = [{"reported": i} for i in range(1, 7)]
    bad = checks.CHECKS["total_vs_parts"](claim("513", "55", "100", "98", "234", "13", "10"), ctx, parts=parts)
    assert (bad.verdict, bad.recomputed, bad.difference) == ("inconsistent", "510", "+3")
    good = checks.CHECKS["total_vs_parts"](claim("510", "55", "100", "98", "234", "13", "10"), ctx, parts=parts)
    assert good.verdict == "consistent"


def test_recompute_total(ctx):
    assert checks.CHECKS["recompute_total"](claim("4818"), ctx, table="teacher_shortage", column="shortage_total").verdict == "consistent"
    bad = checks.CHECKS["recompute_total"](claim("4 828"), ctx, table="teacher_shortage", column="shortage_total")
    assert (bad.verdict, bad.difference) == ("inconsistent", "+10")


def test_complementary_percentages(ctx):
    args = {"n": {"reported": 0}, "shares": [{"reported": 1}, {"reported": 2}]}
    bad = checks.CHECKS["complementary_percentages"](claim("2 175", "45,2", "54,9"), ctx, **args)
    assert bad.verdict == "inconsistent" and "2176" in bad.detail and bad.values["sum"] == "100.1"
    assert checks.CHECKS["complementary_percentages"](claim("2 175", "45,2", "54,8"), ctx, **args).verdict == "consistent"
    # an exact half on both sides: 1/8 and 7/8
    assert checks.CHECKS["complementary_percentages"](claim("8", "13", "88"), ctx, **args).verdict == "consistent"


def test_grim_percentage(ctx):
    needs = "the count"
    assert checks.CHECKS["grim_percentage"](claim("45.2", "20"), ctx, n={"reported": 1}, needs=needs).verdict == "inconsistent"
    assert checks.CHECKS["grim_percentage"](claim("45.0", "20"), ctx, n={"reported": 1}, needs=needs).verdict == "consistent"
    # n = 3439 >= 1000: every one-decimal share is possible, so the test cannot discriminate
    big = checks.CHECKS["grim_percentage"](claim("39,4", "3439"), ctx, n={"reported": 1}, needs=needs)
    assert big.verdict == "not_checkable" and "cannot discriminate" in big.detail and needs in big.detail


@pytest.mark.parametrize("text, ref, verdict, diff", [
    ("2054", {"table": "teacher_shortage", "region": "KZ-19", "column": "shortage_total"}, "inconsistent", "+30"),
    ("2024", {"table": "teacher_shortage", "region": "KZ-19", "column": "shortage_total"}, "consistent", ""),
    ("77,9", {"table": "preschool_inclusion", "region": "KZ-75", "column": "inclusive_share_pct"}, "consistent", ""),
    ("78", {"table": "preschool_inclusion", "region": "KZ-75", "column": "inclusive_share_pct"}, "consistent", ""),
    ("77,8", {"table": "preschool_inclusion", "region": "KZ-75", "column": "inclusive_share_pct"}, "inconsistent", "-0.1"),
    ("4 818", {"table": "teacher_shortage", "region": "total", "column": "shortage_total"}, "consistent", ""),
])
def test_text_vs_table(ctx, text, ref, verdict, diff):
    result = checks.CHECKS["text_vs_table"](claim(text), ctx, table_value=ref)
    assert (result.verdict, result.difference) == (verdict, diff)


def test_text_vs_table_unknown_region_is_an_error(ctx):
    with pytest.raises(KeyError):
        checks.CHECKS["text_vs_table"](claim("1"), ctx, table_value={"table": "teacher_shortage", "region": "KZ-99", "column": "shortage_total"})


def test_extremes_largest_and_order(ctx):
    args = {"table": "teacher_shortage", "column": "shortage_total", "direction": "largest"}
    assert checks.CHECKS["extremes"](claim("x"), ctx, regions=["KZ-75", "KZ-19"], ordered=True, **args).verdict == "consistent"
    assert checks.CHECKS["extremes"](claim("x"), ctx, regions=["KZ-19", "KZ-75"], ordered=True, **args).verdict == "inconsistent"
    assert checks.CHECKS["extremes"](claim("x"), ctx, regions=["KZ-19", "KZ-75"], **args).verdict == "consistent"
    assert checks.CHECKS["extremes"](claim("x"), ctx, regions=["KZ-75", "KZ-43"], **args).verdict == "inconsistent"


def test_extremes_smallest_names_the_region_left_out(ctx):
    result = checks.CHECKS["extremes"](claim("шамалы"), ctx, table="teacher_shortage", column="shortage_total",
                             direction="smallest", regions=["KZ-43", "KZ-55"])
    assert result.verdict == "inconsistent"
    assert result.values["missed_en"] == "Abai (157)" and result.values["outranked_en"] == "Kyzylorda (196)"
    assert result.values["expected_kk"] == "Павлодар облысы (144), Абай облысы (157)"
    ok = checks.CHECKS["extremes"](claim("x"), ctx, table="teacher_shortage", column="shortage_total",
                         direction="smallest", regions=["KZ-10", "KZ-55"])
    assert ok.verdict == "consistent"


def test_extremes_accepts_ties():
    tie = Context(tables={"teacher_shortage": pd.DataFrame({"region_iso": ["a", "b", "c"], "shortage_total": [5, 5, 9]})})
    args = {"table": "teacher_shortage", "column": "shortage_total", "direction": "smallest"}
    assert checks.CHECKS["extremes"](claim("x"), tie, regions=["a"], **args).verdict == "consistent"
    assert checks.CHECKS["extremes"](claim("x"), tie, regions=["c"], **args).verdict == "inconsistent"


@pytest.mark.parametrize("restated, relation, tolerance, verdict", [
    ("39,4", "same", None, "consistent"), ("39", "same", None, "consistent"), ("40", "same", None, "inconsistent"),
    ("40", "approximately", "1", "consistent"), ("41", "approximately", "1", "inconsistent"),
    ("30", "more_than", None, "consistent"), ("40", "more_than", None, "inconsistent"),
    ("40", "less_than", None, "consistent"), ("39", "less_than", None, "inconsistent"),
])
def test_restatement(ctx, restated, relation, tolerance, verdict):
    result = checks.CHECKS["restatement"](claim(restated), ctx, original={"claim": "R0"}, relation=relation, tolerance=tolerance)
    assert result.verdict == verdict


def test_restatement_needs_a_tolerance_for_approximately(ctx):
    with pytest.raises(ValueError):
        checks.CHECKS["restatement"](claim("40"), ctx, original={"claim": "R0"}, relation="approximately")


def test_quantifier(ctx):
    half = {"literal": "50"}
    assert checks.CHECKS["quantifier"](claim("54,9"), ctx, value={"reported": 0}, relation="more_than", bound=half).verdict == "consistent"
    assert checks.CHECKS["quantifier"](claim("45,2"), ctx, value={"reported": 0}, relation="more_than", bound=half).verdict == "inconsistent"
    # complement: girls 39.4 % -> young men 60.6 % predominate
    assert checks.CHECKS["quantifier"](claim("39,4"), ctx, value={"reported": 0}, complement=True, relation="more_than",
                             bound=half).verdict == "consistent"
    # a share of a sum: three regions' 1613 of 5971 schools are not the majority
    majority = checks.CHECKS["quantifier"](claim("x", "716", "482", "415", "5971"), ctx,
                                 value={"sum": [{"reported": 1}, {"reported": 2}, {"reported": 3}]},
                                 denominator={"reported": 4}, relation="more_than", bound=half)
    assert (majority.verdict, majority.recomputed, majority.values["numerator"]) == ("inconsistent", "27.0%", "1613")
    near = {"value": {"reported": 0}, "relation": "near_below", "bound": half, "tolerance": "10"}
    assert checks.CHECKS["quantifier"](claim("44"), ctx, **near).verdict == "consistent"
    assert checks.CHECKS["quantifier"](claim("38"), ctx, **near).verdict == "inconsistent"
    assert checks.CHECKS["quantifier"](claim("50"), ctx, **near).verdict == "inconsistent"


def test_part_of_whole(ctx):
    ok = checks.CHECKS["part_of_whole"](claim("10 350", "14 330"), ctx, part={"reported": 0}, whole={"reported": 1}, needs="n")
    assert (ok.verdict, ok.recomputed) == ("consistent", "72.2%")
    assert checks.CHECKS["part_of_whole"](claim("14 331", "14 330"), ctx, part={"reported": 0}, whole={"reported": 1},
                                needs="n").verdict == "inconsistent"


def test_growth(ctx):
    up = {"start": {"reported": 0}, "end": {"reported": 1}}
    assert checks.CHECKS["growth"](claim("2 448", "2 622"), ctx, **up).verdict == "consistent"
    assert checks.CHECKS["growth"](claim("2 622", "2 448"), ctx, **up).verdict == "inconsistent"
    assert checks.CHECKS["growth"](claim("2 622", "2 448"), ctx, direction="decrease", **up).verdict == "consistent"
    partly = checks.CHECKS["growth"](claim("2 448", "2 622"), ctx, unchecked="the 2022 value", **up)
    assert partly.verdict == "not_checkable" and "the 2022 value" in partly.detail
    assert checks.CHECKS["growth"](claim("2 622", "2 448"), ctx, unchecked="x", **up).verdict == "inconsistent"


def test_share_implied_denominator(ctx):
    result = checks.CHECKS["share_implied_denominator"](claim("86", "5971"), ctx, numerator={"reported": 1}, needs="schools")
    assert (result.verdict, result.recomputed) == ("not_checkable", "6903–6983")
    # 5971 / 0.865 = 6902.9 and 5971 / 0.855 = 6983.6
    # "0" % of 5: any total of at least 1000 (5 / 1000 = 0.5 % exactly, which rounds to 0 half-down)
    assert checks.CHECKS["share_implied_denominator"](claim("0", "5"), ctx, numerator={"reported": 1},
                                            needs="x").recomputed == "≥ 1000"


def test_text_vs_text(ctx):
    args = {"first": {"reported": 0}, "second": {"reported": 1}}
    assert checks.CHECKS["text_vs_text"](claim("2 622", "2622"), ctx, **args).verdict == "consistent"
    assert checks.CHECKS["text_vs_text"](claim("3439", "2 622"), ctx, **args).verdict == "inconsistent"
    scoped = checks.CHECKS["text_vs_text"](claim("3439", "2 622"), ctx, scope_note="the group's definition", **args)
    assert scoped.verdict == "not_checkable" and "+817" in scoped.detail


@pytest.mark.parametrize("act, field, value, match, verdict", [
    ("CRC", "adoption_instrument", "44/95", "resolution", "inconsistent"),
    ("CRC", "adoption_instrument", "44/25", "resolution", "consistent"),
    ("CRC", "adoption_date", "1989-11-20", "date", "consistent"),
    ("CRC", "adoption_date", "1989-11-21", "date", "inconsistent"),
    ("CRC", "kz_action_date", "1994", "year", "consistent"),
    ("CRC", "kz_action_date", "1995", "year", "inconsistent"),
    ("CRC", "kz_action", "accession", "exact", "inconsistent"),
    ("CRC", "kz_action", "Ratification", "exact", "consistent"),
    ("CRC", "key_provision", "Goal 4:", "contains", "consistent"),
    ("CRC", "key_provision", "Goal 5:", "contains", "inconsistent"),
    ("PROG", "adoption_date", "2010", "decade", "consistent"),
    ("PROG", "adoption_date", "2000", "decade", "inconsistent"),
    ("PROG", "period", "2020", "period_end", "consistent"),
    ("PROG", "period", "2011-2020", "exact", "consistent"),
    ("PROG", "period", "2010-2020", "exact", "inconsistent"),
])
def test_legal_fact(ctx, act, field, value, match, verdict):
    result = checks.CHECKS["legal_fact"](claim(value), ctx, act=act, field=field, value=value, match=match)
    assert result.verdict == verdict
    assert "verified by a primary source: DOC-1" in result.detail and result.values["source_status"] == "verified"


def test_legal_fact_errors(ctx):
    with pytest.raises(KeyError):
        checks.CHECKS["legal_fact"](claim("x"), ctx, act="NOPE", field="period", value="x")
    with pytest.raises(ValueError):
        checks.CHECKS["legal_fact"](claim("x"), ctx, act="CRC", field="period", value="2030", match="period_end")  # empty field
    with pytest.raises(ValueError):
        checks.CHECKS["legal_fact"](claim("x"), ctx, act="CRC", field="adoption_date", value="1989", match="fuzzy")


def test_not_checkable_says_what_would_make_it_checkable(ctx):
    result = checks.CHECKS["not_checkable"](claim("23"), ctx, needs="the staffing table of [14], p. 285")
    assert result.verdict == "not_checkable" and "Checkable with: the staffing table" in result.detail


def test_ambiguity_is_reported_with_the_verdict(ctx):
    c = Claim(id="A1", section="results", paragraph=1, quote="q", reported=("56",), check="quantifier",
              ambiguity={"en": "vague quantifier", "kk": "x", "ru": "x"})
    result = checks.CHECKS["quantifier"](c, ctx, value={"reported": 0}, relation="more_than", bound={"literal": "50"})
    assert "vague quantifier" not in result.detail, "the caveat is shown beside the evidence, never inside it"
