"""Chi-square homogeneity, Cramér's V (plain and bias-corrected) and Wilson intervals."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pandas as pd
import pytest
from scipy.stats.contingency import association

from analysis.stats import disparity

# Newcombe (1998), Statistics in Medicine 17:857-872, Table I, method 3 (Wilson score, no continuity
# correction), printed to four decimals.
NEWCOMBE = [((81, 263), (0.2553, 0.3662)), ((15, 148), (0.0624, 0.1605)), ((0, 20), (0.0, 0.1611)),
            ((1, 29), (0.0061, 0.1718))]


@pytest.mark.parametrize(("counts", "expected"), NEWCOMBE)
def test_wilson_intervals_match_newcombe_1998(counts, expected):
    out = disparity.wilson_intervals([counts[0]], [counts[1]])
    assert out.loc[0, "ci_low"] == pytest.approx(expected[0], abs=5e-5)
    assert out.loc[0, "ci_high"] == pytest.approx(expected[1], abs=5e-5)
    assert out.loc[0, "share"] == pytest.approx(counts[0] / counts[1])


def _exact_chi2(successes, totals) -> Fraction:
    """Pearson's chi-square of a k x 2 table in exact rational arithmetic."""
    rows = [(Fraction(s), Fraction(t - s)) for s, t in zip(successes, totals, strict=True)]
    n = sum(a + b for a, b in rows)
    cols = (sum(a for a, _ in rows), sum(b for _, b in rows))
    chi2 = Fraction(0)
    for a, b in rows:
        for observed, col in ((a, cols[0]), (b, cols[1])):
            expected = (a + b) * col / n
            chi2 += (observed - expected) ** 2 / expected
    return chi2


def test_chi2_homogeneity_against_exact_arithmetic_and_scipy_v():
    successes, totals = [10, 25, 40], [30, 50, 60]
    res = disparity.chi2_homogeneity(successes, totals)
    exact = _exact_chi2(successes, totals)
    n = sum(totals)
    assert res["statistic"] == pytest.approx(float(exact), rel=1e-12)
    assert res["dof"] == 2 and res["n"] == n
    assert res["cramers_v"] == pytest.approx(float(exact / n) ** 0.5, rel=1e-12)
    table = np.column_stack([successes, np.subtract(totals, successes)])
    assert res["cramers_v"] == pytest.approx(association(table, method="cramer", correction=False), rel=1e-12)
    assert res["min_expected"] == pytest.approx(30 * 65 / 140)  # smallest row total x smaller column total


def test_bias_corrected_v_by_hand():
    # Bergsma (2013): phi2~ = max(0, phi2 - (r-1)(c-1)/(n-1)), r~ = r - (r-1)^2/(n-1), c~ likewise.
    chi2, n, r, c = Fraction(12), 100, 3, 2
    phi2 = chi2 / n - Fraction((r - 1) * (c - 1), n - 1)
    r_t = r - Fraction((r - 1) ** 2, n - 1)
    c_t = c - Fraction((c - 1) ** 2, n - 1)
    expected = float(phi2 / min(r_t - 1, c_t - 1)) ** 0.5
    assert disparity.cramers_v_corrected(12.0, n, (r, c)) == pytest.approx(expected, rel=1e-12)
    assert disparity.cramers_v_corrected(12.0, n, (r, c)) < disparity.cramers_v(12.0, n, (r, c))


def test_bias_corrected_v_is_near_zero_without_association():
    rng = np.random.default_rng(1)
    plain, corrected = [], []
    for _ in range(300):
        totals = np.full(6, 20)
        successes = rng.binomial(totals, 0.4)
        res = disparity.chi2_homogeneity(successes, totals)
        plain.append(res["cramers_v"])
        corrected.append(res["cramers_v_corrected"])
    assert np.mean(corrected) < 0.5 * np.mean(plain)


def test_bad_counts_are_refused():
    with pytest.raises(ValueError, match="between 0 and the totals"):
        disparity.chi2_homogeneity([5, 12], [10, 10])


def test_wilson_frame_columns():
    out = disparity.wilson_intervals([1, 2], [4, 8])
    pd.testing.assert_index_equal(out.columns, pd.Index(["successes", "total", "share", "ci_low", "ci_high"]))
    assert (out["ci_low"] < out["share"]).all() and (out["share"] < out["ci_high"]).all()
