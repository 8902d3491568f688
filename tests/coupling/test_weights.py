"""Tests of coupling/weights.py and coupling/index.py."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from coupling import composite_index, critic_weights, cv_weights, entropy_weights, equal_weights
from coupling.exceptions import InvalidOptionError


def _entropy(column: list[float]) -> float:
    """Shannon entropy of a column normalized by ln n, written out with math."""
    total = sum(column)
    return -sum((v / total) * math.log(v / total) for v in column if v > 0) / math.log(len(column))


def test_entropy_by_hand():
    z = np.array([[1.0, 1.0], [2.0, 1.0], [3.0, 2.0]])
    # p = (1/6, 1/3, 1/2) and (1/4, 1/4, 1/2)
    e1 = -(1 / 6 * math.log(1 / 6) + 1 / 3 * math.log(1 / 3) + 1 / 2 * math.log(1 / 2)) / math.log(
        3
    )
    e2 = -(2 * 0.25 * math.log(0.25) + 0.5 * math.log(0.5)) / math.log(3)
    res = entropy_weights(z)
    np.testing.assert_allclose(res.entropy, [e1, e2], rtol=1e-14)
    np.testing.assert_allclose(res.divergence, [1 - e1, 1 - e2], rtol=1e-14)
    total = (1 - e1) + (1 - e2)
    np.testing.assert_allclose(res.weight, [(1 - e1) / total, (1 - e2) / total], rtol=1e-14)


def test_entropy_zero_log_zero_and_zero_column():
    z = np.array([[0.0, 0.0], [1.0, 0.0], [3.0, 0.0]])
    res = entropy_weights(z)
    assert res.entropy[0] == pytest.approx(_entropy([0.0, 1.0, 3.0]), rel=1e-14)
    assert res.entropy[1] == 1.0 and res.weight[1] == 0.0 and res.weight[0] == 1.0


def test_entropy_groups_and_batches():
    rng = np.random.default_rng(0)
    z = rng.uniform(0.01, 1, size=(4, 9, 5))
    groups = [0, 0, 1, 1, 1]
    res = entropy_weights(z, groups)
    for b in range(4):
        e = [_entropy(z[b, :, j].tolist()) for j in range(5)]
        np.testing.assert_allclose(res.entropy[b], e, rtol=1e-13)
        d = 1 - np.array(e)
        np.testing.assert_allclose(res.weight[b, :2], d[:2] / d[:2].sum(), rtol=1e-13)
        np.testing.assert_allclose(res.weight[b, 2:], d[2:] / d[2:].sum(), rtol=1e-13)


def test_critic_against_textbook_loop():
    rng = np.random.default_rng(1)
    z = rng.uniform(size=(12, 5))
    groups = [0, 0, 0, 1, 1]
    res = critic_weights(z, groups)
    info = np.empty(5)
    for j in range(5):
        mates = [k for k in range(5) if groups[k] == groups[j]]
        r = np.corrcoef(z[:, mates], rowvar=False)[mates.index(j)]
        info[j] = z[:, j].std(ddof=1) * np.sum(1 - r)
    np.testing.assert_allclose(res.information, info, rtol=1e-12)
    np.testing.assert_allclose(res.weight[:3], info[:3] / info[:3].sum(), rtol=1e-12)
    np.testing.assert_allclose(res.weight[3:], info[3:] / info[3:].sum(), rtol=1e-12)


def test_critic_perfectly_correlated_subsystem_is_undefined():
    z = np.array([[1.0, 0.5, 0.2], [0.125, 0.125, 0.9], [0.125, 0.125, 0.4]])
    res = critic_weights(z, [0, 0, 1])
    assert np.isnan(res.weight[:2]).all() and res.weight[2] == 1.0
    assert (res.conflict[:2] == 0).all()


def test_critic_single_and_constant_indicators():
    rng = np.random.default_rng(2)
    z = rng.uniform(size=(8, 4))
    z[:, 2] = 0.5  # constant: information 0, left out of the others' conflict
    res = critic_weights(z, [0, 1, 1, 2])
    assert res.weight[0] == 1.0 and res.weight[3] == 1.0  # one-indicator subsystems
    assert res.weight[2] == 0.0 and res.weight[1] == 1.0  # only live indicator of its group


def test_cv_against_loop():
    rng = np.random.default_rng(3)
    z = rng.uniform(0.1, 1, size=(10, 4))
    res = cv_weights(z, [0, 0, 1, 1])
    v = z.std(axis=0, ddof=1) / z.mean(axis=0)
    np.testing.assert_allclose(res.cv, v, rtol=1e-13)
    np.testing.assert_allclose(res.weight, [*v[:2] / v[:2].sum(), *v[2:] / v[2:].sum()], rtol=1e-13)


def test_equal_weights_and_composite_index():
    np.testing.assert_allclose(equal_weights(5, [0, 0, 1, 1, 1]), [0.5, 0.5, 1 / 3, 1 / 3, 1 / 3])
    z = np.array([[0.2, 0.4, 1.0, 0.0], [1.0, 0.0, 0.5, 0.5]])
    u = composite_index(z, [0.25, 0.75, 0.5, 0.5], [0, 0, 1, 1])
    np.testing.assert_allclose(u, [[0.35, 0.5], [0.25, 0.5]], rtol=1e-15)
    batched = composite_index(
        np.stack([z, z]), np.array([[0.25, 0.75, 0.5, 0.5]] * 2), [0, 0, 1, 1]
    )
    np.testing.assert_allclose(batched, np.stack([u, u]), rtol=1e-15)


@pytest.mark.parametrize(
    ("call", "match"),
    [
        (lambda: entropy_weights(np.array([[-0.1, 1.0], [1.0, 2.0]])), "non-negative"),
        (lambda: entropy_weights(np.array([[1.0, 2.0]])), "at least 2 rows"),
        (lambda: critic_weights(np.ones(3)), "at least 2 rows"),
        (lambda: entropy_weights(np.ones((3, 2)), [0, -1]), "groups must give"),
        (lambda: entropy_weights(np.ones((3, 2)), [0.5, 1.0]), "groups must give"),
    ],
)
def test_kernel_errors(call, match):
    with pytest.raises(InvalidOptionError, match=match):
        call()


@settings(max_examples=50, deadline=None)
@given(
    z=hnp.arrays(np.float64, (7, 4), elements=st.floats(1e-4, 1.0)).filter(
        lambda a: (
            (np.ptp(a, axis=0) > 1e-3).all()
            and abs(np.corrcoef(a[:, :2], rowvar=False)[0, 1]) < 0.999
            and abs(np.corrcoef(a[:, 2:], rowvar=False)[0, 1]) < 0.999
        )
    ),
    method=st.sampled_from([entropy_weights, critic_weights, cv_weights]),
)
def test_weights_nonnegative_and_sum_to_one_per_group(z, method):
    w = method(z, [0, 0, 1, 1]).weight
    assert np.all(w >= 0)
    np.testing.assert_allclose([w[:2].sum(), w[2:].sum()], [1.0, 1.0], rtol=1e-12)
    perm = np.random.default_rng(0).permutation(7)
    # weights are shares of one: with a nearly constant indicator 1 - e is tiny and the
    # summation order moves its share by ~1e-12 in absolute terms (8e-10 relative seen)
    np.testing.assert_allclose(method(z[perm], [0, 0, 1, 1]).weight, w, rtol=1e-10, atol=1e-11)
