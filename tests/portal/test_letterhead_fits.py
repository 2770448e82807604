"""A letter's date and reference stay inside the page's text area (fi, sv, en).

The letterhead's date and reference were a grid that WeasyPrint measured as wide as its widest
cell, not its two columns: the Finnish date ran past the right margin and off the page ("20.
helmikuuta 2025" ended at x 600 of an A4 page 595 wide). The PDF is read back with pypdf, and
each value's width measured with the embedded font's own advance widths (fontTools).
"""

from __future__ import annotations

import io
from functools import cache
from typing import Any

import pytest
from fontTools.ttLib import TTFont
from pypdf import PdfReader

from notice.loader import load_content
from portal.core import letters, seal
from tests import REPO_ROOT
from tests.golden_letters import NOW, VERIFY_URL, signing_key
from tests.portal.support.requests import new_request

RIGHT_MARGIN_PT = 18 / 25.4 * 72
"""The letters' @page right margin (18 mm)."""


@cache
def _font() -> TTFont:
    return TTFont(REPO_ROOT / "static" / "fonts" / "NotoSans-Regular.ttf")


def _width(text: str, size: float) -> float:
    font = _font()
    cmap = font.getBestCmap()
    advances = font["hmtx"].metrics
    units = sum(advances[cmap[ord(ch)]][0] for ch in text)
    return units * size / font["head"].unitsPerEm


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_the_date_and_reference_end_inside_the_right_margin(lang: str) -> None:
    request = new_request(language=lang, channel="web")
    seal.seal_request(request, signing_key())
    letter = letters.render_letter(
        "receipt",
        request,
        lang,
        content=load_content(REPO_ROOT / "content"),
        verify_url=VERIFY_URL.format(lang=lang),
        now=NOW,
    )
    page = PdfReader(io.BytesIO(letter.pdf)).pages[0]
    right_edge = float(page.mediabox.width) - RIGHT_MARGIN_PT
    date = letters.format_long_date(NOW.date(), lang)
    values = {date, request.reference}
    seen: dict[str, float] = {}

    def visit(text: str, cm: Any, tm: Any, _font: Any, size: float) -> None:
        if text.strip() in values:
            seen[text.strip()] = cm[4] + tm[4] * cm[0] + _width(text.strip(), size * tm[0] * cm[0])

    page.extract_text(visitor_text=visit)
    assert set(seen) == values
    for text, end in seen.items():
        assert end <= right_edge + 0.5, (
            f"{text!r} ends at x {end:.0f}, the margin at {right_edge:.0f}"
        )
