"""Fonts with Chinese glyphs for figures labelled in Chinese.

matplotlib's default font (DejaVu Sans) has no Chinese glyphs; :func:`find_cjk_font`
finds an installed one (Noto Sans CJK, Source Han, WenQuanYi, SimHei, Microsoft
YaHei, PingFang, ...) so that ``language="zh"`` figures render without boxes.
:func:`quiet_font_messages` keeps matplotlib's notes about font substitutions off the
user's terminal (a CJK font with a regular weight only, such as Droid Sans Fallback, is
used for bold text too).
"""

from __future__ import annotations

import logging
import re
from functools import lru_cache
from pathlib import Path

__all__ = ["CJK_FONTS", "find_cjk_font", "quiet_font_messages"]

#: Fonts with Chinese glyphs, most wanted first (simplified-Chinese variants first).
CJK_FONTS: tuple[str, ...] = (
    "Noto Sans CJK SC",
    "Noto Sans SC",
    "Source Han Sans SC",
    "Source Han Sans CN",
    "Noto Serif CJK SC",
    "Source Han Serif SC",
    "WenQuanYi Zen Hei",
    "WenQuanYi Micro Hei",
    "Microsoft YaHei",
    "SimHei",
    "PingFang SC",
    "Heiti SC",
    "STHeiti",
    "SimSun",
    "AR PL UMing CN",
    "AR PL UKai CN",
    "Noto Sans CJK JP",
    "Noto Sans CJK TC",
    "Droid Sans Fallback",
)
_CJK_NAME_HINTS = ("cjk", "source han", "wenquanyi", "yahei", "simhei", "simsun", "pingfang",
                   "heiti", "ar pl u", "droid sans fallback", "noto sans sc", "noto serif sc",
                   "sarasa")  # fmt: skip
_CJK_FILE_HINTS = ("notosanscjk", "notoserifcjk", "sourcehan", "wqy", "wenquanyi", "simhei",
                   "simsun", "msyh", "pingfang", "uming", "ukai", "droidsansfallback",
                   "notosanssc", "notoserifsc")  # fmt: skip


class _FontSubstitutionFilter(logging.Filter):
    """Drops matplotlib's notes that a font weight was substituted (a CJK font without a
    bold face drawing bold text in its regular weight) and that its font list is being
    built; both are expected on a first run or with a regular-only CJK font, and neither
    is something the user can act on."""

    NOTES = ("findfont: Failed to find font weight", "Matplotlib is building the font cache")

    def filter(self, record: logging.LogRecord) -> bool:
        return not str(record.msg).startswith(self.NOTES)


_FILTER = _FontSubstitutionFilter()


def quiet_font_messages() -> None:
    """Install (once) the filter of :class:`_FontSubstitutionFilter` on matplotlib's font
    manager logger; other font messages still reach the user."""
    logger = logging.getLogger("matplotlib.font_manager")
    if _FILTER not in logger.filters:
        logger.addFilter(_FILTER)


def _compact(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", text.lower())


def _covers_chinese(path: str, sample: str = "中国人") -> bool:
    """True if the font maps each character of ``sample`` to its own glyph.

    Distinct glyphs rule out fallback fonts such as "Last Resort", which map a
    whole Unicode block to one placeholder glyph.
    """
    try:
        from fontTools.ttLib import TTFont
    except ImportError:  # pragma: no cover - fontTools ships with matplotlib
        return False
    try:
        with TTFont(path, lazy=True, fontNumber=0) as font:
            cmap = font.getBestCmap() or {}
    except Exception:  # unreadable or exotic font files are simply skipped
        return False
    glyphs = [cmap.get(ord(ch)) for ch in sample]
    return None not in glyphs and ".notdef" not in glyphs and len(set(glyphs)) == len(glyphs)


@lru_cache(maxsize=1)
def find_cjk_font() -> str | None:
    """The family name of an installed font with Chinese glyphs, or ``None``.

    Looks, in order, for the well-known families of :data:`CJK_FONTS` among
    the fonts matplotlib knows; for any family whose name marks it as CJK; for
    system font files with such a name that matplotlib has not indexed yet
    (they are registered with matplotlib's font manager); and finally for any
    known font whose character map covers "中国" (read with fontTools).

    Returns
    -------
    str or None
        A family name usable as ``font.family``; ``None`` when no font with
        Chinese glyphs is installed.

    Notes
    -----
    The answer is cached; after installing a font in a running session call
    ``find_cjk_font.cache_clear()``.

    Examples
    --------
    >>> font = find_cjk_font()
    >>> font is None or isinstance(font, str)
    True
    """
    quiet_font_messages()  # before the font manager builds its list (first run)
    import matplotlib as mpl
    from matplotlib import font_manager

    entries = list(font_manager.fontManager.ttflist)
    names = {entry.name for entry in entries}
    for family in CJK_FONTS:
        if family in names:
            return family
    for name in sorted(names):
        if any(hint in name.lower() for hint in _CJK_NAME_HINTS):
            return name
    cjk_files = [
        path
        for path in font_manager.findSystemFonts()
        if any(hint in _compact(Path(path).name) for hint in _CJK_FILE_HINTS)
    ]
    # every weight of the family is registered (regular first), so that matplotlib finds
    # the normal weight instead of falling back to bold with a warning
    found: str | None = None
    for path in sorted(cjk_files, key=lambda p: ("regular" not in p.lower(), p)):
        try:
            font_manager.fontManager.addfont(path)
            found = found or font_manager.FontProperties(fname=path).get_name()
        except (OSError, RuntimeError, ValueError):
            continue
    if found is not None:
        return found
    bundled = Path(mpl.get_data_path()).resolve()  # DejaVu, STIX, Computer Modern, Last Resort
    checked: set[str] = set()
    for entry in sorted(entries, key=lambda e: e.name):
        if entry.fname in checked or bundled in Path(entry.fname).resolve().parents:
            continue
        checked.add(entry.fname)
        if "last resort" not in entry.name.lower() and _covers_chinese(entry.fname):
            return entry.name
    return None
