"""Tests for coupling/coordination.py: coupling degree C, coordination index T, degree D.

Reference values come from closed forms written out here with :mod:`math`, from direct
textbook formulas coded independently of the package (explicit loops, no sorting tricks),
or from the check values issued with the project specification (given to 4 decimals).
"""

from __future__ import annotations

import math
import re

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from coupling.coordination import (
    VARIANTS,
    coordination_index,
    coupling_coordination,
    coupling_degree,
    resolve_alpha,
)
from coupling.exceptions import InvalidOptionError, LiangyeError, SpecificationError

# --------------------------------------------------------------------------------------
# Independent direct formulas (written from the definitions, not from the package code)
# --------------------------------------------------------------------------------------


def direct_standard(u: list[float]) -> float:
    """C = k * (prod U / (sum U)^k)^(1/k)  (Wang et al. 2021, "normative formula")."""
    k = len(u)
    return k * (math.prod(u) / math.fsum(u) ** k) ** (1.0 / k)


def direct_wang2021(u: list[float]) -> float:
    """Wang et al. (2021) modified C with an explicit double loop over pairs i > j."""
    k = len(u)
    pair_sum = 0.0
    for i in range(k):
        for j in range(i):
            pair_sum += abs(u[i] - u[j])
    denominator = sum(m for m in range(1, k))  # sum_{m=1}^{k-1} m
    top = max(u)
    ratio = math.prod(ui / top for ui in u) ** (1.0 / (k - 1))
    return math.sqrt((1.0 - pair_sum / denominator) * ratio)


def direct_fan2024(u: list[float]) -> float:
    """C = 1 - 2 * population standard deviation, sd = sqrt(mean((U - mean)^2))."""
    k = len(u)
    mean = math.fsum(u) / k
    sd = math.sqrt(math.fsum((ui - mean) ** 2 for ui in u) / k)
    return 1.0 - 2.0 * sd


DIRECT = {"standard": direct_standard, "wang2021": direct_wang2021, "fan2024": direct_fan2024}


# --------------------------------------------------------------------------------------
# Issued check values, U = (0.3, 0.6), equal alpha
# --------------------------------------------------------------------------------------

# Source: project specification check values (4 decimals), hence abs=5e-5.
SPEC_D = {"standard": 0.6514, "wang2021": 0.5160, "fan2024": 0.5612}

# Source: closed forms for U = (0.3, 0.6), worked by hand:
#   standard: C = 2 sqrt(U1 U2) / (U1 + U2) = 2 sqrt(0.18) / 0.9
#   wang2021: C = sqrt((1 - |0.6 - 0.3| / 1) * (0.3/0.6 * 0.6/0.6)^(1/1)) = sqrt(0.7 * 0.5)
#   fan2024:  C = 1 - |U1 - U2| = 1 - 0.3 = 0.7
CLOSED_C = {
    "standard": 2.0 * math.sqrt(0.18) / 0.9,
    "wang2021": math.sqrt((1.0 - 0.3) * 0.5),
    "fan2024": 0.7,
}


@pytest.mark.parametrize("variant", VARIANTS)
def test_spec_check_values_of_d(variant: str) -> None:
    result = coupling_coordination([0.3, 0.6], variant=variant)
    assert float(result.D) == pytest.approx(SPEC_D[variant], abs=5e-5)


@pytest.mark.parametrize("variant", VARIANTS)
def test_closed_forms_for_two_subsystems(variant: str) -> None:
    result = coupling_coordination([0.3, 0.6], variant=variant)
    # T = (0.3 + 0.6) / 2 = 0.45 (equal alpha); D = sqrt(C T) by definition.
    assert float(result.T) == pytest.approx(0.45, rel=1e-12)
    assert float(result.C) == pytest.approx(CLOSED_C[variant], rel=1e-12)
    assert float(result.D) == pytest.approx(math.sqrt(CLOSED_C[variant] * 0.45), rel=1e-12)
    assert float(coupling_degree([0.3, 0.6], variant)) == pytest.approx(
        CLOSED_C[variant], rel=1e-12
    )


