"""Random-effects spatial panels (spatial/models/random_effects.py).

Key independent check: every log-likelihood equals the multivariate normal log-density of
the stacked NT vector y under the covariance implied by the model, built densely on a small
panel. Published check: splm's printed random-effects fits of the Munnell model on Produc
(reference/splm_published.json).
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy import sparse, stats

from spatial import SLXPanel, SpatialErrorPanel, SpatialLagPanel, SpatialWeights
from spatial.exceptions import (
    InvalidOptionError,
    PanelStructureError,
    SpecificationError,
)
from spatial.models import random_effects as re_mod
from spatial.models.logdet import make_logdet
from spatial.models.random_effects import (
    bsk_tests,
    fit_random_error,
    fit_random_lag,
    quasi_demean,
    random_effects_design,
    random_effects_loglik,
)
from spatial.weights.builders import knn
from tests.shared_data import shared_path

from ..conftest import lattice_w

PUBLISHED = Path(__file__).with_name("reference") / "splm_published.json"


def _small_w(seed: int = 1, n: int = 6) -> SpatialWeights:
    """A random binary symmetric contiguity, row-standardized (so W is not symmetric)."""
    rng = np.random.default_rng(seed)
    c = (rng.random((n, n)) < 0.4).astype(float)
    for i in range(n):
        c[i, (i + 1) % n] = 1.0
    c = np.maximum(c, c.T)
    np.fill_diagonal(c, 0.0)
    return SpatialWeights.from_sparse(sparse.csr_matrix(c)).standardize("row")


def _dense_moments(model: str, w: np.ndarray, z: np.ndarray, params: np.ndarray, t: int):
    """Mean and covariance of the stacked y (time slow) implied by each model."""
    n, k = w.shape[0], z.shape[2]
    beta, spatial, phi, s2 = params[:k], *params[k:]
    eye, ones = np.eye(n), np.ones((t, t))
    mean = z.reshape(-1, k) @ beta
    b = eye - spatial * w
    btb_inv = np.linalg.inv(b.T @ b)
    if model == "lag":
        lag = np.kron(np.eye(t), np.linalg.inv(b))
        cov_u = s2 * (phi * np.kron(ones, eye) + np.eye(n * t))
        return lag @ mean, lag @ cov_u @ lag.T
    if model == "baltagi":
        return mean, s2 * (phi * np.kron(ones, eye) + np.kron(np.eye(t), btb_inv))
    return mean, s2 * np.kron(phi * ones + np.eye(t), btb_inv)


@pytest.mark.parametrize("model", ["lag", "baltagi", "kkp"])
@pytest.mark.parametrize("spatial,phi", [(0.37, 1.7), (-0.4, 0.05), (0.8, 12.0)])
def test_loglik_equals_dense_multivariate_normal(model: str, spatial: float, phi: float) -> None:
    w = _small_w()
    ld = make_logdet(w, "eigen")
    rng = np.random.default_rng(7)
    t, n = 4, w.n
    x = rng.standard_normal((t, n, 2))
    y = rng.standard_normal((t, n)) + 0.5
    z, _ = random_effects_design(x, w.matrix, durbin=model == "lag")
    params = np.r_[rng.standard_normal(z.shape[2]), spatial, phi, 0.8]
    mean, cov = _dense_moments(model, w.matrix.toarray(), z, params, t)
    expected = stats.multivariate_normal(mean, cov).logpdf(y.ravel())
    got = random_effects_loglik(params, y, z, w.matrix, ld, model)  # type: ignore[arg-type]
    assert got == pytest.approx(expected, rel=1e-10)


def test_quasi_demean_whitens_the_error_components() -> None:
    t, n, phi = 5, 3, 2.0
    theta = 1.0 - (1.0 + t * phi) ** -0.5
    omega = phi * np.kron(np.ones((t, t)), np.eye(n)) + np.eye(n * t)
    transform = np.eye(n * t) - theta * np.kron(np.ones((t, t)) / t, np.eye(n))
    np.testing.assert_allclose(transform @ omega @ transform, np.eye(n * t), atol=1e-12)
    a = np.arange(float(t * n)).reshape(t, n)
    np.testing.assert_allclose(quasi_demean(a, theta).ravel(), transform @ a.ravel())


def test_design_names_and_durbin_lags() -> None:
    w = _small_w()
    x = np.random.default_rng(0).standard_normal((3, w.n, 2))
    z, names = random_effects_design(x, w.matrix, ["a", "b"], durbin=True)
    assert names == ("(Intercept)", "a", "b", "W*a", "W*b")
    np.testing.assert_allclose(z[1, :, 3], w.matrix @ x[1, :, 0])
    with pytest.raises(PanelStructureError):
        random_effects_design(x, w.matrix, ["a"])


@pytest.fixture(scope="module")
def produc() -> tuple[np.ndarray, np.ndarray, SpatialWeights]:
    frame = pd.read_csv(shared_path("us_spatial_panel", "Produc.csv"))
    ww = pd.read_csv(shared_path("us_spatial_panel", "usaww.csv"), index_col=0)
    ids = list(ww.index)
    w = SpatialWeights.from_sparse(ww.to_numpy(), ids=ids)
    frame = frame.set_index(["year", "state"]).sort_index()

    def wide(values: pd.Series) -> np.ndarray:
        return values.unstack("state")[ids].to_numpy()

    y = wide(np.log(frame["gsp"]))
    cols = [np.log(frame["pcap"]), np.log(frame["pc"]), np.log(frame["emp"]), frame["unemp"]]
    return y, np.stack([wide(c) for c in cols], axis=2), w


def _decimals(value: float) -> int:
    text = repr(value)
    return len(text.split(".")[1]) if "." in text else 0


def _close(got: float, printed: float, slack: float) -> bool:
    return abs(got - printed) <= 0.5 * 10.0 ** -_decimals(printed) + slack


@pytest.mark.parametrize(
    "key,slack",
    # the concentrated likelihood is flat in phi: double-precision values fix its maximiser
    # to ~1e-7 (ours and splm's nlminb), which moves the intercept by up to ~3e-7 (kkp)
    # and ~5e-7 (lag model, also rho). The Baltagi likelihood, computed from GLS moments
    # (e'e = y'y - y'Z b cancels), is accurate to ~6e-10 (one-at-a-time and batched
    # evaluations differ by that much); optima 1e-10 apart in log-likelihood move its
    # intercept by ~6e-7. Every other printed digit agrees.
    [("lag_re", 1e-6), ("error_re_b", 1e-6), ("error_re_kkp", 5e-7)],
)
def test_produc_reproduces_printed_splm(produc, key: str, slack: float) -> None:
    y, x, w = produc
    ld = make_logdet(w, "eigen")
    names = ["log(pcap)", "log(pc)", "log(emp)", "unemp"]
    if key == "lag_re":
        res = fit_random_lag(y, x, w.matrix, ld, ld.bounds, names)
    else:
        structure = "baltagi" if key == "error_re_b" else "kkp"
        res = fit_random_error(y, x, w.matrix, ld, ld.bounds, names, structure=structure)
    ref = json.loads(PUBLISHED.read_text())["models"][key]
    assert res.converged
    gls_se = np.sqrt(np.diag(res.beta_cov_gls))
    for j, (name, (coef, se)) in enumerate(ref["coefficients"].items()):
        assert res.names[j] == name
        assert _close(res.coefficients[j], coef, slack), (name, res.coefficients[j], coef)
        assert _close(gls_se[j], se, slack), (name, gls_se[j], se)
    assert _close(res.phi, ref["phi"][0], 1e3 * slack)
    assert _close(res.spatial, ref["spatial"][0], slack)
    # splm's finite-difference Hessian (fdHess) vs statsmodels' approx_hess3: ~0.2 %
    se = res.std_errors
    assert se[res.k] == pytest.approx(ref["spatial"][1], rel=5e-3)
    assert se[res.k + 1] == pytest.approx(ref["phi"][1], rel=5e-3)


def test_estimate_is_a_maximum_of_the_full_loglik(produc) -> None:
    y, x, w = produc
    ld = make_logdet(w, "eigen")
    res = fit_random_error(y, x, w.matrix, ld, ld.bounds, structure="kkp")
    z, _ = random_effects_design(x, w.matrix)
    assert res.loglik == pytest.approx(
        random_effects_loglik(res.params, y, z, w.matrix, ld, "kkp"), abs=1e-9
    )
    rng = np.random.default_rng(3)
    for _ in range(5):
        step = res.std_errors * rng.standard_normal(res.params.size) * 1e-2
        assert random_effects_loglik(res.params + step, y, z, w.matrix, ld, "kkp") < res.loglik


def test_monte_carlo_recovers_random_effects_sar() -> None:
    w = lattice_w(7)
    ld = make_logdet(w, "eigen")
    mat = w.matrix.toarray()
    t, n, rho, phi, beta = 5, w.n, 0.4, 1.0, np.array([1.0, 2.0, -1.0])
    inverse = np.linalg.inv(np.eye(n) - rho * mat)
    estimates = []
    for seed in range(6):
        rng = np.random.default_rng(seed)
        x = rng.standard_normal((t, n, 2))
        mu = rng.standard_normal(n) * np.sqrt(phi)
        rhs = beta[0] + x @ beta[1:] + mu + rng.standard_normal((t, n))
        y = rhs @ inverse.T
        res = fit_random_lag(y, x, w.matrix, ld, ld.bounds)
        estimates.append([*res.coefficients, res.spatial, res.phi, res.sigma2])
    mean = np.mean(estimates, axis=0)
    np.testing.assert_allclose(mean[:3], beta, atol=0.15)
    assert mean[3] == pytest.approx(rho, abs=0.05)
    assert mean[4] == pytest.approx(phi, abs=0.4)
    assert mean[5] == pytest.approx(1.0, abs=0.15)


@pytest.mark.parametrize("sparse_from", [0, 10_000])
def test_baltagi_kernel_equals_dense_algebra(monkeypatch, sparse_from) -> None:
    """The sparse-LU and the Cholesky blocks of the Baltagi model equal plain dense algebra
    on an asymmetric W (5 nearest neighbours, row-standardized), also for negative lambda."""
    monkeypatch.setattr(re_mod, "BALTAGI_SPARSE_FROM", sparse_from)
    rng = np.random.default_rng(3)
    n, t = 80, 6
    w = knn(rng.uniform(size=(n, 2)), list(range(n)), k=5, great_circle=False)
    vectors = rng.standard_normal((n, 3))
    kernel = re_mod._Baltagi(w.matrix, t)
    assert kernel.dense == (sparse_from > n)
    dense_w = w.matrix.toarray()
    for lam, phi in ((0.45, 0.7), (-0.6, 3.0), (0.95, 0.0)):
        b = np.eye(n) - lam * dense_w
        m = np.eye(n) + t * phi * b.T @ b
        expected = vectors.T @ np.linalg.solve(m, b.T @ b @ vectors)
        quad, ln_m = kernel.between(lam, phi, vectors)
        np.testing.assert_allclose(quad, expected, rtol=1e-10)
        assert ln_m == pytest.approx(np.linalg.slogdet(m)[1], rel=1e-12, abs=1e-12)


def test_baltagi_joint_search_equals_nested_search(monkeypatch) -> None:
    """From N = BALTAGI_SPARSE_FROM on, the Baltagi model is fitted by the grid + L-BFGS-B
    joint search on the sparse kernel; below, by the nested searches on the dense one. On
    the same panel (N = 160, asymmetric kNN W) both reach the same maximum."""
    rng = np.random.default_rng(11)
    n, t, lam, phi = 160, 6, 0.5, 0.8
    w = knn(rng.uniform(size=(n, 2)), list(range(n)), k=5, great_circle=False)
    x = rng.standard_normal((t, n, 2))
    mu = np.sqrt(phi) * rng.standard_normal(n)
    b_inv = np.linalg.inv(np.eye(n) - lam * w.matrix.toarray())
    y = 1.0 + x @ np.array([0.8, -0.5]) + mu + rng.standard_normal((t, n)) @ b_inv.T
    ld = make_logdet(w, "lu")
    fits = {}
    for sparse_from in (0, 10_000):
        monkeypatch.setattr(re_mod, "BALTAGI_SPARSE_FROM", sparse_from)
        fits[sparse_from] = fit_random_error(y, x, w.matrix, ld, ld.bounds)
    joint, nested = fits[0], fits[10_000]
    assert joint.evaluations < 200 < nested.evaluations
    assert joint.converged and nested.converged
    assert joint.loglik == pytest.approx(nested.loglik, rel=1e-10)
    np.testing.assert_allclose(joint.params, nested.params, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(joint.std_errors, nested.std_errors, rtol=1e-5)


def test_bsk_tests_match_dense_formulas() -> None:
    w = _small_w(seed=4, n=8)
    t, n = 5, w.n
    u = np.random.default_rng(2).standard_normal((t, n))
    u += 0.6 * u.mean(axis=0)  # some individual correlation
    res = bsk_tests(u, w.matrix)
    vec, dense = u.ravel(), w.matrix.toarray()
    uu = vec @ vec
    jt = np.kron(np.ones((t, t)), np.eye(n))
    lm1 = np.sqrt(n * t / (2 * (t - 1))) * (vec @ jt @ vec / uu - 1)
    b = np.trace(dense @ dense + dense.T @ dense)
    d2 = np.kron(np.eye(t), (dense + dense.T) / 2)
    lm2 = np.sqrt(n * n * t / b) * (vec @ d2 @ vec) / uu
    assert res.lm1 == pytest.approx(lm1, rel=1e-12)
    assert res.lm2 == pytest.approx(lm2, rel=1e-12)
    assert res.lmj == pytest.approx(lm1**2 + lm2**2, rel=1e-12)
    assert res.lmh == pytest.approx((lm1 + lm2) / np.sqrt(2), rel=1e-12)
    assert res.lmj_pvalue == pytest.approx(stats.chi2.sf(lm1**2 + lm2**2, 2), rel=1e-12)


def test_bsk_lm1_is_the_honda_statistic_on_produc(produc) -> None:
    """LM1 is Honda's (1985) one-sided RE test; LM2 > 0 with clear spatial correlation."""
    y, x, w = produc
    z, _ = random_effects_design(x, w.matrix)
    flat = z.reshape(-1, z.shape[2])
    beta = np.linalg.lstsq(flat, y.ravel(), rcond=None)[0]
    u = y - z @ beta
    res = bsk_tests(u, w.matrix)
    t, n = y.shape
    honda = np.sqrt(n * t / (2 * (t - 1))) * ((u.sum(axis=0) ** 2).sum() / (u**2).sum() - 1)
    assert res.lm1 == pytest.approx(honda, rel=1e-12)
    assert res.lm1 > 3 and res.lm2 > 3


