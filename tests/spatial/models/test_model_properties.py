"""Property tests of the spatial panel models: invariance, equivariance and impact identities."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from spatial import (
    SLXPanel,
    SpatialDurbinErrorPanel,
    SpatialDurbinPanel,
    SpatialErrorPanel,
    SpatialLagPanel,
    SpatialPanelResults,
    SpatialWeights,
)
from spatial.models.impacts import compute_impacts
from spatial.models.spectral import EigenSpectrum
from tests.spatial.conftest import lattice_w, simulate_sdm

X = ["logp", "logy"]
KEYS = {"region": "state", "year": "year"}
MODELS = [SpatialDurbinPanel, SpatialLagPanel, SpatialErrorPanel, SpatialDurbinErrorPanel, SLXPanel]
SPATIAL = ("rho", "lambda")

# The concentrated log-likelihood is flat to rounding within ~1e-8 of its maximum in rho, so
# the same model on transformed data (permuted, rescaled) can land ~1e-8 away in rho; every
# estimate that goes through rho is compared at this tolerance. The maximised log-likelihood
# is insensitive to that and is compared at rtol 1e-10.
ARGMAX = {"rtol": 1e-6, "atol": 1e-7}


def fit(
    model: type, data: pd.DataFrame, w: SpatialWeights, **kwargs: object
) -> SpatialPanelResults:
    return model(data, "logc", X, w, **KEYS, **kwargs).fit()


@pytest.fixture(scope="module")
def cigar_fits(cigar: pd.DataFrame, cigar_w: SpatialWeights) -> dict[str, SpatialPanelResults]:
    return {m.__name__: fit(m, cigar, cigar_w) for m in MODELS}


@pytest.fixture(scope="module")
def cigar_binary(cigar_w: SpatialWeights) -> np.ndarray:
    return (cigar_w.sparse.toarray() > 0).astype(float)


# ---------------------------------------------------------------------- invariance
@settings(max_examples=10, deadline=None)
@given(
    perm=st.permutations(list(range(46))),
    symmetric_route=st.booleans(),
)
def test_permuting_entities_together_with_w_changes_no_estimate(
    cigar: pd.DataFrame,
    cigar_w: SpatialWeights,
    cigar_binary: np.ndarray,
    cigar_fits: dict[str, SpatialPanelResults],
    perm: list[int],
    symmetric_route: bool,
) -> None:
    # entity at W position perm[k] becomes entity k: data relabelled, W permuted to match
    ids = list(cigar_w.ids)
    relabel = {ids[p]: k for k, p in enumerate(perm)}
    data = cigar.assign(state=cigar["state"].map(relabel))
    if symmetric_route:  # permute the binary W, then standardize (symmetric eigen route)
        w = SpatialWeights.from_sparse(cigar_binary[np.ix_(perm, perm)]).standardize("row")
    else:  # permute the row-standardized W itself (general eigen route)
        w = SpatialWeights.from_sparse(cigar_w.sparse.toarray()[np.ix_(perm, perm)])
    base = cigar_fits["SpatialDurbinPanel"]
    result = fit(SpatialDurbinPanel, data, w)
    np.testing.assert_allclose(result.params, base.params, **ARGMAX)
    np.testing.assert_allclose(result.std_errors, base.std_errors, **ARGMAX)
    np.testing.assert_allclose(result.sigma2, base.sigma2, **ARGMAX)
    np.testing.assert_allclose(result.loglik, base.loglik, rtol=1e-10)
    np.testing.assert_allclose(result.impacts().estimates, base.impacts().estimates, **ARGMAX)


# -------------------------------------------------------------------- equivariance
@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
@settings(max_examples=10, deadline=None)
@given(c=st.floats(min_value=1e-2, max_value=1e2))
def test_scaling_y_scales_coefficients_and_sigma2(
    cigar: pd.DataFrame,
    cigar_w: SpatialWeights,
    cigar_fits: dict[str, SpatialPanelResults],
    model: type,
    c: float,
) -> None:
    base = cigar_fits[model.__name__]
    result = fit(model, cigar.assign(logc=cigar["logc"] * c), cigar_w)
    coef = [v for v in base.params.index if v not in SPATIAL]
    spatial = [v for v in base.params.index if v in SPATIAL]
    tol = {"rtol": 1e-12} if model is SLXPanel else ARGMAX
    np.testing.assert_allclose(result.params[coef] / c, base.params[coef], **tol)
    np.testing.assert_allclose(result.params[spatial], base.params[spatial], **tol)
    np.testing.assert_allclose(result.std_errors[coef] / c, base.std_errors[coef], **tol)
    np.testing.assert_allclose(result.sigma2 / c**2, base.sigma2, rtol=tol["rtol"])
    shift = base.nobs * np.log(c)  # every log-likelihood moves by -NT log c
    np.testing.assert_allclose(result.loglik + shift, base.loglik, rtol=1e-10)


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
@settings(max_examples=10, deadline=None)
@given(c=st.floats(min_value=1e-2, max_value=1e2), which=st.sampled_from(X))
def test_scaling_a_regressor_divides_its_coefficients(
    cigar: pd.DataFrame,
    cigar_w: SpatialWeights,
    cigar_fits: dict[str, SpatialPanelResults],
    model: type,
    c: float,
    which: str,
) -> None:
    base = cigar_fits[model.__name__]
    result = fit(model, cigar.assign(**{which: cigar[which] * c}), cigar_w)
    expected = base.params.copy()
    for name in (which, f"W_{which}"):
        if name in expected.index:
            expected[name] /= c
    tol = {"rtol": 1e-9} if model is SLXPanel else ARGMAX
    np.testing.assert_allclose(result.params, expected, **tol)
    np.testing.assert_allclose(result.sigma2, base.sigma2, rtol=tol["rtol"])


# ------------------------------------------------------------------------ impacts
def test_sdm_total_impact_is_beta_plus_theta_over_one_minus_rho(
    cigar_fits: dict[str, SpatialPanelResults],
) -> None:
    result = cigar_fits["SpatialDurbinPanel"]
    p, rho = result.params, result.rho
    impacts = result.impacts()
    for v in X:
        expected = (p[v] + p[f"W_{v}"]) / (1.0 - rho)
        np.testing.assert_allclose(impacts.estimates.loc[v, "total"], expected, rtol=1e-10)


def test_sar_total_impact_is_beta_over_one_minus_rho(
    cigar_fits: dict[str, SpatialPanelResults],
) -> None:
    result = cigar_fits["SpatialLagPanel"]
    impacts = result.impacts()
    for v in X:
        expected = result.params[v] / (1.0 - result.rho)
        np.testing.assert_allclose(impacts.estimates.loc[v, "total"], expected, rtol=1e-10)


@pytest.mark.parametrize("name", ["SpatialDurbinPanel", "SpatialLagPanel"])
def test_direct_impact_equals_dense_inverse(
    cigar_w: SpatialWeights, cigar_fits: dict[str, SpatialPanelResults], name: str
) -> None:
    result = cigar_fits[name]
    w = cigar_w.sparse.toarray()
    inverse = np.linalg.inv(np.eye(cigar_w.n) - result.rho * w)
    estimates = result.impacts().estimates
    for v in X:
        theta = result.params.get(f"W_{v}", 0.0)
        s = inverse @ (result.params[v] * np.eye(cigar_w.n) + theta * w)
        np.testing.assert_allclose(estimates.loc[v, "direct"], np.trace(s) / w.shape[0], rtol=1e-10)
        np.testing.assert_allclose(estimates.loc[v, "total"], s.sum() / w.shape[0], rtol=1e-10)


@pytest.mark.parametrize(
    "name", ["SpatialDurbinPanel", "SpatialLagPanel", "SpatialDurbinErrorPanel", "SLXPanel"]
)
@pytest.mark.parametrize("method", ["delta", "simulation"])
def test_direct_plus_indirect_is_total(
    cigar_fits: dict[str, SpatialPanelResults], name: str, method: str
) -> None:
    impacts = cigar_fits[name].impacts(method=method)  # type: ignore[arg-type]
    e = impacts.estimates
    np.testing.assert_allclose(e["direct"] + e["indirect"], e["total"], rtol=1e-12, atol=1e-15)
    if impacts.draws is not None:
        d = impacts.draws
        np.testing.assert_allclose(d[..., 0] + d[..., 1], d[..., 2], rtol=1e-12, atol=1e-15)


@pytest.mark.parametrize("name", ["SpatialDurbinErrorPanel", "SLXPanel"])
def test_models_without_lagged_y_have_beta_and_theta_as_effects(
    cigar_fits: dict[str, SpatialPanelResults], name: str
) -> None:
    result = cigar_fits[name]
    e = result.impacts().estimates
    for v in X:
        np.testing.assert_allclose(e.loc[v, "direct"], result.params[v], rtol=1e-12)
        np.testing.assert_allclose(e.loc[v, "indirect"], result.params[f"W_{v}"], rtol=1e-12)


@settings(max_examples=10, deadline=None)
@given(
    rho=st.floats(min_value=-0.6, max_value=0.8),
    beta=st.floats(min_value=-2, max_value=2),
    theta=st.floats(min_value=-2, max_value=2),
)
def test_total_impact_identity_on_a_lattice(rho: float, beta: float, theta: float) -> None:
    w = lattice_w(7)
    spectrum = EigenSpectrum.from_weights(w)
    params = np.array([beta, theta, rho])
    impacts = compute_impacts(
        ("x",), params, np.eye(3) * 1e-4, np.array([0]), np.array([1]), 2, spectrum,
        w.rho_bounds(),
    )  # fmt: skip
    total = impacts.estimates.loc["x", "total"]
    np.testing.assert_allclose(total, (beta + theta) / (1 - rho), rtol=1e-10, atol=1e-12)
    dense = w.sparse.toarray()
    s = np.linalg.solve(np.eye(w.n) - rho * dense, beta * np.eye(w.n) + theta * dense)
    np.testing.assert_allclose(
        impacts.estimates.loc["x", "direct"], np.trace(s) / w.n, rtol=1e-10, atol=1e-12
    )


def test_simulated_impacts_are_reproducible_and_match_the_delta_method(
    cigar_fits: dict[str, SpatialPanelResults],
) -> None:
    result = cigar_fits["SpatialDurbinPanel"]
    first = result.impacts(method="simulation", n_draws=20_000, seed=123)
    again = result.impacts(method="simulation", n_draws=20_000, seed=123)
    other = result.impacts(method="simulation", n_draws=20_000, seed=124)
    pd.testing.assert_frame_equal(first.std_errors, again.std_errors)
    np.testing.assert_array_equal(first.draws, again.draws)
    assert not np.array_equal(first.draws, other.draws)
    delta = result.impacts(method="delta")
    # plug-in point estimates are the delta-method ones
    pd.testing.assert_frame_equal(first.estimates, delta.estimates)
    ratio = first.std_errors / delta.std_errors
    assert ((ratio > 0.9) & (ratio < 1.1)).all().all(), ratio
    assert first.n_draws == 20_000
    assert first.n_discarded == 0
    assert first.draws.shape == (20_000, 2, 3)
    # the draws' mean is close to the plug-in estimate
    mean = result.impacts(method="simulation", n_draws=20_000, seed=123, estimate="mean")
    np.testing.assert_allclose(mean.estimates, first.estimates, atol=0.01)


def test_simulated_impacts_discard_draws_outside_the_interval(
    cigar_w: SpatialWeights, cigar_fits: dict[str, SpatialPanelResults]
) -> None:
    result = cigar_fits["SpatialDurbinPanel"]
    assert result.impacts(method="simulation", n_draws=500, seed=0).n_discarded == 0
    spectrum = EigenSpectrum.from_weights(cigar_w)
    bounds = cigar_w.rho_bounds()
    names = ("logp", "logy")
    params = result.params.to_numpy()
    cov = result.cov.to_numpy().copy()
    rho_at = len(params) - 1
    cov[rho_at, :] = cov[:, rho_at] = 0.0
    cov[rho_at, rho_at] = 1.0  # sd 1 around rho ~ 0.27 on (-1.39, 1): many draws fall outside
    n_draws = 4_000
    impacts = compute_impacts(
        names, params, cov, np.array([0, 1]), np.array([2, 3]), rho_at, spectrum, bounds,
        method="simulation", n_draws=n_draws, seed=5,
    )  # fmt: skip
    assert impacts.n_draws == n_draws
    assert impacts.n_discarded > 0
    assert impacts.draws.shape[0] == n_draws - impacts.n_discarded
    # expected share outside: P(rho + Z < low) + P(rho + Z > high), Z ~ N(0, 1)
    rho = params[rho_at]
    share = stats.norm.cdf(bounds[0] - rho) + stats.norm.sf(bounds[1] - rho)
    assert abs(impacts.n_discarded / n_draws - share) < 0.03
    assert np.isfinite(impacts.std_errors.to_numpy()).all()


def test_impacts_on_simulated_lattice_recover_the_truth() -> None:
    w = lattice_w(7)
    rho, beta, theta = 0.4, (1.0, -0.5), (0.5, 0.3)
    data = simulate_sdm(w, 40, rho, beta, theta, seed=99)
    result = SpatialDurbinPanel(data, "y", ["x1", "x2"], w, region="id", year="t").fit()
    totals = result.impacts().estimates["total"].to_numpy()
    truth = (np.array(beta) + np.array(theta)) / (1 - rho)
    se = result.impacts().std_errors["total"].to_numpy()
    assert (np.abs(totals - truth) < 4 * se).all()
