"""Consent records in Chromium: the demo's site posts each choice to the demo's portal.

The site is the default content built as `make run` builds it (portal.demo: its URLs pointed at
this machine), served by the portal itself, so the banner posts same-origin to
`/requests/consent`. Every test reads back what the portal stored.
"""

from __future__ import annotations

import json
import secrets
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from playwright.sync_api import BrowserContext, Page
from sqlalchemy import select

from notice.build import build_site
from portal import create_app
from portal.core import consent, consent_receipt, seal
from portal.core.models import ConsentRecord, ConsentRefusalCount
from portal.db import upgrade
from portal.demo import demo_content
from portal.dev_server import make_dev_server
from tests.browser.axe import assert_no_violations, run_axe
from tests.browser.fixtures import ContextFactory

pytestmark = pytest.mark.browser

BANNER = "#cc-main .cm"
PREFERENCES = "#cc-main .pm"
GPC_ON = "Object.defineProperty(Navigator.prototype, 'globalPrivacyControl', {get: () => true});"


class Demo:
    """The demo's portal serving the demo's site, on a free loopback port."""

    def __init__(self, app: Flask, base: str, content: Path) -> None:
        self.app, self.base, self.content = app, base, content

    def records(self) -> list[ConsentRecord]:
        with self.app.extensions["db_sessionmaker"]() as session:
            return list(session.scalars(select(ConsentRecord).order_by(ConsentRecord.id)))

    def refusals(self) -> dict[str, int]:
        with self.app.extensions["db_sessionmaker"]() as session:
            rows = session.scalars(select(ConsentRefusalCount)).all()
            counts: dict[str, int] = {}
            for row in rows:  # one row per day, notice, language and source
                counts[row.source] = counts.get(row.source, 0) + row.count
            return counts

    def settings(self, lang: str = "en") -> str:
        return f"{self.base}/{lang}/cookie-settings/"


@pytest.fixture(scope="module")
def demo(repo_root: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Demo]:
    tmp = tmp_path_factory.mktemp("consent-demo")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    base = f"http://127.0.0.1:{port}"
    content = demo_content(repo_root / "content", tmp, base)
    build_site(content, tmp / "site", pdf=False)
    url = f"sqlite:///{tmp / 'portal.sqlite3'}"
    upgrade(url)
    app = create_app(
        {
            "SECRET_KEY": secrets.token_hex(16),
            "INSTANCE_PATH": str(tmp / "instance"),
            "DATABASE_URL": url,
            "CONTENT_DIR": str(content),
            "SITE_DIR": str(tmp / "site"),
            "PUBLIC_URL": base,
            "SECURE_COOKIES": False,
            "MAIL_SEND_INLINE": False,
        }
    )
    server = make_dev_server("127.0.0.1", port, app)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield Demo(app, base, content)
    finally:
        server.shutdown()
        thread.join(timeout=10)
        server.server_close()
        app.extensions["db_engine"].dispose()


def _is_post(response: Any) -> bool:
    return response.url.endswith("/requests/consent") and response.request.method == "POST"


def choose(page: Page, selector: str) -> int:
    """Click a banner button and return the HTTP status of the record it posted.

    The body is not read through Playwright: the banner posts with `keepalive`, whose response
    body Chromium does not hand to the automation protocol; what was stored is read back."""
    with page.expect_response(_is_post) as answer:
        page.locator(selector).click()
    return answer.value.status


def open_banner(page: Page, url: str) -> None:
    page.goto(url)
    page.locator(BANNER).wait_for(state="visible")


def test_accepting_posts_one_record_with_the_categories_and_revision(
    demo: Demo, page: Page
) -> None:
    before = len(demo.records())
    open_banner(page, demo.settings())
    assert choose(page, f"{BANNER} [data-role='all']") == 201
    records = demo.records()
    assert len(records) == before + 1
    record = records[-1]
    assert record.source == "banner"
    assert json.loads(record.choice)["accepted"] == ["analytics", "necessary"]
    with demo.app.app_context():
        from portal.core import content

        notice = consent.current_notice(content.content().site)
    assert (record.revision, record.notice_hash, record.lang) == (
        notice.revision,
        notice.hash,
        "en",
    )
    cookie_id = page.evaluate("() => window.CookieConsent.getCookie('consentId')")
    assert record.consent_id == cookie_id


