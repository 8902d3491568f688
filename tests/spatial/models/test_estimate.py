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