def test_coordination_index_equal_alpha_closed_form() -> None:
    # Source: T = (0.3 + 0.6) / 2 = 0.45.
    assert float(coordination_index([0.3, 0.6])) == pytest.approx(0.45, rel=1e-12)


def test_one_zero_subsystem_closed_forms() -> None:
    # Source: U = (0, 0.5) by hand: standard C = 2 sqrt(0 * 0.5) / 0.5 = 0;
    # wang2021 C = sqrt((1 - 0.5) * (0/0.5 * 0.5/0.5)) = 0; fan2024 C = 1 - |0 - 0.5| = 0.5.
    assert float(coupling_degree([0.0, 0.5], "standard")) == pytest.approx(0.0, abs=1e-15)
    assert float(coupling_degree([0.0, 0.5], "wang2021")) == pytest.approx(0.0, abs=1e-15)
    assert float(coupling_degree([0.0, 0.5], "fan2024")) == pytest.approx(0.5, rel=1e-12)


# --------------------------------------------------------------------------------------
# k = 3 and k = 4 against the direct formulas
# --------------------------------------------------------------------------------------

CASES_K = [[0.2, 0.5, 0.7], [0.15, 0.4, 0.55, 0.9], [0.9, 0.35, 0.6, 0.25]]


@pytest.mark.parametrize("variant", VARIANTS)
@pytest.mark.parametrize("u", CASES_K, ids=["k3", "k4", "k4-unsorted"])
def test_three_and_four_subsystems_match_direct_formula(variant: str, u: list[float]) -> None:
    # Source: DIRECT[variant], the definitions coded above with explicit loops.
    expected = DIRECT[variant](u)
    assert float(coupling_degree(u, variant)) == pytest.approx(expected, rel=1e-12)
    result = coupling_coordination(u, variant=variant)
    t_expected = math.fsum(u) / len(u)  # T with alpha_i = 1/k
    assert float(result.T) == pytest.approx(t_expected, rel=1e-12)
    assert float(result.D) == pytest.approx(math.sqrt(expected * t_expected), rel=1e-12)


def test_wang2021_k3_written_out_by_hand() -> None:
    # Source: hand arithmetic for U = (0.2, 0.5, 0.7):
    #   pairs |0.5-0.2| + |0.7-0.2| + |0.7-0.5| = 0.3 + 0.5 + 0.2 = 1.0; sum_{m=1}^{2} m = 3
    #   prod U_i / max U = (0.2/0.7)(0.5/0.7)(1) = 0.1/0.49, power 1/2
    expected = math.sqrt((1.0 - 1.0 / 3.0) * math.sqrt(0.1 / 0.49))
    assert float(coupling_degree([0.2, 0.5, 0.7], "wang2021")) == pytest.approx(expected, rel=1e-12)


# --------------------------------------------------------------------------------------
# Batches
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize("variant", VARIANTS)
def test_batched_input_equals_row_by_row(variant: str) -> None:
    rng = np.random.default_rng(20240607)
    u = rng.uniform(0.05, 1.0, size=(5, 7, 3))
    alpha = [0.5, 0.3, 0.2]
    batch = coupling_coordination(u, variant=variant, alpha=alpha)
    assert batch.C.shape == batch.T.shape == batch.D.shape == (5, 7)
    for a in range(5):
        for b in range(7):
            row = coupling_coordination(u[a, b], variant=variant, alpha=alpha)
            np.testing.assert_allclose(batch.C[a, b], row.C, rtol=1e-12)
            np.testing.assert_allclose(batch.T[a, b], row.T, rtol=1e-12)
            np.testing.assert_allclose(batch.D[a, b], row.D, rtol=1e-12)
            # and the row itself against the independent formula
            np.testing.assert_allclose(row.C, DIRECT[variant](list(u[a, b])), rtol=1e-12)


# --------------------------------------------------------------------------------------
# Properties
# --------------------------------------------------------------------------------------

