"""Records as a printable, accessible HTML document, and as a tagged PDF made from it."""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache

from markupsafe import Markup

from notice.fonts import CSS_FAMILY, FALLBACK_FAMILIES, FONTS_DIR, STYLES
from notice.markdown import render_inline
from notice.paths import ROOT
from notice.records.columns import (
    COLUMNS,
    Cell,
    Localizer,
    Piece,
    activity_name,
    headers,
    not_stated,
    row,
)
from notice.records.rows import Activity
from notice.render import environments

PDF_BASE_URL = ROOT.as_uri() + "/"


@cache
def _covered() -> frozenset[int]:
    """Return the code points every style of the PDF's font can show."""
    from fontTools.ttLib import TTFont

    sets = []
    for style in STYLES:
        with TTFont(FONTS_DIR / f"NotoSans-{style}.ttf") as font:
            sets.append(frozenset(font.getBestCmap()))
    return frozenset.intersection(*sets) | {0x0A}


FONT_STACK = Markup(", ").join(
    Markup('"{}"').format(family) for family in (CSS_FAMILY, *FALLBACK_FAMILIES)
)
"""The notice's text font, then its fallbacks: the notice's own stack (`static/css/notice.css`).

Not the emoji font: named in a stack, Pango draws every digit with it ("4 . joulukuuta 2 0 2 6",
see `notice.fonts.EMOJI_FAMILY`); fontconfig still falls back to it for an emoji.
"""

OVERVIEW = ("register", "purpose", "legal_basis")
"""Columns of the overview table, after the activity itself."""


class UnprintableText(ValueError):
    """Text holds characters that the PDF's font cannot show."""


def _inline_html(piece: Piece) -> Markup:
    """Render a piece's Markdown; a span in another language than the piece's carries its own."""
    if not piece.parts:
        return render_inline(piece.text, piece.lang)
    out = Markup("")
    for part in piece.parts:
        # Markdown drops a line's outer spaces; fixed words such as " (" keep theirs.
        stripped = part.text.strip()
        lead = part.text[: len(part.text) - len(part.text.lstrip())]
        trail = part.text[len(part.text.rstrip()) :]
        inner = render_inline(stripped, part.lang) if stripped else Markup("")
        if part.lang != piece.lang:
            inner = Markup('<span lang="{}">{}</span>').format(part.lang, inner)
        out += Markup("{}{}{}").format(lead, inner, trail)
    return out


def _cell_html(cell: Cell, lang: str, *, unstated: bool = False) -> Markup:
    """Render a cell's pieces: one paragraph, or a list when there are several.

    A cell the content leaves unstated (`columns.not_stated`) is set apart (`class="none"`).
    """
    if not cell:
        return Markup("")
    if unstated:
        return Markup('<p class="none">{}</p>').format(_inline_html(cell[0]))
    parts = []
    for piece in cell:
        inner = _inline_html(piece)
        attr = Markup(' lang="{}"').format(piece.lang) if piece.lang != lang else Markup("")
        parts.append((inner, attr))
    if len(parts) == 1:
        inner, attr = parts[0]
        return Markup("<p{}>{}</p>").format(attr, inner)
    items = Markup("").join(Markup("<li{}>{}</li>").format(attr, inner) for inner, attr in parts)
    return Markup("<ul>{}</ul>").format(items)


def _font_faces() -> Markup:
    """Return `@font-face` rules for the notice's font, by file URL (for the PDF only)."""
    rules = []
    for style in STYLES:
        weight = 700 if "Bold" in style else 400
        italic = "italic" if "Italic" in style else "normal"
        url = (FONTS_DIR / f"NotoSans-{style}.ttf").as_uri()
        rules.append(
            f'@font-face {{ font-family: "{CSS_FAMILY}"; font-style: {italic}; '
            f'font-weight: {weight}; src: url("{url}") format("truetype"); }}'
        )
    return Markup("\n".join(rules))


def records_html(
    items: Sequence[Activity],
    loc: Localizer,
    *,
    title: str,
    controller: str,
    generated: str,
    internal: str,
    variant: str = "web",
) -> str:
    """Return the records as one HTML document: an overview, then a table per activity."""
    env = environments([loc.lang])[loc.lang]
    template = env.get_template("records/records.html")
    names = headers(loc)
    overview = [i for i, column in enumerate(COLUMNS) if column.key in OVERVIEW]
    unstated = not_stated(loc)
    activities = []
    for activity in items:
        cells = [
            {
                "header": names[i],
                "key": COLUMNS[i].key,
                "html": _cell_html(cell, loc.lang, unstated=cell == unstated),
            }
            for i, cell in enumerate(row(activity, loc))
        ]
        activities.append(
            {
                "id": activity.id,
                "name": _inline_html(activity_name(activity, loc)),
                "name_lang": activity_name(activity, loc).lang,
                "anchor": "activity-" + activity.id.replace("/", "-"),
                "cells": cells[1:],  # the caption names the activity
                "overview": [cells[i] for i in overview],
            }
        )
    return template.render(
        lang=loc.lang,
        title=title,
        controller=controller,
        generated=generated,
        internal=internal,
        overview_headers=[names[i] for i in overview],
        activity_header=names[0],
        activities=activities,
        variant=variant,
        font_faces=_font_faces() if variant == "pdf" else Markup(""),
        font_stack=FONT_STACK,
    )


def unprintable(items: Sequence[Activity], loc: Localizer) -> list[str]:
    """Return `activity: column: characters` for text the notice's own font lacks."""
    problems = []
    for activity in items:
        for column, cell in zip(COLUMNS, row(activity, loc), strict=True):
            missing = sorted(
                {ch for piece in cell for ch in piece.text if ord(ch) not in _covered()}
            )
            if missing:
                shown = " ".join(f"{ch.strip() or '?'} (U+{ord(ch):04X})" for ch in missing[:5])
                if len(missing) > 5:
                    shown += f" and {len(missing) - 5} more"
                problems.append(f"{activity.id}: {column.key}: {shown}")
    return problems


def records_pdf(items: Sequence[Activity], loc: Localizer, *, title: str, **context: str) -> bytes:
    """Return the records as a tagged PDF (PDF/UA-1) in the notice's font and its fallbacks."""
    from notice.pdf import PdfError, render_pdf

    html = records_html(items, loc, title=title, variant="pdf", **context)
    try:
        return render_pdf(html, PDF_BASE_URL, title=title, lang=loc.lang)
    except PdfError as exc:
        # Say which texts need a font the PDF may not use, not only which font crept in.
        outside = "; ".join(unprintable(items, loc)) or "none"
        raise UnprintableText(
            f"{exc}; text outside the notice's own font: {outside}; install the fallback fonts "
            "(scripts/debian-packages.txt) or use --format html, xlsx, csv or json"
        ) from None
