"""Draw `static/favicon.ico` from the shapes of `static/favicon.svg` (run after changing them).

    .venv/bin/python scripts/favicon.py

Browsers ask for `/favicon.ico` on every page, whatever the page links; the portal answers with
this file (`portal.web.favicon`). The icon is drawn here with Pillow, eight times larger than
its largest size and scaled down, so it needs no SVG renderer: a blue rounded square (the
portal's accent, #0b5394) with a white check mark, at 16, 32 and 48 pixels.
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw

ROOT = Path(__file__).resolve().parent.parent
ICON = ROOT / "static" / "favicon.ico"
SIZES = (16, 32, 48)
SCALE = 16
"""Drawn at 32 × SCALE pixels (the SVG's viewBox is 32 wide), then scaled down."""
ACCENT = (0x0B, 0x53, 0x94, 255)
CHECK = ((8, 16.5), (13.5, 22), (24, 10.5))
"""The check mark's points in the SVG's coordinates; its stroke is 4 wide with round ends."""


def draw() -> Image.Image:
    """Return the icon at 32 × SCALE pixels."""
    side = 32 * SCALE
    image = Image.new("RGBA", (side, side), (0, 0, 0, 0))
    pen = ImageDraw.Draw(image)
    pen.rounded_rectangle((0, 0, side - 1, side - 1), radius=6 * SCALE, fill=ACCENT)
    points = [(x * SCALE, y * SCALE) for x, y in CHECK]
    width = 4 * SCALE
    pen.line(points, fill="white", width=width, joint="curve")
    for x, y in (points[0], points[-1]):  # round line caps
        pen.ellipse((x - width / 2, y - width / 2, x + width / 2, y + width / 2), fill="white")
    return image


def main() -> None:
    """Write the ICO file with every size of SIZES."""
    image = draw()
    smaller = [image.resize((size, size), Image.Resampling.LANCZOS) for size in SIZES]
    smaller[-1].save(ICON, format="ICO", sizes=[(s, s) for s in SIZES], append_images=smaller)
    print(f"{ICON.relative_to(ROOT)}: {ICON.stat().st_size} bytes, sizes {SIZES}")


if __name__ == "__main__":
    main()
