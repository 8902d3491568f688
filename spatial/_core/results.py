"""The one base of frozen result objects whose attributes are tables."""

from __future__ import annotations

from typing import Any

import pandas as pd

__all__ = ["FrozenTables"]


class FrozenTables:
    """Mixin for frozen dataclasses of tables: attributes return shallow copies.

    With pandas copy-on-write a caller editing a returned table never changes
    the result, so no method of a result mutates it and no caller can.
    """

    def __getattribute__(self, name: str) -> Any:
        value = object.__getattribute__(self, name)
        if isinstance(value, (pd.DataFrame, pd.Series)):
            return value.copy(deep=False)
        return value

    def __repr__(self) -> str:
        fields = getattr(self, "__dataclass_fields__", {})
        shapes = [
            f"{name} {value.shape[0]}x{value.shape[1]}"
            for name in fields
            if isinstance(value := object.__getattribute__(self, name), pd.DataFrame)
        ]
        return f"<{type(self).__name__}: {', '.join(shapes)}>"
