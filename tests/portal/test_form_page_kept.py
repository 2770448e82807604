"""The blank request form kept per worker around its CSRF token: every visitor reads the page a
fresh rendering gives, with their own session's token, and nothing of one visitor's address
reaches another's page."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from flask import Flask, template_rendered
from flask.testing import FlaskClient

from portal.web import intake
from tests.portal.support.web import https_client, page_token, valid_fields

LANGS = ["fi", "sv", "en"]
RIGHTS = ["access", "rectification", "erasure", "restriction", "portability", "objection"]


def _switch_links(html: str) -> list[str]:
    soup = BeautifulSoup(html, "html.parser")
    return [str(a["href"]) for a in soup.select("nav.language-switch a")]


def _without_token(html: str) -> str:
    token = page_token(html)
    assert html.count(token) == 1
    return html.replace(token, "TOKEN")


def _rendered(app: Flask, client: FlaskClient, path: str) -> tuple[str, list[str]]:
    """GET `path`; return the page and the templates rendered for it."""
    names: list[str] = []

    def record(sender: Flask, template: object, context: object, **extra: object) -> None:
        names.append(str(getattr(template, "name", "")))

    with template_rendered.connected_to(record, app):
        response = client.get(path)
    assert response.status_code == 200, path
    return response.text, names


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
@pytest.mark.parametrize("query", ["", "?register=asiakasrekisteri"])
@pytest.mark.parametrize("right", RIGHTS)
def test_a_kept_form_page_reads_as_a_fresh_one_with_each_visitors_token(
    app: Flask, right: str, lang: str, query: str
) -> None:
    path = f"/requests/{lang}/new/{right}{query}"
    first_visitor, second_visitor = https_client(app), https_client(app)
    first, templates = _rendered(app, first_visitor, path)
    assert "portal/intake/form.html" in templates
    second, templates = _rendered(app, second_visitor, path)
    assert templates == []  # the kept page: nothing rendered again
    assert page_token(first) != page_token(second)
    assert _without_token(second) == _without_token(first)

    app.extensions.pop(intake.FORM_PAGE_EXTENSION)
    app.extensions.pop(intake.FORM_FIELDS_EXTENSION)
    fresh, _ = _rendered(app, https_client(app), path)
    assert _without_token(fresh) == _without_token(second)

    # The token on the kept page is the second visitor's own: their post is accepted.
    data = {**valid_fields(right, lang), "csrf_token": page_token(second)}
    response = second_visitor.post(path.split("?")[0], data=data)
    assert response.status_code == 303, response.text


def test_an_address_naming_no_register_is_neither_kept_nor_shown_to_others(app: Flask) -> None:
    odd = https_client(app)
    page, templates = _rendered(app, odd, "/requests/en/new/access?register=%22%3Eodd")
    assert "portal/intake/form.html" in templates
    assert "register=%22%3Eodd" in page  # the language switch keeps the visitor's address
    page, templates = _rendered(app, odd, "/requests/en/new/access?register=%22%3Eodd")
    assert "portal/intake/form.html" in templates  # rendered again, not kept
    plain, _ = _rendered(app, https_client(app), "/requests/en/new/access")
    assert "odd" not in plain
    assert list(app.extensions[intake.FORM_PAGE_EXTENSION]) == [
        ("", "/requests/en/new/access", "access", "en", None, None)
    ]


def test_with_one_register_the_address_naming_it_keeps_its_own_page(
    repo_root: Path, make_app: Callable[..., Flask], tmp_path: Path
) -> None:
    # With one register the form preselects it whether or not the address names it; only the
    # language switch tells the two addresses apart, and each visitor keeps theirs.
    content = tmp_path / "content"
    shutil.copytree(repo_root / "content", content)
    (content / "registers" / "tietosuojapyynnot.yaml").unlink()
    app = make_app(CONTENT_DIR=str(content))
    plain_path = "/requests/en/new/access"
    named_path = plain_path + "?register=asiakasrekisteri"
    for _ in range(2):  # rendered, then kept
        plain, _templates = _rendered(app, https_client(app), plain_path)
        named, _templates = _rendered(app, https_client(app), named_path)
        assert _switch_links(plain) == [f"/requests/{lang}/new/access" for lang in LANGS]
        assert _switch_links(named) == [
            f"/requests/{lang}/new/access?register=asiakasrekisteri" for lang in LANGS
        ]
