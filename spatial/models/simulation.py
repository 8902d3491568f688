"""Monte Carlo studies of the spatial panel estimators: simulators and a parallel runner.

:func:`simulate_panel` draws one long panel from the data-generating process (DGP) of
each model of :mod:`spatial.models.panels`; :func:`run_monte_carlo` fits many replications, on
the local cores (joblib) or on a Dask cluster (a ``dask.distributed.Client``, from the
optional ``distributed`` extra), and returns bias, RMSE and coverage tables in a
:class:`MonteCarloResults`.

Replication ``r`` draws from ``np.random.default_rng(np.random.SeedSequence(seed).spawn(R)[r])``,
so the results depend on ``seed`` only, never on ``n_jobs``, the chunking or the cluster.

References
----------
Lee, L.-F. and Yu, J. (2010). Estimation of spatial autoregressive panel data models
with fixed effects. *Journal of Econometrics* 154(2): 165-185.

LeSage, J. and Pace, R. K. (2009). *Introduction to Spatial Econometrics*. CRC Press,
Boca Raton.

Elhorst, J. P. (2014). *Spatial Econometrics: From Cross-Sectional Data to Spatial
Panels*. Springer, Berlin, ch. 3.
"""

from __future__ import annotations

import inspect
import math
import time
import uuid
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal, overload

import numpy as np
import pandas as pd
from scipy import sparse
from scipy.sparse import linalg as sparse_linalg

from .._core.distributions import normal_quantile
from .._core.options import check_option
from .._core.summary import Summary
from ..exceptions import InvalidOptionError, SpecificationError
from ..weights import SpatialWeights
from .panels import (
    SLXPanel,
    SpatialDurbinErrorPanel,
    SpatialDurbinPanel,
    SpatialErrorPanel,
    SpatialLagPanel,
    _SpatialPanelModel,
)
from .transform import spatial_lag

if TYPE_CHECKING:
    from dask.distributed import Client

__all__ = [
    "MonteCarloResults",
    "MonteCarloWarning",
    "SimulatedComponents",
    "run_monte_carlo",
    "simulate_panel",
]

ModelName = Literal["SDM", "SAR", "SEM", "SDEM", "SLX"]
EffectsName = Literal["individual", "time", "twoways", "none"]

MODELS: dict[str, type[_SpatialPanelModel]] = {
    "SDM": SpatialDurbinPanel,
    "SAR": SpatialLagPanel,
    "SEM": SpatialErrorPanel,
    "SDEM": SpatialDurbinErrorPanel,
    "SLX": SLXPanel,
}
EFFECTS = ("individual", "time", "twoways", "none")
#: Models with a spatial lag of y (rho), of the error (lambda), of X (theta).
_LAG_Y = ("SDM", "SAR")
_LAG_ERROR = ("SEM", "SDEM")
_LAG_X = ("SDM", "SDEM", "SLX")
#: Keys of ``truth`` in :func:`run_monte_carlo` (keywords of :func:`simulate_panel`).
TRUTH_KEYS = ("beta", "theta", "rho", "lam", "sigma2")
#: Columns of :attr:`MonteCarloResults.table`.
TABLE_COLUMNS = ("true", "mean", "bias", "rmse", "mc_sd", "mean_se", "se_sd_ratio", "coverage")


class MonteCarloWarning(UserWarning):
    """Some replications of a Monte Carlo study failed (they are counted, not dropped)."""


@dataclass(frozen=True)
class SimulatedComponents:
    """The random and derived parts of one simulated panel (time-major arrays).

    Attributes
    ----------
    x : ndarray, shape (T, N, K)
        Regressors.
    wx : ndarray, shape (T, N, K)
        Their spatial lags ``W X_t``.
    mu : ndarray, shape (N,)
        Region effects (zeros without them).
    xi : ndarray, shape (T,)
        Year effects (zeros without them).
    eps : ndarray, shape (T, N)
        Innovations, N(0, sigma2).
    y : ndarray, shape (T, N)
        The dependent variable.
    """

    x: np.ndarray
    wx: np.ndarray
    mu: np.ndarray
    xi: np.ndarray
    eps: np.ndarray
    y: np.ndarray


# --------------------------------------------------------------------------- validation
def _int_setting(name: str, value: Any, minimum: int) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < minimum:
        raise InvalidOptionError(f"{name} must be an integer >= {minimum}; got {value!r}.")
    return int(value)


def _float_setting(name: str, value: Any) -> float:
    try:
        out = float(value)
    except (TypeError, ValueError):
        raise InvalidOptionError(f"{name} must be a number; got {value!r}.") from None
    if not math.isfinite(out):
        raise InvalidOptionError(f"{name} must be finite; got {value!r}.")
    return out


