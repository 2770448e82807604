"""The HTML records of processing are accessible (axe, WCAG 2.2 AA) and make no outside request."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from playwright.sync_api import Page

from notice.loader import load_content
from notice.records.output import render_records
from tests import REPO_ROOT
from tests.browser.axe import assert_no_violations, run_axe
from tests.browser.fixtures import StaticServer
from tests.notice.records_content import write_content

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_records_html_has_no_axe_violations(
    page: Page, static_server: StaticServer, tmp_path: Path, lang: str
) -> None:
    sources = {
        "content": REPO_ROOT / "content",
        "v2": REPO_ROOT / "tests" / "fixtures" / "records",
        "nordic": write_content(tmp_path / "nordic"),
    }
    served = tmp_path / "served"
    served.mkdir()
    for name, source in sources.items():
        data, _ = render_records(load_content(source), "html", lang, today=dt.date(2026, 11, 29))
        (served / f"{name}.html").write_bytes(data)
    base = static_server(served)
    for name in sources:
        page.goto(f"{base}{name}.html")
        assert_no_violations(run_axe(page), f"{name}.html ({lang})")


def test_records_html_reflows_on_a_phone(
    page: Page, static_server: StaticServer, tmp_path: Path
) -> None:
    data, _ = render_records(
        load_content(REPO_ROOT / "content"), "html", "fi", today=dt.date.today()
    )
    (tmp_path / "records.html").write_bytes(data)
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(static_server(tmp_path) + "records.html")
    # The overview table may scroll inside its focusable region; the page itself must not.
    widths = page.evaluate(
        "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    assert widths[0] <= widths[1], widths
