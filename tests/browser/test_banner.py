"""The cookie banner at work in Chromium, on the built site's Cookie settings page.

The page gates an example script by category (`type="text/plain" data-category="analytics"`).
Here that script is replaced by a local stand-in that sets the Google Analytics cookies `_ga` and
`_ga_<id>`, so the tests see exactly what a real analytics script would leave behind: nothing
before consent, cookies after accepting, none after refusing or withdrawing.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml
from playwright.sync_api import BrowserContext, Page, Route

from notice import banner
from notice.build import build_site
from notice.loader import load_content
from tests.browser.axe import assert_no_violations, run_axe
from tests.browser.fixtures import ContextFactory, StaticServer
from tests.browser.sites import SITE_SOURCES, BuiltSite

pytestmark = pytest.mark.browser

EXAMPLE_SCRIPT = "**/static/js/consent-example.js"
SESSION_COOKIE = "_ga_STANDIN1"
"""Session cookie of the stand-in when the site names no measurement id."""

BANNER = "#cc-main .cm"
PREFERENCES = "#cc-main .pm"

_ACTIVE = """() => {
    const el = document.activeElement;
    return {
        inBanner: Boolean(el && el.closest('#cc-main .cm')),
        inPreferences: Boolean(el && el.closest('#cc-main .pm')),
        role: el ? el.getAttribute('data-role') : null,
        cc: el ? el.getAttribute('data-cc') : null,
        value: el ? el.getAttribute('value') : null,
        tag: el ? el.tagName.toLowerCase() : null,
    };
}"""


def session_cookie(site: BuiltSite) -> str:
    """Return the GA4 session cookie the stand-in sets: named after the site's measurement id."""
    analytics = load_content(SITE_SOURCES[site.name]).site.analytics
    if analytics and analytics.measurement_id:
        return "_ga_" + analytics.measurement_id.removeprefix("G-")
    return SESSION_COOKIE


def stand_in(name: str) -> str:
    """Return a script that sets the two GA4 cookies, as gtag.js does, and counts its runs."""
    return (
        'document.cookie = "_ga=GA1.1.123456789.1700000000; max-age=34560000; path=/";\n'
        f'document.cookie = "{name}=GS1.1.1700000000.1.0; max-age=34560000; path=/";\n'
        "window.standInRuns = (window.standInRuns || 0) + 1;\n"
    )


class SettingsPage:
    """The Cookie settings page of a built site, with the stand-in in place of the example."""

    def __init__(self, page: Page, base: str, site: BuiltSite, lang: str = "en") -> None:
        self.page, self.base, self.lang = page, base, lang
        self.session = session_cookie(site)
        self.requests: list[str] = []

        def fulfil(route: Route) -> None:
            self.requests.append(route.request.url)
            route.fulfill(body=stand_in(self.session), content_type="text/javascript")

        page.route(EXAMPLE_SCRIPT, fulfil)

    def open(self) -> None:
        """Open the page of a visitor who has not chosen yet: the banner shows."""
        self.page.goto(f"{self.base}{self.lang}/cookie-settings/")
        self.page.locator(BANNER).wait_for(state="visible")

    def ga_cookies(self) -> set[str]:
        return {c["name"] for c in self.page.context.cookies() if c["name"].startswith("_ga")}

    def status(self) -> str:
        return self.page.locator("[data-consent-category='analytics']").inner_text()

    def wait_for_stand_in(self) -> None:
        self.page.wait_for_function("() => window.standInRuns === 1")


def consent_cookie_value(context: BrowserContext, name: str) -> str | None:
    return next((c["value"] for c in context.cookies() if c["name"] == name), None)


