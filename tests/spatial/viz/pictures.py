"""Checks that a written figure is a real picture, shared by the figure tests."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.image import imread

# A picture: > 10 kB on disk, pixel sd > 0.05 (of values in [0, 1]), >= 5 distinct colours.
MIN_BYTES = 10_000
MIN_STD = 0.05
MIN_COLORS = 5


def assert_picture(path: Path) -> None:
    """The PNG at ``path`` exists, is large enough and is not blank."""
    assert path.is_file(), path
    assert path.stat().st_size > MIN_BYTES, path.stat().st_size
    image = imread(path)
    rgb = np.asarray(image[..., :3], dtype=np.float64)
    assert rgb.std() > MIN_STD
    levels = np.round(rgb * 255).astype(np.uint32)
    colors = np.unique((levels[..., 0] << 16) | (levels[..., 1] << 8) | levels[..., 2])
    assert colors.size >= MIN_COLORS


def legend_texts(fig: Figure) -> list[str]:
    return [t.get_text() for legend in fig.legends for t in legend.get_texts()]


def main_axes(fig: Figure) -> list[Axes]:
    """The map panels of a figure (visible axes with a title)."""
    return [ax for ax in fig.axes if ax.get_visible() and ax.get_title()]


def insets(fig: Figure) -> list[Axes]:
    """The South China Sea insets (child axes of the maps)."""
    return [child for ax in main_axes(fig) for child in ax.child_axes]
