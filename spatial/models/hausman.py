"""The spatial Hausman test of fixed against random effects.

The contrast is the one of splm's ``sphtest`` (Millo and Piras 2012): the slope
coefficients both models estimate, and the ``W_x`` terms of a Durbin model; not the
intercept, the spatial parameter or ``phi`` (the spatial parameter is an explicit
option). The covariance of the difference ``d`` comes either from the two fits
(``method="analytic"``) or from refitting both models on bootstrap samples of whole
regions (``method="bootstrap"``), which is positive semi-definite by construction and so
always gives a chi-square statistic. Written here rather than borrowed: no Python
package has a spatial Hausman test, and splm's returns ``abs(d'(V_RE - V_FE)^{-1} d)``,
a number that is not a chi-square statistic when ``V_FE - V_RE`` is indefinite.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import pandas as pd

from .._core.distributions import chi2_sf
from .._core.options import check_option
from .._core.progress import draw_progress, wants_progress
from ..exceptions import (
    BoundaryWarning,
    EstimationError,
    InvalidOptionError,
    LiangyeError,
    SpecificationError,
)
from .diagnostics import TestResult
from .results import FitSource, SpatialPanelResults

__all__ = ["HausmanResult", "HausmanWarning", "hausman_statistic", "hausman_test"]

Method = Literal["analytic", "bootstrap"]
Covariance = Literal["sphtest", "full"]

#: Parameters never in the default contrast: the intercept, the spatial parameters, phi.
_NOT_SLOPES = ("const", "rho", "lambda", "phi")


class HausmanWarning(UserWarning):
    """Some bootstrap draws of the Hausman test failed to fit; they are left out."""


@dataclass(frozen=True)
class HausmanResult(TestResult):
    """A Hausman statistic with what it contrasts and how its covariance was estimated.

    Attributes
    ----------
    name, statistic, df, pvalue, distribution
        As :class:`~spatial.models.diagnostics.TestResult` (chi-square).
    names : tuple of str
        The contrasted coefficients.
    difference : Series
        :math:`d = \\hat b_{FE} - \\hat b_{RE}`.
    cov : DataFrame
        The covariance of ``d`` the statistic used.
    method, covariance : str
        ``analytic`` (with ``covariance`` ``sphtest`` or ``full``) or ``bootstrap``.
    n_boot, n_failed, seed
        Bootstrap draws asked for, draws that failed to fit, the seed.
    """

    names: tuple[str, ...] = ()
    difference: pd.Series = field(default_factory=lambda: pd.Series(dtype=float), repr=False)
    cov: pd.DataFrame = field(default_factory=pd.DataFrame, repr=False)
    method: str = "analytic"
    covariance: str = "sphtest"
    n_boot: int = 0
    n_failed: int = 0
    seed: int | None = None


def hausman_statistic(
    d: np.ndarray, v: np.ndarray, *, generalized: bool = False
) -> tuple[float, int]:
    """:math:`H = d'V^{-1}d` and its degrees of freedom, for a positive (semi-)definite V.

    Parameters
    ----------
    d : ndarray, shape (q,)
        The difference of the two estimates.
    v : ndarray, shape (q, q)
        Its covariance (symmetrized here).
    generalized : bool
        For a positive semi-definite, singular ``v``: the Moore-Penrose inverse, with
        df = the rank of ``v``. Without it such a ``v`` is refused.

    Returns
    -------
    statistic : float
        Non-negative.
    df : int

    Raises
    ------
    EstimationError
        ``v`` is indefinite (an eigenvalue below :math:`-10^{-10}\\max|\\lambda|`), or
        singular without ``generalized``. The message gives the eigenvalues and the
        remedy (``method="bootstrap"`` in :func:`hausman_test`).

    Examples
    --------
    >>> hausman_statistic(np.array([0.5]), np.array([[0.1]]))
    (2.5, 1)
    >>> statistic, df = hausman_statistic(np.array([1.0, 2.0]), np.ones((2, 2)), generalized=True)
    >>> round(statistic, 12), df  # pinv of the all-ones matrix is itself over 4
    (2.25, 1)
    """
    d = np.asarray(d, dtype=np.float64)
    v = np.asarray(v, dtype=np.float64)
    v = 0.5 * (v + v.T)
    eig = np.linalg.eigvalsh(v)
    scale = float(np.abs(eig).max()) if eig.size else 0.0
    tol = 1e-10 * max(scale, np.finfo(float).tiny)
    if eig.min() < -tol:
        negative = int((eig < -tol).sum())
        inverse = np.linalg.pinv(v, rcond=1e-10, hermitian=True)
        signed = float(d @ inverse @ d)
        raise EstimationError(
            f"The covariance of the difference, V_FE - V_RE, is not positive semi-definite: "
            f"{negative} of its {eig.size} eigenvalues are negative (smallest {eig.min():.3g}, "
            f"largest {eig.max():.3g}), so d'(V_FE - V_RE)^-1 d = {signed:.6g} is not a "
            f"chi-square statistic (splm's sphtest prints its absolute value, {abs(signed):.6g})."
            " Use method='bootstrap' (with n_boot= and seed=): it estimates the covariance of d "
            "from refits on resampled regions, which is positive semi-definite."
        )
    if eig.min() <= tol:
        rank = int((eig > tol).sum())
        if not generalized:
            raise EstimationError(
                f"V_FE - V_RE is singular (rank {rank} of {eig.size}; smallest eigenvalue "
                f"{eig.min():.3g}). Pass generalized=True for the Moore-Penrose version "
                f"(df = {rank}), or use method='bootstrap'."
            )
        if rank == 0:
            raise EstimationError("V_FE - V_RE is zero: the two estimates cannot be contrasted.")
        inverse = np.linalg.pinv(v, rcond=1e-10, hermitian=True)
        return max(float(d @ inverse @ d), 0.0), rank
    return max(float(d @ np.linalg.solve(v, d)), 0.0), int(eig.size)


def _contrast(
    fixed: SpatialPanelResults, random: SpatialPanelResults, spatial: bool
) -> tuple[str, ...]:
    """The coefficients both fits estimate: slopes and ``W_x`` terms (and the spatial
    parameter with ``spatial=True``), in the order of the fixed-effects fit."""
    if random.options.get("effects") != "random" or fixed.options.get("effects") == "random":
        raise SpecificationError(
            "hausman_test(fixed, random) needs a fixed-effects fit first and an "
            "effects='random' fit second."
        )
    if fixed.model != random.model:
        raise SpecificationError(
            f"The fits are different models ({fixed.model} and {random.model}); fit the same "
            "model with fixed and with random effects."
        )
    for attr in ("n_regions", "n_years"):
        if getattr(fixed, attr) != getattr(random, attr):
            raise SpecificationError(
                f"The fits differ in {attr} ({getattr(fixed, attr)} and {getattr(random, attr)});"
                " fit both on the same panel."
            )
    skip = ("const", "phi") if spatial else _NOT_SLOPES
    names = tuple(n for n in fixed.params.index if n in random.params.index and n not in skip)
    if not names:
        raise SpecificationError("The two fits have no slope coefficient in common.")
    return names


def _analytic_cov(
    fixed: SpatialPanelResults,
    random: SpatialPanelResults,
    names: Sequence[str],
    covariance: Covariance,
) -> np.ndarray:
    """``V_FE - V_RE`` on ``names``: with ``sphtest`` the random-effects block is the GLS
    covariance conditional on the spatial parameter and phi, as splm's."""
    index = list(names)
    v_fe = fixed.cov.loc[index, index].to_numpy()
    if covariance == "full":
        return v_fe - random.cov.loc[index, index].to_numpy()
    gls = random.cov_gls
    if gls is None or not set(index) <= set(gls.index):
        raise SpecificationError(
            "covariance='sphtest' uses the conditional GLS covariance of the coefficients, "
            "which holds no spatial parameter: pass covariance='full' with spatial=True."
        )
    return v_fe - gls.loc[index, index].to_numpy()