def test_rejecting_is_counted_without_identifier_and_not_asked_again(
    demo: Demo, page: Page
) -> None:
    before_records, before = len(demo.records()), demo.refusals().get("banner", 0)
    open_banner(page, demo.settings("fi"))
    assert choose(page, f"{BANNER} [data-role='necessary']") == 202
    assert len(demo.records()) == before_records
    assert demo.refusals()["banner"] == before + 1
    page.reload()
    page.wait_for_function("() => window.CookieConsent && window.CookieConsent.validConsent()")
    assert page.locator(BANNER).count() == 0 or page.locator(BANNER).is_hidden()
    days = page.evaluate(
        "() => window.CookieConsent.getConfig('cookie').expiresAfterDays('necessary')"
    )
    assert days == 182


def test_changing_and_withdrawing_post_one_record_each(demo: Demo, page: Page) -> None:
    open_banner(page, demo.settings())
    choose(page, f"{BANNER} [data-role='all']")
    consent_id = page.evaluate("() => window.CookieConsent.getCookie('consentId')")
    page.locator("main [data-cc='show-preferencesModal']").click()
    page.locator(PREFERENCES).wait_for(state="visible")
    assert choose(page, f"{PREFERENCES} [data-role='necessary']") == 201
    mine = [r for r in demo.records() if r.consent_id == consent_id]
    assert [(r.kind, r.source) for r in mine] == [("first", "banner"), ("change", "settings")]
    assert json.loads(mine[1].choice)["accepted"] == ["necessary"]
    assert json.loads(mine[1].choice)["refused"] == ["analytics"]


RAN = {
    "fi": "Suostumuksesi ryhmään ”Analytiikka” on voimassa: sitä edellyttävät skriptit toimivat "
    "sivuillamme.",
    "sv": "Ditt samtycke till kategorin ”Analys” gäller: skript som kräver det körs på våra sidor.",
    "en": "Your consent to “Analytics” is in effect: scripts that need it run on our pages.",
}
WITHDRAWN = {
    "fi": "Peruit suostumuksesi ryhmään ”Analytiikka”. Sivun seuraavasta latauksesta alkaen mikään "
    "sitä edellyttävä skripti ei toimi.",
    "sv": "Du återkallade ditt samtycke till kategorin ”Analys”. Från och med nästa sidladdning "
    "körs inga skript som kräver det.",
    "en": "You withdrew your consent to “Analytics”. From the next page load on, no script that "
    "needs it runs.",
}
CONSENT_ID = {
    "fi": "Suostumuksesi tunniste (mainitse se, kun kysyt meiltä suostumuksestasi):",
    "sv": "Ditt samtyckes identifierare (uppge den när du frågar oss om ditt samtycke):",
    "en": "Your consent id (quote it when you ask us about your consent):",
}


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_withdrawing_in_the_same_view_says_the_example_ran_before_and_the_id_is_shown(
    demo: Demo, page: Page, lang: str
) -> None:
    open_banner(page, demo.settings(lang))
    assert page.locator("[data-consent-id]").is_hidden()  # no record, no id
    choose(page, f"{BANNER} [data-role='all']")
    example = page.locator("#consent-example-analytics")
    example.wait_for(state="visible")
    assert example.inner_text() == RAN[lang]
    shown = page.locator("[data-consent-id]")
    shown.wait_for(state="visible")
    consent_id = page.evaluate("() => window.CookieConsent.getCookie('consentId')")
    assert shown.inner_text() == f"{CONSENT_ID[lang]} {consent_id}"
    assert [r.consent_id for r in demo.records()].count(consent_id) == 1
    page.locator("main [data-cc='show-preferencesModal']").click()
    page.locator(PREFERENCES).wait_for(state="visible")
    choose(page, f"{PREFERENCES} [data-role='necessary']")
    assert example.inner_text() == WITHDRAWN[lang]
    page.reload()
    page.wait_for_function("() => window.CookieConsent && window.CookieConsent.validConsent()")
    assert example.is_hidden()  # the next page load runs no example script


