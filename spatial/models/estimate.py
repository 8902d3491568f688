"""Maximisation of a concentrated log-likelihood over the spatial parameter.

A vectorised grid over the admissible interval brackets the maximum, and a
bounded Brent search refines it to ``xatol`` (no grid lookup decides the
estimate). The Lee-Yu (2010) bias correction of the direct approach lives here
too.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from ..exceptions import BoundaryWarning, EstimationError

__all__ = ["BOUND_MARGIN", "Maximum", "lee_yu_twoways", "maximize_scalar"]

#: The search stays this fraction of the interval's width inside each bound.
BOUND_MARGIN = 1e-7
#: A maximum within this fraction of the width from a bound is reported as at the bound.
BOUND_WARNING = 1e-5


@dataclass(frozen=True)
class Maximum:
    """Result of the 1-D search: argmax, maximum, convergence and boundary flags."""

    argmax: float
    value: float
    converged: bool
    at_bound: bool
    evaluations: int


def maximize_scalar(
    func: Callable[[np.ndarray], np.ndarray],
    bounds: tuple[float, float],
    *,
    grid: int = 64,
    xatol: float = 1e-12,
    name: str = "rho",
    derivative: Callable[[float], float] | None = None,
    coarse: Callable[[np.ndarray], np.ndarray] | None = None,
) -> Maximum:
    """Maximise ``func`` (vectorised over its argument) on the open interval ``bounds``.

    A grid brackets the maximum; when the exact ``derivative`` (score) is
    known its root in the bracket is found with ``brentq`` to machine
    precision, otherwise bounded Brent refines the maximum (its relative
    tolerance stops near :math:`\\sqrt{\\epsilon}`). Warns with
    :class:`BoundaryWarning` when the maximum lies at a bound.

    ``coarse``, a cheap approximation of ``func``, places the grid instead of ``func``
    (for expensive exact functions: one sparse LU factorization per point); the bracket
    it suggests is then checked, and moved, with ``func`` itself, so the estimate is
    always that of ``func``.

    Notes
    -----
    The grid of ``grid`` points on
    :math:`[l + \\delta(h - l),\\ h - \\delta(h - l)]`, :math:`\\delta` = ``BOUND_MARGIN``,
    gives the best point :math:`x_b` and the bracket :math:`[x_{b-1}, x_{b+1}]`. With
    ``coarse`` the best point is that of ``coarse`` on the grid; ``func`` is evaluated at
    :math:`x_{b-1}, x_b, x_{b+1}`, and while an end beats the middle the bracket moves one
    grid step that way (at most ``grid // 4`` steps; beyond, ``func`` is evaluated on the
    whole grid). If
    the derivative changes sign from positive to negative across the bracket,
    its root is found by Brent's root finder (``scipy.optimize.brentq``);
    otherwise the bracket is searched by Brent's bounded minimisation
    (golden section with parabolic interpolation, ``method="bounded"`` of
    ``scipy.optimize.minimize_scalar``) applied to ``-func``. Both are from
    Brent (1973), chapters 4 and 5. The result is never worse than the best
    grid point.

    References
    ----------
    Brent, R. P. (1973). *Algorithms for Minimization without Derivatives*.
    Prentice-Hall, Englewood Cliffs.

    Examples
    --------
    >>> best = maximize_scalar(lambda r: -((r - 0.3) ** 2), (-1.0, 1.0))
    >>> round(best.argmax, 6), best.converged, best.at_bound
    (0.3, True, False)
    >>> exact = maximize_scalar(lambda r: -((r - 0.3) ** 2), (-1.0, 1.0),
    ...                         derivative=lambda r: -2.0 * (r - 0.3))
    >>> round(exact.argmax, 12)
    0.3
    """
    from scipy import optimize  # loaded on the first fit, not on import

    low, high = bounds
    width = high - low
    lo, hi = low + BOUND_MARGIN * width, high - BOUND_MARGIN * width
    points = np.linspace(lo, hi, grid)

    def value_at(r: float) -> float:
        return float(np.asarray(func(np.array([r])))[0])

    best, best_value, evaluated = _bracket(func, value_at, points, coarse, name)
    left, right = points[max(best - 1, 0)], points[min(best + 1, grid - 1)]

    if derivative is not None and derivative(left) > 0 > derivative(right):
        # the exact score has one root in the bracket: solve it to machine precision
        argmax = float(
            optimize.brentq(derivative, left, right, xtol=1e-15, rtol=4 * np.finfo(float).eps)
        )
        value, converged, calls = value_at(argmax), True, evaluated + 1
    else:
        found = optimize.minimize_scalar(
            lambda r: -value_at(r),
            bounds=(left, right),
            method="bounded",
            options={"xatol": xatol, "maxiter": 500},
        )
        argmax, value = float(found.x), -float(found.fun)
        converged, calls = bool(found.success), int(found.nfev) + evaluated
    if value < best_value:  # never worse than the grid
        argmax, value = float(points[best]), best_value
    at_bound = min(argmax - low, high - argmax) < BOUND_WARNING * width
    if at_bound:
        warnings.warn(
            f"{name} = {argmax:.6g} lies at the bound of its admissible interval "
            f"({low:.6g}, {high:.6g}); the estimate and its standard error are unreliable. "
            "Check the model, W and the effects.",
            BoundaryWarning,
            stacklevel=4,
        )
    return Maximum(argmax, value, converged, at_bound, calls)


def _bracket(
    func: Callable[[np.ndarray], np.ndarray],
    value_at: Callable[[float], float],
    points: np.ndarray,
    coarse: Callable[[np.ndarray], np.ndarray] | None,
    name: str,
) -> tuple[int, float, int]:
    """The best grid point of ``func`` (its index and value) and the evaluations of
    ``func`` spent; with ``coarse``, the best point of ``coarse`` moved uphill on ``func``
    until ``func`` is no larger at either neighbour."""
    grid = points.size

    def best_of(values: np.ndarray) -> int:
        if not np.isfinite(values).any():
            raise EstimationError(
                f"The log-likelihood is not finite anywhere on the {name} interval."
            )
        return int(np.nanargmax(np.where(np.isfinite(values), values, -np.inf)))

    known: dict[int, float] = {}
    if coarse is not None:
        start = best_of(np.asarray(coarse(points), dtype=np.float64))

        def exact(i: int) -> float:
            if i not in known:
                value = value_at(float(points[i]))
                known[i] = value if np.isfinite(value) else -np.inf
            return known[i]

        b = start
        for _ in range(grid // 4):
            here = exact(b)
            left = exact(b - 1) if b > 0 else -np.inf
            right = exact(b + 1) if b < grid - 1 else -np.inf
            if here >= left and here >= right and np.isfinite(here):
                return b, here, len(known)
            b = b - 1 if left > right else b + 1
    values = np.asarray(func(points), dtype=np.float64)
    best = best_of(values)
    return best, float(values[best]), grid + len(known)


def lee_yu_twoways(
    theta: np.ndarray, information: np.ndarray, nobs: int, n: int, rho_index: int
) -> np.ndarray:
    """Lee-Yu (2010) analytic bias correction of the two-way direct estimator.

    Parameters
    ----------
    theta : ndarray
        ``(coefficients..., rho, sigma2)`` from the direct approach.
    information : ndarray
        Information matrix at ``theta`` (not divided by the sample size).
    nobs : int
        ``NT``.
    n : int
        ``N``.
    rho_index : int
        Position of ``rho`` in ``theta`` (``sigma2`` is last).

    Returns
    -------
    ndarray
        :math:`\\theta + \\frac1N \\Sigma^{-1} a` with :math:`\\Sigma = I/(NT)` and
        :math:`a = (0, \\dots, 0, 1/(1-\\rho), 1/(2\\sigma^2))` (Lee and Yu 2010,
        *J. Econometrics* 154: 165-185; Elhorst 2014, section 3.4).

    Notes
    -----
    With time effects the direct estimator has a bias of order :math:`1/N`,
    :math:`-\\Sigma^{-1}a/N` for a row-standardized W (Lee and Yu 2010), which is
    removed: :math:`\\tilde\\theta = \\hat\\theta + \\Sigma^{-1}a/N`, where :math:`\\Sigma` is
    the information matrix divided by :math:`NT` (``information / nobs``). The
    :math:`1/T` bias of the individual effects is corrected by the caller,
    :math:`\\tilde\\sigma^2 \\cdot T/(T - 1)` (Elhorst 2014, ch. 3).

    References
    ----------
    Lee, L.-F. and Yu, J. (2010). Estimation of spatial autoregressive panel data
    models with fixed effects. *Journal of Econometrics* 154(2): 165-185.

    Elhorst, J. P. (2014). *Spatial Econometrics: From Cross-Sectional Data to
    Spatial Panels*. SpringerBriefs in Regional Science. Springer, Berlin.

    Examples
    --------
    A diagonal :math:`\\Sigma = diag(10, 20, 40)` with :math:`N = 10`: :math:`\\rho` moves
    by :math:`(1/0.5)/20/10 = 0.01` and :math:`\\sigma^2` by :math:`(1/4)/40/10 = 0.000625`:

    >>> theta = np.array([1.0, 0.5, 2.0])
    >>> info = np.diag([10.0, 20.0, 40.0]) * 100  # NT = 100
    >>> np.round(lee_yu_twoways(theta, info, nobs=100, n=10, rho_index=1), 6)
    array([1.      , 0.51    , 2.000625])
    """
    a = np.zeros_like(theta)
    a[rho_index] = 1.0 / (1.0 - theta[rho_index])
    a[-1] = 1.0 / (2.0 * theta[-1])
    sigma = information / nobs
    return theta + np.linalg.solve(sigma, a) / n
