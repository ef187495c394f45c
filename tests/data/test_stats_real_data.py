"""The statistical methods on the real Table 1: approximate values that guard against gross errors
(the referee's independent recomputation), not references."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy.stats import betabinom as scipy_betabinom

from analysis import paths
from analysis.stats import betabinom


def test_real_data_sanity():
    """Approximate values for Table 1 (20 regions, 2023); a guard against gross errors, not a reference."""
    t1 = pd.read_csv(paths.PROCESSED / "preschool_inclusion_2023.csv")
    y, n = t1["preschools_inclusive"], t1["preschools_total"]
    fit = betabinom.fit(y, n)
    assert fit["rho"] == pytest.approx(0.14, abs=0.01)
    assert 100 * fit["sd_true"] == pytest.approx(18.8, abs=0.5)
    shymkent = (t1["region_iso"] == "KZ-79").to_numpy()
    assert 100 * betabinom.shrunken(y, n, fit)["shrunk_share"].to_numpy()[shymkent][0] == pytest.approx(83, abs=0.5)
    p = betabinom.predictive_p(y, n, fit)
    assert t1["region_iso"][np.argmin(p)] == "KZ-79"
    # mid-p 0.050; the ordinary two-sided p, 2 P(Y >= 61), is 0.056
    assert p.min() == pytest.approx(0.050, abs=0.005)
    a, b = fit["alpha"], fit["beta"]
    assert 2 * scipy_betabinom.sf(60, 71, a, b) == pytest.approx(0.056, abs=0.002)