unit_values = st.floats(min_value=0.01, max_value=1.0, allow_nan=False, allow_infinity=False)
index_vectors = st.integers(min_value=2, max_value=5).flatmap(
    lambda k: st.lists(unit_values, min_size=k, max_size=k)
)
variants = st.sampled_from(VARIANTS)


@settings(max_examples=50, deadline=None)
@given(u=index_vectors, variant=variants)
def test_property_c_and_d_in_unit_interval(u: list[float], variant: str) -> None:
    result = coupling_coordination(u, variant=variant)
    assert -1e-12 <= float(result.C) <= 1.0 + 1e-12
    assert -1e-12 <= float(result.D) <= 1.0 + 1e-12


@settings(max_examples=50, deadline=None)
@given(
    value=unit_values,
    k=st.integers(min_value=2, max_value=5),
    variant=variants,
)
def test_property_c_is_one_when_all_equal(value: float, k: int, variant: str) -> None:
    assert float(coupling_degree([value] * k, variant)) == pytest.approx(1.0, rel=1e-12)


@settings(max_examples=50, deadline=None)
@given(data=st.data(), u=index_vectors, variant=variants)
def test_property_c_invariant_to_permuting_subsystems(
    data: st.DataObject, u: list[float], variant: str
) -> None:
    permuted = data.draw(st.permutations(u))
    assert float(coupling_degree(permuted, variant)) == pytest.approx(
        float(coupling_degree(u, variant)), rel=1e-12
    )


@settings(max_examples=50, deadline=None)
@given(u=index_vectors)
def test_property_t_between_min_and_max(u: list[float]) -> None:
    t = float(coordination_index(u))
    assert min(u) - 1e-12 <= t <= max(u) + 1e-12


@settings(max_examples=50, deadline=None)
@given(u=index_vectors, variant=variants)
def test_property_matches_direct_formula(u: list[float], variant: str) -> None:
    # Source: DIRECT[variant]; abs=1e-14 covers fan2024 near C = 0.01, where 1 - 2 sd cancels.
    assert float(coupling_degree(u, variant)) == pytest.approx(
        DIRECT[variant](u), rel=1e-12, abs=1e-14
    )


# --------------------------------------------------------------------------------------
# alpha
# --------------------------------------------------------------------------------------


def test_non_equal_alpha_gives_weighted_sum() -> None:
    # Source: T = 0.2 * 0.3 + 0.8 * 0.6 = 0.06 + 0.48 = 0.54.
    assert float(coordination_index([0.3, 0.6], alpha=[0.2, 0.8])) == pytest.approx(0.54, rel=1e-12)
    result = coupling_coordination([0.3, 0.6], alpha=[0.2, 0.8])
    # C does not depend on alpha; D = sqrt(C * 0.54).
    assert float(result.C) == pytest.approx(2.0 * math.sqrt(0.18) / 0.9, rel=1e-12)
    assert float(result.D) == pytest.approx(
        math.sqrt(2.0 * math.sqrt(0.18) / 0.9 * 0.54), rel=1e-12
    )


def test_alpha_three_subsystems() -> None:
    # Source: 0.5 * 0.2 + 0.3 * 0.5 + 0.2 * 0.7 = 0.10 + 0.15 + 0.14 = 0.39.
    t = coordination_index(np.array([0.2, 0.5, 0.7]), alpha=np.array([0.5, 0.3, 0.2]))
    assert float(t) == pytest.approx(0.39, rel=1e-12)


def test_resolve_alpha_default_is_equal() -> None:
    np.testing.assert_allclose(resolve_alpha(None, 4), [0.25, 0.25, 0.25, 0.25], rtol=1e-15)


def test_resolve_alpha_mapping_by_names() -> None:
    alpha = resolve_alpha(
        {"services": 0.4, "manufacturing": 0.6}, 2, names=["manufacturing", "services"]
    )
    np.testing.assert_allclose(alpha, [0.6, 0.4], rtol=1e-15)
    # the weights read by name give T = 0.6 * 0.3 + 0.4 * 0.6 = 0.42
    assert float(coordination_index([0.3, 0.6], alpha=alpha)) == pytest.approx(0.42, rel=1e-12)