def _coefficients(name: str, values: Any) -> np.ndarray:
    try:
        out = np.asarray(values, dtype=np.float64)
    except (TypeError, ValueError):
        raise SpecificationError(f"{name} must be a sequence of numbers; got {values!r}.") from None
    if out.ndim != 1:
        raise SpecificationError(f"{name} must be a flat sequence of numbers; got {values!r}.")
    if not np.isfinite(out).all():
        raise SpecificationError(f"{name} has missing or infinite values: {values!r}.")
    return out


def _check_spatial_parameter(name: str, value: float, w: SpatialWeights) -> None:
    """``value`` must lie in W's admissible interval, where ``I - value W`` is invertible."""
    if value == 0.0:
        return
    lower, upper = w.rho_bounds()
    if not lower < value < upper:
        raise InvalidOptionError(
            f"{name}={value!r} lies outside the admissible interval ({lower:.6g}, {upper:.6g}) "
            f"of W, where I - {name} W is invertible."
        )


def _check_model_parameters(
    model: str, k: int, theta: np.ndarray, rho: float, lam: float, w: SpatialWeights
) -> None:
    if model in _LAG_X:
        if theta.size != k:
            raise SpecificationError(
                f"{model} lags every regressor: theta needs {k} values (one per beta); "
                f"got {theta.size}."
            )
    elif theta.size:
        raise SpecificationError(
            f"{model} has no spatially lagged regressors: theta must be empty; got "
            f"{theta.size} values (use SDM or SDEM)."
        )
    if rho != 0.0 and model not in _LAG_Y:
        raise SpecificationError(
            f"{model} has no spatial lag of y: rho must be 0; got {rho!r} (rho belongs to "
            "SDM and SAR)."
        )
    if lam != 0.0 and model not in _LAG_ERROR:
        raise SpecificationError(
            f"{model} has no spatial error process: lam must be 0; got {lam!r} (lam belongs "
            "to SEM and SDEM)."
        )
    _check_spatial_parameter("rho", rho, w)
    _check_spatial_parameter("lam", lam, w)


def _solve_filter(w: SpatialWeights, coefficient: float, rhs: np.ndarray) -> np.ndarray:
    """``(I - coefficient W)^{-1} rhs_t`` for every row ``t`` of ``rhs`` (T, N): one sparse
    LU factorisation, all periods solved at once."""
    if coefficient == 0.0:
        return rhs
    a = sparse.csc_matrix(sparse.identity(w.n, format="csc") - coefficient * w.matrix)
    lu = sparse_linalg.splu(a)
    return np.ascontiguousarray(lu.solve(np.asfortranarray(rhs.T)).T)


# --------------------------------------------------------------------------- simulator
@overload
def simulate_panel(
    model: ModelName,
    w: SpatialWeights,
    *,
    periods: int,
    beta: Sequence[float],
    theta: Sequence[float] = ...,
    rho: float = ...,
    lam: float = ...,
    sigma2: float = ...,
    effects: EffectsName = ...,
    x: np.ndarray | None = ...,
    rng: np.random.Generator,
    return_components: Literal[False] = ...,
) -> pd.DataFrame: ...


@overload
def simulate_panel(
    model: ModelName,
    w: SpatialWeights,
    *,
    periods: int,
    beta: Sequence[float],
    theta: Sequence[float] = ...,
    rho: float = ...,
    lam: float = ...,
    sigma2: float = ...,
    effects: EffectsName = ...,
    x: np.ndarray | None = ...,
    rng: np.random.Generator,
    return_components: Literal[True],
) -> tuple[pd.DataFrame, SimulatedComponents]: ...


