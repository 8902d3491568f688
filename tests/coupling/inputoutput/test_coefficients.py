"""Tests of coupling/inputoutput/coefficients.py: the kernels and the complete coefficients.

Expected values are hand-worked (the arithmetic is in the comments), Miller and Blair (2009)
Table 2.3, or numpy's own inverse as the second route.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from coupling.exceptions import IOTableError
from coupling.inputoutput import IOTable
from coupling.inputoutput.coefficients import (
    allocation_coefficients,
    ghosh_inverse,
    input_coefficients,
    leontief_inverse,
)
from tests.shared_data import shared_path

FLOWS = np.array([[3.0, 1.0, 0.0], [6.0, 2.0, 0.0], [0.0, 0.0, 0.0]])
OUTPUT = np.array([30.0, 4.0, 0.0])
ZERO = np.array([False, False, True])


def test_input_coefficients_divide_columns_and_zero_the_masked_ones():
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no division by zero, not even a warning
        A = input_coefficients(FLOWS, OUTPUT, ZERO)
    # a_ij = z_ij / x_j: 3/30, 1/4; 6/30, 2/4; column 3 masked
    np.testing.assert_allclose(
        A, [[0.1, 0.25, 0.0], [0.2, 0.5, 0.0], [0.0, 0.0, 0.0]], rtol=0, atol=1e-15
    )
    # a masked column is zero even where it has flows
    flows = FLOWS.copy()
    flows[0, 2] = 7.0
    assert input_coefficients(flows, OUTPUT, ZERO)[0, 2] == 0.0


def test_allocation_coefficients_divide_rows_and_zero_the_masked_ones():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        H = allocation_coefficients(FLOWS, OUTPUT, ZERO)
    # h_ij = z_ij / x_i: 3/30, 1/30; 6/4, 2/4; row 3 masked
    np.testing.assert_allclose(
        H, [[0.1, 1 / 30, 0.0], [1.5, 0.5, 0.0], [0.0, 0.0, 0.0]], rtol=1e-15, atol=0
    )


def test_leontief_and_ghosh_inverses_of_miller_blair():
    # Miller and Blair (2009), Table 2.3: A = [[.15, .25], [.2, .05]], H = Z / x_i
    A = np.array([[0.15, 0.25], [0.20, 0.05]])
    H = np.array([[0.15, 0.50], [0.10, 0.05]])  # 150/1000, 500/1000; 200/2000, 100/2000
    # det(I - A) = det(I - H) = 0.85 * 0.95 - 0.05 = 0.7575; inverse = adjugate / det
    np.testing.assert_allclose(
        leontief_inverse(A), np.array([[0.95, 0.25], [0.20, 0.85]]) / 0.7575, rtol=1e-14, atol=0
    )
    np.testing.assert_allclose(
        ghosh_inverse(H), np.array([[0.95, 0.50], [0.10, 0.85]]) / 0.7575, rtol=1e-14, atol=0
    )


def test_singular_leontief_matrix_names_the_sectors():
    # both columns sum to 1 (0.5 + 0.5): 1'(I - A) = 0, I - A is singular (exactly, in floats)
    A = np.array([[0.5, 0.5], [0.5, 0.5]])
    with pytest.raises(IOTableError, match=r"I - A is singular.*column sums are agri \(1\)"):
        leontief_inverse(A, labels=["agri", "manu"])
    with pytest.raises(IOTableError, match=r"I - A is singular.*are 0 \(1\), 1 \(1\)"):
        leontief_inverse(A)
    with pytest.raises(
        IOTableError, match=r"I - H \(allocation coefficients\) is singular.*row sums are agri"
    ):
        ghosh_inverse(A, labels=["agri", "manu"])


def test_numerically_singular_leontief_matrix_is_refused():
    # columns sum to 1 (0.5 + 0.5, 0.2 + 0.8) so I - A is singular; in floats 1 - 0.8 is
    # 0.19999999999999996, and the LU factorization does not meet an exact zero pivot.
    # A singular I - A must be refused, not inverted into entries of order 1e16.
    A = np.array([[0.5, 0.2], [0.5, 0.8]])
    assert np.linalg.cond(np.eye(2) - A) > 1e15
    with pytest.raises(IOTableError, match=r"I - A is singular.*agri \(1\)"):
        leontief_inverse(A, labels=["agri", "manu"])
    with pytest.raises(IOTableError, match=r"I - H \(allocation coefficients\) is singular"):
        ghosh_inverse(A.T, labels=["agri", "manu"])


def test_singular_table_raises_on_first_use_with_the_sector():
    # every unit of output of p and q is used up as inputs: no value added, no final demand
    labels = ["p", "q"]
    table = IOTable(
        pd.DataFrame([[6.0, 4.0], [4.0, 6.0]], index=labels, columns=labels),
        pd.DataFrame({"EX": [0.0, 0.0]}, index=labels),
        pd.Series([0.0, 0.0], index=labels),
    )
    np.testing.assert_allclose(
        table.technical_coefficients().to_numpy(), [[0.6, 0.4], [0.4, 0.6]], rtol=0, atol=1e-15
    )
    with pytest.raises(IOTableError, match=r"I - A is singular.*p \(1\), q \(1\)"):
        table.leontief()
    with pytest.raises(IOTableError, match="I - A is singular"):
        table.complete_consumption()
    with pytest.raises(IOTableError, match=r"I - H \(allocation coefficients\) is singular"):
        table.ghosh()


def miller_blair() -> IOTable:
    labels = ["1", "2"]
    return IOTable(
        pd.DataFrame([[150.0, 500.0], [200.0, 100.0]], index=labels, columns=labels),
        pd.DataFrame({"final": [350.0, 1700.0]}, index=labels),
        pd.Series([650.0, 1400.0], index=labels),
        exports=None,
    )


def test_complete_consumption_is_leontief_less_identity():
    table = miller_blair()
    # L - I = [[0.95/0.7575 - 1, 0.25/0.7575], [0.20/0.7575, 0.85/0.7575 - 1]]
    expected = np.array([[0.95, 0.25], [0.20, 0.85]]) / 0.7575 - np.eye(2)
    np.testing.assert_allclose(
        table.complete_consumption().to_numpy(), expected, rtol=1e-13, atol=0
    )
    np.testing.assert_allclose(
        table.complete_consumption().to_numpy(),
        [[0.254125, 0.330033], [0.264026, 0.122112]], rtol=0, atol=5e-7,
    )  # fmt: skip


def test_complete_distribution_is_ghosh_less_identity():
    table = miller_blair()
    expected = np.array([[0.95, 0.50], [0.10, 0.85]]) / 0.7575 - np.eye(2)
    np.testing.assert_allclose(
        table.complete_distribution().to_numpy(), expected, rtol=1e-13, atol=0
    )
    # H = diag(x)^-1 Z: 150/1000, 500/1000; 200/2000, 100/2000
    np.testing.assert_allclose(
        table.allocation_coefficients().to_numpy(), [[0.15, 0.5], [0.1, 0.05]], rtol=0, atol=1e-15
    )


@settings(max_examples=30, deadline=None)
@given(
    st.integers(2, 8).flatmap(
        lambda n: arrays(np.float64, (n, n), elements=st.floats(0.0, 1.0 / n - 1e-3))
    )
)
def test_inverses_equal_numpy_property(A):
    # column and row sums below 1: both inverses exist; numpy's inverse is the other route
    n = A.shape[0]
    np.testing.assert_allclose(
        leontief_inverse(A), np.linalg.inv(np.eye(n) - A), rtol=1e-12, atol=1e-14
    )
    np.testing.assert_allclose(
        ghosh_inverse(A), np.linalg.inv(np.eye(n) - A), rtol=1e-12, atol=1e-14
    )
    # the power series I + A + A^2 + ... (Miller and Blair 2009, eq. 2.20), 200 terms
    series, term = np.eye(n), np.eye(n)
    for _ in range(200):
        term = term @ A
        series = series + term
    np.testing.assert_allclose(leontief_inverse(A), series, rtol=1e-9, atol=1e-12)


def test_complete_coefficients_of_an_official_table_by_numpy():
    from coupling.inputoutput import read_io_table

    path = shared_path("china_nbs_io", "china_2015_42.csv")
    raw = pd.read_csv(path, dtype={"Code": str})
    rows = raw[raw["Code"].str.isdigit()].set_index("Code")
    codes = list(rows.index)
    A = rows[codes].to_numpy() / rows["GO"].to_numpy()[None, :]
    H = rows[codes].to_numpy() / rows["GO"].to_numpy()[:, None]
    table = read_io_table(path)
    n = len(codes)
    # Source: NBS 2015 extension table, 42 sectors (china_nbs_io); numpy inverse as the route
    np.testing.assert_allclose(
        table.complete_consumption().to_numpy(), np.linalg.inv(np.eye(n) - A) - np.eye(n),
        rtol=1e-10, atol=1e-13,
    )  # fmt: skip
    np.testing.assert_allclose(
        table.complete_distribution().to_numpy(), np.linalg.inv(np.eye(n) - H) - np.eye(n),
        rtol=1e-10, atol=1e-13,
    )  # fmt: skip
