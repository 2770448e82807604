"""Fixtures shared by every test folder; each folder has its own conftest for its area."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests import REPO_ROOT

# Browser fixtures (Chromium, request guard, local servers) for any folder's browser tests.
pytest_plugins = ["tests.browser.fixtures"]


@pytest.fixture(scope="session", autouse=True)
def _build_caches_in_a_temporary_folder(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[None]:
    """Keep the notice build's caches (normally in ~/.cache/seloste) in a temporary folder."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SELOSTE_CACHE_DIR", str(tmp_path_factory.mktemp("seloste-cache")))
        yield


@pytest.fixture(scope="session")
def repo_root() -> Path:
    """Return the repository root."""
    return REPO_ROOT
