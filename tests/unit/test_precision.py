"""Unit tests for analysis.precision: is a printed rounded number consistent with its exact value?"""

from __future__ import annotations

from decimal import Decimal

import pytest

from analysis.precision import (
    MAX_SIGNIFICANT,
    apply_policy,
    check_rule,
    consistent_at_precision,
    decimals_of,
    digits_allowed,
    format_value,
    mc_decimals,
    round_significant,
    share_pct,
)

# --- decimals_of ---------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("printed", "decimals"),
    [("44", 0), ("44.0", 1), ("85,9", 1), ("6.25", 2), (" 47.7 ", 1), ("0", 0), (85.9, 1)],
)
def test_decimals_of(printed, decimals):
    assert decimals_of(printed) == decimals


# --- share_pct -----------------------------------------------------------------------------

def test_share_pct_is_an_exact_decimal():
    result = share_pct(61, 71)
    assert type(result) is Decimal
    assert result == Decimal("85.91549295774647887323943662")  # 28 significant digits
    assert share_pct(1, 8) == Decimal("12.5")
    assert share_pct(1, 16) == Decimal("6.25")
    assert share_pct(2442, 5555) == Decimal(100) * Decimal(2442) / Decimal(5555)


def test_share_pct_of_a_repeating_fraction_keeps_28_significant_digits():
    assert share_pct(1, 3) == Decimal("33.33333333333333333333333333")


def test_share_pct_accepts_numpy_integers():
    np = pytest.importorskip("numpy")
    assert share_pct(np.int64(61), np.int64(71)) == share_pct(61, 71)


def test_floats_would_lose_an_exact_half_that_decimal_keeps():
    # 127 / 2000 = 6.35 % exactly: both '6.3' and '6.4' may be its one-decimal rounding.
    exact = share_pct(127, 2000)
    assert exact == Decimal("6.35")
    assert consistent_at_precision(exact, "6.3")
    assert consistent_at_precision(exact, "6.4")
    # The float 100 * 127 / 2000 is 6.349999..., which would wrongly reject '6.4'.
    as_float = Decimal(100 * 127 / 2000)
    assert as_float < Decimal("6.35")
    assert not consistent_at_precision(as_float, "6.4")


# --- consistent_at_precision ---------------------------------------------------------------

def test_shymkent_share_is_consistent_at_one_decimal():
    exact = share_pct(61, 71)  # 85.915...
    assert consistent_at_precision(exact, "85.9")
    assert consistent_at_precision(exact, "85,9")  # decimal comma as printed
    assert consistent_at_precision(exact, "85,9", 1)
    assert not consistent_at_precision(exact, "86.0")
    assert not consistent_at_precision(exact, "85.8")


def test_precision_follows_the_printed_decimals():
    exact = share_pct(61, 71)  # 85.9155 at four decimals
    assert consistent_at_precision(exact, "86")  # 0 decimals
    assert consistent_at_precision(exact, "85.92")  # 2 decimals
    assert not consistent_at_precision(exact, "85.91")  # 2 decimals: off by 0.0055 > 0.005
    assert not consistent_at_precision(exact, "85")


def test_explicit_decimals_override_the_printed_ones():
    exact = share_pct(61, 71)
    # '86' read as a one-decimal value must be within 0.05 of 85.915...: it is not.
    assert not consistent_at_precision(exact, "86", 1)


def test_exact_half_at_zero_decimals_accepts_both_directions():
    exact = share_pct(1, 8)  # 12.5 %
    assert consistent_at_precision(exact, "12")
    assert consistent_at_precision(exact, "13")
    assert not consistent_at_precision(exact, "11")
    assert not consistent_at_precision(exact, "14")


def test_exact_half_at_one_decimal_accepts_both_directions():
    exact = share_pct(1, 16)  # 6.25 %
    assert consistent_at_precision(exact, "6.2")
    assert consistent_at_precision(exact, "6.3")
    assert consistent_at_precision(exact, "6,3")
    assert not consistent_at_precision(exact, "6.1")
    assert not consistent_at_precision(exact, "6.4")


def test_just_beyond_the_half_is_rejected():
    assert consistent_at_precision(Decimal("6.35"), "6.3")
    assert not consistent_at_precision(Decimal("6.3500000001"), "6.3")
    assert consistent_at_precision(Decimal("6.3500000001"), "6.4")


def test_one_decimal_cannot_tell_neighbouring_numerators_apart_at_large_n():
    # n = 2000: 999 -> 49.95, 1000 -> 50.00, 1001 -> 50.05, 1002 -> 50.10, 1003 -> 50.15.
    assert share_pct(999, 2000) == Decimal("49.95")
    assert share_pct(1001, 2000) == Decimal("50.05")
    fits_50_0 = {k for k in range(990, 1011) if consistent_at_precision(share_pct(k, 2000), "50.0")}
    fits_50_1 = {k for k in range(990, 1011) if consistent_at_precision(share_pct(k, 2000), "50.1")}
    assert fits_50_0 == {999, 1000, 1001}
    assert fits_50_1 == {1001, 1002, 1003}
    # 1000/2000 and 1001/2000 both print as 50.0; 1001/2000 may also print as 50.1.
    assert fits_50_0 & fits_50_1 == {1001}


