"""Every staff page in Finnish and Swedish: no English left, no raw codes, no machine details.

A visible text node that equals an English message id whose translation in the page's language
differs is untranslated; so is an event code (`letter.viewed`) or a `key=value` detail.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from bs4 import BeautifulSoup
from bs4.element import Comment, NavigableString
from flask import Flask

from portal import catalogs
from tests.portal.support.mailserver import SmtpServer
from tests.portal.support.staff import STAFF, StaffActions
from tests.portal.support.web import confirm_from_mail, https_client, submit_request

RAW_CODE = re.compile(r"^[a-z_]+\.[a-z_]+$")
RAW_DETAIL = re.compile(r"\b[a-z_]+=\S")


def english_only(lang: str) -> set[str]:
    """Return the English msgids whose translation in `lang` reads differently."""
    catalog = catalogs.read_catalog(lang)
    return {
        message.id
        for message in catalog
        if isinstance(message.id, str) and message.id and message.string != message.id
    }


LABEL_TAGS = ["dt", "th", "label", "legend", "h2", "h3", "button", "summary"]


def translations(lang: str) -> set[str]:
    """Return every translated text of `lang`'s catalog."""
    return {m.string for m in catalogs.read_catalog(lang) if isinstance(m.string, str)}


def labels(html: str) -> set[str]:
    """Return the texts of the page's labels, headings and buttons."""
    soup = BeautifulSoup(html, "html.parser")
    return {
        " ".join(tag.get_text(" ").split())
        for tag in soup.find_all(LABEL_TAGS)
        if not (tag.name == "th" and tag.get("scope") == "row")  # a row's data: a name, a code
    }


def visible_texts(html: str) -> Iterator[str]:
    """Yield the page's visible text nodes, stripped (not code, scripts or comments)."""
    soup = BeautifulSoup(html, "html.parser")
    for node in soup.find_all(string=True):
        if isinstance(node, Comment) or not isinstance(node, NavigableString):
            continue
        if node.parent is not None and node.parent.name in {"script", "style", "code", "title"}:
            continue
        text = " ".join(node.split())
        if text:
            yield text


def staff_pages(app: Flask, staff: StaffActions, smtp_server: SmtpServer) -> dict[str, str]:
    """Visit every staff page with data on it; return path → path to fetch per language."""
    client = staff.client
    submit_request(client, "objection", "en", direct_marketing="y", grounds="Muutin.")
    confirmed = confirm_from_mail(client, smtp_server)
    submit_request(client, "rectification", "fi", email="toinen@example.fi")
    pages: dict[str, str] = {}
    admin = staff.create("hanna", role="admin")
    other = staff.create("ville")
    staff.login(admin)
    queue = client.get(f"{STAFF}/?status=all")
    reference = re.search(r"/staff/r/([^\"/]+)\"", queue.text)
    assert reference is not None
    detail = f"{STAFF}/r/{reference.group(1)}"
    assert staff.post_action(reference.group(1), "note", text="Soitettu.").status_code in {302, 303}
    letter = re.search(r"/requests/staff/r/[^\"]+/letters/\d+\.pdf", client.get(detail).text)
    if letter:
        assert client.get(letter.group(0)).status_code == 200
    del confirmed
    pages |= {
        "queue": f"{STAFF}/?status=all",
        "detail": detail,
        "accounts": f"{STAFF}/accounts",
        "letters to post": f"{STAFF}/letters",
    }
    pages["other"] = f"{STAFF}/accounts/{other.id}"
    return pages


@pytest.mark.parametrize("lang", ["fi", "sv"])
def test_every_staff_page_is_translated(
    app: Flask, staff: StaffActions, smtp_server: SmtpServer, lang: str
) -> None:
    pages = staff_pages(app, staff, smtp_server)
    untranslated = english_only(lang)
    found: dict[str, list[str]] = {}
    signed_out = https_client(app).get(f"{STAFF}/login?lang={lang}")
    bad_login = [t for t in visible_texts(signed_out.text) if t in untranslated]
    if bad_login:
        found["login"] = bad_login
    for name, path in pages.items():
        if name == "other":
            continue
        response = staff.client.get(f"{path}{'&' if '?' in path else '?'}lang={lang}")
        assert response.status_code == 200, (name, response.status_code)
        bad = [
            text
            for text in visible_texts(response.text)
            if text in untranslated or RAW_CODE.match(text) or RAW_DETAIL.search(text)
        ]
        english = staff.client.get(f"{path}{'&' if '?' in path else '?'}lang=en").text
        # A label left in English is the same in both pages and no translation of `lang`.
        bad += sorted(
            text
            for text in labels(response.text) & labels(english)
            if re.search(r"[^\W\d_]{3}", text) and text not in translations(lang)
        )
        if bad:
            found[name] = bad
    token = staff.token(f"{STAFF}/accounts?lang={lang}")
    reset = staff.client.post(f"{pages['other']}/reset?lang={lang}", data={"csrf_token": token})
    if reset.status_code == 200:
        bad = [t for t in visible_texts(reset.text) if t in untranslated]
        if bad:
            found["one_time"] = bad
    assert found == {}, "\n".join(f"{page}: {texts}" for page, texts in found.items())
