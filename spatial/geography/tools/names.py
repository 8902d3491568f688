"""Short names and pinyin of Chinese administrative units (build time only).

Used by ``build_cities.py`` and ``build_counties.py``; ``pypinyin`` (PyPI, MIT) is needed
only here, never by the installed package.

Short name: one suffix of the unit type removed (苏州市 -> 苏州, 长兴县 -> 长兴, 阿荣旗 -> 阿荣),
then the names of the nationalities of an autonomous unit, from the end, for as long as two
characters remain (长阳土家族自治县 -> 长阳, 双江拉祜族佤族布朗族傣族自治县 -> 双江); a name that is
only a nationality loses its 族 (东乡族自治县 -> 东乡, 鄂温克族自治旗 -> 鄂温克). A stem of one
character keeps its suffix (单县, 城区): the short form users write.

Pinyin: ``pypinyin.lazy_pinyin`` of the stem read together with its suffix (its phrase table
reads 单县 as Shan, not Dan), syllables joined with an apostrophe before a/o/e, ü kept,
capitalised; characters of :data:`PLACE_READINGS` always take their place-name reading, and the
names it still reads wrongly are fixed by a hand table passed in by the caller.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

#: Nationalities as they appear in the names of autonomous units (both 蒙古族 and 蒙古).
NATIONALITIES = (
    "朝鲜族", "土家族", "苗族", "藏族", "羌族", "彝族", "布依族", "侗族", "哈尼族", "壮族",
    "傣族", "白族", "景颇族", "傈僳族", "回族", "蒙古族", "蒙古", "柯尔克孜", "哈萨克族",
    "哈萨克", "黎族", "满族", "瑶族", "畲族", "仫佬族", "毛南族", "仡佬族", "水族", "纳西族",
    "拉祜族", "佤族", "布朗族", "独龙族", "怒族", "普米族", "撒拉族", "土族", "东乡族",
    "保安族", "裕固族", "锡伯", "塔吉克", "达斡尔族", "鄂温克族", "各族",
)  # fmt: skip
#: Readings of characters in place names where pypinyin prefers another (成都 du, not dou;
#: 长 chang except in 长子; 什 and 勒 in transliterations shi and le; 佛冈 Fo).
PLACE_READINGS = {"都": "du", "长": "chang", "什": "shi", "勒": "le", "朝": "chao", "柏": "bai",
                  "佛": "fo"}  # fmt: skip


def short_name(name: str, suffixes: Sequence[str]) -> str:
    """The short form of ``name``: the first matching suffix and the nationalities removed."""
    stem = name
    for suffix in suffixes:
        if stem.endswith(suffix):
            stem = stem[: -len(suffix)]
            break
    stripped = True
    while stripped:
        stripped = False
        for nationality in NATIONALITIES:
            if stem.endswith(nationality) and len(stem) > len(nationality) + 1:
                stem, stripped = stem[: -len(nationality)], True
    if stem in NATIONALITIES and stem.endswith("族"):
        stem = stem[:-1]
    return stem if len(stem) >= 2 else name


def to_pinyin(stem: str, *, suffix: str = "", fixes: Mapping[str, str] | None = None) -> str:
    """Pinyin of ``stem`` (read with ``suffix`` after it for context), e.g. ``Lüliang``."""
    from pypinyin import Style, lazy_pinyin  # build-time only

    if fixes and stem in fixes:
        return fixes[stem]
    syllables = lazy_pinyin(stem + suffix, style=Style.NORMAL)[: len(stem)]
    syllables = [PLACE_READINGS.get(c, s) for c, s in zip(stem, syllables)]
    text = syllables[0]
    for syllable in syllables[1:]:
        text += ("'" if syllable[0] in "aoe" else "") + syllable
    return text.replace("v", "ü").capitalize()
