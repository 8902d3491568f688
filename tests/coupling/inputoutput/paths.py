"""An independent route to the value-chain measures: following value added stage by stage.

Value added created in sector ``i`` travels along paths ``i -> j1 -> ... -> jk`` of
intermediate sales (weight ``v_i A[i, j1] ... A[j(k-1), jk]``) and ends in the final goods of
``jk`` bought by a destination ``d`` (weight ``Y[jk, d]``). A path has ``k + 1`` production
stages. It is *domestic* if no intermediate sale crosses a border and ``d`` is the country of
``jk``; *traditional trade* if no intermediate sale crosses and ``d`` is abroad; *simple GVC*
if exactly one intermediate sale crosses and the goods are bought in the country where the
path ends; *complex GVC* otherwise. The domestic segment of a GVC path is the number of
stages before its first crossing.

:func:`follow_value_added` pushes the mass of all paths forward one stage at a time, keeping
for each (source sector, current sector) the mass not yet crossed, the mass crossed once and
more than once, each by the stage of the first crossing, and sums stages times mass. It uses
neither the Leontief inverse nor any of the matrix identities of Wang et al. (2017), so it
checks the closed forms of :mod:`coupling.inputoutput.participation` and
:mod:`coupling.inputoutput.length` by another route (the series truncated when the mass left
is below ``tol``).
"""

from __future__ import annotations

import numpy as np


def follow_value_added(
    A: np.ndarray, v: np.ndarray, Y: np.ndarray, G: int, N: int, *, tol: float = 1e-15
) -> dict[str, np.ndarray]:
    """Value added (``va_*``), induced stages (``st_*``) and domestic stages (``dom_gvc``) by
    source sector (forward, shape (GN,)) and by final-goods sector (``*_b``, backward)."""
    GN = G * N
    country = np.repeat(np.arange(G), N)
    same = country[:, None] == country[None, :]
    Ad, Af = np.where(same, A, 0.0), np.where(same, 0.0, A)
    y_home = Y[np.arange(GN), country]  # bought where the path ends
    y_all = Y.sum(axis=1)
    kinds = ("domestic", "traditional", "simple", "complex")
    out = {f"{p}_{k}{s}": np.zeros(GN) for p in ("va", "st") for k in kinds for s in ("", "_b")}
    out["dom_gvc"], out["dom_gvc_b"] = np.zeros(GN), np.zeros(GN)
    uncrossed = np.diag(v)  # mass by (source, current sector)
    once: dict[int, np.ndarray] = {}  # by the number of stages before the first crossing
    more: dict[int, np.ndarray] = {}
    stage = 1

    def end(mass: np.ndarray, demand: np.ndarray, kind: str, before: int | None) -> None:
        absorbed = mass * demand[None, :]
        for suffix, axis in (("", 1), ("_b", 0)):
            total = absorbed.sum(axis=axis)
            out[f"va_{kind}{suffix}"] += total
            out[f"st_{kind}{suffix}"] += stage * total
            if before is not None:
                out[f"dom_gvc{suffix}"] += before * total

    while True:
        end(uncrossed, y_home, "domestic", None)
        end(uncrossed, y_all - y_home, "traditional", None)
        for before, mass in once.items():
            end(mass, y_home, "simple", before)
            end(mass, y_all - y_home, "complex", before)
        for before, mass in more.items():
            end(mass, y_all, "complex", before)
        left = abs(uncrossed).sum() + sum(abs(m).sum() for m in (*once.values(), *more.values()))
        if left < tol * v.sum():
            return out
        next_more = {b: m @ A for b, m in more.items()}
        for b, m in once.items():
            next_more[b] = next_more.get(b, 0.0) + m @ Af
        once = {b: m @ Ad for b, m in once.items()}
        once[stage] = uncrossed @ Af
        uncrossed = uncrossed @ Ad
        more = next_more
        stage += 1
