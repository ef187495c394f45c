"""Spearman's rho with permutation p-value, bootstrap interval, Holm, and power at small n."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pandas as pd
import pytest
from scipy.stats import spearmanr

from analysis.stats import association, shortage


def test_spearman_rho_matches_scipy_with_ties_and_along_an_axis():
    rng = np.random.default_rng(2)
    x = rng.integers(0, 6, size=(4, 15)).astype(float)
    y = rng.integers(0, 6, size=(4, 15)).astype(float)
    got = association.spearman_rho(x, y)
    want = [spearmanr(a, b).statistic for a, b in zip(x, y, strict=True)]
    assert got == pytest.approx(want, rel=1e-12)


def test_permutation_p_is_exact_enumeration_for_small_n():
    x = np.array([1.0, 2, 3, 4, 5])
    y = np.array([2.0, 1, 4, 3, 5])
    rho = association.spearman_rho(x, y)
    hits = sum(abs(association.spearman_rho(x, y[list(p)])) >= abs(rho) - 1e-12 for p in itertools.permutations(range(5)))
    res = association.spearman_test(x, y, n_permutations=200, n_bootstrap=200, rng=np.random.default_rng(0))
    assert res["exact"]
    assert res["p_value"] == pytest.approx(hits / math.factorial(5))
    assert res["rho"] == pytest.approx(0.8)
    assert res["ci_low"] <= res["rho"] <= res["ci_high"]


def test_smallest_permutation_p():
    assert association.smallest_permutation_p(3, 100) == pytest.approx(1 / 3)
    assert association.smallest_permutation_p(20, 9999) == pytest.approx(1e-4)


def test_seeded_results_repeat():
    rng_data = np.random.default_rng(4)
    x, y = rng_data.normal(size=20), rng_data.normal(size=20)
    a = association.spearman_test(x, y, 999, 500, np.random.default_rng(11))
    b = association.spearman_test(x, y, 999, 500, np.random.default_rng(11))
    assert a == b


def test_holm_by_hand():
    # sorted 0.01, 0.03, 0.04 -> 3 x 0.01, max(0.03, 2 x 0.03), max(0.06, 1 x 0.04)
    assert association.holm([0.01, 0.04, 0.03]) == pytest.approx([0.03, 0.06, 0.06])


def test_power_is_alpha_at_rho_zero_and_inverts():
    assert association.power_spearman(0.0, 20, 0.05) == pytest.approx(0.05)
    rho = association.detectable_rho(20, 0.05, 0.8)
    assert association.power_spearman(rho, 20, 0.05) == pytest.approx(0.8, abs=1e-6)
    assert association.power_spearman(0.5, 40) > association.power_spearman(0.5, 20)


def test_analytic_power_agrees_with_simulation():
    simulated = association.simulated_power(0.5, 20, 0.05, 4000, np.random.default_rng(8))
    assert association.power_spearman(0.5, 20, 0.05) == pytest.approx(simulated, abs=0.04)


def test_planned_associations_are_few_and_computable():
    planned = association.PLANNED_ASSOCIATIONS
    assert 1 <= len(planned) <= 3
    assert len({a.key for a in planned}) == len(planned)
    frame = pd.DataFrame({"region_iso": ["KZ-10", "KZ-71"], "type": ["region", "city"],
                          "shortage_total": [157, 1327], "shortage_urban": [83, 1327], "shortage_rural": [74, 0],
                          "shortage_state": [62, 171], "shortage_private": [95, 1156],
                          "preschools_total": [283, 103], "preschools_inclusive": [135, 86], "sen_children": [223, 736]})
    ratios = shortage.add_ratios(frame)
    for a in planned:
        assert a.x in ratios.columns and a.y in ratios.columns
        assert a.shared_term
    assert association.planned_table()["key"].tolist() == [a.key for a in planned]