def simulate_panel(
    model: ModelName,
    w: SpatialWeights,
    *,
    periods: int,
    beta: Sequence[float],
    theta: Sequence[float] = (),
    rho: float = 0.0,
    lam: float = 0.0,
    sigma2: float = 1.0,
    effects: EffectsName = "twoways",
    x: np.ndarray | None = None,
    rng: np.random.Generator,
    return_components: bool = False,
) -> pd.DataFrame | tuple[pd.DataFrame, SimulatedComponents]:
    """Draw one long panel from the data-generating process of a spatial panel model.

    Parameters
    ----------
    model : {"SDM", "SAR", "SEM", "SDEM", "SLX"}
        The model whose DGP is simulated (see Notes).
    w : SpatialWeights
        Weights of the N regions; their ids label the regions.
    periods : int
        Number of years T (at least 1; a fit with fixed effects needs 2).
    beta : sequence of float
        Coefficients of the K regressors ``x1..xK``.
    theta : sequence of float
        Coefficients of their spatial lags ``W x1..W xK``: K values for SDM, SDEM and
        SLX, empty for SAR and SEM.
    rho : float
        Spatial autoregressive parameter of y (SDM, SAR; 0 otherwise), inside W's
        admissible interval :meth:`SpatialWeights.rho_bounds`.
    lam : float
        Spatial autoregressive parameter of the error (SEM, SDEM; 0 otherwise).
    sigma2 : float
        Variance of the innovations, > 0.
    effects : {"individual", "time", "twoways", "none"}
        Which fixed effects enter the DGP: region effects ``mu`` (individual, twoways)
        and year effects ``xi`` (time, twoways), both standard normal.
    x : ndarray of shape (T, N, K), optional
        Regressors held fixed (e.g. across replications); standard normal draws if
        omitted.
    rng : numpy.random.Generator
        Source of every draw (keyword-only, required).
    return_components : bool
        Also return the :class:`SimulatedComponents` (x, W x, mu, xi, eps, y).

    Returns
    -------
    DataFrame or (DataFrame, SimulatedComponents)
        The long panel, one row per (region, year), year-major: ``region`` (W's ids),
        ``year`` (0..T-1), ``y``, ``x1``..``xK``.

    Raises
    ------
    InvalidOptionError
        Unknown model or effects, non-positive periods or sigma2, rho or lam outside
        W's admissible interval, ``rng`` not a Generator.
    SpecificationError
        beta empty, theta of the wrong length for the model, rho or lam given to a
        model without them, x of the wrong shape or not finite.

    Notes
    -----
    With :math:`X_t` the :math:`N \\times K` regressors of year :math:`t`, region effects
    :math:`\\mu`, year effects :math:`\\xi_t` (times a vector of ones) and
    :math:`\\varepsilon_t \\sim N(0, \\sigma^2 I_N)`, draws are made in this order:
    X (unless given), :math:`\\mu`, :math:`\\xi`, :math:`\\varepsilon`; then

    * SDM: :math:`y_t = (I - \\rho W)^{-1}(X_t\\beta + WX_t\\theta + \\mu + \\xi_t +
      \\varepsilon_t)`;
    * SAR: the SDM with :math:`\\theta = 0`;
    * SEM: :math:`y_t = X_t\\beta + \\mu + \\xi_t + (I - \\lambda W)^{-1}\\varepsilon_t`;
    * SDEM: :math:`y_t = X_t\\beta + WX_t\\theta + \\mu + \\xi_t + (I - \\lambda
      W)^{-1}\\varepsilon_t`;
    * SLX: :math:`y_t = X_t\\beta + WX_t\\theta + \\mu + \\xi_t + \\varepsilon_t`.

    There is no constant (with ``effects="none"`` the fitted intercept has true value
    0). :math:`I - \\rho W` is factorised once by a sparse LU (no dense inverse) and
    all periods are solved together. These are the designs of the Monte Carlo studies
    of Lee and Yu (2010) and LeSage and Pace (2009, ch. 2).

    References
    ----------
    Lee, L.-F. and Yu, J. (2010). Estimation of spatial autoregressive panel data
    models with fixed effects. *Journal of Econometrics* 154(2): 165-185.

    LeSage, J. and Pace, R. K. (2009). *Introduction to Spatial Econometrics*. CRC
    Press, Boca Raton.

    Examples
    --------
    >>> import numpy as np
    >>> from scipy import sparse
    >>> line = sparse.diags([1.0, 1.0], [-1, 1], shape=(4, 4))
    >>> w = SpatialWeights.from_sparse(line, ids="abcd").standardize()
    >>> data = simulate_panel("SDM", w, periods=3, beta=[1.0, -0.5], theta=[0.5, 0.3],
    ...                       rho=0.4, rng=np.random.default_rng(0))
    >>> data.shape, list(data.columns)
    ((12, 5), ['region', 'year', 'y', 'x1', 'x2'])
    """
    frame, components = _simulate(
        model, w, periods=periods, beta=beta, theta=theta, rho=rho, lam=lam, sigma2=sigma2,
        effects=effects, x=x, rng=rng,
    )  # fmt: skip
    return (frame, components) if return_components else frame


