"""Global spatial autocorrelation of regional values: Moran's I with analytic and permutation tests.

* :func:`weights`: a contiguity matrix from a list of neighbour pairs, row-standardised (w_ij = 1 / k_i
  if j is one of the k_i neighbours of i, else 0, so every row sums to 1) or binary (w_ij = 1);
* :func:`pair_contributions`: each neighbour pair's share of the cross-product sum z' W z (what
  drives the sign of I).
* :func:`morans_i`: I = (n / S0) * (z' W z) / (z' z), z = x - mean(x), S0 = sum_ij w_ij (= n when rows
  are standardised). I is near E[I] = -1 / (n - 1) when values are spatially unrelated, positive
  when neighbours resemble each other, negative when they differ (a checkerboard gives -1).
* :func:`moran_test`: the analytic moments under randomisation (every assignment of the observed
  values to the units equally likely; Cliff & Ord 1981), with a normal z and p, and a
  Monte Carlo permutation test of the same null, two-sided about E[I]
  (p = (1 + #{b: |I_b - E[I]| >= |I_obs - E[I]|}) / (B + 1); Davison & Hinkley 1997, ch. 4).

The randomisation variance, with S1 = (1/2) sum_ij (w_ij + w_ji)^2, S2 = sum_i (w_i. + w_.i)^2
(row and column sums) and the sample kurtosis b2 = n sum z^4 / (sum z^2)^2:

    E[I^2] = [n ((n^2 - 3n + 3) S1 - n S2 + 3 S0^2) - b2 ((n^2 - n) S1 - 2n S2 + 6 S0^2)]
             / ((n - 1)(n - 2)(n - 3) S0^2),
    Var(I) = E[I^2] - E[I]^2.

These are the exact mean and variance of the permutation distribution (they are tested against a
full enumeration); the normal approximation to its shape is what is rough at n = 20, hence the
permutation p-value, reported with its Monte Carlo standard error sqrt(p (1 - p) / B).

Why not PySAL. ``esda`` (with ``libpysal``) computes the same statistic and installs cleanly, but
importing it costs about 4.4 s (it pulls in scikit-learn and geopandas) in every notebook that uses
it, for a statistic of 20 numbers and a 20 x 20 matrix. The ~60 lines here are checked against a
hand-worked example and against enumeration in tests/unit/test_stats_spatial.py.

What it cannot show. With 20 regions the test has little power: only a strong, map-wide pattern can
reach significance, and a non-significant I is not evidence that there is no regional clustering.
The result depends on the definition of neighbours (shared border, distance, travel links; whether
the cities of republican significance, enclosed by or bordering one region, count as neighbours of
that region only) and on row standardisation, which gives a region with one neighbour as much
total weight as one with six. A single global I summarises the whole map; it does not say where
clusters are, and it cannot separate a spatial process from shared causes (climate, settlement
pattern, administrative history) that happen to be spatially arranged.

References: A. D. Cliff and J. K. Ord (1981), Spatial Processes: Models and Applications, Pion,
London (moments of I under randomisation); P. A. P. Moran (1950), "Notes on
continuous stochastic phenomena", Biometrika 37:17-23; A. C. Davison and D. V. Hinkley (1997),
Bootstrap Methods and their Application, Cambridge University Press (Monte Carlo tests).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
from scipy.stats import norm

#: Permutations evaluated per batch (10 000 x n values at a time).
BATCH = 10_000


#: Spatial weighting schemes of :func:`weights`.
STYLES = ("row", "binary")


def weights(pairs: Iterable[tuple], codes: Sequence, style: str = "row") -> np.ndarray:
    """Spatial weights (n x n) in the order of ``codes``: row-standardised (``style="row"``, rows
    summing to 1, so a unit with one neighbour gives it the whole weight) or binary (``"binary"``,
    1 for every neighbour pair, so every pair counts alike).

    ``pairs`` is an undirected list of neighbours, each pair given once in either order
    (a pair given twice counts once). Raises ValueError naming the code when a pair names a code not
    in ``codes``, a unit is paired with itself, or a code has no neighbour (an isolated unit has an
    undefined row; drop it or give it a neighbour explicitly).
    """
    codes = list(codes)
    if len(set(codes)) != len(codes):
        raise ValueError("codes must be unique")
    index = {code: i for i, code in enumerate(codes)}
    adjacency = np.zeros((len(codes), len(codes)))
    for pair in pairs:
        first, second = pair
        for code in (first, second):
            if code not in index:
                raise ValueError(f"neighbour pair {pair!r} names unknown code {code!r}")
        if first == second:
            raise ValueError(f"code {first!r} is paired with itself")
        adjacency[index[first], index[second]] = adjacency[index[second], index[first]] = 1.0
    degree = adjacency.sum(axis=1)
    isolated = [code for code, k in zip(codes, degree, strict=True) if k == 0]
    if isolated:
        raise ValueError(f"code(s) with no neighbour: {', '.join(map(repr, isolated))}")
    if style not in STYLES:
        raise ValueError(f"unknown weighting style {style!r}; use one of {STYLES}")
    return adjacency / degree[:, None] if style == "row" else adjacency


def pair_contributions(values, W, codes: Sequence) -> list[tuple[str, str, float]]:
    """Each neighbour pair (a, b) with its term (w_ab + w_ba) z_a z_b of the cross-product sum
    z' W z (z = values - their mean): a negative term is a pair of neighbours on opposite sides of
    the mean. The terms add up to z' W z, whose sign is the sign of I."""
    z, W = _centred(values, W)
    codes = list(codes)
    out = []
    for i in range(len(z)):
        for j in range(i + 1, len(z)):
            if W[i, j] or W[j, i]:
                out.append((codes[i], codes[j], float((W[i, j] + W[j, i]) * z[i] * z[j])))
    return out


