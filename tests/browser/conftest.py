"""Built notice sites for the browser tests; the browser fixtures are in fixtures.py."""

from __future__ import annotations

import pytest

from tests.browser.sites import SITE_SOURCES, BuiltSite, build_site


@pytest.fixture(scope="session", params=sorted(SITE_SOURCES))
def built_site(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> BuiltSite:
    """Build each folder of SITE_SOURCES once per session; a test using it runs once per site."""
    name: str = request.param
    return build_site(name, SITE_SOURCES[name], tmp_path_factory.mktemp(f"site-{name}") / "site")