def _simulate(
    model: str,
    w: SpatialWeights,
    *,
    periods: int,
    beta: Sequence[float],
    theta: Sequence[float] = (),
    rho: float = 0.0,
    lam: float = 0.0,
    sigma2: float = 1.0,
    effects: str = "twoways",
    x: np.ndarray | None = None,
    rng: np.random.Generator,
) -> tuple[pd.DataFrame, SimulatedComponents]:
    """:func:`simulate_panel` with its components (checks included)."""
    check_option("model", model, tuple(MODELS))
    check_option("effects", effects, EFFECTS)
    if not isinstance(w, SpatialWeights):
        raise SpecificationError(f"w must be a SpatialWeights; got {type(w).__name__}.")
    if not isinstance(rng, np.random.Generator):
        raise InvalidOptionError(
            f"rng must be a numpy.random.Generator (np.random.default_rng(seed)); got "
            f"{type(rng).__name__}."
        )
    t = _int_setting("periods", periods, 1)
    n = w.n
    b = _coefficients("beta", beta)
    if b.size == 0:
        raise SpecificationError("beta must have at least one coefficient.")
    k = b.size
    c = _coefficients("theta", theta)
    rho_, lam_ = _float_setting("rho", rho), _float_setting("lam", lam)
    s2 = _float_setting("sigma2", sigma2)
    if s2 <= 0:
        raise InvalidOptionError(f"sigma2 must be positive; got {sigma2!r}.")
    _check_model_parameters(model, k, c, rho_, lam_, w)

    if x is None:
        xs = rng.standard_normal((t, n, k))
    else:
        xs = np.array(x, dtype=np.float64)
        if xs.shape != (t, n, k):
            raise SpecificationError(
                f"x must have shape (periods, regions, len(beta)) = {(t, n, k)}; got {xs.shape}."
            )
        if not np.isfinite(xs).all():
            raise SpecificationError("x has missing or infinite values.")
    mu = rng.standard_normal(n) if effects in ("individual", "twoways") else np.zeros(n)
    xi = rng.standard_normal(t) if effects in ("time", "twoways") else np.zeros(t)
    eps = math.sqrt(s2) * rng.standard_normal((t, n))

    wx = spatial_lag(w.matrix, xs)
    mean = xs @ b + (wx @ c if c.size else 0.0) + mu[None, :] + xi[:, None]
    if model in _LAG_Y:
        y = _solve_filter(w, rho_, mean + eps)
    elif model in _LAG_ERROR:
        y = mean + _solve_filter(w, lam_, eps)
    else:
        y = mean + eps

    frame = pd.DataFrame(
        {
            "region": np.tile(np.asarray(w.ids, dtype=object), t),
            "year": np.repeat(np.arange(t), n),
            "y": y.ravel(),
        }
    )
    for j in range(k):
        frame[f"x{j + 1}"] = xs[:, :, j].ravel()
    return frame, SimulatedComponents(x=xs, wx=wx, mu=mu, xi=xi, eps=eps, y=y)


# --------------------------------------------------------------------------- runner
#: Weights rebuilt in this process, by study token (a few studies at most).
_WEIGHTS: dict[str, SpatialWeights] = {}


@dataclass(frozen=True)
class _Design:
    """Everything a worker needs to simulate and fit a replication (picklable).

    W travels as its parts (matrix, ids, transform, symmetric base) and is rebuilt once
    per process and study (:meth:`weights`), with a fresh cache in every process alike.
    """

    model: str
    token: str
    w_parts: tuple[Any, ...]
    periods: int
    dgp: Mapping[str, Any]
    effects: str
    fit_options: Mapping[str, Any]
    names: tuple[str, ...]

    def weights(self) -> SpatialWeights:
        w = _WEIGHTS.get(self.token)
        if w is None:
            matrix, ids, transform, base = self.w_parts
            w = SpatialWeights(matrix, ids, transform, _symmetric_base=base)
            while len(_WEIGHTS) >= 4:
                _WEIGHTS.pop(next(iter(_WEIGHTS)))
            _WEIGHTS[self.token] = w
        return w


@dataclass(frozen=True)
class _Outcome:
    """One replication: estimates and standard errors (sigma2 last), or the error."""

    replication: int
    estimates: np.ndarray | None
    std_errors: np.ndarray | None
    converged: bool
    error: str | None = None


