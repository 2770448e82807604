"""Fixtures shared by every test folder; each folder has its own conftest for its area."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def repo_root() -> Path:
    """Return the repository root."""
    return ROOT
