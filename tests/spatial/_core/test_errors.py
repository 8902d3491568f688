"""Tests of the error hierarchy (spatial/_core/errors.py, spatial/exceptions.py,
coupling/exceptions.py): one root, package roots, built-in bases."""

from __future__ import annotations

import inspect

import numpy as np
import pandas as pd
import pytest

import coupling.exceptions as coupling_errors
import spatial.exceptions as spatial_errors
from coupling import CouplingCoordination, IndicatorSystem
from spatial import SpatialDurbinPanel, SpatialWeights
from spatial._core.errors import LiangyeError


def _classes(module):
    ours = ("spatial", "coupling")
    members = inspect.getmembers(module, inspect.isclass)
    return [c for _, c in members if issubclass(c, Exception) and c.__module__.startswith(ours)]


@pytest.mark.parametrize("module", [spatial_errors, coupling_errors])
def test_every_error_derives_from_the_root_and_a_builtin(module):
    roots = (LiangyeError, spatial_errors.SpatialError, coupling_errors.CouplingError)
    for cls in _classes(module):
        if issubclass(cls, Warning) or cls in roots:
            continue
        assert issubclass(cls, LiangyeError), cls
        builtins = {b for b in cls.__mro__ if b.__module__ == "builtins"}
        assert builtins - {Exception, BaseException, object}, f"{cls} has no specific built-in"


def test_package_roots_are_siblings_under_one_root():
    assert issubclass(spatial_errors.SpatialError, LiangyeError)
    assert issubclass(coupling_errors.CouplingError, LiangyeError)
    assert not issubclass(spatial_errors.SpatialError, coupling_errors.CouplingError)
    assert spatial_errors.SpecificationError is coupling_errors.SpecificationError
    assert coupling_errors.IndicatorNotFoundError is spatial_errors.ColumnNotFoundError


def test_one_except_clause_catches_both_packages():
    frame = pd.DataFrame({"region": ["a", "b"] * 2, "year": [1, 1, 2, 2],
                          "m": [1.0, 2.0, 3.0, np.nan], "s": [1.0, 2.0, 3.0, 4.0]})  # fmt: skip
    system = IndicatorSystem({"manufacturing": {"m": "+"}, "services": {"s": "+"}})
    with pytest.raises(LiangyeError, match=r"'m' at \(b, 2\)") as coupling_info:
        CouplingCoordination(system).fit(frame, region="region", year="year")
    assert isinstance(coupling_info.value, ValueError)
    w = SpatialWeights.from_sparse(np.array([[0.0, 1.0], [1.0, 0.0]]), ["a", "c"])
    with pytest.raises(LiangyeError, match="in the data but not in W: b") as spatial_info:
        SpatialDurbinPanel(frame.fillna(1.0), "s", ["m"], w, region="region", year="year")
    assert isinstance(spatial_info.value, spatial_errors.SpatialError)
    with pytest.raises(coupling_errors.CouplingError, match="Total employment is zero"):
        from coupling import location_quotient

        location_quotient(pd.DataFrame({"mfg": [0, 0], "svc": [0, 0]}))