def _replicate(design: _Design, replication: int, seed: np.random.SeedSequence) -> _Outcome:
    rng = np.random.default_rng(seed)
    try:
        w = design.weights()
        data, _ = _simulate(
            design.model, w, periods=design.periods, effects=design.effects, rng=rng,
            **design.dgp,
        )  # fmt: skip
        k = len(design.dgp["beta"])
        model = MODELS[design.model](
            data, "y", [f"x{j + 1}" for j in range(k)], w,
            region="region", year="year", effects=design.effects,  # type: ignore[arg-type]
        )  # fmt: skip
        res = model.fit(**design.fit_options)
        names = list(design.names[:-1])
        est = np.append(res.params.reindex(names).to_numpy(), res.sigma2)
        se = np.append(res.std_errors.reindex(names).to_numpy(), res.sigma2_se)
        return _Outcome(replication, est, se, res.converged)
    except Exception as exc:  # counted and reported by the runner, never dropped silently
        return _Outcome(replication, None, None, False, f"{type(exc).__name__}: {exc}")


def _run_chunk(
    design: _Design, replications: Sequence[int], seeds: Sequence[np.random.SeedSequence]
) -> list[_Outcome]:
    """Fit a chunk of replications (the unit of work of joblib and Dask)."""
    return [_replicate(design, r, s) for r, s in zip(replications, seeds)]


def _parameter_names(model: str, k: int, effects: str) -> tuple[str, ...]:
    names = [f"x{j + 1}" for j in range(k)]
    if effects == "none":
        names.insert(0, "const")
    if model in _LAG_X:
        names += [f"W_x{j + 1}" for j in range(k)]
    if model in _LAG_Y:
        names.append("rho")
    elif model in _LAG_ERROR:
        names.append("lambda")
    return (*names, "sigma2")


def _truth(truth: Mapping[str, Any]) -> tuple[dict[str, Any], int]:
    """The keywords of :func:`simulate_panel` from ``truth``, and K."""
    if not isinstance(truth, Mapping):
        raise SpecificationError(
            f"truth must be a mapping with keys among {', '.join(map(repr, TRUTH_KEYS))}; got "
            f"{type(truth).__name__}."
        )
    unknown = [key for key in truth if key not in TRUTH_KEYS]
    if unknown:
        raise SpecificationError(
            f"truth has unknown keys {', '.join(map(repr, unknown))}; choose among "
            f"{', '.join(map(repr, TRUTH_KEYS))}."
        )
    if "beta" not in truth:
        raise SpecificationError("truth needs 'beta' (the coefficients of x1..xK).")
    beta = _coefficients("beta", truth["beta"])
    dgp: dict[str, Any] = {"beta": tuple(beta.tolist())}
    if "theta" in truth:
        dgp["theta"] = tuple(_coefficients("theta", truth["theta"]).tolist())
    for key in ("rho", "lam", "sigma2"):
        if key in truth:
            dgp[key] = _float_setting(key, truth[key])
    return dgp, int(beta.size)


def _true_values(names: Sequence[str], dgp: Mapping[str, Any]) -> pd.Series:
    k = len(dgp["beta"])
    theta = dgp.get("theta", ())
    values = {"const": 0.0, "rho": dgp.get("rho", 0.0), "lambda": dgp.get("lam", 0.0),
              "sigma2": dgp.get("sigma2", 1.0)}  # fmt: skip
    for j in range(k):
        values[f"x{j + 1}"] = dgp["beta"][j]
        if theta:
            values[f"W_x{j + 1}"] = theta[j]
    return pd.Series([float(values[name]) for name in names], index=list(names), name="true")


def _check_fit_options(model: str, fit_options: Mapping[str, Any]) -> dict[str, Any]:
    if not isinstance(fit_options, Mapping):
        raise InvalidOptionError(
            f"fit_options must be a mapping of keywords of fit; got {type(fit_options).__name__}."
        )
    allowed = [
        p.name
        for p in inspect.signature(MODELS[model].fit).parameters.values()
        if p.kind is inspect.Parameter.KEYWORD_ONLY
    ]
    for key in fit_options:
        check_option("fit_options key", key, allowed)
    return dict(fit_options)


def _client_class() -> type:
    try:
        from dask.distributed import Client
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise ImportError(
            "Running a Monte Carlo study on a Dask cluster needs dask.distributed: install "
            "the optional extra with pip install 'liangye[distributed]'."
        ) from exc
    return Client


