"""The built notice site served under `/`, and the demo's pieces (URLs, SMTP sink, mailbox)."""

from __future__ import annotations

import smtplib
from collections.abc import Callable
from email.message import EmailMessage
from pathlib import Path

import pytest
import yaml
from aiosmtpd.controller import Controller
from bs4 import BeautifulSoup
from flask import Flask

from portal.demo import Mailbox, demo_content, mailbox_blueprint
from tests.portal.support.mailserver import free_port
from tests.portal.support.web import https_client


@pytest.fixture
def site_dir(tmp_path: Path) -> Path:
    site = tmp_path / "site"
    (site / "fi").mkdir(parents=True)
    (site / "index.html").write_text("<p>root</p>", encoding="utf-8")
    (site / "fi" / "index.html").write_text("<p>suomeksi</p>", encoding="utf-8")
    (tmp_path / "secret.txt").write_text("not for the web", encoding="utf-8")
    return site


def test_site_is_served_under_root(make_app: Callable[..., Flask], site_dir: Path) -> None:
    client = https_client(make_app(SITE_DIR=str(site_dir)))
    root = client.get("/")
    assert root.status_code == 200 and root.text == "<p>root</p>"
    root.close()
    folder = client.get("/fi")
    assert folder.status_code == 308 and folder.headers["Location"] == "/fi/"
    page = client.get("/fi/")
    assert page.text == "<p>suomeksi</p>"
    assert page.headers["Content-Security-Policy"].startswith("default-src 'self'")
    assert "no-store" not in page.headers.get("Cache-Control", "")
    page.close()
    for bad in ["/../secret.txt", "/fi/../../secret.txt", "/missing.html"]:
        assert client.get(bad).status_code == 404
    assert client.get("/requests/fi/").status_code == 200  # the portal still answers


def test_the_receipt_key_is_served_as_a_pem_file(
    make_app: Callable[..., Flask], site_dir: Path
) -> None:
    pem = "-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEA\n-----END PUBLIC KEY-----\n"
    (site_dir / ".well-known" / "seloste").mkdir(parents=True)
    (site_dir / ".well-known" / "seloste" / "receipt-key.pem").write_text(pem, encoding="ascii")
    client = https_client(make_app(SITE_DIR=str(site_dir)))
    response = client.get("/.well-known/seloste/receipt-key.pem")
    assert response.status_code == 200 and response.text == pem
    assert response.headers["Content-Type"] == "application/x-pem-file"  # not a certificate chain
    response.close()


def test_an_unknown_address_of_the_site_gets_the_sites_own_404_page(
    make_app: Callable[..., Flask], site_dir: Path
) -> None:
    (site_dir / "404.html").write_text("<h1>Sivua ei löydy</h1>", encoding="utf-8")
    client = https_client(make_app(SITE_DIR=str(site_dir)))
    for missing in ["/missing.html", "/fi/ei-ole/", "/a/b/c.pdf"]:
        response = client.get(missing)
        assert (response.status_code, response.text) == (404, "<h1>Sivua ei löydy</h1>")
        response.close()
    # The portal's own addresses keep the portal's 404 page.
    response = client.get("/requests/no-such-page")
    assert response.status_code == 404 and response.text != "<h1>Sivua ei löydy</h1>"
    assert "Tässä osoitteessa ei ole sivua." in response.text  # the portal's own page
    response.close()
    page = client.get("/fi/")
    assert page.text == "<p>suomeksi</p>"
    page.close()


def test_the_portals_404_under_the_site_links_each_languages_start_page(
    make_app: Callable[..., Flask], site_dir: Path
) -> None:
    # The demo serves the site beside the portal: its catch-all route, not the portal, answers
    # /requests/sv/nope, and the portal's page said "svenska" under /sv/ with links to
    # /requests/sv/nope?lang=fi (a Finnish page under a Swedish address).
    client = https_client(make_app(SITE_DIR=str(site_dir)))
    response = client.get("/requests/sv/nope")
    assert response.status_code == 404
    page = BeautifulSoup(response.text, "html.parser")
    assert page.h1.get_text(strip=True) == "Sidan hittades inte"
    switch = [(a.get_text(), a["href"]) for a in page.select("nav.language-switch a")]
    assert switch == [
        ("suomi", "/requests/fi/"),
        ("svenska", "/requests/sv/"),
        ("English", "/requests/en/"),
    ]
    response.close()


