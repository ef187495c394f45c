"""Disparity indices against textbook values and independent computations."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.stats import entropy

from analysis.stats import inequality


def test_gini_of_one_to_five():
    # Mean absolute difference of 1..5 is 8/5, mean 3: G = (8/5) / (2 * 3) = 4/15.
    assert inequality.gini([1, 2, 3, 4, 5]) == pytest.approx(4 / 15)
    assert inequality.gini([2, 2, 2]) == pytest.approx(0.0)


def test_weighted_indices_equal_replicated_units():
    x = np.array([0.2, 0.5, 0.9])
    w = np.array([3, 1, 2])
    replicated = np.repeat(x, w)
    assert inequality.gini(x, w) == pytest.approx(inequality.gini(replicated))
    assert inequality.theil(x, w) == pytest.approx(inequality.theil(replicated))
    assert inequality.cv(x, w) == pytest.approx(np.std(replicated) / np.mean(replicated))


def test_weighted_gini_equals_lorenz_area():
    n = np.array([283, 446, 385, 177, 71])
    y = np.array([135, 140, 139, 72, 61])
    curve = inequality.lorenz_curve(n, y)
    assert inequality.lorenz_gini(curve) == pytest.approx(inequality.gini(y / n, n), rel=1e-12)
    assert curve["cum_population"].iloc[-1] == pytest.approx(1) and curve["cum_amount"].iloc[-1] == pytest.approx(1)
    assert curve["cum_amount"].is_monotonic_increasing


def test_theil_of_one_and_three():
    # mu = 2: T = (1/2)(0.5 ln 0.5 + 1.5 ln 1.5)
    assert inequality.theil([1, 3]) == pytest.approx(0.5 * (0.5 * np.log(0.5) + 1.5 * np.log(1.5)))


def test_weighted_theil_is_kullback_leibler_divergence():
    n = np.array([283, 446, 385, 177, 243, 71])
    y = np.array([135, 140, 139, 72, 52, 61])
    assert inequality.theil(y / n, n) == pytest.approx(entropy(y / y.sum(), n / n.sum()), rel=1e-12)


def test_theil_split_adds_up_and_between_is_group_divergence():
    n = np.array([283, 446, 385, 177, 103, 195, 71])
    y = np.array([135, 140, 139, 72, 86, 152, 61])
    groups = np.array(["region"] * 4 + ["city"] * 3)
    split = inequality.theil_split(y / n, groups, n)
    assert split["between"] + split["within"] == pytest.approx(split["total"], rel=1e-12)
    ng = np.array([n[groups == g].sum() for g in ("city", "region")])
    yg = np.array([y[groups == g].sum() for g in ("city", "region")])
    assert split["between"] == pytest.approx(entropy(yg / yg.sum(), ng / ng.sum()), rel=1e-12)
    unweighted = inequality.theil_split(y / n, groups)
    assert unweighted["between"] + unweighted["within"] == pytest.approx(inequality.theil(y / n), rel=1e-12)


def test_indices_work_along_the_last_axis():
    x = np.array([[0.2, 0.4, 0.6], [0.3, 0.3, 0.3]])
    assert inequality.gini(x) == pytest.approx([inequality.gini(x[0]), 0.0])
    assert inequality.theil(x, [1, 2, 3]) == pytest.approx([inequality.theil(x[0], [1, 2, 3]), 0.0])


def test_binomial_resample_is_seeded_and_centred():
    totals = np.array([100, 400])
    successes = np.array([20, 300])
    a = inequality.binomial_resample(successes, totals, 4000, np.random.default_rng(3))
    b = inequality.binomial_resample(successes, totals, 4000, np.random.default_rng(3))
    np.testing.assert_array_equal(a, b)
    assert a.shape == (4000, 2)
    assert a.mean(axis=0) == pytest.approx(successes, rel=0.02)


def test_resampled_intervals_bracket_the_estimates():
    totals = np.array([283, 446, 385, 177, 103, 195, 71])
    successes = np.array([135, 140, 139, 72, 86, 152, 61])
    groups = np.array(["region"] * 4 + ["city"] * 3)
    out = inequality.resampled_intervals(successes, totals, groups, 500, np.random.default_rng(5))
    assert set(out["index"]) >= {"gini_weighted", "theil_between_weighted", "max_min_ratio_unweighted"}
    assert (out["ci_low"] <= out["ci_high"]).all()
    inside = (out["ci_low"] <= out["estimate"] * 1.05) & (out["estimate"] * 0.95 <= out["ci_high"])
    assert inside.all()
