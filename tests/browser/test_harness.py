"""The browser harness itself: request guard, axe, vnu and the local servers find what they must."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from playwright.sync_api import Page

from tests import REPO_ROOT
from tests.browser.axe import WCAG_22_AA, assert_no_violations, format_violations, run_axe
from tests.browser.fixtures import StaticServer, WsgiServer
from tests.browser.network import RequestGuard, is_local
from tests.browser.tools import require_file
from tests.browser.vnu import assert_valid_html, run_vnu

# The guard's own failure is tested by running a small test file in a separate pytest.
pytest_plugins = ["pytester"]

CLEAN_PAGE = """<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Clean</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body><a href="#main">Skip to content</a>
<main id="main"><h1>Clean page</h1><p>Text with a <a href="other.html">link</a>.</p></main>
</body>
</html>
"""

FAULTY_PAGE = """<!doctype html>
<html>
<head><meta charset="utf-8"><title>Faulty</title></head>
<body><main><h1>Faulty</h1><img src="pixel.png"></main></body>
</html>
"""


@pytest.mark.parametrize(
    ("url", "local"),
    [
        ("http://127.0.0.1:8000/fi/", True),
        ("http://localhost/x.css", True),
        ("http://[::1]:9/", True),
        ("file:///tmp/a.html", True),
        ("data:text/html,hi", True),
        ("https://fonts.googleapis.com/css", False),
        ("http://127.0.0.1.example.com/", False),
        ("https://www.googletagmanager.com/gtag/js?id=G-1", False),
    ],
)
def test_is_local(url: str, local: bool) -> None:
    assert is_local(url) is local


@pytest.mark.browser
def test_guard_blocks_and_records_requests_to_other_hosts(
    page: Page, request_guard: RequestGuard, static_server: StaticServer, tmp_path: Path
) -> None:
    (tmp_path / "index.html").write_text(
        CLEAN_PAGE.replace(
            "</main>",
            '<img alt="" src="https://tracker.example/p.gif"><img alt="" src="local.gif"></main>',
        )
    )
    page.goto(static_server(tmp_path) + "index.html", wait_until="load")
    blocked = request_guard.take()
    assert [b.url for b in blocked] == ["https://tracker.example/p.gif"]
    assert blocked[0].resource_type == "image"
    assert blocked[0].page_url.endswith("/index.html")


@pytest.mark.browser
def test_guard_fails_a_test_whose_page_reaches_another_host(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PYTHONPATH", str(REPO_ROOT))
    pytester.makeconftest('pytest_plugins = ["tests.browser.fixtures"]\n')
    pytester.makepyfile(
        textwrap.dedent(
            """
            def test_leaks(page):
                page.set_content('<img alt="" src="https://cdn.example/x.png">')
                page.wait_for_load_state("load")

            def test_stays_home(page):
                page.set_content("<p>nothing to fetch</p>")
            """
        )
    )
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider")
    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines(["*tried to reach 1 URL(s) on another host*", "*cdn.example*"])


@pytest.mark.browser
def test_axe_reports_violations_readably(
    page: Page, static_server: StaticServer, tmp_path: Path
) -> None:
    (tmp_path / "faulty.html").write_text(FAULTY_PAGE)
    (tmp_path / "pixel.png").write_bytes(b"")
    page.goto(static_server(tmp_path) + "faulty.html")
    violations = run_axe(page)
    assert {"html-has-lang", "image-alt"} <= {v["id"] for v in violations}
    text = format_violations(violations, "faulty.html")
    assert "faulty.html: [critical] image-alt:" in text
    assert "    img  " in text
    with pytest.raises(pytest.fail.Exception, match="axe rule"):
        assert_no_violations(violations)


@pytest.mark.browser
def test_axe_passes_a_clean_page_under_a_strict_csp(
    page: Page, static_server: StaticServer, tmp_path: Path
) -> None:
    (tmp_path / "index.html").write_text(CLEAN_PAGE)
    csp = {"Content-Security-Policy": "default-src 'self'; script-src 'none'"}
    page.goto(static_server(tmp_path, headers=csp) + "index.html")
    violations = run_axe(page, WCAG_22_AA)
    assert_no_violations(violations)
    # axe ran despite script-src 'none': the context bypasses CSP for the injected script.
    assert page.evaluate("() => typeof window.axe.run") == "function"


@pytest.mark.browser
def test_static_server_adds_headers(
    page: Page, static_server: StaticServer, tmp_path: Path
) -> None:
    (tmp_path / "index.html").write_text(CLEAN_PAGE)
    url = static_server(tmp_path, headers={"X-Test": "yes"})
    response = page.goto(url)
    assert response is not None
    assert response.status == 200
    assert response.headers["x-test"] == "yes"
    assert page.title() == "Clean"


@pytest.mark.browser
def test_wsgi_server_serves_an_app(page: Page, wsgi_server: WsgiServer) -> None:
    def app(environ, start_response):
        start_response("200 OK", [("Content-Type", "text/html; charset=utf-8")])
        return [f"<title>{environ['PATH_INFO']}</title>".encode()]

    page.goto(wsgi_server(app) + "hello")
    assert page.title() == "/hello"


@pytest.mark.browser
def test_vnu_separates_errors_from_warnings(tmp_path: Path) -> None:
    valid = tmp_path / "valid.html"
    valid.write_text(CLEAN_PAGE)
    invalid = tmp_path / "invalid.html"
    invalid.write_text(CLEAN_PAGE.replace("<p>Text", "<div><p>Text").replace("</main>", "</main>x"))
    messages = run_vnu([valid, invalid])
    errors = [m for m in messages if m.is_error]
    assert errors
    assert {Path(m.file).name for m in errors} == {"invalid.html"}
    assert_valid_html([m for m in messages if Path(m.file).name == "valid.html"])
    with pytest.raises(pytest.fail.Exception, match=r"HTML validation error\(s\)"):
        assert_valid_html(messages, tmp_path)


def test_a_missing_tool_fails_with_the_command_that_installs_it(tmp_path: Path) -> None:
    with pytest.raises(pytest.fail.Exception, match=r"axe-core not found at .*; run `make setup`"):
        require_file(tmp_path / "axe.min.js", "axe-core")
