"""The notice's own typeface: Noto Sans, subset and shipped in `static/fonts/`, and its fallbacks.

Fonts are local so that a page makes no request to another host, and the PDF embeds the very same
family (`notice.pdf` verifies that). Noto Sans is under the SIL Open Font License 1.1 and declares
no reserved font name, so the subsets keep the family name. The subsets cover Latin (with Latin-1,
Extended-A, Extended-B, Extended Additional and IPA), combining diacritical marks, Greek and
Cyrillic, plus typographic punctuation, currency and letterlike symbols: the names of EU residents
and of most people who write to a European organisation. Scripts Noto Sans does not cover come from
the fallback families (`FALLBACK_FAMILIES`): Debian's `fonts-noto-*` packages, listed in
`scripts/debian-packages.txt`, which pages name in their font stack and PDFs embed. Regenerate
the subsets with `python -m notice.fonts SOURCE_DIR` (Debian: fonts-noto-core).
"""

from __future__ import annotations

import sys
from pathlib import Path

from notice.paths import FONTS_DIR

FAMILY = "Noto Sans"
"""Family name of the shipped font."""

CSS_FAMILY = "Seloste Noto Sans"
"""Name `static/css/notice.css` gives the shipped files in `@font-face`.

A name of our own, because a machine may have Noto Sans installed too: a PDF whose fonts carry this
name used the shipped files, not whatever the system offered.
"""


STYLES: tuple[str, ...] = ("Regular", "Bold", "Italic", "BoldItalic")

UNICODES: tuple[range, ...] = (
    range(0x0020, 0x007F),  # Basic Latin
    range(0x00A0, 0x0100),  # Latin-1 Supplement
    range(0x0100, 0x0180),  # Latin Extended-A
    range(0x0180, 0x0250),  # Latin Extended-B (Romanian comma below, Pinyin tones, Livonian ...)
    range(0x0250, 0x02B0),  # IPA Extensions (the schwa of Azerbaijani names)
    range(0x02B0, 0x0300),  # Spacing Modifier Letters (okina, caron, apostrophes)
    range(0x0300, 0x0370),  # Combining Diacritical Marks (decomposed names: e + U+0301)
    range(0x0370, 0x0400),  # Greek and Coptic
    range(0x0400, 0x0530),  # Cyrillic and Cyrillic Supplement
    range(0x1E00, 0x1F00),  # Latin Extended Additional (Vietnamese, Welsh)
    range(0x2000, 0x2070),  # General Punctuation: dashes, quotes, spaces, bullet, ellipsis
    range(0x20A0, 0x20D0),  # Currency Symbols
    range(0x2100, 0x2150),  # Letterlike Symbols (numero sign, trade mark)
    range(0x2190, 0x2200),  # Arrows (those Noto Sans has; the rest come from Noto Sans Math)
    range(0x2200, 0x2300),  # Mathematical Operators (likewise)
)
"""Code points the shipped subsets keep, where Noto Sans has them."""

FALLBACK_FAMILIES: tuple[str, ...] = (
    "Noto Sans Math",
    "Noto Sans Symbols",
    "Noto Sans Symbols 2",
    "Noto Sans Arabic",
    "Noto Sans Hebrew",
    "Noto Sans CJK JP",
    "Noto Sans CJK KR",
    "Noto Sans CJK SC",
    "Noto Sans CJK TC",
)
"""System families, in order, for what the shipped subset lacks (arrows, math, RTL, CJK).

Pages and PDFs name them after the shipped family (`static/css/notice.css`); a PDF may embed them
and `EMOJI_FAMILY`, and no other font besides the shipped one (`notice.pdf.assert_font_embedded`).
"""

EMOJI_FAMILY = "Noto Color Emoji"
"""The emoji font, which the system's font matching supplies for emoji without being named.

Named in a font stack, Pango takes it for every digit as well (digits can start an emoji keycap),
so stylesheets leave it out and fontconfig falls back to it for emoji alone.
"""


def subset_fonts(source_dir: Path, target_dir: Path = FONTS_DIR) -> list[Path]:
    """Subset the Noto Sans TTFs in `source_dir` into woff2 (web) and TTF (PDF) in `target_dir`."""
    from fontTools import subset

    target_dir.mkdir(parents=True, exist_ok=True)
    unicodes = [code for block in UNICODES for code in block]
    written = []
    for style in STYLES:
        source = source_dir / f"NotoSans-{style}.ttf"
        for flavor, suffix in ((None, "ttf"), ("woff2", "woff2")):
            options = subset.Options()
            options.flavor = flavor
            options.layout_features = ["kern", "liga", "calt", "ccmp", "locl", "mark", "mkmk"]
            options.name_IDs = ["*"]  # keep the copyright and licence records
            options.notdef_outline = True
            # Hinting instructions are half the bytes; PDFs ignore them, modern screens too.
            options.hinting = False
            target = target_dir / f"NotoSans-{style}.{suffix}"
            with subset.load_font(str(source), options) as font:
                subsetter = subset.Subsetter(options)
                subsetter.populate(unicodes=unicodes)
                subsetter.subset(font)
                subset.save_font(font, str(target), options)
            written.append(target)
    return written


if __name__ == "__main__":  # pragma: no cover - a maintainer's tool
    source = Path(sys.argv[1] if len(sys.argv) > 1 else "/usr/share/fonts/truetype/noto")
    for path in subset_fonts(source):
        print(path, path.stat().st_size)
