"""Moran's I and its tests, against a hand-worked example and full enumeration of permutations."""

from __future__ import annotations

import itertools
import time

import numpy as np
import pytest

from analysis.stats import spatial

LINE = [("A", "B"), ("B", "C"), ("C", "D")]


def _grid_pairs(rows, cols):
    """Rook contiguity on a rows x cols grid, cells coded r*cols + c."""
    pairs = [(r * cols + c, r * cols + c + 1) for r in range(rows) for c in range(cols - 1)]
    return pairs + [(r * cols + c, (r + 1) * cols + c) for r in range(rows - 1) for c in range(cols)]


def test_weights_are_row_standardised_in_the_order_of_codes():
    W = spatial.weights(LINE, ["D", "C", "B", "A"])
    expected = np.array([[0, 1, 0, 0], [0.5, 0, 0.5, 0], [0, 0.5, 0, 0.5], [0, 0, 1, 0]])
    assert np.array_equal(W, expected)
    assert np.allclose(spatial.weights(_grid_pairs(4, 5), range(20)).sum(axis=1), 1)


def test_morans_i_hand_worked_line_of_four():
    # A - B - C - D with values 1, 2, 3, 4; mean 2.5, z = [-1.5, -0.5, 0.5, 1.5].
    # Row-standardised W: A -> B 1; B -> A, C 0.5 each; C -> B, D 0.5 each; D -> C 1; S0 = 4.
    # Wz = [z_B, (z_A + z_C)/2, (z_B + z_D)/2, z_C] = [-0.5, (-1.5 + 0.5)/2, (-0.5 + 1.5)/2, 0.5]
    #    = [-0.5, -0.5, 0.5, 0.5].
    # z'Wz = (-1.5)(-0.5) + (-0.5)(-0.5) + (0.5)(0.5) + (1.5)(0.5) = 0.75 + 0.25 + 0.25 + 0.75 = 2.
    # z'z = 2.25 + 0.25 + 0.25 + 2.25 = 5.
    # I = (n / S0) (z'Wz / z'z) = (4 / 4)(2 / 5) = 0.4.
    W = spatial.weights(LINE, ["A", "B", "C", "D"])
    assert spatial.morans_i([1, 2, 3, 4], W) == pytest.approx(0.4, abs=1e-12)


def test_alternating_patterns_give_negative_i():
    W = spatial.weights(LINE, ["A", "B", "C", "D"])
    # z = +-0.5 and every neighbour of opposite sign: z'Wz = -z'z, I = -1
    assert spatial.morans_i([1, 0, 1, 0], W) == pytest.approx(-1.0, abs=1e-12)
    rows, cols = 4, 5
    checkerboard = [(r + c) % 2 for r in range(rows) for c in range(cols)]
    W = spatial.weights(_grid_pairs(rows, cols), range(rows * cols))
    result = spatial.moran_test(checkerboard, W, 9_999, np.random.default_rng(1))
    assert result["I"] == pytest.approx(-1.0, abs=1e-12)
    assert result["z"] < 0 and result["p_permutation"] < 0.01


def test_smooth_gradient_gives_positive_i():
    rows, cols = 4, 5
    W = spatial.weights(_grid_pairs(rows, cols), range(rows * cols))
    result = spatial.moran_test([r + c for r in range(rows) for c in range(cols)], W, 9_999, np.random.default_rng(2))
    assert result["I"] > 0.5 and result["p_permutation"] < 0.01 and result["p_normal"] < 0.01


def test_permutation_p_is_roughly_uniform_under_the_null():
    rng = np.random.default_rng(2023)
    W = spatial.weights(_grid_pairs(4, 5), range(20))
    p = np.array([spatial.moran_test(rng.normal(size=20), W, 999, rng)["p_permutation"] for _ in range(200)])
    assert 0.01 <= np.mean(p < 0.05) <= 0.10
    assert 0.35 <= np.mean(p < 0.5) <= 0.65


def test_randomisation_moments_equal_the_moments_over_all_permutations():
    # six units on an irregular graph, skewed values: enumerate all 720 arrangements
    codes = list("abcdef")
    pairs = [("a", "b"), ("a", "c"), ("b", "c"), ("c", "d"), ("d", "e"), ("e", "f"), ("b", "f")]
    W = spatial.weights(pairs, codes)
    values = np.array([0.0, 1.0, 1.5, 2.0, 7.0, 20.0])
    every = np.array([spatial.morans_i(values[list(order)], W) for order in itertools.permutations(range(6))])
    result = spatial.moran_test(values, W, 99, np.random.default_rng(0))
    assert result["expected"] == pytest.approx(-1 / 5, abs=1e-12)
    assert every.mean() == pytest.approx(result["expected"], abs=1e-12)
    assert every.var() == pytest.approx(result["variance"], rel=1e-10)
    # and a Monte Carlo check of the same moments for 20 units
    W = spatial.weights(_grid_pairs(4, 5), range(20))
    values = np.random.default_rng(5).exponential(size=20)
    rng = np.random.default_rng(6)
    draws = np.array([spatial.morans_i(rng.permutation(values), W) for _ in range(20_000)])
    result = spatial.moran_test(values, W, 9, np.random.default_rng(0))
    assert draws.mean() == pytest.approx(result["expected"], abs=0.003)
    assert draws.var() == pytest.approx(result["variance"], rel=0.05)


def test_permutation_p_value_counts_and_its_standard_error():
    W = spatial.weights(LINE, ["A", "B", "C", "D"])
    values = [1, 2, 3, 4]
    result = spatial.moran_test(values, W, 4_999, np.random.default_rng(3))
    # only 24 arrangements: the exact two-sided p is the share of them at least as far from E[I]
    every = np.array([spatial.morans_i(np.array(values)[list(o)], W) for o in itertools.permutations(range(4))])
    exact = np.mean(np.abs(every - result["expected"]) >= abs(result["I"] - result["expected"]) - 1e-12)
    se = result["p_permutation_se"]
    assert se == pytest.approx(np.sqrt(result["p_permutation"] * (1 - result["p_permutation"]) / 4_999))
    assert abs(result["p_permutation"] - exact) < 4 * se
    assert result["n_permutations"] == 4_999 and result["n"] == 4


def test_many_permutations_are_fast():
    W = spatial.weights(_grid_pairs(4, 5), range(20))
    start = time.perf_counter()
    spatial.moran_test(np.arange(20.0), W, 99_999, np.random.default_rng(0))
    assert time.perf_counter() - start < 1.0


def test_weights_name_the_problem_code():
    with pytest.raises(ValueError, match="'E'"):
        spatial.weights(LINE, ["A", "B", "C", "D", "E"])
    with pytest.raises(ValueError, match="'Z'"):
        spatial.weights([*LINE, ("D", "Z")], ["A", "B", "C", "D"])
    with pytest.raises(ValueError, match="itself"):
        spatial.weights([*LINE, ("C", "C")], ["A", "B", "C", "D"])


def test_constant_values_are_refused():
    with pytest.raises(ValueError, match="constant"):
        spatial.morans_i([2, 2, 2, 2], spatial.weights(LINE, ["A", "B", "C", "D"]))
