"""The receipt check page and the letters in Chromium: accessible, valid, usable, staying home."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from playwright.sync_api import BrowserContext, Page

from notice.loader import load_content
from portal.core import seal
from portal.core.letters import KINDS, render_html
from portal.core.models import RecipientNotification
from tests.browser.axe import assert_no_violations, run_axe
from tests.browser.fixtures import Served
from tests.browser.vnu import assert_valid_html, run_vnu
from tests.portal.support.requests import new_request

pytestmark = pytest.mark.browser

LANGUAGES = ("fi", "en", "sv")


@pytest.fixture
def served_settings() -> dict[str, Any]:
    """Nothing here sends mail: keep it in the queue."""
    return {"MAIL_SEND_INLINE": False}


def receipt_text(app: Flask, **changes: Any) -> str:
    request = new_request()
    seal.seal_request(request, seal.app_key(app))
    document = seal.receipt(request)
    document.update(changes)
    return json.dumps(document, ensure_ascii=False, indent=2)


def check(page: Page, base: str, lang: str, text: str) -> str:
    """Paste `text` into the verify form, send it, and return the result's data-outcome."""
    open_page(page, f"{base}/requests/{lang}/verify")
    page.fill("textarea[name=receipt_text]", text)
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")
    return page.locator("[data-outcome]").get_attribute("data-outcome") or ""


def open_page(page: Page, url: str) -> None:
    """Open `url` and let its fonts finish loading (a cut-off download warns on the server)."""
    page.goto(url)
    page.wait_for_load_state("networkidle")


def audited(page: Page, where: str) -> str:
    """Return the page's HTML as served (before axe is injected), then assert axe finds nothing."""
    html = page.content()
    assert_no_violations(run_axe(page), where)
    return html


@pytest.mark.parametrize("lang", LANGUAGES)
def test_verify_page_and_its_answers_are_accessible_and_valid(
    served: Served,
    page: Page,
    tmp_path: Path,
    lang: str,
) -> None:
    base, portal = served.base, served.app
    open_page(page, f"{base}/requests/{lang}/verify")
    documents = [audited(page, "verify form")]
    assert check(page, base, lang, receipt_text(portal)) == "authentic"
    documents.append(audited(page, "authentic answer"))
    assert check(page, base, lang, receipt_text(portal, due_on="2025-12-31")) == "invalid"
    documents.append(audited(page, "not authentic answer"))
    assert check(page, base, lang, "no receipt") == "not-receipt"
    documents.append(audited(page, "refused answer"))
    files = []
    for index, html in enumerate(documents):
        path = tmp_path / f"verify-{lang}-{index}.html"
        path.write_text(html, encoding="utf-8")
        files.append(path)
    assert_valid_html(run_vnu(files), tmp_path)


def test_a_receipt_file_is_checked_from_an_upload(
    served: Served, page: Page, tmp_path: Path
) -> None:
    base, portal = served.base, served.app
    authentic = tmp_path / "receipt-R7KQ2M9XW4HT.json"
    authentic.write_text(receipt_text(portal), encoding="utf-8")
    forged = tmp_path / "receipt-forged.json"
    forged.write_text(receipt_text(portal, reference="R7KQ2M9XW4HU"), encoding="utf-8")
    for path, expected in ((authentic, "authentic"), (forged, "invalid")):
        open_page(page, f"{base}/requests/en/verify")
        page.set_input_files("input[name=receipt_file]", str(path))
        page.click("button[type=submit]")
        page.wait_for_load_state("networkidle")
        assert page.locator("[data-outcome]").get_attribute("data-outcome") == expected


def test_verify_page_works_under_its_own_csp(
    served: Served, new_context: Callable[..., BrowserContext]
) -> None:
    base, portal = served.base, served.app
    page = new_context(bypass_csp=False).new_page()
    problems: list[str] = []
    page.on("console", lambda message: problems.append(message.text))
    open_page(page, f"{base}/requests/fi/verify")
    assert check(page, base, "fi", receipt_text(portal)) == "authentic"
    assert page.evaluate("getComputedStyle(document.body).fontFamily")
    assert problems == []


def test_letters_are_accessible_and_valid_html(
    repo_root: Path, page: Page, static_server: Callable[..., str], tmp_path: Path
) -> None:
    content = load_content(repo_root / "content")
    folder = tmp_path / "letters"
    folder.mkdir()
    # The stored HTML links /static/css/letters.css, as the portal serves it.
    (folder / "static").symlink_to(repo_root / "static", target_is_directory=True)
    files = []
    for lang in LANGUAGES:
        for kind in KINDS:
            request = new_request(
                language=lang,
                right="erasure" if kind in {"decision", "art19"} else "access",
                extended_due_on=dt.date(2025, 4, 28),
                extension_reason="Paljon pyyntöjä.",
                decision="granted" if kind == "art19" else "refused",
                decided_at=dt.datetime(2025, 2, 20, 9, 0, tzinfo=dt.UTC),
                decision_reasons="Kirjanpitolaki.\n\nToinen kappale.",
            )
            request.notifications = [RecipientNotification(recipient="Posti Oy", outcome="done")]
            seal.seal_request(request, seal.load_or_create_key(tmp_path / "key"))
            context = {"message": "Kerro osoitteesi.", "reason": "identity"}
            resumed = {"paused_days": 5, "new_due_on": dt.date(2025, 3, 5)}
            informed = {
                "outcomes": [
                    ("Posti Oy", "done", None),
                    ("Perintä Oy", "impossible", "Lopettanut."),
                ]
            }
            html = render_html(
                kind,
                request,
                lang,
                content=content,
                verify_url=f"https://portal.example/requests/{lang}/verify",
                **(context if kind == "info_request" else {}),
                **(informed if kind == "art19" else {}),
                **(resumed if kind == "pause_ended" else {}),
            )
            path = folder / f"{kind}-{lang}.html"
            path.write_text(html, encoding="utf-8")
            files.append(path)
    base = static_server(folder)
    for path in files:
        open_page(page, f"{base}/{path.name}")
        font = page.evaluate("getComputedStyle(document.body).fontFamily")
        assert font.startswith('"Seloste Noto Sans"'), font
        assert_no_violations(run_axe(page), path.name)
    assert_valid_html(run_vnu(files), folder)