# ------------------------------------------------------------ through the model classes
X_NAMES = ["lpcap", "lpc", "lemp", "unemp"]


@pytest.mark.parametrize(
    ("model", "structure", "key"),
    [(SpatialLagPanel, None, "lag_re"), (SpatialErrorPanel, "baltagi", "error_re_b"),
     (SpatialErrorPanel, "kkp", "error_re_kkp")],
)  # fmt: skip
def test_model_classes_with_random_effects_reproduce_splm(produc_frame, model, structure, key):
    """effects="random" on the model classes: the printed splm estimates (as above)."""
    data, w = produc_frame
    options = {"error_structure": structure} if structure else {}
    res = model(data, "lgsp", X_NAMES, w, region="state", year="year", effects="random",
                **options).fit()  # fmt: skip
    ref = json.loads(PUBLISHED.read_text())["models"][key]
    spatial = "rho" if model is SpatialLagPanel else "lambda"
    assert list(res.params.index) == ["const", *X_NAMES, spatial, "phi"]
    printed = list(ref["coefficients"].values())
    for name, (coef, _) in zip(["const", *X_NAMES], printed):
        assert _close(float(res.params[name]), coef, 1e-6), (name, res.params[name], coef)
    assert _close(float(res.params[spatial]), ref["spatial"][0], 1e-6)
    assert _close(float(res.params["phi"]), ref["phi"][0], 1e-3)
    assert res.options["effects"] == "random" and res.options["cov_type"] == "hessian"
    if model is SpatialLagPanel:
        effects = res.impacts().estimates
        assert effects.loc["lpc", "total"] == pytest.approx(
            res.params["lpc"] / (1 - res.params["rho"]), rel=1e-10
        )