def _source(result: SpatialPanelResults, which: str) -> FitSource:
    source = result._source
    if source is None:
        raise SpecificationError(
            f"The {which} result does not come from a model's fit(), so it cannot be refitted "
            "on bootstrap samples."
        )
    return source


def _draw_differences(
    fixed: FitSource, random: FitSource, names: tuple[str, ...], positions: np.ndarray
) -> tuple[np.ndarray, list[str]]:
    """``d`` for each row of ``positions`` (NaN where a refit failed) and the failures."""
    out = np.full((positions.shape[0], len(names)), np.nan)
    failures: list[str] = []
    index = list(names)
    for b, draw in enumerate(positions):
        try:
            with warnings.catch_warnings():
                # a draw's own diagnostics (rho at a bound, the numerical Hessian of its
                # random-effects covariance, which the draw does not use) are not the user's
                warnings.simplefilter("ignore", BoundaryWarning)
                warnings.simplefilter("ignore", RuntimeWarning)
                fe = fixed.model.resampled(draw).fit(**fixed.fit_options)
                re_ = random.model.resampled(draw).fit(**random.fit_options)
        except (LiangyeError, np.linalg.LinAlgError, ValueError, ArithmeticError) as exc:
            failures.append(f"{type(exc).__name__}: {exc}")
            continue
        out[b] = fe.params[index].to_numpy() - re_.params[index].to_numpy()
    return out, failures