def test_nothing_before_consent_and_accepting_runs_the_gated_script(
    built_site: BuiltSite, page: Page, static_server: StaticServer
) -> None:
    settings = SettingsPage(page, static_server(built_site.root), built_site)
    settings.open()
    assert settings.ga_cookies() == set()
    assert settings.requests == []
    assert settings.status() == "Not allowed"
    site = load_content(SITE_SOURCES[built_site.name]).site
    assert consent_cookie_value(page.context, banner.consent_cookie_name(site)) is None

    page.locator(f"{BANNER} [data-role='all']").click()
    settings.wait_for_stand_in()
    assert settings.ga_cookies() == {"_ga", settings.session}
    assert len(settings.requests) == 1
    assert page.locator(BANNER).is_hidden()
    assert settings.status() == "Allowed"
    assert consent_cookie_value(page.context, banner.consent_cookie_name(site))
    if banner.uses_google_analytics(site):
        consent = page.evaluate(
            "() => window.dataLayer.filter(a => a[0] === 'consent')"
            ".map(a => [a[1], a[2].analytics_storage])"
        )
        assert consent == [["default", "denied"], ["update", "granted"]]

    # On the next page load the choice holds: no banner, the gated script runs again.
    page.reload()
    settings.wait_for_stand_in()
    assert page.locator(BANNER).count() == 0 or page.locator(BANNER).is_hidden()


def test_rejecting_clears_analytics_cookies_and_never_runs_the_script(
    built_site: BuiltSite, page: Page, static_server: StaticServer
) -> None:
    base = static_server(built_site.root)
    settings = SettingsPage(page, base, built_site, lang="fi")
    # Cookies left by an earlier analytics script (say, before the banner was installed).
    host = base.split("//")[1].split(":")[0]
    page.context.add_cookies(
        [
            {"name": name, "value": "GA1.1.1.1", "domain": host, "path": "/"}
            for name in ("_ga", settings.session)
        ]
    )
    settings.open()
    page.locator(f"{BANNER} [data-role='necessary']").click()
    page.wait_for_function("() => !document.cookie.includes('_ga')")
    assert settings.ga_cookies() == set()
    page.reload()
    page.wait_for_load_state("load")
    assert settings.requests == []
    assert settings.status() == "Ei sallittu"


def test_withdrawing_consent_later_clears_the_cookies(
    built_site: BuiltSite, page: Page, static_server: StaticServer
) -> None:
    settings = SettingsPage(page, static_server(built_site.root), built_site)
    settings.open()
    page.locator(f"{BANNER} [data-role='all']").click()
    settings.wait_for_stand_in()
    assert settings.ga_cookies() == {"_ga", settings.session}

    page.get_by_role("button", name="Change your cookie settings").click()
    page.locator(PREFERENCES).wait_for(state="visible")
    page.locator(f"{PREFERENCES} [data-role='necessary']").click()
    page.wait_for_function("() => !document.cookie.includes('_ga')")
    assert settings.ga_cookies() == set()
    assert settings.status() == "Not allowed"


def _tab_to(page: Page, want: dict[str, str | bool], limit: int = 40) -> None:
    """Press Tab until the focused element matches `want`; fail after `limit` presses."""
    seen = []
    for _ in range(limit):
        active = page.evaluate(_ACTIVE)
        if all(active.get(key) == value for key, value in want.items()):
            return
        seen.append(active)
        page.keyboard.press("Tab")
    pytest.fail(f"Tab never reached {want}; focus went through {seen}", pytrace=False)