def test_bsk_through_the_model_api(produc_frame):
    from spatial import bsk_tests
    from spatial.models.random_effects import bsk_tests as kernel_bsk

    data, w = produc_frame
    keys = {"region": "state", "year": "year"}
    table = bsk_tests(data, "lgsp", X_NAMES, w, **keys)
    assert list(table.index) == ["LM1", "LM2", "LMJ", "LMH"]
    # the kernel on pooled OLS residuals computed independently (statsmodels)
    import statsmodels.api as sm

    ordered = data.set_index(["year", "state"]).sort_index()
    ordered = ordered.loc[pd.MultiIndex.from_product([sorted(data["year"].unique()), w.ids])]
    ols = sm.OLS(ordered["lgsp"], sm.add_constant(ordered[X_NAMES])).fit()
    expected = kernel_bsk(ols.resid.to_numpy().reshape(17, 48), w.matrix)
    assert table.loc["LM1", "statistic"] == pytest.approx(expected.lm1, rel=1e-10)
    assert table.loc["LM2", "statistic"] == pytest.approx(expected.lm2, rel=1e-10)
    assert table.loc["LMJ", "statistic"] == pytest.approx(
        table.loc["LM1", "statistic"] ** 2 + table.loc["LM2", "statistic"] ** 2, rel=1e-12
    )