def test_printed_float_is_read_through_its_text():
    exact = share_pct(61, 71)
    assert consistent_at_precision(exact, 85.9)
    assert not consistent_at_precision(exact, 86.0)  # str(86.0) == '86.0': one decimal


def test_table1_national_share():
    exact = share_pct(2442, 5555)  # 43.96 %
    assert consistent_at_precision(exact, "44.0")
    assert consistent_at_precision(exact, "44")
    assert not consistent_at_precision(exact, "43.9")


# --- the precision policy: how numbers are written ----------------------------------------------



@pytest.mark.parametrize(("value", "rule", "mc", "written"), [
    (0.0642333157581935, {"significant": 6}, None, "0.0642333"),
    (0.0642333157581928, {"significant": 6}, None, "0.0642333"),  # another CPU's last digits: same text
    (611.171234, {"significant": 6}, None, "611.171"),
    (1234567.89, {"significant": 6}, None, "1234570"),
    (5.51146384479718e-06, {"significant": 6}, None, "5.51146e-06"),
    (44.0, {"decimals": 1}, None, "44.0"),
    (-0.00001, {"decimals": 2}, None, "0.00"),
    (-1.1102230246251565e-16, {"significant": 6}, None, "0"),  # noise around an exact 0
    (2.2e-117, {"significant": 4, "floor": 1e-10}, None, "<1e-10"),
    (0.0, {"significant": 4, "floor": 1e-10}, None, "<1e-10"),  # an underflowed p is a bound, not 0
    (0.0586, {"significant": 4}, 0.00235, "0.059"),  # Monte-Carlo error 0.002: three decimals
    (-0.7396, {"significant": 6}, 0.011, "-0.74"),
    (1234.5, {"significant": 6}, 12.0, "1230"),
    (float("nan"), {"significant": 6}, None, ""),
    (None, {"decimals": 1}, None, ""),
])
def test_format_value(value, rule, mc, written):
    assert format_value(value, rule, mc) == written


def test_round_significant_and_mc_decimals():
    assert round_significant(123456.789, 3) == 123000
    assert round_significant(0.000123456, 2) == pytest.approx(0.00012)
    assert mc_decimals(0.0024) == 3 and mc_decimals(0.3) == 1 and mc_decimals(12) == -1


def test_rules_are_checked():
    with pytest.raises(ValueError, match="at most 6 significant"):
        check_rule({"significant": MAX_SIGNIFICANT + 1}, "x")
    with pytest.raises(ValueError, match="exactly one"):
        check_rule({"decimals": 1, "significant": 2}, "x")
    with pytest.raises(ValueError, match="unknown precision keys"):
        check_rule({"digits": 2}, "x")


def test_apply_policy_formats_by_field_and_refuses_undeclared_columns():
    import pandas as pd

    fields = [{"name": "p", "type": "number", "precision": {"significant": 4, "floor": 1e-10, "monteCarloError": "p_mcse"}},
              {"name": "p_mcse", "type": "number", "precision": {"monteCarloErrorOf": "p"}},
              {"name": "value", "type": "number", "precision": {"decimalsOf": "printed"}},
              {"name": "printed", "type": "string"},
              {"name": "count", "type": "integer"}]
    frame = pd.DataFrame({"p": [0.05862, 1e-20], "p_mcse": [0.002347, None], "value": [85.9, 5555.0],
                          "printed": ["85,9", "5 555"], "count": [3.0, None]})
    out = apply_policy(frame, fields)
    assert out.to_dict("list") == {"p": ["0.059", "<1e-10"], "p_mcse": ["0.0023", ""], "value": ["85.9", "5555"],
                                   "printed": ["85,9", "5 555"], "count": [3, None]}
    with pytest.raises(ValueError, match="undeclared"):
        apply_policy(frame.assign(extra=1), fields)
    with pytest.raises(ValueError, match="integer column 'count' holds"):
        apply_policy(frame.assign(count=[2.5, 1.0]), fields)


@pytest.mark.parametrize(("text", "rule", "mc", "ok"), [
    ("0.0642333", {"significant": 6}, None, True),
    ("0.0642333157", {"significant": 6}, None, False),
    ("44.0", {"decimals": 1}, None, True),
    ("44.05", {"decimals": 1}, None, False),
    ("0.059", {"significant": 4}, "0.0023", True),
    ("0.0586", {"significant": 4}, "0.0023", False),
    ("<1e-10", {"significant": 4, "floor": 1e-10}, None, True),
    ("<1e-10", {"significant": 4}, None, False),
    ("0.0023", {"monteCarloErrorOf": "p"}, None, True),
    ("5.51146e-06", {"significant": 6}, None, True),
])
def test_digits_allowed(text, rule, mc, ok):
    assert digits_allowed(text, rule, mc) is ok