def test_an_unknown_address_under_a_language_gets_that_languages_404_page(
    make_app: Callable[..., Flask], site_dir: Path
) -> None:
    (site_dir / "404.html").write_text("<h1>Sivua ei löydy</h1>", encoding="utf-8")
    (site_dir / "en").mkdir(exist_ok=True)
    (site_dir / "en" / "404.html").write_text("<h1>Page not found</h1>", encoding="utf-8")
    client = https_client(make_app(SITE_DIR=str(site_dir)))
    for missing, page in [
        ("/en/no-such-page/", "<h1>Page not found</h1>"),
        ("/en/a/b.pdf", "<h1>Page not found</h1>"),
        ("/sv/no-such-page/", "<h1>Sivua ei löydy</h1>"),  # no sv/404.html: the site's own
        ("/enx/no-such-page/", "<h1>Sivua ei löydy</h1>"),
    ]:
        response = client.get(missing)
        assert (response.status_code, response.text) == (404, page), missing
        response.close()


def test_no_site_without_site_dir(client) -> None:  # type: ignore[no-untyped-def]
    assert client.get("/").status_code == 404


def test_demo_content_points_the_site_at_this_machine(repo_root: Path, tmp_path: Path) -> None:
    copied = demo_content(repo_root / "content", tmp_path, base_url="http://127.0.0.1:9999")
    site = yaml.safe_load((copied / "site.yaml").read_text(encoding="utf-8"))
    assert site["base_url"] == "http://127.0.0.1:9999/"
    assert site["portal_url"] == "http://127.0.0.1:9999/requests/"
    assert sorted(p.name for p in (copied / "registers").iterdir()) == sorted(
        p.name for p in (repo_root / "content" / "registers").iterdir()
    )