def test_alpha_must_sum_to_one() -> None:
    with pytest.raises(SpecificationError, match="sum to 1"):
        coordination_index([0.3, 0.6], alpha=[0.5, 0.6])
    with pytest.raises(SpecificationError, match=r"sum to 1 .*sums to 1\.1"):
        resolve_alpha([0.5, 0.6], 2)


def test_alpha_wrong_length() -> None:
    with pytest.raises(SpecificationError, match=r"one weight per subsystem \(3\)"):
        coupling_coordination([0.2, 0.5, 0.7], alpha=[0.5, 0.5])


def test_alpha_negative() -> None:
    with pytest.raises(SpecificationError, match="finite and non-negative"):
        resolve_alpha([1.2, -0.2], 2)


def test_alpha_not_finite() -> None:
    with pytest.raises(SpecificationError, match="finite and non-negative"):
        resolve_alpha([np.nan, 0.5], 2)


def test_alpha_names_mismatch() -> None:
    with pytest.raises(SpecificationError, match="do not match the subsystems"):
        resolve_alpha(
            {"manufacturing": 0.5, "tourism": 0.5}, 2, names=["manufacturing", "services"]
        )
    with pytest.raises(SpecificationError, match="do not match the subsystems"):
        resolve_alpha({"manufacturing": 0.5, "services": 0.5}, 2)


def test_errors_are_value_errors() -> None:
    with pytest.raises(ValueError, match="sum to 1"):
        resolve_alpha([0.1, 0.1], 2)
    with pytest.raises(LiangyeError, match="sum to 1"):
        resolve_alpha([0.1, 0.1], 2)


# --------------------------------------------------------------------------------------
# Options and inputs
# --------------------------------------------------------------------------------------


def test_unknown_variant() -> None:
    listing = re.escape("choose one of 'standard', 'wang2021', 'fan2024'")
    with pytest.raises(InvalidOptionError, match=listing):
        coupling_degree([0.3, 0.6], "modified")
    with pytest.raises(InvalidOptionError, match=r"variant='modified' is not supported"):
        coupling_coordination([0.3, 0.6], variant="modified")


@pytest.mark.parametrize("u", [[0.5], 0.5, np.empty((3, 1))], ids=["one", "scalar", "k1-batch"])
def test_fewer_than_two_subsystems(u: object) -> None:
    with pytest.raises(InvalidOptionError, match="at least two"):
        coupling_degree(u)
    with pytest.raises(InvalidOptionError, match="at least two"):
        coordination_index(u)


def test_negative_index() -> None:
    with pytest.raises(InvalidOptionError, match="must be non-negative"):
        coupling_degree([0.3, -0.1])
    with pytest.raises(InvalidOptionError, match="must be non-negative"):
        coordination_index([0.3, -0.1])


@pytest.mark.parametrize("variant", ["standard", "wang2021"])
def test_all_zero_is_undefined(variant: str) -> None:
    # Documented in coupling_degree: where every U is zero, standard and wang2021 are nan.
    c = coupling_degree([0.0, 0.0, 0.0], variant)
    assert np.isnan(c)
    both = coupling_coordination([[0.0, 0.0], [0.3, 0.6]], variant=variant)
    assert np.isnan(both.C[0])
    assert np.isnan(both.D[0])
    assert np.isfinite(both.C[1])  # the undefined row does not spill over


def test_all_zero_fan2024_is_one() -> None:
    # Documented: fan2024 gives 1 where every U is zero (sd = 0, so C = 1 - 2 * 0);
    # then T = 0 and D = sqrt(1 * 0) = 0.
    result = coupling_coordination([0.0, 0.0, 0.0], variant="fan2024")
    assert float(result.C) == pytest.approx(1.0, rel=1e-12)
    assert float(result.D) == pytest.approx(0.0, abs=1e-15)
