"""The statistics added for the referee's points: beta-binomial regression, profile intervals,
leave-one-out p-values, basic intervals, binary weights, the conditional association model, and
the error rule of the precision policy, each against an independent computation."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy.optimize import minimize
from scipy.special import expit
from scipy.stats import betabinom as scipy_betabinom
from scipy.stats import chi2

from analysis.precision import digits_allowed, format_error, format_value, se_decimals
from analysis.stats import association, betabinom, inequality, spatial

Y = np.array([135, 140, 139, 72, 52, 168, 103, 57, 198, 167, 162, 94, 196, 212, 85, 44, 119, 86, 152, 61])
N = np.array([283, 446, 385, 177, 243, 387, 341, 280, 310, 446, 224, 140, 367, 439, 328, 94, 296, 103, 195, 71])
CITY = np.r_[np.zeros(17), np.ones(3)]


def test_regression_with_one_mean_is_the_beta_binomial_fit():
    one = betabinom.fit_regression(Y, N, np.ones((len(Y), 1)))
    fit = betabinom.fit(Y, N)
    assert one["rho"] == pytest.approx(fit["rho"], rel=1e-3)
    assert float(expit(one["coef"][0])) == pytest.approx(fit["mu"], rel=1e-3)


def test_regression_maximises_the_likelihood_found_independently():
    X = np.column_stack([np.ones(len(Y)), CITY])
    res = betabinom.fit_regression(Y, N, X)

    def nll(x):
        mu, s = expit(X @ x[:2]), np.exp(x[2])
        return -np.sum(scipy_betabinom.logpmf(Y, N, mu * s, (1 - mu) * s))

    best = minimize(nll, [0.0, 0.0, 1.0], method="Nelder-Mead", options={"xatol": 1e-9, "fatol": 1e-12, "maxiter": 20000})
    assert res["loglik"] == pytest.approx(-best.fun, abs=1e-3)
    assert res["coef"] == pytest.approx(best.x[:2], abs=2e-3)
    # the standard errors are those of the inverse Hessian: the Wald interval of b1 is close to the profile one
    assert res["coef_se"][1] > 0


def test_profile_interval_is_where_the_profile_deviance_reaches_the_chi2_quantile():
    ones = np.ones((len(Y), 1))
    fitted = betabinom.fit_regression(Y, N, ones)
    low, high = betabinom.profile_interval(Y, N, ones, "rho", 0.95, fitted)
    assert low < fitted["rho"] < high

    def profile(rho):  # brute force: the best mean for this rho
        s = 1 / rho - 1
        return min(-np.sum(scipy_betabinom.logpmf(Y, N, m * s, (1 - m) * s)) for m in np.linspace(0.3, 0.7, 4001))

    crit = chi2.ppf(0.95, 1) / 2
    for bound in (low, high):
        assert profile(bound) + fitted["loglik"] == pytest.approx(crit, abs=0.01)


def test_profile_interval_of_the_sd_maps_the_rho_interval_at_the_mean():
    ones = np.ones((len(Y), 1))
    fitted = betabinom.fit_regression(Y, N, ones)
    rho_low, rho_high = betabinom.profile_interval(Y, N, ones, "rho", 0.95, fitted)
    sd_low, sd_high = betabinom.profile_interval(Y, N, ones, "sd", 0.95, fitted)
    mu = float(fitted["mu"][0])  # mu (1 - mu) is flat near 1/2: the two intervals nearly agree
    assert sd_low == pytest.approx(np.sqrt(mu * (1 - mu) * rho_low), rel=0.02)
    assert sd_high == pytest.approx(np.sqrt(mu * (1 - mu) * rho_high), rel=0.02)


def test_leave_one_out_p_is_the_unit_judged_against_the_fit_without_it():
    ones = np.ones((len(Y), 1))
    loo = betabinom.loo_predictive_p(Y, N, ones)
    keep = np.arange(len(Y)) != 19
    fit = betabinom.fit(Y[keep], N[keep])
    assert loo[19] == pytest.approx(betabinom.predictive_p(Y[19:], N[19:], fit)[0], rel=2e-3)
    # the unit no longer widens the spread it is judged against: its p is smaller than in-sample
    assert loo[19] < betabinom.predictive_p(Y, N, betabinom.fit(Y, N))[19]


def test_basic_interval_reflects_the_percentile_one_about_the_estimate():
    rng = np.random.default_rng(1)
    draws = {"x": rng.normal(5.3, 1.0, 4000)}
    out = inequality.basic_intervals({"x": 5.0}, draws, 0.95).iloc[0]
    q_low, q_high = np.quantile(draws["x"], [0.025, 0.975])
    assert out["ci_low"] == pytest.approx(2 * 5.0 - q_high)
    assert out["ci_high"] == pytest.approx(2 * 5.0 - q_low)
    assert out["bias"] == pytest.approx(draws["x"].mean() - 5.0)
    assert out["sd"] == pytest.approx(draws["x"].std(ddof=1))


def test_binary_weights_and_pair_contributions():
    pairs = [("a", "b"), ("b", "c"), ("c", "d")]
    codes = ["a", "b", "c", "d"]
    W = spatial.weights(pairs, codes, "binary")
    assert W.sum() == 6 and np.array_equal(W, W.T)
    values = np.array([1.0, 4.0, 2.0, 7.0])
    z = values - values.mean()
    parts = spatial.pair_contributions(values, W, codes)
    assert sum(c for *_, c in parts) == pytest.approx(z @ W @ z)
    row = spatial.weights(pairs, codes, "row")
    assert sum(c for *_, c in spatial.pair_contributions(values, row, codes)) == pytest.approx(z @ row @ z)
    with pytest.raises(ValueError, match="weighting style"):
        spatial.weights(pairs, codes, "distance")


def test_conditional_model_tests_the_free_count_given_the_preschools():
    frame = pd.DataFrame({"preschools_inclusive": Y, "preschools_total": N,
                          "sen_children": np.round(N * (1 + 2 * Y / N)).astype(int)})
    a = association.PLANNED_ASSOCIATIONS[1]
    out = association.conditional(frame, a)
    # by hand: the likelihood-ratio of adding log(sen_children) to [1, log(preschools)]
    size = np.log(N)
    null = betabinom.fit_regression(Y, N, np.column_stack([np.ones(len(Y)), size]))
    full = betabinom.fit_regression(Y, N, np.column_stack([np.ones(len(Y)), size, np.log(frame["sen_children"])]))
    assert out["lr"] == pytest.approx(2 * (full["loglik"] - null["loglik"]))
    assert out["odds_ratio_per_doubling"] == pytest.approx(np.exp(full["coef"][-1] * np.log(2)))
    assert out["or_low"] < out["odds_ratio_per_doubling"] < out["or_high"]
    assert association.conditional(frame, association.PLANNED_ASSOCIATIONS[0]) == {}


@pytest.mark.parametrize(("value", "se", "written"), [
    (0.141024, 0.0373, "0.141"), (0.228391, 0.0078, "0.2284"), (9.65592, 3.6, "9.7"),
    (-0.00588596, 0.20, "-0.01"), (0.829988, 0.043, "0.830"), (611.171, None, "611.171"),
    (0.0996, 0.0996, "0.10")])
def test_the_error_rule(value, se, written):
    assert format_value(value, {"significant": 6}, None, se) == written
    if se:
        assert digits_allowed(written, {"significant": 6}, None, None, format_error(se))
        assert not digits_allowed(f"{value:.6f}", {"significant": 6}, None, None, format_error(se))


def test_se_decimals_use_the_error_as_written():
    assert [se_decimals(e) for e in (0.037, 0.0078, 3.6, 0.0996, 14, 250)] == [3, 4, 1, 2, 0, -1]
    assert [format_error(e) for e in (0.2, 0.0996, 0.0373, 14.2, 250)] == ["0.20", "0.10", "0.037", "14", "250"]
