"""Tests of spatial/models/data.py (validation, alignment to W by id) and transform.py."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest
from scipy import sparse

from spatial import (
    SLXPanel,
    SpatialDurbinPanel,
    SpatialLagPanel,
    SpatialPanelResults,
    SpatialWeights,
)
from spatial.exceptions import (
    CollinearityError,
    ColumnNotFoundError,
    InvalidOptionError,
    MissingValueError,
    PanelStructureError,
    SpecificationError,
    WeightsAlignmentError,
    WeightsError,
)
from spatial.models.data import spatial_panel
from spatial.models.transform import absorbed_dof, spatial_lag, within_transform

X = ["logp", "logy"]
KEYS = {"region": "state", "year": "year"}

# The estimators maximise the concentrated log-likelihood over rho; near its maximum that
# function is flat to rounding (changes of rho below ~1e-8 move it by less than 1e-12), so a
# fit on re-ordered arrays may land ~1e-8 away in rho. Estimates that go through rho are
# therefore compared at this tolerance; the maximised log-likelihood stays within rtol 1e-10.
ARGMAX = {"rtol": 1e-6, "atol": 1e-7}


def sdm(data: pd.DataFrame, w: SpatialWeights, **kwargs: object) -> SpatialPanelResults:
    keys = {} if isinstance(data.index, pd.MultiIndex) else KEYS
    return SpatialDurbinPanel(data, "logc", X, w, **keys, **kwargs).fit()  # type: ignore[arg-type]


def assert_same_fit(
    a: SpatialPanelResults, b: SpatialPanelResults, *, rtol: float, atol: float = 0.0
) -> None:
    pd.testing.assert_index_equal(a.params.index, b.params.index)
    np.testing.assert_allclose(a.params, b.params, rtol=rtol, atol=atol)
    np.testing.assert_allclose(a.cov, b.cov, rtol=max(rtol, 1e-10), atol=atol * 1e-2)
    np.testing.assert_allclose(a.sigma2, b.sigma2, rtol=rtol)
    np.testing.assert_allclose(a.loglik, b.loglik, rtol=1e-10)


@pytest.fixture(scope="module")
def cigar_sdm(cigar: pd.DataFrame, cigar_w: SpatialWeights) -> SpatialPanelResults:
    return sdm(cigar, cigar_w)


# ------------------------------------------------------------------------ alignment
def test_shuffled_rows_give_the_same_estimates(
    cigar: pd.DataFrame, cigar_w: SpatialWeights, cigar_sdm: SpatialPanelResults
) -> None:
    shuffled = cigar.sample(frac=1.0, random_state=11)
    assert not shuffled.index.equals(cigar.index)
    assert_same_fit(sdm(shuffled, cigar_w), cigar_sdm, rtol=1e-10)


def test_shuffled_rows_with_fresh_index_give_the_same_estimates(
    cigar: pd.DataFrame, cigar_w: SpatialWeights, cigar_sdm: SpatialPanelResults
) -> None:
    shuffled = cigar.sample(frac=1.0, random_state=12).reset_index(drop=True)
    assert_same_fit(sdm(shuffled, cigar_w), cigar_sdm, rtol=1e-10)


@pytest.mark.parametrize("seed", [0, 1])
def test_w_in_another_order_gives_the_same_estimates(
    cigar: pd.DataFrame, cigar_w: SpatialWeights, cigar_sdm: SpatialPanelResults, seed: int
) -> None:
    order = list(np.random.default_rng(seed).permutation(np.asarray(cigar_w.ids)))
    moved = cigar_w.reorder(order)
    assert moved.ids != cigar_w.ids
    result = sdm(cigar, moved)
    assert_same_fit(result, cigar_sdm, **ARGMAX)
    np.testing.assert_allclose(result.rho, cigar_sdm.rho, rtol=1e-7)


def test_panel_follows_w_order_and_places_values_by_label(
    cigar: pd.DataFrame, cigar_w: SpatialWeights
) -> None:
    order = list(np.random.default_rng(5).permutation(np.asarray(cigar_w.ids)))
    moved = cigar_w.reorder(order)
    panel = spatial_panel(cigar.sample(frac=1.0, random_state=3), "logc", X, moved, **KEYS)
    assert list(panel.regions) == order
    assert panel.regions.name == "state" and panel.years.name == "year"
    assert list(panel.years) == sorted(cigar["year"].unique())
    assert panel.y.shape == (30, 46) and panel.x.shape == (30, 46, 2)
    assert (panel.n, panel.t) == (46, 30)
    assert panel.w.ids == moved.ids
    lookup = cigar.set_index(["state", "year"])
    for t, i in [(0, 0), (7, 13), (29, 45)]:
        row = lookup.loc[(panel.regions[i], panel.years[t])]
        assert panel.y[t, i] == row["logc"]
        np.testing.assert_array_equal(panel.x[t, i], row[X].to_numpy(dtype=float))


def test_multiindex_input_equals_column_input(
    cigar: pd.DataFrame, cigar_w: SpatialWeights, cigar_sdm: SpatialPanelResults
) -> None:
    indexed = cigar.set_index(["state", "year"])
    assert_same_fit(sdm(indexed, cigar_w), cigar_sdm, rtol=1e-10)
    # naming the levels explicitly works too
    named = SpatialDurbinPanel(indexed, "logc", X, cigar_w, region="state", year="year").fit()
    assert_same_fit(named, cigar_sdm, rtol=1e-10)


def test_callers_dataframe_is_unchanged(cigar: pd.DataFrame, cigar_w: SpatialWeights) -> None:
    data = cigar.sample(frac=1.0, random_state=4)
    before = data.copy(deep=True)
    result = SpatialDurbinPanel(data, "logc", X, cigar_w, **KEYS).fit()
    result.impacts()
    SLXPanel(data, "logc", X, cigar_w, **KEYS).fit(cov_type="cluster")
    pd.testing.assert_frame_equal(data, before)
    indexed = cigar.set_index(["state", "year"])
    indexed_before = indexed.copy(deep=True)
    SpatialLagPanel(indexed, "logc", X, cigar_w).fit()
    pd.testing.assert_frame_equal(indexed, indexed_before)


# ------------------------------------------------------------------- transformation
def ols(design: np.ndarray, target: np.ndarray) -> np.ndarray:
    return np.linalg.lstsq(design, target, rcond=None)[0]


def dummies(effects: str, t: int, n: int) -> np.ndarray:
    """Entity and/or period dummies for time-major stacking (row = t * N + i)."""
    entity = np.tile(np.eye(n), (t, 1))
    period = np.repeat(np.eye(t), n, axis=0)
    return {
        "individual": entity,
        "time": period,
        "twoways": np.hstack([entity, period[:, 1:]]),
    }[effects]


@pytest.mark.parametrize("effects", ["individual", "time", "twoways"])
def test_within_transform_equals_dummy_regression(effects: str) -> None:
    rng = np.random.default_rng(7)
    t, n, k = 6, 5, 3
    x = rng.standard_normal((t, n, k)) + rng.standard_normal((1, n, k)) * 3
    x += rng.standard_normal((t, 1, k)) * 2
    y = x @ np.array([1.0, -2.0, 0.5]) + rng.standard_normal((t, n))
    y += rng.standard_normal(n)[None, :] * 4 + rng.standard_normal(t)[:, None] * 3
    d = dummies(effects, t, n)
    x_long, y_long = x.reshape(t * n, k), y.ravel()
    with_dummies = ols(np.hstack([x_long, d]), y_long)[:k]
    xt = within_transform(x, effects).reshape(t * n, k)
    yt = within_transform(y, effects).ravel()
    np.testing.assert_allclose(ols(xt, yt), with_dummies, rtol=1e-10)
    # Frisch-Waugh: the transformed data are the residuals on the dummies
    residual = x_long - d @ ols(d, x_long)
    np.testing.assert_allclose(xt, residual, rtol=1e-10, atol=1e-12)
    # degrees of freedom absorbed = rank of the dummies
    assert absorbed_dof(effects, n, t) == np.linalg.matrix_rank(d)  # type: ignore[arg-type]


def test_within_transform_none_is_a_copy() -> None:
    values = np.arange(12.0).reshape(3, 4)
    out = within_transform(values, "none")
    np.testing.assert_array_equal(out, values)
    out[0, 0] = 99.0
    assert values[0, 0] == 0.0
    assert absorbed_dof("none", 4, 3) == 0


def test_within_transform_does_not_modify_input() -> None:
    values = np.random.default_rng(0).standard_normal((4, 3, 2))
    before = values.copy()
    within_transform(values, "twoways")
    np.testing.assert_array_equal(values, before)


def test_spatial_lag_equals_period_loop(cigar_w: SpatialWeights) -> None:
    rng = np.random.default_rng(8)
    mat = cigar_w.matrix
    a2 = rng.standard_normal((30, 46))
    a3 = rng.standard_normal((30, 46, 3))
    loop2 = np.stack([mat @ a2[t] for t in range(30)])
    loop3 = np.stack([mat @ a3[t] for t in range(30)])
    np.testing.assert_allclose(spatial_lag(mat, a2), loop2, rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(spatial_lag(mat, a3), loop3, rtol=1e-12, atol=1e-14)
    dense = cigar_w.sparse.toarray()
    np.testing.assert_allclose(spatial_lag(dense, a2), loop2, rtol=1e-12, atol=1e-14)


def test_spatial_lag_with_asymmetric_w() -> None:
    mat = sparse.csr_matrix(np.array([[0.0, 1.0, 0.0], [0.0, 0.0, 1.0], [0.5, 0.5, 0.0]]))
    a = np.array([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
    np.testing.assert_array_equal(spatial_lag(mat, a), [[2.0, 3.0, 1.5], [5.0, 6.0, 4.5]])


# -------------------------------------------------------------------------- errors
def test_unbalanced_panel_names_the_missing_pair(
    cigar: pd.DataFrame, cigar_w: SpatialWeights
) -> None:
    gap = cigar[~((cigar["state"] == 5) & (cigar["year"] == 70))]
    with pytest.raises(
        PanelStructureError, match=re.escape("unbalanced: 1 region-year(s) are missing")
    ) as info:
        SpatialDurbinPanel(gap, "logc", X, cigar_w, **KEYS)
    assert "(5, 70)" in str(info.value)


def test_duplicated_entity_time(cigar: pd.DataFrame, cigar_w: SpatialWeights) -> None:
    doubled = pd.concat([cigar, cigar.iloc[[40]]], ignore_index=True)
    pair = f"({cigar['state'].iloc[40]}, {cigar['year'].iloc[40]})"
    with pytest.raises(PanelStructureError, match=re.escape(f"occur more than once: {pair}")):
        SpatialDurbinPanel(doubled, "logc", X, cigar_w, **KEYS)


def test_nan_in_regressor_names_variable_entity_and_time(
    cigar: pd.DataFrame, cigar_w: SpatialWeights
) -> None:
    data = cigar.copy()
    data.loc[(data["state"] == 9) & (data["year"] == 81), "logy"] = np.nan
    with pytest.raises(
        PanelStructureError, match=re.escape("1 missing or infinite value(s): 'logy' at (9, 81)")
    ):
        SpatialDurbinPanel(data, "logc", X, cigar_w, **KEYS)


def test_infinite_dependent_variable(cigar: pd.DataFrame, cigar_w: SpatialWeights) -> None:
    data = cigar.copy()
    data.loc[(data["state"] == 3) & (data["year"] == 63), "logc"] = -np.inf
    with pytest.raises(PanelStructureError, match=re.escape("'logc' at (3, 63)")):
        SpatialLagPanel(data, "logc", X, cigar_w, **KEYS)


def test_non_numeric_column(cigar: pd.DataFrame, cigar_w: SpatialWeights) -> None:
    data = cigar.assign(region=np.where(cigar["state"] < 20, "east", "west"))
    with pytest.raises(
        MissingValueError, match=re.escape("'region': 1380 cell(s), e.g. 'east' at (1, 63)")
    ):
        SpatialDurbinPanel(data, "logc", ["logp", "region"], cigar_w, **KEYS)


def test_entities_and_w_ids_that_do_not_match(cigar: pd.DataFrame, cigar_w: SpatialWeights) -> None:
    data = cigar.assign(state=cigar["state"].replace({1: 99}))
    with pytest.raises(
        WeightsAlignmentError,
        match=re.escape("in the data but not in W: 99; in W but not in the data: 1 (data: 46"),
    ):
        SpatialDurbinPanel(data, "logc", X, cigar_w, **KEYS)


def test_entity_labels_as_text_get_a_hint(cigar: pd.DataFrame, cigar_w: SpatialWeights) -> None:
    data = cigar.assign(state=cigar["state"].astype(str))
    with pytest.raises(WeightsAlignmentError, match="match as text"):
        SpatialDurbinPanel(data, "logc", X, cigar_w, **KEYS)


def test_w_with_an_island(cigar: pd.DataFrame, cigar_w: SpatialWeights) -> None:
    binary = (cigar_w.sparse.toarray() > 0).astype(float)
    lonely = cigar_w.ids.index(9)
    binary[lonely, :] = 0.0
    binary[:, lonely] = 0.0
    w = SpatialWeights.from_sparse(binary, ids=cigar_w.ids).standardize("row")
    assert w.islands == (9,)
    with pytest.raises(WeightsError, match=r"without neighbours \(islands\): 9\."):
        SpatialDurbinPanel(cigar, "logc", X, w, **KEYS)


def test_unknown_column_suggests_a_name(cigar: pd.DataFrame, cigar_w: SpatialWeights) -> None:
    with pytest.raises(
        ColumnNotFoundError, match=re.escape("['logpp'] are not in the data. Did you mean 'logp'")
    ):
        SpatialDurbinPanel(cigar, "logc", ["logpp", "logy"], cigar_w, **KEYS)


def test_unknown_key_suggests_a_name(cigar: pd.DataFrame, cigar_w: SpatialWeights) -> None:
    with pytest.raises(ColumnNotFoundError, match=r"'states' is neither a column.*Did you mean"):
        SpatialDurbinPanel(cigar, "logc", X, cigar_w, region="states", year="year")


def test_keys_must_be_given_for_a_flat_frame(cigar: pd.DataFrame, cigar_w: SpatialWeights) -> None:
    with pytest.raises(SpecificationError, match="Name the region and year columns"):
        SpatialDurbinPanel(cigar, "logc", X, cigar_w)
    with pytest.raises(SpecificationError, match="Give both region and year"):
        SpatialDurbinPanel(cigar, "logc", X, cigar_w, region="state")


def test_variable_lists(cigar: pd.DataFrame, cigar_w: SpatialWeights) -> None:
    with pytest.raises(SpecificationError, match="at least one regressor"):
        SpatialDurbinPanel(cigar, "logc", [], cigar_w, **KEYS)
    with pytest.raises(SpecificationError, match="listed more than once"):
        SpatialDurbinPanel(cigar, "logc", ["logp", "logp"], cigar_w, **KEYS)


def test_time_invariant_regressor_vanishes_with_entity_effects(
    cigar: pd.DataFrame, cigar_w: SpatialWeights
) -> None:
    data = cigar.assign(south=(cigar["state"] % 3 == 0).astype(float))
    with pytest.raises(CollinearityError, match=r"\['south', 'W_south'\] vanish"):
        SpatialDurbinPanel(data, "logc", ["logp", "south"], cigar_w, **KEYS, effects="individual")
    with pytest.raises(CollinearityError, match=r"\['south'\] vanish"):
        SpatialLagPanel(data, "logc", ["logp", "south"], cigar_w, **KEYS, effects="individual")


def test_identical_regressors_are_linearly_dependent(
    cigar: pd.DataFrame, cigar_w: SpatialWeights
) -> None:
    data = cigar.assign(price=cigar["logp"])
    with pytest.raises(CollinearityError, match="linearly dependent"):
        SpatialDurbinPanel(data, "logc", ["logp", "logy", "price"], cigar_w, **KEYS)


def test_entity_effects_need_two_periods(cigar: pd.DataFrame, cigar_w: SpatialWeights) -> None:
    one_year = cigar[cigar["year"] == 75]
    with pytest.raises(PanelStructureError, match=r"one period.*effects='individual'"):
        SpatialDurbinPanel(one_year, "logc", X, cigar_w, **KEYS, effects="individual")
    # a cross-section defaults to no effects and gets an intercept
    result = SpatialDurbinPanel(one_year, "logc", X, cigar_w, **KEYS).fit()
    assert "const" in result.params.index
    assert result.options["effects"] == "none"


def test_within_transform_needs_two_periods_and_two_entities() -> None:
    with pytest.raises(PanelStructureError, match="needs at least 2 periods; the data have 1"):
        within_transform(np.ones((1, 4)), "individual")
    with pytest.raises(PanelStructureError, match="needs at least 2 entities"):
        within_transform(np.ones((4, 1)), "twoways")
    with pytest.raises(InvalidOptionError, match="effects='entity' is not supported"):
        within_transform(np.ones((3, 3)), "entity")  # type: ignore[arg-type]


def test_durbin_must_name_regressors(cigar: pd.DataFrame, cigar_w: SpatialWeights) -> None:
    with pytest.raises(SpecificationError, match=r"durbin must name some of the regressors"):
        SpatialDurbinPanel(cigar, "logc", X, cigar_w, **KEYS, durbin=["logc"])
    with pytest.raises(SpecificationError, match=r"durbin must name some of the regressors"):
        SpatialDurbinPanel(cigar, "logc", X, cigar_w, **KEYS, durbin=[])


def test_durbin_subset(cigar: pd.DataFrame, cigar_w: SpatialWeights) -> None:
    result = SpatialDurbinPanel(cigar, "logc", X, cigar_w, **KEYS, durbin="logy").fit()
    assert list(result.params.index) == ["logp", "logy", "W_logy", "rho"]


def test_durbin_on_a_lag_model(cigar: pd.DataFrame, cigar_w: SpatialWeights) -> None:
    with pytest.raises(SpecificationError, match="SAR has no spatially lagged regressors"):
        SpatialLagPanel(cigar, "logc", X, cigar_w, **KEYS, durbin=["logp"])


def test_unknown_effects(cigar: pd.DataFrame, cigar_w: SpatialWeights) -> None:
    with pytest.raises(
        InvalidOptionError,
        match=re.escape(
            "effects='fixed' is not supported; choose one of "
            "'individual', 'time', 'twoways', 'none'"
        ),
    ):
        SpatialDurbinPanel(cigar, "logc", X, cigar_w, **KEYS, effects="fixed")


@pytest.mark.parametrize(
    ("option", "value", "allowed"),
    [
        ("bias_correction", "leeyu", "'none', 'lee_yu', 'transformation'"),
        ("logdet", "cholesky", "'auto', 'eigen', 'lu', 'chebyshev', 'mc'"),
        ("cov_type", "robust", "'analytic', 'hessian'"),
    ],
)
def test_unknown_fit_options(
    cigar: pd.DataFrame, cigar_w: SpatialWeights, option: str, value: str, allowed: str
) -> None:
    model = SpatialDurbinPanel(cigar, "logc", X, cigar_w, **KEYS)
    with pytest.raises(
        InvalidOptionError,
        match=re.escape(f"{option}={value!r} is not supported; choose one of {allowed}"),
    ):
        model.fit(**{option: value})


def test_slx_covariance_options(cigar: pd.DataFrame, cigar_w: SpatialWeights) -> None:
    model = SLXPanel(cigar, "logc", X, cigar_w, **KEYS)
    with pytest.raises(
        InvalidOptionError,
        match=re.escape("cov_type='hessian' is not supported; choose one of 'analytic', 'cluster'"),
    ):
        model.fit(cov_type="hessian")


@pytest.mark.parametrize("bad", ["w_as_array", "w_as_frame"])
def test_w_must_be_spatial_weights(cigar: pd.DataFrame, cigar_w: SpatialWeights, bad: str) -> None:
    dense = cigar_w.sparse.toarray()
    w = dense if bad == "w_as_array" else pd.DataFrame(dense, cigar_w.ids, cigar_w.ids)
    with pytest.raises(SpecificationError, match="w must be a SpatialWeights, got"):
        SpatialDurbinPanel(cigar, "logc", X, w, **KEYS)  # type: ignore[arg-type]


def test_data_must_be_a_dataframe(cigar: pd.DataFrame, cigar_w: SpatialWeights) -> None:
    with pytest.raises(TypeError, match="data must be a pandas DataFrame"):
        spatial_panel(cigar.to_dict(), "logc", X, cigar_w, **KEYS)  # type: ignore[arg-type]