def test_demo_mailbox_lists_what_the_sink_received(
    make_app: Callable[..., Flask], tmp_path: Path
) -> None:
    assert https_client(make_app()).get("/requests/dev/mail").status_code == 404  # demo only
    app = make_app()
    mailbox = Mailbox(tmp_path / "mail")
    app.register_blueprint(mailbox_blueprint(mailbox), url_prefix="/requests")
    controller = Controller(mailbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        message = EmailMessage()
        message["From"], message["To"], message["Subject"] = "a@example.fi", "b@example.fi", "Hei"
        message.set_content("Vahvista:\nhttps://portal.example/requests/fi/confirm/abc\n")
        with smtplib.SMTP(controller.hostname, controller.port) as smtp:
            smtp.send_message(message)
    finally:
        controller.stop()
    page = https_client(app).get("/requests/dev/mail")
    assert page.status_code == 200
    assert "<h2>Hei</h2>" in page.text
    assert '<a href="https://portal.example/requests/fi/confirm/abc">' in page.text
    assert (tmp_path / "mail" / "00001.eml").is_file()


def test_demo_mailbox_links_an_address_inside_a_line(
    make_app: Callable[..., Flask], tmp_path: Path
) -> None:
    # The receipt e-mail's "Signed receipt as JSON: https://…" line: linked as in the HTML part.
    app = make_app()
    mailbox = Mailbox(tmp_path / "mail")
    app.register_blueprint(mailbox_blueprint(mailbox), url_prefix="/requests")
    controller = Controller(mailbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    json_url = "https://portal.example/requests/en/status/abc/receipt.json"
    try:
        message = EmailMessage()
        message["From"], message["To"], message["Subject"] = "a@example.fi", "b@example.fi", "R"
        message.set_content(f"Signed receipt as JSON: {json_url}\nSee {json_url}.\n")
        with smtplib.SMTP(controller.hostname, controller.port) as smtp:
            smtp.send_message(message)
    finally:
        controller.stop()
    page = BeautifulSoup(https_client(app).get("/requests/dev/mail").text, "html.parser")
    shown = page.select_one("ol.mailbox pre")
    assert shown.get_text() == f"Signed receipt as JSON: {json_url}\nSee {json_url}.\n"
    assert [(a.get_text(), a["href"]) for a in shown.find_all("a")] == [(json_url, json_url)] * 2


MAILBOX_WORDS = {
    "fi": (
        "Esittelyn postilaatikko",
        "Portaalin paikalliselle SMTP-vastaanottimelle lähettämät sähköpostit, uusin ensin. "
        "Tämä sivu on vain esittelyssä (make run).",
        "Vastaanottaja: b@example.fi · 4. joulukuuta 2026 klo 14.05 Suomen aikaa",
        "Liitteet: kuittaus-ÄÖ.pdf, kuittaus.json, ohje.html",
        "Ei vielä sähköposteja.",
    ),
    "sv": (
        "Demons postlåda",
        "E-post som tjänsten för dataskyddsbegäranden har skickat till den lokala SMTP-mottagaren, "
        "nyaste först. Sidan "
        "finns bara i demon (make run).",
        "Till b@example.fi · 4 december 2026 kl. 14.05 finsk tid",
        "Bilagor: kuittaus-ÄÖ.pdf, kuittaus.json, ohje.html",
        "Ingen e-post ännu.",
    ),
    "en": (
        "Demo mailbox",
        "E-mail the portal sent to the local SMTP sink, newest first. This page exists only in "
        "the demo (make run).",
        "To b@example.fi · 4 December 2026 at 14:05 Finnish time",
        "Attachments: kuittaus-ÄÖ.pdf, kuittaus.json, ohje.html",
        "No e-mail yet.",
    ),
}


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_demo_mailbox_speaks_the_page_language_and_opens_attachments(
    make_app: Callable[..., Flask], tmp_path: Path, lang: str
) -> None:
    app = make_app()
    mailbox = Mailbox(tmp_path / "mail")
    app.register_blueprint(mailbox_blueprint(mailbox), url_prefix="/requests")
    client = https_client(app)
    heading, lead, sent, attached, empty = MAILBOX_WORDS[lang]
    blank = BeautifulSoup(client.get(f"/requests/dev/mail?lang={lang}").text, "html.parser")
    assert [p.get_text() for p in blank.main("p")] == [lead, empty]
    pdf = b"%PDF-1.7\n% a letter\n%%EOF\n"
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = "a@example.fi", "b@example.fi", "Kuittaus"
    message["Date"] = "Fri, 04 Dec 2026 12:05:00 +0000"
    message.set_content("Liitteenä kuittaus.\n")
    message.add_attachment(pdf, maintype="application", subtype="pdf", filename="kuittaus-ÄÖ.pdf")
    message.add_attachment(
        b'{"a": 1}', maintype="application", subtype="json", filename="kuittaus.json"
    )
    message.add_attachment("<p>x</p>", subtype="html", filename="ohje.html")
    controller = Controller(mailbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        with smtplib.SMTP(controller.hostname, controller.port) as smtp:
            smtp.send_message(message)
    finally:
        controller.stop()
    page = BeautifulSoup(client.get(f"/requests/dev/mail?lang={lang}").text, "html.parser")
    assert page.html["lang"] == lang
    assert page.title.get_text().startswith(heading + " – ")
    assert page.h1.get_text() == heading
    item = page.select_one("ol.mailbox li")
    assert [p.get_text() for p in page.main("p")] == [lead, sent, attached]
    links = {a.get_text(): a["href"] for a in item.find_all("a")}
    opened = client.get(links["kuittaus-ÄÖ.pdf"])
    assert (opened.status_code, opened.data) == (200, pdf)
    assert opened.headers["Content-Type"] == "application/pdf"
    assert opened.headers["Content-Disposition"] == (
        "inline; filename=\"kuittaus-__.pdf\"; filename*=UTF-8''kuittaus-%C3%84%C3%96.pdf"
    )
    assert opened.headers["X-Content-Type-Options"] == "nosniff"
    receipt = client.get(links["kuittaus.json"])
    assert (receipt.data, receipt.headers["Content-Type"]) == (b'{"a": 1}', "application/json")
    # A page the portal's origin would show is only downloaded.
    html = client.get(links["ohje.html"])
    assert html.headers["Content-Disposition"].startswith('attachment; filename="ohje.html"')
    assert client.get(links["ohje.html"].replace("/2", "/3")).status_code == 404
    assert client.get("/requests/dev/mail/9/attachments/0").status_code == 404
