"""Where the portal's files are: the repository root and the folders shared with the notice."""

from __future__ import annotations

from pathlib import Path

from notice.paths import ROOT, STATIC_DIR, TEMPLATES_DIR

__all__ = [
    "DATA_DIR",
    "PORTAL_DIR",
    "PUBLIC_KEYS_DIR",
    "PUBLIC_KEY_PATH",
    "ROOT",
    "STATIC_DIR",
    "TEMPLATES_DIR",
    "TRANSLATIONS_DIR",
    "resolve",
]

PORTAL_DIR = ROOT / "portal"
DATA_DIR = PORTAL_DIR / "data"
TRANSLATIONS_DIR = PORTAL_DIR / "translations"
"""The portal's one gettext catalog (the notice keeps its own)."""

PUBLIC_KEY_PATH = ".well-known/seloste/receipt-key.pem"
"""Where the current public key is published under the notice site's base URL."""

PUBLIC_KEYS_DIR = ".well-known/seloste/keys"
"""Where every public key, current and retired, is published as `<key id>.pem`."""


def resolve(path_value: str | Path) -> Path:
    """Resolve a configured folder: absolute, relative to the working directory, or the repo."""
    path = Path(path_value)
    if path.is_absolute() or path.exists():
        return path.resolve()
    return (ROOT / path).resolve()