def _bootstrap(
    fixed: SpatialPanelResults,
    random: SpatialPanelResults,
    names: tuple[str, ...],
    n_boot: int,
    seed: int | None,
    n_jobs: int,
    progress: bool | None,
) -> tuple[np.ndarray, list[str]]:
    """Differences of ``n_boot`` refits on samples of whole regions drawn with replacement."""
    sources = _source(fixed, "fixed-effects"), _source(random, "random-effects")
    n = fixed.n_regions
    positions = np.random.default_rng(seed).integers(0, n, size=(n_boot, n))
    from joblib import Parallel, delayed, effective_n_jobs

    workers = int(effective_n_jobs(n_jobs))
    size = max(1, min(25, -(-n_boot // (4 * workers))))
    chunks = [positions[s : s + size] for s in range(0, n_boot, size)]
    parts: list[tuple[np.ndarray, list[str]]] = []
    with draw_progress("Hausman bootstrap", n_boot, show=wants_progress(progress)) as bar:
        if workers == 1:
            for chunk in chunks:
                parts.append(_draw_differences(*sources, names, chunk))
                bar.advance(len(chunk))
        else:
            run = Parallel(n_jobs=n_jobs, return_as="generator")
            for part in run(delayed(_draw_differences)(*sources, names, c) for c in chunks):
                parts.append(part)
                bar.advance(part[0].shape[0])
    draws = np.concatenate([p[0] for p in parts])
    return draws, [f for p in parts for f in p[1]]


def hausman_test(
    fixed: SpatialPanelResults,
    random: SpatialPanelResults,
    *,
    spatial: bool = False,
    method: Method = "analytic",
    covariance: Covariance = "sphtest",
    generalized: bool = False,
    n_boot: int = 199,
    seed: int | None = None,
    n_jobs: int = 1,
    progress: bool | None = None,
) -> HausmanResult:
    """Hausman test of fixed against random effects, with splm's ``sphtest`` contrast.

    Parameters
    ----------
    fixed, random : SpatialPanelResults
        The same model (SAR, SDM or SEM) fitted on the same panel with fixed effects
        (splm's ``sphtest`` compares ``effects="individual"`` with
        ``bias_correction="none"``) and with ``effects="random"``.
    spatial : bool
        Also contrast the spatial parameter (``rho`` or ``lambda``); needs
        ``covariance="full"`` or ``method="bootstrap"``. splm's contrast leaves it out.
    method : {"analytic", "bootstrap"}
        ``"analytic"``: :math:`V = V_{FE} - V_{RE}` from the two fits. ``"bootstrap"``:
        :math:`V` is the covariance of ``d`` over ``n_boot`` refits of both models on
        samples of whole regions drawn with replacement (each region keeps all its years;
        W is the one the drawn regions induce, see
        :func:`spatial.models.data.induced_weights`).
    covariance : {"sphtest", "full"}
        Analytic only. ``"sphtest"`` (splm's): the fixed-effects covariance of the fit and,
        for random effects, the GLS covariance of the coefficients conditional on the
        spatial parameter and ``phi`` (``random.cov_gls``). ``"full"``: the blocks of
        both fits' full covariance (which account for the estimated spatial parameter and
        ``phi``).
    generalized : bool
        Analytic only: when :math:`V` is positive semi-definite but singular, use its
        Moore-Penrose inverse with df = its rank. An indefinite :math:`V` is always
        refused (its quadratic form is not a chi-square statistic).
    n_boot, seed : int
        Bootstrap draws (at least 2 more than the contrasted coefficients) and the seed
        of the region draws; the result depends on ``seed`` only, never on ``n_jobs``.
    n_jobs : int
        Processes for the bootstrap refits (joblib; ``-1`` for all cores).
    progress : bool, optional
        A progress bar on standard error during the bootstrap; by default when standard
        error is a terminal.

    Returns
    -------
    HausmanResult
        ``statistic`` (never negative), ``df``, ``pvalue``, the contrasted ``names``,
        ``difference``, ``cov`` and the bootstrap counts.

    Raises
    ------
    SpecificationError
        Fits in the wrong order, of different models or panels, or not from a model's
        ``fit`` (bootstrap).
    EstimationError
        :math:`V` indefinite, or singular without ``generalized`` (analytic); too few
        bootstrap draws succeeded.

    Warns
    -----
    HausmanWarning
        Some bootstrap draws failed to fit; they are left out and counted in ``n_failed``.

    Notes
    -----
    :math:`H = d'V^{-1}d \\sim \\chi^2_q` under :math:`H_0` (both estimators consistent,
    random effects efficient), :math:`d = \\hat b_{FE} - \\hat b_{RE}` on the ``q``
    contrasted coefficients (Hausman 1978; Mutl and Pfaffermayr 2011). With
    ``covariance="sphtest"`` and a positive definite :math:`V` the statistic equals
    splm's ``sphtest`` (Millo and Piras 2012), which reports
    :math:`|d'(V_{RE} - V_{FE})^{-1}d|` whatever the sign. The bootstrap covariance is
    :math:`\\frac{1}{B'-1}\\sum_b (d_b - \\bar d)(d_b - \\bar d)'` over the ``B'``
    successful draws (Cameron and Trivedi 2005, section 11.6.2); a singular one is
    inverted by Moore-Penrose with df = its rank. Resampling whole regions treats them
    as independent draws, each with its own series; the spatial link between regions
    is kept as far as the drawn regions are neighbours.

    References
    ----------
    Hausman, J. A. (1978). Specification tests in econometrics. *Econometrica* 46(6):
    1251-1271.

    Mutl, J. and Pfaffermayr, M. (2011). The Hausman test in a Cliff and Ord panel model.
    *The Econometrics Journal* 14(1): 48-76.

    Millo, G. and Piras, G. (2012). splm: Spatial panel data models in R. *Journal of
    Statistical Software* 47(1): 1-38.

    Cameron, A. C. and Trivedi, P. K. (2005). *Microeconometrics: Methods and
    Applications*. Cambridge University Press, section 11.6.2.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> from spatial import SpatialLagPanel, SpatialWeights
    >>> from spatial.models.simulation import simulate_panel
    >>> from scipy import sparse
    >>> line = sparse.diags([1.0, 1.0], [-1, 1], shape=(30, 30))
    >>> w = SpatialWeights.from_sparse(line).standardize()
    >>> rng = np.random.default_rng(0)
    >>> df = pd.DataFrame({"region": np.tile(range(30), 6), "year": np.repeat(range(6), 30)})
    >>> df["x"] = rng.normal(size=len(df)) + np.tile(rng.normal(size=30), 6)
    >>> mu = np.tile(rng.normal(size=30), 6)
    >>> df["y"] = df["x"] + mu + rng.normal(size=len(df))
    >>> keys = {"region": "region", "year": "year"}
    >>> fe = SpatialLagPanel(df, "y", ["x"], w, **keys, effects="individual").fit(
    ...     bias_correction="none")
    >>> re = SpatialLagPanel(df, "y", ["x"], w, **keys, effects="random").fit()
    >>> test = hausman_test(fe, re, method="bootstrap", n_boot=49, seed=1)
    >>> test.names, test.df, bool(test.statistic >= 0)
    (('x',), 1, True)
    """
    check_option("method", method, ("analytic", "bootstrap"))
    check_option("covariance", covariance, ("sphtest", "full"))
    names = _contrast(fixed, random, spatial)
    index = list(names)
    d = fixed.params[index].to_numpy() - random.params[index].to_numpy()
    failed = 0
    if method == "analytic":
        v = _analytic_cov(fixed, random, names, covariance)
        statistic, df = hausman_statistic(d, v, generalized=generalized)
        label = f"Hausman FE vs RE ({covariance} covariance)"
    else:
        if isinstance(n_boot, bool) or not isinstance(n_boot, (int, np.integer)):
            raise InvalidOptionError(f"n_boot must be an integer; got {n_boot!r}.")
        if n_boot < len(names) + 2:
            raise InvalidOptionError(
                f"n_boot={n_boot} is too few to estimate the {len(names)} x {len(names)} "
                f"covariance of d; use at least {len(names) + 2} (199 or more in a paper)."
            )
        if isinstance(n_jobs, bool) or not isinstance(n_jobs, (int, np.integer)) or n_jobs == 0:
            raise InvalidOptionError(
                f"n_jobs must be a non-zero integer (-1: all cores); got {n_jobs!r}."
            )
        draws, failures = _bootstrap(fixed, random, names, int(n_boot), seed, n_jobs, progress)
        ok = draws[np.isfinite(draws).all(axis=1)]
        failed = len(failures)
        if ok.shape[0] < len(names) + 2:
            raise EstimationError(
                f"Only {ok.shape[0]} of {n_boot} bootstrap draws could be fitted; the first "
                f"failure: {failures[0] if failures else 'none'}."
            )
        if failures:
            warnings.warn(
                f"{failed} of {n_boot} bootstrap draws failed to fit and are left out (the "
                f"first: {failures[0]}).",
                HausmanWarning,
                stacklevel=2,
            )
        v = np.atleast_2d(np.cov(ok, rowvar=False, ddof=1))
        statistic, df = hausman_statistic(d, v, generalized=True)
        label = "Hausman FE vs RE (bootstrap covariance)"
    return HausmanResult(
        label,
        statistic,
        df,
        float(chi2_sf(df, statistic)),
        names=names,
        difference=pd.Series(d, index=index, name="difference"),
        cov=pd.DataFrame(v, index=index, columns=index),
        method=method,
        covariance=covariance if method == "analytic" else "bootstrap",
        n_boot=int(n_boot) if method == "bootstrap" else 0,
        n_failed=failed,
        seed=seed if method == "bootstrap" else None,
    )