def run_monte_carlo(
    model: str,
    w: SpatialWeights,
    *,
    replications: int,
    periods: int,
    truth: Mapping[str, Any],
    effects: EffectsName = "twoways",
    fit_options: Mapping[str, Any] | None = None,
    seed: int = 0,
    n_jobs: int = 1,
    client: Client | None = None,
    level: float = 0.95,
    chunk: int = 20,
) -> MonteCarloResults:
    """Simulate and fit many replications of a spatial panel model; bias, RMSE, coverage.

    Parameters
    ----------
    model : {"SDM", "SAR", "SEM", "SDEM", "SLX"}
        The DGP of :func:`simulate_panel` and the estimator of the same name
        (:class:`~spatial.models.panels.SpatialDurbinPanel`, ...).
    w : SpatialWeights
        Weights of the N regions.
    replications : int
        Number of replications R (at least 2).
    periods : int
        Years T per replication.
    truth : mapping
        Keywords of :func:`simulate_panel` giving the true parameters: ``beta``
        (sequence, required), ``theta`` (sequence), ``rho``, ``lam``, ``sigma2``.
    effects : {"individual", "time", "twoways", "none"}
        Fixed effects of the DGP and of the fit.
    fit_options : mapping, optional
        Keywords of ``fit`` (``bias_correction``, ``logdet``, ``cov_type``, ...).
        An unknown key is refused at once; a bad value makes every fit fail, and the
        failures are counted and reported.
    seed : int
        Root seed: replication ``r`` draws from
        ``np.random.default_rng(np.random.SeedSequence(seed).spawn(R)[r])``.
    n_jobs : int
        Local processes (joblib; ``-1`` for all cores). Ignored with ``client``.
    client : dask.distributed.Client, optional
        Run the chunks on this Dask cluster (``client.submit``); needs the
        ``distributed`` extra (``pip install 'liangye[distributed]'``).
    level : float
        Nominal level of the Wald intervals whose coverage is reported.
    chunk : int
        Replications per task (fewer, larger tasks amortise the scheduling).

    Returns
    -------
    MonteCarloResults

    Raises
    ------
    InvalidOptionError, SpecificationError
        Bad model, effects, settings or truth (messages name the allowed values).

    Warns
    -----
    MonteCarloWarning
        When some replications failed; the count and the first error are given, and
        :attr:`MonteCarloResults.failures` lists them all.

    Notes
    -----
    With estimates :math:`\\hat\\theta_r` and standard errors :math:`s_r` of the
    :math:`R'` successful replications and true value :math:`\\theta_0`:

    .. math::

        \\text{bias} = \\frac{1}{R'}\\sum_r \\hat\\theta_r - \\theta_0,\\qquad
        \\text{RMSE} = \\Big(\\frac{1}{R'}\\sum_r (\\hat\\theta_r - \\theta_0)^2\\Big)^{1/2},

    the Monte Carlo standard deviation :math:`\\text{SD} = \\big(\\frac{1}{R'-1}\\sum_r
    (\\hat\\theta_r - \\bar\\theta)^2\\big)^{1/2}`, the mean standard error
    :math:`\\bar s`, their ratio :math:`\\bar s / \\text{SD}` (1 when the standard
    errors are right), and the coverage of the Wald interval at level :math:`1 - \\alpha`,

    .. math:: \\frac{1}{R'}\\sum_r 1\\{|\\hat\\theta_r - \\theta_0| \\le
              z_{1-\\alpha/2}\\, s_r\\},

    whose own Monte Carlo standard error is :math:`\\sqrt{(1-\\alpha)\\alpha / R'}`.
    ``sigma2`` uses ``sigma2_se``. The designs follow Lee and Yu (2010).

    References
    ----------
    Lee, L.-F. and Yu, J. (2010). Estimation of spatial autoregressive panel data
    models with fixed effects. *Journal of Econometrics* 154(2): 165-185.

    LeSage, J. and Pace, R. K. (2009). *Introduction to Spatial Econometrics*. CRC
    Press, Boca Raton.

    Examples
    --------
    >>> from scipy import sparse
    >>> line = sparse.diags([1.0, 1.0], [-1, 1], shape=(9, 9))
    >>> w = SpatialWeights.from_sparse(line).standardize()
    >>> mc = run_monte_carlo("SAR", w, replications=4, periods=4,
    ...                      truth={"beta": [1.0], "rho": 0.3}, seed=1)
    >>> list(mc.table.index), mc.n_failed
    (['x1', 'rho', 'sigma2'], 0)
    """
    check_option("model", model, tuple(MODELS))
    check_option("effects", effects, EFFECTS)
    if not isinstance(w, SpatialWeights):
        raise SpecificationError(f"w must be a SpatialWeights; got {type(w).__name__}.")
    n_rep = _int_setting("replications", replications, 2)
    t = _int_setting("periods", periods, 1)
    size = _int_setting("chunk", chunk, 1)
    root = _int_setting("seed", seed, 0)
    if isinstance(n_jobs, bool) or not isinstance(n_jobs, (int, np.integer)) or n_jobs == 0:
        raise InvalidOptionError(
            f"n_jobs must be a non-zero integer (-1: all cores); got {n_jobs!r}."
        )
    level_ = _float_setting("level", level)
    if not 0 < level_ < 1:
        raise InvalidOptionError(f"level must lie in (0, 1); got {level!r}.")
    dgp, k = _truth(truth)
    options = _check_fit_options(model, fit_options or {})
    # check the DGP once, in the caller's process, with a throw-away generator
    _simulate(model, w, periods=t, effects=effects, rng=np.random.default_rng(0), **dgp)
    names = _parameter_names(model, k, effects)
    w_parts = (w.matrix, w.ids, w.transform, w._symmetric_base)
    design = _Design(model, uuid.uuid4().hex, w_parts, t, dgp, effects, options, names)

    seeds = np.random.SeedSequence(root).spawn(n_rep)
    starts = range(0, n_rep, size)
    chunks = [list(range(s, min(s + size, n_rep))) for s in starts]
    chunk_seeds = [[seeds[r] for r in c] for c in chunks]
    start = time.perf_counter()
    if client is not None:
        client_class = _client_class()
        if not isinstance(client, client_class):
            raise InvalidOptionError(
                f"client must be a dask.distributed.Client; got {type(client).__name__}."
            )
        shared = client.scatter(design, broadcast=True)
        futures = [
            client.submit(_run_chunk, shared, c, s, pure=False) for c, s in zip(chunks, chunk_seeds)
        ]
        parts = client.gather(futures)
        backend = "dask"
        workers = len(client.scheduler_info().get("workers", {}))
    else:
        from joblib import Parallel, delayed, effective_n_jobs

        parallel = Parallel(n_jobs=int(n_jobs))
        parts = parallel(delayed(_run_chunk)(design, c, s) for c, s in zip(chunks, chunk_seeds))
        backend = "joblib"
        workers = int(effective_n_jobs(int(n_jobs)))
    elapsed = time.perf_counter() - start

    outcomes = sorted((o for part in parts for o in part), key=lambda o: o.replication)
    return _collect(outcomes, design, level_, {
        "model": model, "effects": effects, "regions": w.n, "periods": t,
        "replications": n_rep, "truth": dgp, "fit_options": options, "seed": root,
        "level": level_, "chunk": size, "backend": backend, "workers": workers,
        "elapsed": elapsed,
    })  # fmt: skip