def test_random_effects_options_are_checked(produc_frame):
    data, w = produc_frame
    keys = {"region": "state", "year": "year"}
    with pytest.raises(SpecificationError, match="SAR, SDM and SEM"):
        SLXPanel(data, "lgsp", X_NAMES, w, **keys, effects="random")
    with pytest.raises(SpecificationError, match="error_structure applies"):
        SpatialLagPanel(data, "lgsp", X_NAMES, w, **keys, error_structure="kkp")
    with pytest.raises(InvalidOptionError, match="cov_type='analytic'"):
        SpatialLagPanel(data, "lgsp", X_NAMES, w, **keys, effects="random").fit(cov_type="analytic")


# ------------------------------------------------ splm 1.6-5 run here (splm_produc.R)
SPLM = PUBLISHED.with_name("splm_produc_R.json")


def test_bsk_tests_equal_splm_bsktest(produc_frame):
    """LM1 and LM2 (not standardized) equal splm's bsktest at 1e-9; our LMJ = LM1^2 + LM2^2
    equals the statistic splm prints as LM-H (it refers it to a chi-bar mixture)."""
    from spatial import bsk_tests

    data, w = produc_frame
    ref = json.loads(SPLM.read_text())["bsktest"]
    table = bsk_tests(data, "lgsp", X_NAMES, w, region="state", year="year")
    assert table.loc["LM1", "statistic"] == pytest.approx(ref["LM1"]["statistic"], rel=1e-9)
    assert table.loc["LM2", "statistic"] == pytest.approx(ref["LM2"]["statistic"], rel=1e-9)
    assert table.loc["LMJ", "statistic"] == pytest.approx(ref["LMH"]["statistic"], rel=1e-9)