NO_RECEIPT_YET = {
    "fi": "Suostumuksestasi ei ole vielä kuittausta. Kun hyväksyt evästeitä ja valintasi on "
    "kirjattu, tähän tulee linkki, josta voit ladata kuittauksen.",
    "sv": "Det finns ännu inget kvitto på ditt samtycke. När du godkänner kakor och ditt val har "
    "registrerats visas här en länk där du kan ladda ner kvittot.",
    "en": "There is no receipt of your consent yet. When you accept cookies and your choice has "
    "been recorded, a link to download its receipt appears here.",
}
DOWNLOAD = {
    "fi": "Lataa suostumuksesi kuittaus",
    "sv": "Ladda ner kvittot på ditt samtycke",
    "en": "Download the receipt of your consent",
}


def _receipt_shown(page: Page) -> tuple[str, str | None]:
    """Return the visible text of the receipt box and the address of its link (None: no link)."""
    box = page.locator("#consent-receipt")
    return box.inner_text().strip(), page.locator(
        "#consent-receipt a[data-receipt-link]"
    ).get_attribute("href")


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_before_a_recorded_consent_there_is_no_receipt_link(
    demo: Demo, page: Page, lang: str
) -> None:
    # Before any choice, and after refusing (counted, not recorded), the box says there is no
    # receipt yet and its link has no address: it never leads to the receipt base, a 404.
    open_banner(page, demo.settings(lang))
    page.wait_for_function("() => window.CookieConsent")
    assert _receipt_shown(page) == (NO_RECEIPT_YET[lang], None)
    choose(page, f"{BANNER} [data-role='necessary']")
    page.reload()
    page.wait_for_function("() => window.CookieConsent && window.CookieConsent.validConsent()")
    assert _receipt_shown(page) == (NO_RECEIPT_YET[lang], None)
    assert page.locator("#consent-receipt a[data-receipt-link]").is_hidden()
    base = page.locator("#consent-receipt").get_attribute("data-receipt-base")
    hrefs = page.eval_on_selector_all("a[href]", "links => links.map(a => a.href)")
    assert base not in hrefs


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_the_receipt_link_appears_once_the_consent_is_recorded(
    demo: Demo, page: Page, lang: str
) -> None:
    open_banner(page, demo.settings(lang))
    choose(page, f"{BANNER} [data-role='all']")
    link = page.locator("#consent-receipt a[data-receipt-link]")
    link.wait_for(state="visible")
    text, href = _receipt_shown(page)
    assert text.startswith(DOWNLOAD[lang] + " (") and NO_RECEIPT_YET[lang] not in text
    consent_id = page.evaluate("() => window.CookieConsent.getCookie('consentId')")
    assert href is not None and href.endswith(f"/consent/receipt/{consent_id}.json")
    response = page.request.get(href)
    assert response.status == 200
    assert response.json()["record_id"]


def test_the_receipt_downloads_and_verifies(demo: Demo, page: Page) -> None:
    open_banner(page, demo.settings("sv"))
    choose(page, f"{BANNER} [data-role='all']")
    link = page.locator("#consent-receipt a[data-receipt-link]")
    link.wait_for(state="visible")
    assert link.inner_text() == DOWNLOAD["sv"]
    with page.expect_download() as download:
        link.click()
    document = json.loads(Path(download.value.path()).read_text(encoding="utf-8"))
    assert consent_receipt.verify_receipt(document, seal.app_key(demo.app).public_pem()).ok
    page.goto(f"{demo.base}/requests/sv/verify")
    page.locator("textarea").fill(json.dumps(document))
    page.locator("main form button[type='submit'], main form input[type='submit']").last.click()
    result = page.locator(".verify-result")
    assert result.get_attribute("data-outcome") == "authentic"
    assert document["record_id"] in result.inner_text()
    assert_no_violations(run_axe(page))