def _centred(values, W) -> tuple[np.ndarray, np.ndarray]:
    z = np.asarray(values, dtype=float)
    W = np.asarray(W, dtype=float)
    if z.ndim != 1 or W.shape != (len(z), len(z)):
        raise ValueError(f"values must be a vector of length n and W an n x n matrix, got {z.shape} and {W.shape}")
    z = z - z.mean()
    if not np.any(z):
        raise ValueError("Moran's I is undefined for constant values")
    return z, W


def morans_i(values, W) -> float:
    """Moran's I = (n / S0) * (z' W z) / (z' z) with z = values - mean(values), S0 = sum of weights."""
    z, W = _centred(values, W)
    return float(len(z) / W.sum() * (z @ W @ z) / (z @ z))


def _randomisation_moments(z: np.ndarray, W: np.ndarray) -> tuple[float, float]:
    """E[I] and Var(I) under randomisation (Cliff & Ord 1981); Var is NaN for n < 4."""
    n = len(z)
    expected = -1 / (n - 1)
    if n < 4:
        return expected, float("nan")
    s0 = W.sum()
    s1 = 0.5 * np.sum((W + W.T) ** 2)
    s2 = np.sum((W.sum(axis=1) + W.sum(axis=0)) ** 2)
    b2 = n * np.sum(z ** 4) / np.sum(z ** 2) ** 2
    second = (n * ((n ** 2 - 3 * n + 3) * s1 - n * s2 + 3 * s0 ** 2)
              - b2 * ((n ** 2 - n) * s1 - 2 * n * s2 + 6 * s0 ** 2)) / ((n - 1) * (n - 2) * (n - 3) * s0 ** 2)
    return expected, float(second - expected ** 2)


def moran_test(values, W, n_permutations: int = 99_999, rng: np.random.Generator | None = None) -> dict:
    """Moran's I with its analytic (randomisation) test and a two-sided permutation test.

    Returns I; expected = -1 / (n - 1); variance under randomisation (module docstring), z =
    (I - expected) / sqrt(variance) and its two-sided normal p_normal; p_permutation =
    (1 + #{|I_b - expected| >= |I - expected|}) / (B + 1) over B = ``n_permutations`` random
    permutations of the values (``rng``, default ``numpy.random.default_rng(0)``), with its Monte
    Carlo standard error p_permutation_se = sqrt(p (1 - p) / B); n_permutations and n.
    Permutations are drawn in batches of :data:`BATCH` rows and evaluated as one matrix product.
    """
    if n_permutations < 1:
        raise ValueError("n_permutations must be at least 1")
    z, W = _centred(values, W)
    n = len(z)
    rng = rng or np.random.default_rng(0)
    scale = n / W.sum() / (z @ z)  # z'z and S0 do not change under permutation
    observed = float(scale * (z @ W @ z))
    expected, variance = _randomisation_moments(z, W)
    z_score = (observed - expected) / np.sqrt(variance)
    # a permutation that reproduces the observed arrangement must count despite rounding
    threshold = abs(observed - expected) - 1e-12 * max(1.0, abs(observed))
    extreme, done = 0, 0
    while done < n_permutations:
        rows = min(BATCH, n_permutations - done)
        permuted = rng.permuted(np.broadcast_to(z, (rows, n)), axis=1)
        stats = scale * np.sum((permuted @ W) * permuted, axis=1)
        extreme += int(np.count_nonzero(np.abs(stats - expected) >= threshold))
        done += rows
    p_perm = (1 + extreme) / (n_permutations + 1)
    return {"I": observed, "expected": expected, "variance": variance, "z": float(z_score),
            "p_normal": float(2 * norm.sf(abs(z_score))), "p_permutation": p_perm,
            "p_permutation_se": float(np.sqrt(p_perm * (1 - p_perm) / n_permutations)),
            "n_permutations": int(n_permutations), "n": n}
