"""The demo on three font set-ups: a full CJK family, a regular-only CJK font, no CJK font.

Each run is a fresh interpreter whose matplotlib sees only the fonts of the set-up: its
bundled fonts (DejaVu) plus the files copied into a temporary font directory. On a machine
where the only Chinese font is a fallback font with one weight (Droid Sans Fallback, or
here the regular face of Noto Sans CJK alone), matplotlib substitutes the regular face for
bold text and says so on standard error; no such message may reach the user.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

#: Restrict matplotlib to its bundled fonts and the given files, then run the command line.
HARNESS = """
import sys
from pathlib import Path
import matplotlib as mpl
from matplotlib import font_manager as fm
bundled = Path(mpl.get_data_path()).resolve()
fm.fontManager.ttflist = [e for e in fm.fontManager.ttflist
                          if bundled in Path(e.fname).resolve().parents]
files = sys.argv[3:]
for path in files:
    fm.fontManager.addfont(path)
fm.fontManager._findfont_cached.cache_clear()
fm.findSystemFonts = lambda *args, **kwargs: list(files)
from coupling.app.cli import main
sys.exit(main(["demo", "--out", sys.argv[1], "--lang", sys.argv[2], "--bootstrap", "0",
               "--quiet"]))
"""

FONT_WORDS = ("findfont", "font weight", "Glyph", "missing from font", "font cache")


def _system_font(*names: str) -> Path | None:
    from matplotlib import font_manager

    for path in font_manager.findSystemFonts():
        if Path(path).name in names:
            return Path(path)
    return None


def _run(tmp_path: Path, language: str, fonts: list[Path]) -> subprocess.CompletedProcess:
    folder = tmp_path / "fonts"  # the temporary font directory of this set-up
    folder.mkdir(exist_ok=True)
    copies = [shutil.copy(font, folder / font.name) for font in fonts]
    return subprocess.run(
        [sys.executable, "-c", HARNESS, str(tmp_path / "out"), language, *map(str, copies)],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip


def _font_messages(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if any(w in line for w in FONT_WORDS)]


@pytest.fixture(scope="module")
def regular_only_font() -> Path:
    font = _system_font("DroidSansFallbackFull.ttf", "DroidSansFallback.ttf")
    font = font or _system_font("NotoSansCJK-Regular.ttc")
    if font is None:
        pytest.skip("no regular-only CJK font file to copy (Debian: fonts-droid-fallback or "
                    "fonts-noto-cjk)")  # fmt: skip
    return font


@pytest.mark.parametrize("language", ["en", "zh"])
def test_a_regular_only_cjk_font_prints_no_font_message(tmp_path, regular_only_font, language):
    done = _run(tmp_path, language, [regular_only_font])
    assert done.returncode == 0, done.stderr
    assert _font_messages(done.stderr) == []
    assert (tmp_path / "out" / "report.html").exists()


def test_without_a_cjk_font_english_is_silent_and_chinese_says_what_to_install(tmp_path):
    done = _run(tmp_path, "en", [])
    assert done.returncode == 0, done.stderr
    assert _font_messages(done.stderr) == []
    zh = _run(tmp_path, "zh", [])
    assert zh.returncode == 2
    assert "fonts-noto-cjk" in zh.stderr and _font_messages(zh.stderr) == []


def test_a_full_cjk_family_prints_no_font_message(tmp_path):
    regular = _system_font("NotoSansCJK-Regular.ttc")
    bold = _system_font("NotoSansCJK-Bold.ttc")
    if regular is None or bold is None:
        pytest.skip("Noto Sans CJK (regular and bold) is not installed (Debian: fonts-noto-cjk)")
    done = _run(tmp_path, "zh", [regular, bold])
    assert done.returncode == 0, done.stderr
    assert _font_messages(done.stderr) == []