def test_gpc_refuses_without_asking_and_no_analytics_runs(
    demo: Demo, new_context: ContextFactory
) -> None:
    context: BrowserContext = new_context()
    context.add_init_script(GPC_ON)
    page = context.new_page()
    before = demo.refusals().get("gpc", 0)
    with page.expect_response(_is_post) as answer:
        page.goto(demo.settings("fi"))
    assert answer.value.status == 202
    assert demo.refusals()["gpc"] == before + 1
    assert page.locator(BANNER).count() == 0 or page.locator(BANNER).is_hidden()
    assert page.locator("#consent-example-analytics").is_hidden()
    assert not [c for c in context.cookies() if c["name"].startswith("_ga")]
    page.locator("main [data-cc='show-preferencesModal']").click()
    note = page.locator(f"{PREFERENCES} .pm__section").first
    note.wait_for(state="visible")
    assert "Selaimesi pyysi, ettei sinua seurata" in note.inner_text()
    assert_no_violations(run_axe(page))


def scanned_pages(base: str) -> list[str]:
    """The demo's pages `notice scan` visits: the cookie settings first (the page with the banner,
    where the scan accepts and rejects), then each language's notice pages and the portal's public
    pages, whose session and language cookies the notice must declare."""
    registers = {"fi": "asiakasrekisteri", "sv": "kundregister", "en": "customer-register"}
    pages = [f"{base}/fi/cookie-settings/", f"{base}/", f"{base}/requests/"]
    for lang, register in registers.items():
        pages += [
            f"{base}/{lang}/",
            f"{base}/{lang}/cookies/",
            f"{base}/{lang}/{register}/",
            f"{base}/requests/{lang}/",
            f"{base}/requests/{lang}/new/access",
            f"{base}/requests/{lang}/verify",
        ]
    pages += [f"{base}/sv/cookie-settings/", f"{base}/en/cookie-settings/"]
    return pages


def test_notice_scan_of_the_demo_finds_only_what_no_visitor_page_sets(
    demo: Demo, repo_root: Path
) -> None:
    """`notice scan` of the demo (the notice site and the portal, fi/sv/en, before consent,
    after accepting, after rejecting) finds no error: every cookie the pages store is declared,
    none but necessary ones before consent or after refusal, none outlives its declared duration,
    no other host is contacted. What it warns of is declared but set by no page a visitor opens:
    Google Analytics (the demo loads no Google tag) and the staff's device cookie (set on a staff
    sign-in). The scan's accepting posts one record; its rejecting is counted without one."""
    records, refusals = len(demo.records()), demo.refusals().get("banner", 0)
    command = [sys.executable, "-m", "notice.cli", "scan", "--content", str(demo.content)]
    result = subprocess.run(
        [*command, "--format", "json", *scanned_pages(demo.base)],
        capture_output=True,
        text=True,
        cwd=repo_root,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    report = json.loads(result.stdout)
    found = sorted((f["severity"], f["rule_id"], f["message"]["en"]) for f in report["findings"])
    unseen = "is declared but no scanned page stored it"
    assert found == [
        ("warning", "scan-not-seen", f"cookie __Host-seloste-staff-device {unseen}"),
        ("warning", "scan-not-seen", f"cookie _ga {unseen}"),
        ("warning", "scan-not-seen", f"cookie _ga_<container-id> {unseen}"),
    ]
    assert len(demo.records()) == records + 1
    assert json.loads(demo.records()[-1].choice)["accepted"] == ["analytics", "necessary"]
    assert demo.refusals()["banner"] == refusals + 1
