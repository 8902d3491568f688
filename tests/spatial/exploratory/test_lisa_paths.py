"""Tests of spatial/exploratory/lisa_paths.py: LISA time paths, transitions, Rey's types.

References: giddy 2.3 ``markov.LISA_Markov`` (permutations=0; ``transitions``, ``p``,
``q`` and ``move_types``) and ``directional.Rose`` (``r``, ``theta``, ``counts``) called
on the same data and W (exact up to rounding, rtol 1e-12); Rey's types hand-counted on
a ring of six regions; path lengths by a plain loop.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
from scipy import sparse

from spatial.exceptions import InvalidOptionError, PanelStructureError
from spatial.exploratory.lisa_paths import QUADRANTS, REY_TYPES, lisa_paths, rey_types
from spatial.weights import SpatialWeights, china_provinces


@pytest.fixture(scope="module")
def data() -> tuple[pd.DataFrame, np.ndarray]:
    ids = [str(i) for i in china_provinces("queen").ids]
    base = np.random.default_rng(8).lognormal(size=31)
    y = base * np.exp(np.cumsum(np.random.default_rng(9).normal(0, 0.3, (6, 31)), axis=0))
    panel = pd.DataFrame({"code": np.tile(ids, 6), "year": np.repeat(np.arange(2018, 2024), 31),
                          "D": y.ravel()})  # fmt: skip
    return panel, y


def test_transitions_match_giddy(data: tuple[pd.DataFrame, np.ndarray]) -> None:
    from giddy.markov import LISA_Markov

    panel, y = data
    copy = panel.copy()
    res = lisa_paths(panel, "D", china_provinces("queen"), "code", "year")
    pd.testing.assert_frame_equal(panel, copy)
    wl = china_provinces("queen").to_libpysal()
    wl.transform = "R"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        lm = LISA_Markov(y.T, wl)
    np.testing.assert_array_equal(res.transitions.to_numpy(), lm.transitions)
    np.testing.assert_allclose(res.probabilities.to_numpy(), lm.p, rtol=1e-12)
    quad = res.paths["quadrant"].cat.codes.to_numpy().reshape(6, 31) + 1
    np.testing.assert_array_equal(quad.T, lm.q)
    codes = {q: i + 1 for i, q in enumerate(QUADRANTS)}
    move = (res.moves["from"].map(codes).astype(int) - 1) * 4 + res.moves["to"].map(codes).astype(
        int
    )
    np.testing.assert_array_equal(move.to_numpy().reshape(5, 31).T, lm.move_types)


def test_paths_match_giddy_rose(data: tuple[pd.DataFrame, np.ndarray]) -> None:
    from giddy.directional import Rose

    panel, _ = data
    res = lisa_paths(panel, "D", china_provinces("queen"), "code", "year", sectors=8)
    wl = china_provinces("queen").to_libpysal()
    wl.transform = "R"
    z = res.paths["z"].to_numpy().reshape(6, 31)
    rose = Rose(z[[0, -1]].T, wl, k=8)
    stats = res.path_stats
    np.testing.assert_allclose(stats["displacement"], rose.r, rtol=1e-12)
    np.testing.assert_allclose(stats["theta"], rose.theta, rtol=1e-12, atol=1e-15)
    np.testing.assert_array_equal(res.rose["count"], rose.counts)
    # path lengths by a plain loop
    lag = res.paths["lag"].to_numpy().reshape(6, 31)
    for i in range(31):
        length = sum(
            np.hypot(z[t, i] - z[t - 1, i], lag[t, i] - lag[t - 1, i]) for t in range(1, 6)
        )
        assert stats["length"].iloc[i] == pytest.approx(length, rel=1e-12)
    np.testing.assert_allclose(stats["tortuosity"], stats["length"] / stats["displacement"])
    assert stats["relative_length"].mean() == pytest.approx(1.0)


def test_rey_types_hand_counted() -> None:
    # a ring of six regions; quadrants (HH=1, LH=2, LL=3, HL=4) by hand:
    # year 1 y = 1 2 3 6 5 4 -> LL LL LH HH HH HL
    # year 2 y = 1 2 3 6 5 4 -> same: six type-0 moves
    # year 3 y = 6 5 4 1 2 3 -> z negated: HH HH HL LL LL LH (IIIA, IIIA, IIIB, ...)
    ring = sparse.csr_matrix(np.roll(np.eye(6), 1, axis=1) + np.roll(np.eye(6), -1, axis=1))
    w = SpatialWeights.from_sparse(ring, ids=list("abcdef"))
    years = [[1, 2, 3, 6, 5, 4], [1, 2, 3, 6, 5, 4], [6, 5, 4, 1, 2, 3], [6, 2, 4, 1, 5, 3]]
    panel = pd.DataFrame({"r": list("abcdef") * 4, "t": np.repeat([1, 2, 3, 4], 6),
                          "y": np.ravel(years).astype(float)})  # fmt: skip
    res = lisa_paths(panel, "y", w, "r", "t")
    q = res.paths["quadrant"].astype(str).to_numpy().reshape(4, 6)
    assert q[0].tolist() == ["LL", "LL", "LH", "HH", "HH", "HL"]
    assert q[2].tolist() == ["HH", "HH", "HL", "LL", "LL", "LH"]
    # year 4, mean 3.5: high a (6), c (4), e (5); the lag (row-standardized) of
    # a = (f + b)/2 = (3 + 2)/2 = 2.5 low, b = (6 + 4)/2 high, c = (2 + 1)/2 low,
    # d = (4 + 5)/2 high, e = (1 + 3)/2 low, f = (5 + 6)/2 high
    assert q[3].tolist() == ["HL", "LH", "HL", "LH", "HL", "LH"]
    types = res.moves["type"].astype(str).to_numpy().reshape(3, 6)
    assert types[0].tolist() == ["0"] * 6
    assert types[1].tolist() == ["IIIA", "IIIA", "IIIB", "IIIA", "IIIA", "IIIB"]
    # HH->HL (II), HH->LH (I), HL->HL (0), LL->LH (II), LL->HL (I), LH->LH (0)
    assert types[2].tolist() == ["II", "I", "0", "II", "I", "0"]
    counts = res.types
    assert counts.loc["total", list(REY_TYPES)].tolist() == [8, 2, 2, 4, 2]
    assert counts.loc["total", "share_0"] == pytest.approx(8 / 18)
    assert res.cohesion == pytest.approx(8 / 18)
    assert counts.loc["2-3", "IIIB"] == 2
    assert res.transitions.to_numpy().sum() == 18
    assert "Rey's types" in str(res.summary())


def test_rey_types_table() -> None:
    origin, dest = np.meshgrid([1, 2, 3, 4], [1, 2, 3, 4], indexing="ij")
    names = np.asarray(REY_TYPES)[rey_types(origin, dest)]
    assert names.tolist() == [
        ["0", "I", "IIIA", "II"],
        ["I", "0", "II", "IIIB"],
        ["IIIA", "II", "0", "I"],
        ["II", "IIIB", "I", "0"],
    ]
    with pytest.raises(InvalidOptionError, match="quadrants must be"):
        rey_types([0], [1])


def test_bad_input(data: tuple[pd.DataFrame, np.ndarray]) -> None:
    panel, _ = data
    w = china_provinces("queen")
    with pytest.raises(PanelStructureError, match="at least 2 years"):
        lisa_paths(panel[panel["year"] == 2020], "D", w, "code", "year")
    with pytest.raises(InvalidOptionError, match="sectors must be"):
        lisa_paths(panel, "D", w, "code", "year", sectors=0)
    with pytest.raises(InvalidOptionError, match="choose one of 'row', 'none'"):
        lisa_paths(panel, "D", w, "code", "year", standardize="binary")  # type: ignore[arg-type]
