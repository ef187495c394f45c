"""Spearman's rho with exact or Monte-Carlo permutation p-values (plain and matched nulls), Holm with
Monte-Carlo errors, Fisher-z intervals, and power at small n."""

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
    null = np.array([association.spearman_rho(x, y[list(p)]) for p in itertools.permutations(range(5))])
    upper, lower = np.mean(null >= rho - 1e-12), np.mean(null <= rho + 1e-12)
    res = association.permutation_test(x, lambda order: y[order], 5, 200, np.random.default_rng(0))
    assert res["exact"] and res["p_mcse"] == 0 and res["resamples"] == math.factorial(5)
    assert res["p_value"] == pytest.approx(min(1.0, 2 * min(upper, lower)))
    assert res["rho"] == pytest.approx(0.8)


def test_smallest_permutation_p_counts_both_tails():
    assert association.smallest_permutation_p(3, 100) == pytest.approx(2 / 6)
    assert association.smallest_permutation_p(20, 9999) == pytest.approx(2 / 10_000)


def test_monte_carlo_p_carries_its_error_and_a_second_seed_agrees():
    rng_data = np.random.default_rng(4)
    x, y = rng_data.normal(size=20), rng_data.normal(size=20)
    x[:10] += y[:10]
    def test(seed):  # the plain null, as associate runs it (ranks permuted, not re-ranked)
        return association.permutation_test(x, lambda order: y[order], 20, 200_000, np.random.default_rng(seed),
                                            permutes=True)
    a, b = test(11), test(12)
    assert a == test(11)
    tail = a["p_value"] / 2
    assert a["p_mcse"] == pytest.approx(2 * math.sqrt(tail * (1 - tail) / 200_000))
    assert abs(a["p_value"] - b["p_value"]) < 4 * math.hypot(a["p_mcse"], b["p_mcse"])
    # the large-sample t approximation of scipy is close at this n
    assert a["p_value"] == pytest.approx(spearmanr(x, y).pvalue, abs=0.02)


def test_matched_null_keeps_the_shared_denominator():
    # y = s / d and x = i / d share d: permuting s keeps d with its region, so the null is not centred at 0.
    rng = np.random.default_rng(5)
    d = rng.uniform(50, 500, 20)
    frame = pd.DataFrame({"inc": rng.uniform(0.2, 0.8, 20) * d, "d": d, "s": rng.uniform(0.5, 2, 20) * d ** 0.3})
    frame["x"] = frame["inc"] / frame["d"]
    frame["y"] = frame["s"] / frame["d"]
    a = association.Association("k", "x", "y", "q", "d is the denominator of both", free="s", num="s", den="d")
    res = association.associate(frame, a, 100_000, np.random.default_rng(1))
    plain = association.permutation_test(frame["x"].to_numpy(), lambda o: frame["y"].to_numpy()[o], 20, 100_000,
                                         np.random.default_rng(1))
    assert res["rho"] == pytest.approx(spearmanr(frame["x"], frame["y"]).statistic)
    assert abs(plain["null_mean"]) < 0.01
    assert res["null_mean"] < -0.1 or res["null_mean"] > 0.1, "the shared term alone correlates the ratios"
    assert res["p_value"] != res["p_plain"]


def test_holm_with_mcse_leaves_straddling_decisions_open():
    adjusted, err, decision = association.holm_with_mcse([0.010, 0.030, 0.0245], [0.001, 0.0001, 0.0005], 0.05)
    # sorted: 0.010 (x3 = 0.030), 0.0245 (x2 = 0.049), 0.030 (x1 = 0.030 -> running max 0.049)
    assert adjusted == pytest.approx([0.030, 0.049, 0.049])
    assert err == pytest.approx([0.003, 0.001, 0.001])
    assert decision == ["significant", "undetermined", "undetermined"]


def test_fisher_interval_contains_rho_and_narrows_with_n():
    low, high = association.fisher_interval(0.4, 20)
    assert low < 0.4 < high
    low2, high2 = association.fisher_interval(0.4, 200)
    assert high2 - low2 < high - low


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


def test_average_ranks_are_rankdatas_bit_for_bit_with_ties():
    import numpy as np
    from scipy.stats import rankdata

    from analysis.stats.association import average_ranks

    rng = np.random.default_rng(3)
    rows = np.round(rng.random((500, 20)) * 6) / 7  # many ties, non-integer values
    assert np.array_equal(average_ranks(rows), rankdata(rows, axis=-1))
    with_nan = rows.copy()
    with_nan[0, 3] = np.nan
    assert np.array_equal(average_ranks(with_nan), rankdata(with_nan, axis=-1), equal_nan=True)


def test_permuted_ranks_give_the_same_test_as_ranking_each_permutation():
    import numpy as np

    from analysis.stats.association import permutation_test

    rng = np.random.default_rng(5)
    x, y = rng.random(20), np.round(rng.random(20) * 5)
    by_ranking = permutation_test(x, lambda order: y[order], 20, 3000, np.random.default_rng(9))
    by_permuting = permutation_test(x, lambda order: y[order], 20, 3000, np.random.default_rng(9), permutes=True)
    assert by_permuting == by_ranking
