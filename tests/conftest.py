"""Fixtures shared by every test folder; each folder has its own conftest for its area."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# Browser fixtures (Chromium, request guard, local servers) for any folder's browser tests.
pytest_plugins = ["tests.browser.fixtures"]


@pytest.fixture(scope="session")
def repo_root() -> Path:
    """Return the repository root."""
    return ROOT