def test_the_banner_works_with_the_keyboard_alone(
    built_site: BuiltSite, page: Page, static_server: StaticServer
) -> None:
    settings = SettingsPage(page, static_server(built_site.root), built_site)
    settings.open()
    # The banner is a dialog: focus moves into it, and Tab stays in it.
    page.wait_for_function("() => Boolean(document.activeElement.closest('#cc-main .cm'))")
    for _ in range(6):
        page.keyboard.press("Tab")
        assert page.evaluate(_ACTIVE)["inBanner"]
    _tab_to(page, {"inBanner": True, "role": "necessary"})
    page.keyboard.press("Enter")
    page.locator(BANNER).wait_for(state="hidden")
    assert settings.requests == []

    # Later: reach the page's settings button, turn analytics on and save, keys only.
    _tab_to(page, {"cc": "show-preferencesModal"})
    page.keyboard.press("Enter")
    page.locator(PREFERENCES).wait_for(state="visible")
    page.wait_for_function("() => Boolean(document.activeElement.closest('#cc-main .pm'))")
    _tab_to(page, {"inPreferences": True, "tag": "input", "value": "analytics"})
    page.keyboard.press("Space")
    _tab_to(page, {"inPreferences": True, "role": "save"})
    page.keyboard.press("Enter")
    settings.wait_for_stand_in()
    assert settings.ga_cookies() == {"_ga", settings.session}
    assert page.locator(PREFERENCES).is_hidden()

    # Escape closes the preferences without changing anything.
    _tab_to(page, {"cc": "show-preferencesModal"})
    page.keyboard.press("Enter")
    page.locator(PREFERENCES).wait_for(state="visible")
    page.keyboard.press("Escape")
    page.locator(PREFERENCES).wait_for(state="hidden")
    assert settings.status() == "Allowed"


def test_axe_finds_nothing_on_the_banner_or_its_preferences(
    built_site: BuiltSite, page: Page, static_server: StaticServer
) -> None:
    settings = SettingsPage(page, static_server(built_site.root), built_site, lang="fi")
    settings.open()
    assert_no_violations(run_axe(page), "banner")
    page.locator(f"{BANNER} [data-role='show']").click()
    page.locator(PREFERENCES).wait_for(state="visible")
    assert_no_violations(run_axe(page), "preferences")


def test_a_changed_cookie_notice_asks_again(
    tmp_path: Path, new_context: ContextFactory, static_server: StaticServer
) -> None:
    content = tmp_path / "content"
    shutil.copytree(SITE_SOURCES["small"], content)
    sites = {}
    for name in ("before", "after"):
        sites[name] = tmp_path / name
        build_site(content, sites[name], pdf=False, jobs=1)
        site_yaml = content / "site.yaml"
        data = yaml.safe_load(site_yaml.read_text(encoding="utf-8"))
        data["cookies"][1]["duration"] = {"fi": "13 kuukautta", "en": "13 months"}
        site_yaml.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    # Both sites on 127.0.0.1: cookies do not depend on the port, so they share the choice.
    page = new_context().new_page()
    page.goto(static_server(sites["before"]) + "en/cookie-settings/")
    page.locator(f"{BANNER} [data-role='necessary']").click()
    page.locator(BANNER).wait_for(state="hidden")
    page.reload()
    page.wait_for_load_state("load")
    assert page.locator(BANNER).count() == 0
    page.goto(static_server(sites["after"]) + "en/cookie-settings/")
    page.locator(BANNER).wait_for(state="visible")
    assert "changed since you last chose" in page.locator(BANNER).inner_text()


STRICT_CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'none'"
)


def test_the_banner_runs_under_a_csp_without_inline_script_or_style(
    built_site: BuiltSite, new_context: ContextFactory, static_server: StaticServer
) -> None:
    # The one host the banner may reach: the site's own portal, where it posts consent records.
    endpoint = banner.record_endpoint(load_content(SITE_SOURCES[built_site.name]).site)
    portal = " " + "://".join(urlsplit(endpoint)[:2]) if endpoint else ""
    csp = STRICT_CSP.replace("connect-src 'self'", f"connect-src 'self'{portal}")
    base = static_server(built_site.root, {"Content-Security-Policy": csp})
    page = new_context(bypass_csp=False).new_page()
    violations: list[str] = []
    page.on("console", lambda message: violations.append(message.text))
    page.add_init_script(
        "document.addEventListener('securitypolicyviolation', e =>"
        " console.log('CSP ' + e.violatedDirective + ' ' + e.blockedURI));"
    )
    settings = SettingsPage(page, base, built_site)
    settings.open()
    page.locator(f"{BANNER} [data-role='all']").click()
    settings.wait_for_stand_in()
    page.get_by_role("button", name="Change your cookie settings").click()
    page.locator(PREFERENCES).wait_for(state="visible")
    assert [text for text in violations if "CSP" in text or "Refused" in text] == []
