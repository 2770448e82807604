"""Where the repository's shared folders are: defined once for the notice and the portal."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
"""Repository root: templates/ and static/ are shared by the notice generator and the portal."""

TEMPLATES_DIR = ROOT / "templates"
STATIC_DIR = ROOT / "static"
FONTS_DIR = STATIC_DIR / "fonts"
