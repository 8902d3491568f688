"""Tests of spatial/models/estimate.py: the bounded search and the Lee-Yu correction."""

from __future__ import annotations

import numpy as np
import pytest

from spatial.exceptions import BoundaryWarning, EstimationError
from spatial.models.estimate import lee_yu_twoways, maximize_scalar


def test_finds_an_interior_maximum_to_full_precision():
    best = maximize_scalar(lambda r: -((r - 0.3141592653589793) ** 2), (-1.0, 1.0))
    assert best.argmax == pytest.approx(0.3141592653589793, abs=1e-9)
    assert best.converged and not best.at_bound


def test_warns_at_a_bound():
    with pytest.warns(BoundaryWarning, match="lies at the bound"):
        best = maximize_scalar(lambda r: r, (-1.0, 1.0))
    assert best.at_bound and best.argmax > 0.999


def test_refuses_a_likelihood_that_is_nowhere_finite():
    with pytest.raises(EstimationError, match="not finite anywhere"):
        maximize_scalar(lambda r: np.full(np.shape(r), np.nan), (-1.0, 1.0))


def test_lee_yu_two_way_formula():
    # theta = (beta, rho, sigma2); information chosen diagonal so the correction is explicit
    theta = np.array([1.0, 0.5, 2.0])
    info = np.diag([10.0, 20.0, 40.0]) * 100  # NT = 100 -> Sigma = diag(10, 20, 40)
    out = lee_yu_twoways(theta, info, nobs=100, n=10, rho_index=1)
    expected = theta + np.array([0.0, (1 / (1 - 0.5)) / 20, (1 / (2 * 2.0)) / 40]) / 10
    np.testing.assert_allclose(out, expected, rtol=1e-15)


def test_a_coarse_approximation_places_the_grid_but_the_exact_function_decides():
    """The coarse function is off by a shift and a tilt: the maximum found is still the
    exact one, and far fewer exact evaluations are spent than on the exact grid."""
    calls = []

    def exact(r):
        calls.append(np.size(r))
        return -((np.asarray(r) - 0.2718281828) ** 2)

    coarse = lambda r: -((np.asarray(r) - 0.35) ** 2) + 0.01 * np.asarray(r)  # noqa: E731
    best = maximize_scalar(exact, (-1.0, 1.0), grid=64, coarse=coarse)
    assert best.argmax == pytest.approx(0.2718281828, abs=1e-9)
    assert sum(calls) < 40 and best.evaluations == sum(calls)
    calls.clear()
    plain = maximize_scalar(exact, (-1.0, 1.0), grid=64)
    assert plain.argmax == pytest.approx(best.argmax, abs=1e-9) and sum(calls) > 64


def test_a_misleading_coarse_approximation_falls_back_to_the_exact_grid():
    """A coarse function whose maximum sits at the other end of the interval: the walk
    gives up after grid // 4 steps and the exact grid is evaluated."""
    best = maximize_scalar(
        lambda r: -((np.asarray(r) + 0.6) ** 2), (-1.0, 1.0), grid=64,
        coarse=lambda r: np.asarray(r),
    )  # fmt: skip
    assert best.argmax == pytest.approx(-0.6, abs=1e-9) and best.evaluations > 64
