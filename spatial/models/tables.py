"""Side-by-side tables of fitted models, as journals print them."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pandas as pd

from .._core.summary import Summary, stars
from ..exceptions import SpecificationError
from .results import SpatialPanelResults

__all__ = ["compare"]


def compare(
    results: Mapping[str, SpatialPanelResults] | Sequence[SpatialPanelResults],
    *,
    digits: int = 4,
) -> Summary:
    """Coefficients with stars and standard errors in parentheses, side by side.

    Parameters
    ----------
    results : mapping or sequence
        ``{"SDM": res, "SAR": res_sar, ...}``; a sequence is labelled by model name.
    digits : int
        Decimals shown.

    Returns
    -------
    Summary
        One table (coefficients, then sigma2, log-likelihood, AIC, BIC,
        observations, effects) rendering as text, HTML and LaTeX; ``.tables[0][1]``
        is the DataFrame.
    """
    if isinstance(results, Mapping):
        items = list(results.items())
    else:
        items = [(r.model, r) for r in results]
    if not items:
        raise SpecificationError("compare() needs at least one fitted model.")
    labels = [label for label, _ in items]
    if len(set(labels)) != len(labels):
        raise SpecificationError(f"Model labels must be unique: {labels}.")
    rows: list[str] = []
    for _, res in items:
        rows += [name for name in res.params.index if name not in rows]
    table: dict[str, list[str]] = {}
    for label, res in items:
        column = []
        for name in rows:
            if name in res.params.index:
                p = res.pvalues[name]
                column += [f"{res.params[name]:.{digits}f}{stars(p)}",
                           f"({res.std_errors[name]:.{digits}f})"]  # fmt: skip
            else:
                column += ["", ""]
        column += [
            f"{res.sigma2:.{digits}f}", f"{res.loglik:.{digits}f}", f"{res.aic:.{digits}f}",
            f"{res.bic:.{digits}f}", str(res.nobs), str(res.options.get("effects")),
        ]  # fmt: skip
        table[label] = column
    index = [item for name in rows for item in (name, "")]
    index += ["sigma2", "log-likelihood", "AIC", "BIC", "observations", "fixed effects"]
    frame = pd.DataFrame(table, index=pd.Index(index, name=""))
    note = "Standard errors in parentheses; *** p<0.01, ** p<0.05, * p<0.1."
    return Summary("Model comparison", (("Estimates", frame),), (note,), digits=digits)
