"""Exact Mann-Kendall (with ties), smallest p, Sen's slope coverage, Poisson trends."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pandas as pd
import pytest
from scipy.stats import binomtest, kendalltau, theilslopes

from analysis.stats import trend


def test_inversion_counts_are_mahonian_numbers_and_q_multinomials():
    assert trend.inversion_counts([1, 1, 1, 1]) == [1, 3, 5, 6, 5, 3, 1]
    # arrangements of a a b b by inversions: aabb 0, abab 1, abba 2, baab 2, baba 3, bbaa 4
    assert trend.inversion_counts([2, 2]) == [1, 1, 2, 1, 1]
    assert sum(trend.inversion_counts([3, 2, 1])) == math.factorial(6) // (math.factorial(3) * 2)


@pytest.mark.parametrize("n", [3, 4, 5, 7, 9])
def test_untied_series_match_scipy_exact(n):
    rng = np.random.default_rng(n)
    y = rng.permutation(n).astype(float)
    t = np.arange(n, dtype=float)
    res = trend.mann_kendall(t, y)
    assert res["p_value"] == pytest.approx(kendalltau(t, y, method="exact").pvalue, rel=1e-12)
    dist = trend.s_null_distribution([1] * n, n)
    assert trend._exact_p_from_distribution(dist, trend.kendall_s(t, y)) == pytest.approx(res["p_value"], rel=1e-12)


def _brute_force_p(t, y):
    s = abs(trend.kendall_s(t, y))
    perms = list(itertools.permutations(range(len(y))))
    return sum(abs(trend.kendall_s(t, y[list(p)])) >= s for p in perms) / len(perms)


def test_ties_in_values_match_enumeration():
    t = np.arange(7, dtype=float)
    y = np.array([211, 211, 208, 208, 211, 212, 221], dtype=float)
    res = trend.mann_kendall(t, y)
    assert "q-multinomial" in res["method"]
    assert res["p_value"] == pytest.approx(_brute_force_p(t, y), rel=1e-12)


def test_ties_in_time_and_values_match_enumeration():
    t = np.array([0, 0, 1, 2, 3, 4, 5], dtype=float)
    y = np.array([14, 13, 14, 13, 13, 14, 15], dtype=float)
    res = trend.mann_kendall(t, y, np.random.default_rng(0))
    assert "both" in res["method"]
    assert res["p_value"] == pytest.approx(_brute_force_p(t, y), rel=1e-12)


def test_smallest_p():
    assert trend.smallest_p(2) == 1.0
    assert trend.smallest_p(3) == pytest.approx(1 / 3)
    assert trend.smallest_p(4) == pytest.approx(1 / 12)
    assert trend.smallest_p(5) == pytest.approx(1 / 60)
    # four values with one tie: 4!/2! = 12 arrangements, one at each extreme
    assert trend.smallest_p(4, None, [1, 1, 2]) == pytest.approx(2 / 12)
    assert trend.smallest_p(4, None, [4]) == 1.0


def test_constant_or_short_series_are_not_tested():
    assert trend.mann_kendall([1, 2, 3, 4], [99, 99, 99, 99])["p_value"] is None
    assert trend.mann_kendall([1, 2], [1, 2])["p_value"] is None


def test_sen_coverage_at_three_points_is_two_thirds():
    assert trend.sen_coverage([0.0, 1, 2], [1.0, 2, 4]) == pytest.approx(2 / 3)
    assert trend.sen_coverage([0.0, 1], [1.0, 2]) == 0.0


def test_sen_coverage_matches_simulation():
    rng = np.random.default_rng(12)
    t = np.array([0.0, 0.4, 1.1, 1.5, 2.9, 3.0])
    hits = 0
    sims = 3000
    for _ in range(sims):
        y = 2.0 * t + rng.normal(size=t.size)
        res = theilslopes(y, t, alpha=0.95)
        hits += res.low_slope <= 2.0 <= res.high_slope
    exact = trend.sen_coverage(t, 2.0 * t + rng.normal(size=t.size))
    assert hits / sims == pytest.approx(exact, abs=3 * math.sqrt(exact * (1 - exact) / sims) + 0.005)


def test_two_counts_exact_test_is_scipy_binomtest():
    res = trend.two_count_comparison(2622, 2448, 2)
    assert res["p_exact_conditional"] == pytest.approx(binomtest(2622, 2622 + 2448, 0.5).pvalue, rel=1e-9)
    assert res["ratio_low"] < res["ratio"] < res["ratio_high"]
    assert res["annual_growth"] == pytest.approx((2622 / 2448) ** 0.5 - 1)
    assert res["dispersion_threshold"] == pytest.approx((res["z"] / 1.959963984540054) ** 2)


def test_growth_per_year_is_compound_and_undefined_without_a_base():
    assert trend.growth_per_year(100, 121, 2) == pytest.approx(0.1)
    assert math.isnan(trend.growth_per_year(0, 5, 2)) and math.isnan(trend.growth_per_year(5, 6, 0))


def test_decimal_years():
    years = trend.decimal_years(pd.Series(pd.to_datetime(["2024-01-01", "2025-01-01", "2023-07-02"])))
    assert years[:2] == pytest.approx([2024.0, 2025.0])
    assert 2023.49 < years[2] < 2023.51