def test_fixed_effects_lag_and_sac_equal_splm_within(produc_frame):
    """Our SAR and SAC with region effects and no correction equal splm's spml(model=
    "within") at 1e-5 (estimates) and 1e-3 (slope SEs; splm's block-diagonal covariance
    against our full information matrix)."""
    from spatial import SACPanel

    data, w = produc_frame
    ref = json.loads(SPLM.read_text())["spml"]
    keys = {"region": "state", "year": "year", "effects": "individual"}
    lag = SpatialLagPanel(data, "lgsp", X_NAMES, w, **keys).fit(bias_correction="none")
    splm_names = dict(zip(X_NAMES, ["log(pcap)", "log(pc)", "log(emp)", "unemp"]))
    for ours, theirs in splm_names.items():
        assert lag.params[ours] == pytest.approx(ref["fe_lag"]["coefficients"][theirs], abs=1e-5)
    assert lag.params["rho"] == pytest.approx(ref["fe_lag"]["coefficients"]["lambda"], abs=1e-5)
    assert lag.sigma2 == pytest.approx(ref["fe_lag"]["sigma2"], rel=1e-5)
    assert lag.loglik == pytest.approx(ref["fe_lag"]["logLik"], rel=1e-9)
    sac = SACPanel(data, "lgsp", X_NAMES, w, **keys).fit(bias_correction="none")
    coefficients = ref["fe_sarar"]["coefficients"]
    assert sac.params["rho"] == pytest.approx(coefficients["lambda"], abs=1e-4)  # splm: lag
    assert sac.params["lambda"] == pytest.approx(coefficients["rho"], abs=1e-4)  # splm: error
    for ours, theirs in splm_names.items():
        assert sac.params[ours] == pytest.approx(coefficients[theirs], abs=1e-4)
