"""Tests of coupling/standardize.py."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from coupling import standardize
from coupling.exceptions import ConstantIndicatorError, InvalidOptionError
from coupling.standardize import indicator_bounds


def test_positive_and_negative_by_hand():
    x = np.array([[2.0, 10.0], [4.0, 30.0], [6.0, 20.0]])
    # column 0 (+): (x - 2)/4 = 0, 0.5, 1; column 1 (-): (30 - x)/20 = 1, 0, 0.5
    z = standardize(x, ["+", "-"], shift=0.0)
    np.testing.assert_allclose(z, [[0, 1], [0.5, 0], [1, 0.5]], rtol=0, atol=1e-15)
    np.testing.assert_allclose(standardize(x, [1, -1]), z + 1e-4, rtol=0, atol=1e-15)


def test_batched_scopes_standardize_separately_and_input_is_kept():
    x = np.arange(24.0).reshape(2, 4, 3) ** 1.5
    before = x.copy()
    z = standardize(x, ["+", "+", "-"], shift=0.0)
    for k in range(2):
        np.testing.assert_allclose(z[k], standardize(x[k], ["+", "+", "-"], shift=0.0), rtol=1e-15)
    np.testing.assert_array_equal(x, before)
    assert z.min() == 0 and z.max() == 1


def test_given_bounds_are_used():
    x = np.array([[1.0], [3.0]])
    z = standardize(x, ["+"], shift=0.0, bounds=(np.array([[0.0]]), np.array([[4.0]])))
    np.testing.assert_allclose(z, [[0.25], [0.75]], rtol=1e-15)
    lo, hi = indicator_bounds(np.ones((2, 5, 3)))
    assert lo.shape == hi.shape == (2, 1, 3)


def test_constant_column():
    x = np.array([[1.0, 5.0], [2.0, 5.0], [3.0, 5.0]])
    with pytest.raises(ConstantIndicatorError, match=r"column\(s\) \[1\] are constant"):
        standardize(x, ["+", "+"])
    z = standardize(x, ["+", "+"], constant="drop", shift=0.01)
    assert (z[:, 1] == 0.0).all()
    np.testing.assert_allclose(z[:, 0], [0.01, 0.51, 1.01], rtol=1e-15)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"directions": ["+", "up"]}, "directions must hold"),
        ({"directions": ["+"]}, "directions must hold"),
        ({"shift": np.nan}, "shift must be"),
        ({"constant": "zero"}, "constant="),
    ],
)
def test_bad_options(kwargs, match):
    args = {"directions": ["+", "-"], **kwargs}
    with pytest.raises(InvalidOptionError, match=match):
        standardize(np.eye(2), **args)


def test_needs_two_dimensions():
    with pytest.raises(InvalidOptionError, match="n_rows, n_indicators"):
        standardize(np.arange(3.0), ["+"])


@settings(max_examples=50, deadline=None)
@given(
    x=hnp.arrays(np.float64, (6, 3), elements=st.floats(-1e6, 1e6)).filter(
        lambda a: (np.ptp(a, axis=0) > 1e-3).all()
    ),
    shift=st.floats(0, 0.1),
)
def test_range_and_extremes(x, shift):
    z = standardize(x, ["+", "-", "+"], shift=shift)
    assert np.all(z >= shift - 1e-12) and np.all(z <= 1 + shift + 1e-12)
    np.testing.assert_allclose(z.min(axis=0), shift, atol=1e-12)
    np.testing.assert_allclose(z.max(axis=0), 1 + shift, atol=1e-12)
