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


SIGNING_KEY_FILE = "receipt-signing-key.pem"
"""Default of the SIGNING_KEY_FILE setting: the receipt-signing key's file in the instance folder,
never in the repository."""

MASTER_KEY_FILE = "master-key"
"""The master key's file in the instance folder (when PORTAL_MASTER_KEY is not set)."""


def signing_key_path(instance: str | Path, filename: str = SIGNING_KEY_FILE) -> Path:
    """Return where an instance folder keeps its private receipt-signing key (SIGNING_KEY_FILE)."""
    return Path(instance) / filename


def master_key_path(instance: str | Path) -> Path:
    """Return where an instance folder keeps the master key that wraps the file keys."""
    return Path(instance) / MASTER_KEY_FILE