def _collect(
    outcomes: Sequence[_Outcome], design: _Design, level: float, options: dict[str, Any]
) -> MonteCarloResults:
    names = list(design.names)
    n_rep = len(outcomes)
    est = np.full((n_rep, len(names)), np.nan)
    se = np.full((n_rep, len(names)), np.nan)
    converged = np.zeros(n_rep, dtype=bool)
    failures = []
    for i, o in enumerate(outcomes):
        if o.error is not None or o.estimates is None or o.std_errors is None:
            failures.append((o.replication, o.error or "no estimates"))
            continue
        est[i], se[i], converged[i] = o.estimates, o.std_errors, o.converged
    index = pd.RangeIndex(n_rep, name="replication")
    estimates = pd.DataFrame(est, index=index, columns=names)
    std_errors = pd.DataFrame(se, index=index, columns=names)
    failed = {r for r, _ in failures}
    ok = ~index.isin(list(failed))
    truth = _true_values(names, design.dgp)
    table = monte_carlo_table(estimates[ok], std_errors[ok], truth, level)
    failure_table = pd.DataFrame(failures, columns=["replication", "error"])
    if failures:
        warnings.warn(
            f"{len(failures)} of {n_rep} replications failed and are left out of the table; "
            f"first error (replication {failures[0][0]}): {failures[0][1]}",
            MonteCarloWarning,
            stacklevel=3,
        )
    options["n_not_converged"] = int((~converged[ok]).sum())
    return MonteCarloResults(
        model=design.model,
        estimates=estimates,
        std_errors=std_errors,
        converged=pd.Series(converged, index=index, name="converged"),
        truth=truth,
        table=table,
        n_failed=len(failures),
        failures=failure_table,
        options=options,
    )


