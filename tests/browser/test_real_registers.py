"""Registers of other kinds (tests/fixtures/registers-real) render accessibly and reflow at 360 px.

The v2 structure adds tables of facts, grouped recipients and transfer lists to a register page;
these sites exercise all of it in three languages. They have no cookie banner (the municipality
sets no cookies), so they are checked here rather than in the site-wide banner tests.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page

from tests import REPO_ROOT
from tests.browser.axe import format_violations, run_axe
from tests.browser.fixtures import StaticServer
from tests.browser.sites import BuiltSite, build_site

pytestmark = pytest.mark.browser

REAL = REPO_ROOT / "tests" / "fixtures" / "registers-real"
NARROW = {"width": 360, "height": 740}
_WIDTHS = """() => ({scroll: document.documentElement.scrollWidth,
                    client: document.documentElement.clientWidth})"""


@pytest.fixture(
    scope="module",
    params=["municipality", "webshop", "social-welfare", "association", "eu-webshop"],
)
def real_site(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> BuiltSite:
    name: str = request.param
    return build_site(name, REAL / name, tmp_path_factory.mktemp(f"real-{name}") / "site")


def register_pages(site: BuiltSite) -> list[Path]:
    """Return the register pages: every page two folders deep that is not a list or cookies."""
    return [
        page
        for page in site.pages
        if len(page.relative_to(site.root).parts) == 3
        and page.parent.name not in {"cookies", "cookie-settings", "history"}
    ]


def test_register_pages_have_no_axe_violations_and_reflow(
    real_site: BuiltSite, page: Page, static_server: StaticServer
) -> None:
    base = static_server(real_site.root)
    pages = register_pages(real_site)
    assert len(pages) >= 2
    problems = []
    for html in pages:
        path = real_site.url_path(html)
        page.set_viewport_size({"width": 1280, "height": 900})
        page.goto(base + path)
        violations = run_axe(page)
        if violations:
            problems.append(format_violations(violations, path))
        page.set_viewport_size(NARROW)
        page.goto(base + path)
        widths = page.evaluate(_WIDTHS)
        if widths["scroll"] > widths["client"]:
            problems.append(f"{path}: {widths['scroll']} px wide at 360 px")
    assert problems == []
