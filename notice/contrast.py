"""Colour contrast as WCAG 2.2 measures it: relative luminance and the contrast ratio.

A theme's colours are checked with these at build time, so a notice or portal page never ships a
pair of colours that people with low vision cannot tell apart (success criteria 1.4.3 for text,
1.4.11 for focus indicators and boundaries).
"""

from __future__ import annotations

import math
import re

HEX_COLOR = re.compile(r"#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})")
"""A colour as a theme writes it: `#rgb` or `#rrggbb`."""


def normalize(color: str) -> str:
    """Return `#rgb` or `#rrggbb` as lowercase `#rrggbb`."""
    digits = color.lstrip("#").lower()
    if len(digits) == 3:
        digits = "".join(char * 2 for char in digits)
    return "#" + digits


def luminance(color: str) -> float:
    """Return the relative luminance of an sRGB colour (WCAG 2.2 definition)."""
    digits = normalize(color)[1:]
    channels = [int(digits[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def ratio(first: str, second: str) -> float:
    """Return the contrast ratio of two colours, from 1 (none) to 21 (black on white)."""
    lighter, darker = sorted((luminance(first), luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def shown(value: float) -> str:
    """Write a ratio for people, rounded down so that a failing pair never reads as passing."""
    return f"{math.floor(value * 100) / 100:.2f}:1"