def monte_carlo_table(
    estimates: pd.DataFrame, std_errors: pd.DataFrame, truth: pd.Series, level: float = 0.95
) -> pd.DataFrame:
    """Bias, RMSE, Monte Carlo SD, mean SE, their ratio and Wald coverage by parameter.

    ``estimates`` and ``std_errors`` are replications x parameters, ``truth`` the true
    values by parameter (formulas in :func:`run_monte_carlo`). A parameter's coverage
    uses the replications with a finite standard error.

    Examples
    --------
    >>> est = pd.DataFrame({"b": [0.9, 1.1, 1.0, 1.2]})
    >>> se = pd.DataFrame({"b": [0.1, 0.1, 0.1, 0.1]})
    >>> monte_carlo_table(est, se, pd.Series({"b": 1.0})).loc["b", ["bias", "coverage"]].round(3)
    bias        0.05
    coverage    0.75
    Name: b, dtype: float64
    """
    z = float(normal_quantile(0.5 + level / 2))
    truth = truth.reindex(estimates.columns)
    error = estimates - truth
    with np.errstate(invalid="ignore", divide="ignore"):
        mc_sd = estimates.std(ddof=1)
        mean_se = std_errors.mean()
        finite = np.isfinite(std_errors) & np.isfinite(estimates)
        covered = (error.abs() <= z * std_errors) & finite
        coverage = covered.sum() / finite.sum().replace(0, np.nan)
        table = pd.DataFrame(
            {
                "true": truth,
                "mean": estimates.mean(),
                "bias": error.mean(),
                "rmse": np.sqrt((error**2).mean()),
                "mc_sd": mc_sd,
                "mean_se": mean_se,
                "se_sd_ratio": mean_se / mc_sd,
                "coverage": coverage.astype(float),
            },
            index=estimates.columns,
        )
    table.index.name = "parameter"
    return table


@dataclass(frozen=True)
class MonteCarloResults:
    """A Monte Carlo study of a spatial panel estimator (from :func:`run_monte_carlo`).

    Attributes
    ----------
    model : str
        ``SDM``, ``SAR``, ``SEM``, ``SDEM`` or ``SLX``.
    estimates, std_errors : DataFrame
        Replications x parameters (the model's coefficients, ``rho``/``lambda``, and
        ``sigma2``); rows of failed replications are missing values.
    converged : Series
        Whether each fit converged with an interior spatial parameter (False when failed).
    truth : Series
        True value of each parameter.
    table : DataFrame
        By parameter: ``true``, ``mean``, ``bias``, ``rmse``, ``mc_sd`` (Monte Carlo
        SD), ``mean_se``, ``se_sd_ratio`` and ``coverage`` of the nominal ``level``
        Wald interval, over the successful replications (formulas in
        :func:`run_monte_carlo`).
    n_failed : int
        Replications whose simulation or fit raised.
    failures : DataFrame
        ``replication`` and ``error`` (type and message) of each failure.
    options : mapping
        Design and run settings: model, effects, regions, periods, replications, truth,
        fit_options, seed, level, chunk, backend, workers, elapsed seconds,
        n_not_converged.
    """

    model: str
    estimates: pd.DataFrame
    std_errors: pd.DataFrame
    converged: pd.Series
    truth: pd.Series
    table: pd.DataFrame
    n_failed: int
    failures: pd.DataFrame = field(repr=False)
    options: Mapping[str, Any] = field(repr=False)

    @property
    def n_replications(self) -> int:
        """Replications run (failed ones included)."""
        return int(self.estimates.shape[0])

    def summary(self) -> Summary:
        """The bias/RMSE/coverage table with the design (text, HTML, LaTeX)."""
        opts = self.options
        level = float(opts.get("level", 0.95))
        ok = self.n_replications - self.n_failed
        design = pd.DataFrame(
            {
                "value": [
                    self.model, opts.get("effects"), opts.get("regions"), opts.get("periods"),
                    self.n_replications, self.n_failed, opts.get("n_not_converged"),
                    str(dict(opts["fit_options"])) if opts.get("fit_options") else "defaults",
                    opts.get("seed"),
                    f"{opts.get('backend')} ({opts.get('workers')})",
                ]
            },
            index=[
                "model", "fixed effects", "regions", "years", "replications", "failed",
                "not converged", "fit options", "seed", "backend (workers)",
            ],
        )  # fmt: skip
        design["value"] = design["value"].astype(object)
        notes = [
            f"Coverage of nominal {level:.0%} Wald intervals over {ok} successful "
            f"replications (Monte Carlo SE of a {level:.0%} coverage: "
            f"{math.sqrt(level * (1 - level) / max(ok, 1)):.3f}).",
        ]
        if self.n_failed:
            notes.append(f"{self.n_failed} failed; first: {self.failures['error'].iloc[0]}")
        return Summary(
            f"Monte Carlo study of the {self.model} panel estimator",
            (("Bias, RMSE and coverage", self.table), ("Design", design)),
            tuple(notes),
        )

    def __repr__(self) -> str:
        return (
            f"<MonteCarloResults {self.model}: {self.n_replications} replications, "
            f"{self.n_failed} failed>"
        )
