"""The notice's own typeface: Noto Sans, subset and shipped in `static/fonts/`.

Fonts are local so that a page makes no request to another host, and the PDF embeds the very same
family (`notice.pdf` verifies that). Noto Sans is under the SIL Open Font License 1.1 and declares
no reserved font name, so the subsets keep the family name. The subsets cover Latin, Latin-1 and
Latin Extended-A (Finnish, Swedish, English and the names of other EU residents) plus typographic
punctuation. Regenerate with `python -m notice.fonts SOURCE_DIR` (Debian: fonts-noto-core).
"""

from __future__ import annotations

import sys
from pathlib import Path

FAMILY = "Noto Sans"
"""Family name of the shipped font."""

CSS_FAMILY = "Seloste Noto Sans"
"""Name `static/css/notice.css` gives the shipped files in `@font-face`.

A name of our own, because a machine may have Noto Sans installed too: a PDF whose fonts carry this
name used the shipped files, not whatever the system offered.
"""

FONTS_DIR = Path(__file__).resolve().parent.parent / "static" / "fonts"

STYLES: tuple[str, ...] = ("Regular", "Bold", "Italic", "BoldItalic")

UNICODES: tuple[range, ...] = (
    range(0x0020, 0x007F),  # Basic Latin
    range(0x00A0, 0x0100),  # Latin-1 Supplement
    range(0x0100, 0x0180),  # Latin Extended-A
    range(0x2010, 0x2028),  # dashes, quotation marks, bullet, ellipsis
    range(0x2030, 0x203B),  # per mille, angle quotes
    range(0x20AC, 0x20AD),  # euro sign
    range(0x2122, 0x2123),  # trade mark
    range(0x2192, 0x2193),  # rightwards arrow
    range(0x2212, 0x2213),  # minus sign
)


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
