"""Every page of the built notice site is accessible (WCAG 2.2 AA), valid, reflows, and stays home.

Each test runs once per built site (default content, the small and the themed fixture) and checks
every generated HTML page, collecting all failures before it reports, so one run lists everything
to fix.
The request guard of the `page` fixture fails any test whose pages reach another host.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import urljoin, urlsplit

import pytest
from bs4 import BeautifulSoup
from playwright.sync_api import Page

from notice.serve import built_site_path, make_server, serve_in_thread
from tests.browser.axe import format_violations, run_axe
from tests.browser.network import is_local
from tests.browser.sites import BuiltSite
from tests.browser.vnu import assert_valid_html, run_vnu

pytestmark = pytest.mark.browser

# WCAG 1.4.10 Reflow: content fits 320 CSS px; 360 px is the narrowest common phone.
NARROW = {"width": 360, "height": 740}
WIDE = {"width": 1280, "height": 900}
"""A desktop: a grid sized by its longest unwrapped term once pushed values off it (1,929 px)."""


@pytest.fixture
def site_server(built_site: BuiltSite) -> Iterator[str]:
    """Serve the built site as `notice serve` does (at `/` and at base_url's path, an unknown
    address answered with its 404.html, whose links start from base_url's path); its base URL."""
    server = make_server(built_site.root, 0)
    serve_in_thread(server)
    host, port = server.server_address[:2]
    try:
        yield f"http://{host}:{port}/"
    finally:
        server.shutdown()
        server.server_close()


def _fail_listing(problems: list[str], what: str, site: BuiltSite) -> None:
    if problems:
        pytest.fail(
            f"{what} on {len(problems)} page(s) of the {site.name!r} site:\n" + "\n".join(problems),
            pytrace=False,
        )


def test_every_page_has_no_axe_violations(
    built_site: BuiltSite, page: Page, site_server: str
) -> None:
    base = site_server
    problems = []
    for html in built_site.pages:
        path = built_site.url_path(html)
        page.goto(base + path)
        violations = run_axe(page)
        if violations:
            problems.append(format_violations(violations, path or "/"))
    _fail_listing(problems, "WCAG 2.2 A/AA violations (axe)", built_site)


def test_the_404_page_at_an_unknown_address_is_styled_axe_clean_and_links_home(
    built_site: BuiltSite, page: Page
) -> None:
    # `notice serve` as a web server would: the site at its own path, unknown addresses 404.html.
    server = make_server(built_site.root, 0)
    serve_in_thread(server)
    try:
        host, port = server.server_address[:2]
        origin = f"http://{host}:{port}"
        response = page.goto(origin + built_site_path(built_site.root) + "no/such/page/")
        assert response is not None and response.status == 404
        assert page.locator("h1").inner_text() == "Sivua ei löydy"
        styled = page.evaluate(
            """() => [...document.styleSheets].some(sheet => sheet.href
                && sheet.href.endsWith('/static/css/notice.css') && sheet.cssRules.length > 0)"""
        )
        assert styled, "the notice stylesheet did not load from the 404 page's root path"
        violations = run_axe(page)
        assert not violations, format_violations(violations, "404.html")
        homes = page.eval_on_selector_all("main .chooser a", "links => links.map(a => a.href)")
        assert len(homes) == len(page.eval_on_selector_all(".language-switch a", "a => a"))
        for home in homes:
            assert page.request.get(home).status == 200, home
    finally:
        server.shutdown()
        server.server_close()


@pytest.mark.parametrize("viewport", [NARROW, WIDE], ids=["360px", "1280px"])
def test_every_page_fits_the_width_of_a_phone_and_a_desktop(
    built_site: BuiltSite,
    page: Page,
    site_server: str,
    tmp_path_factory: pytest.TempPathFactory,
    viewport: dict[str, int],
) -> None:
    base = site_server
    shots = tmp_path_factory.mktemp(f"screenshots-{built_site.name}")
    page.set_viewport_size(viewport)
    problems = []
    for html in built_site.pages:
        path = built_site.url_path(html)
        page.goto(base + path)
        name = (path.strip("/").replace("/", "__") or "index") + ".png"
        page.screenshot(path=shots / name, full_page=True)
        widths = page.evaluate(
            """() => {
                const root = document.documentElement;
                const wide = [...document.body.querySelectorAll('*')]
                    .filter(el => el.getBoundingClientRect().right > root.clientWidth + 0.5)
                    .slice(0, 5)
                    .map(el => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
                         + (el.className && typeof el.className === 'string'
                            ? '.' + el.className.trim().split(/\\s+/).join('.') : ''));
                return {scroll: root.scrollWidth, client: root.clientWidth, wide};
            }"""
        )
        if widths["scroll"] > widths["client"]:
            problems.append(
                f"{path or '/'}: document is {widths['scroll']} px wide in a "
                f"{widths['client']} px viewport; too wide: {', '.join(widths['wide'])} "
                f"(screenshot {shots / name})"
            )
    _fail_listing(problems, f"horizontal scrolling at {viewport['width']} px", built_site)


_FOCUS = """() => {
    const el = document.activeElement;
    const main = document.querySelector('main');
    const box = el ? el.getBoundingClientRect() : null;
    return {
        tag: el ? el.tagName.toLowerCase() : null,
        href: el ? el.getAttribute('href') : null,
        text: el ? el.textContent.trim() : '',
        inMain: Boolean(main && el && main.contains(el)),
        visible: Boolean(box && box.width > 0 && box.height > 0 && box.bottom > 0
                         && box.top < innerHeight && box.right > 0 && box.left < innerWidth),
    };
}"""

_TARGET = """(id) => {
    const target = document.getElementById(id);
    const main = document.querySelector('main');
    return Boolean(target && main && (target === main || main.contains(target)));
}"""


def test_skip_link_is_first_tab_stop_and_moves_focus_to_main(
    built_site: BuiltSite, page: Page, site_server: str
) -> None:
    base = site_server
    problems = []
    for html in built_site.pages:
        path = built_site.url_path(html)
        where = path or "/"
        page.context.clear_cookies()
        page.goto(base + path)
        if page.evaluate("() => 'CookieConsent' in window"):
            # The cookie banner is a dialog and takes focus when it opens (test_banner.py); the
            # page's own order is checked once it is answered.
            page.locator("#cc-main .cm [data-role='necessary']").click()
            page.reload()
        page.keyboard.press("Tab")
        first = page.evaluate(_FOCUS)
        href = first["href"] or ""
        if first["tag"] != "a" or not href.startswith("#") or len(href) < 2:
            problems.append(f"{where}: first tab stop is {first['tag']} {href!r} {first['text']!r}")
            continue
        if not first["visible"]:
            problems.append(f"{where}: skip link {first['text']!r} is not visible when focused")
        if not page.evaluate(_TARGET, href[1:]):
            problems.append(f"{where}: skip link target {href!r} is not <main> or inside it")
            continue
        page.keyboard.press("Enter")
        after = page.evaluate(_FOCUS)
        if not after["inMain"]:
            # A fragment target without tabindex still moves the sequential focus starting
            # point there: the next Tab must land inside main.
            page.keyboard.press("Tab")
            after = page.evaluate(_FOCUS)
        if not after["inMain"]:
            problems.append(
                f"{where}: after the skip link, focus went to {after['tag']} "
                f"{after['text'][:40]!r}, outside <main>"
            )
    _fail_listing(problems, "skip link problems", built_site)


def test_every_page_is_valid_html(built_site: BuiltSite) -> None:
    assert_valid_html(run_vnu(built_site.pages), built_site.root)


# Elements and attributes whose URLs the browser fetches (or connects to) without a click. The
# guard sees fetches; it cannot see preconnect and dns-prefetch hints, which are checked here.
_FETCHED = {
    "link": "href",
    "script": "src",
    "img": "src",
    "iframe": "src",
    "source": "src",
    "video": "src",
    "audio": "src",
    "embed": "src",
    "object": "data",
}
_FETCHED_RELS = {
    "stylesheet",
    "icon",
    "apple-touch-icon",
    "mask-icon",
    "manifest",
    "preload",
    "modulepreload",
    "prefetch",
    "preconnect",
    "dns-prefetch",
}


def test_no_page_refers_to_resources_on_other_hosts(built_site: BuiltSite) -> None:
    problems = []
    base = "http://127.0.0.1/"
    for html in built_site.pages:
        path = built_site.url_path(html)
        soup = BeautifulSoup(html.read_text(encoding="utf-8"), "lxml")
        for tag, attribute in _FETCHED.items():
            for element in soup.find_all(tag):
                rel = {word.lower() for word in element.get("rel") or []}
                if tag == "link" and not rel & _FETCHED_RELS:
                    continue  # e.g. hreflang alternates and canonical name public URLs only
                value = element.get(attribute)
                if value and not is_local(urljoin(base + path, value)):
                    host = urlsplit(value).hostname
                    problems.append(f"{path or '/'}: <{tag} {attribute}={value!r}> ({host})")
    _fail_listing(problems, "resources on other hosts", built_site)


def test_every_page_works_under_its_own_content_security_policy(
    built_site: BuiltSite, new_context: Any, site_server: str
) -> None:
    base = site_server
    page = new_context(bypass_csp=False).new_page()
    refused: list[str] = []
    page.on(
        "console",
        lambda message: (
            refused.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    problems = []
    for html in built_site.pages:
        path = built_site.url_path(html)
        refused.clear()
        page.goto(base + path)
        page.evaluate("() => document.fonts.ready")
        policy = page.locator('meta[http-equiv="Content-Security-Policy"]')
        content = policy.get_attribute("content") if policy.count() == 1 else None
        if content is None or "default-src 'none'" not in content:
            problems.append(f"{path or '/'}: no default-src 'none' policy: {content!r}")
        styled = page.evaluate(
            """() => getComputedStyle(document.documentElement).fontFamily.startsWith(
                '"Seloste Noto Sans"') && document.fonts.check('16px "Seloste Noto Sans"')"""
        )
        if not styled:
            problems.append(f"{path or '/'}: the stylesheet or its font did not load")
        problems += [f"{path or '/'}: {text}" for text in refused]
    _fail_listing(problems, "Content Security Policy problems", built_site)


@pytest.mark.parametrize("viewport", [NARROW, {"width": 1366, "height": 768}], ids=["360", "1366"])
def test_every_cookie_table_column_is_visible_without_scrolling(
    built_site: BuiltSite, page: Page, site_server: str, viewport: dict[str, int]
) -> None:
    base = site_server
    page.set_viewport_size(viewport)
    problems = []
    checked = 0
    for html in built_site.pages:
        if 'class="cookie-table"' not in html.read_text("utf-8"):
            continue
        path = built_site.url_path(html)
        page.goto(base + path)
        found = page.evaluate(
            """() => [...document.querySelectorAll('.table-region')].map(region => {
                const box = region.getBoundingClientRect();
                const cells = [...region.querySelectorAll('tbody th, tbody td')];
                const hidden = cells.filter(cell => {
                    const r = cell.getBoundingClientRect();
                    return r.width < 1 || r.height < 1 || r.left < box.left - 0.5
                        || r.right > box.right + 0.5 || r.right > innerWidth;
                }).map(cell => cell.dataset.label + ': ' + cell.textContent.trim().slice(0, 30));
                const labels = cells.map(cell => cell.dataset.label);
                return {scrolls: region.scrollWidth > region.clientWidth + 0.5, hidden,
                        columns: region.querySelectorAll('thead th').length,
                        cells: cells.length, rows: region.querySelectorAll('tbody tr').length,
                        labelled: labels.every(Boolean)};
            })"""
        )
        for table in found:
            checked += 1
            if table["scrolls"]:
                problems.append(f"{path}: the cookie table scrolls sideways")
            if table["hidden"]:
                problems.append(f"{path}: cells outside the visible table: {table['hidden'][:4]}")
            if table["cells"] != table["columns"] * table["rows"] or not table["labelled"]:
                problems.append(f"{path}: a row lacks a cell or a cell its column's name")
    assert checked, "no page with a cookie table was checked"
    _fail_listing(problems, f"Cookie table problems at {viewport['width']} px", built_site)


_LOAD_ICONS = """async () => {
    const violations = [];
    document.addEventListener(
        "securitypolicyviolation", (event) => violations.push(event.blockedURI)
    );
    const loaded = [];
    for (const link of document.querySelectorAll("link[rel=icon]")) {
        const image = new Image();
        const done = new Promise((resolve) => {
            image.onload = () => resolve(true);
            image.onerror = () => resolve(false);
        });
        // A query of its own: under the guard's routing, an image that joins the browser's own
        // icon request for the same URL fails in Chromium; the CSP check ignores the query.
        const url = new URL(link.href);
        url.searchParams.set("check", "1");
        image.src = url.href;
        loaded.push([link.getAttribute("href"), await done]);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
    return {loaded, violations};
}"""


def test_every_page_loads_its_own_icon_under_its_csp(
    built_site: BuiltSite, page: Page, site_server: str
) -> None:
    # The page's CSP (a <meta>) governs images: the icon must load from the site itself, and
    # the request guard of `page` fails the test on any request to another host.
    problems = []
    for html in built_site.pages:
        path = built_site.url_path(html)
        page.goto(site_server + path)
        result = page.evaluate(_LOAD_ICONS)
        hrefs = [href for href, _ in result["loaded"]]
        failed = [href for href, ok in result["loaded"] if not ok]
        if len(hrefs) != 2 or failed or result["violations"]:
            problems.append(f"{path or '/'}: icons {hrefs}, not loaded {failed}, "
                            f"refused by CSP {result['violations']}")  # fmt: skip
    _fail_listing(problems, "the site's icon missing or refused", built_site)
