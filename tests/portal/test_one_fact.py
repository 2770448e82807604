"""Facts defined once: public links, the due date in force (Python and SQL), the text fallback."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from bs4 import BeautifulSoup
from flask import Flask
from sqlalchemy.dialects import postgresql, sqlite

from notice import paths as notice_paths
from notice import render
from notice.i18n import locale_of
from portal.core import content, files, links, paths
from portal.core.letters import render_html
from portal.core.models import EFFECTIVE_DUE, EFFECTIVE_DUE_SQL, NO_DUE
from portal.core.seal import load_or_create_key, seal_request
from portal.web import dates
from tests.portal.support.requests import new_request
from tests.portal.support.web import content_with_portal_url


def test_public_url_is_the_same_with_and_without_a_request(app: Flask) -> None:
    values = {"lang": "sv", "token": "abc"}
    with app.app_context():
        outside = links.public_url("intake.status", **values)
    # A request that arrived on another host name must not change the links it e-mails.
    with app.test_request_context("/requests/fi/", base_url="http://10.0.0.7:8000"):
        inside = links.public_url("intake.status", **values)
    assert outside == inside == "https://www.proleader.fi/requests/sv/status/abc"


def test_public_url_follows_the_prefix(make_app, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    content = content_with_portal_url(tmp_path / "content", "https://example.fi/pyynnot/")
    app = make_app(
        URL_PREFIX="/pyynnot", PUBLIC_URL="https://example.fi/", CONTENT_DIR=str(content)
    )
    with app.app_context():
        assert links.public_url("staff.queue") == "https://example.fi/pyynnot/staff/"
        assert (
            links.public_url("verify.verify", lang="en") == "https://example.fi/pyynnot/en/verify"
        )
        assert links.prefixed("/static/css/letters.css") == "/pyynnot/static/css/letters.css"


def test_the_due_date_in_force_reads_the_same_in_python_and_sql() -> None:
    assert new_request(extended_due_on=dt.date(2025, 4, 28)).effective_due == dt.date(2025, 4, 28)
    assert new_request().effective_due == dt.date(2025, 2, 28)
    assert new_request(due_on=None).effective_due is None
    for dialect in (sqlite.dialect(), postgresql.dialect()):
        sql = str(EFFECTIVE_DUE.compile(dialect=dialect)).replace("data_request.", "")
        assert sql == EFFECTIVE_DUE_SQL, sql  # the text the expression indexes are built on
    assert NO_DUE.isoformat() in EFFECTIVE_DUE_SQL


def test_a_direct_marketing_objection_is_one_property() -> None:
    details = {"objection_direct_marketing": True}
    assert new_request(right="objection", details=details).is_direct_marketing_objection
    assert not new_request(right="objection", details={}).is_direct_marketing_objection
    assert not new_request(right="erasure", details=details).is_direct_marketing_objection


def test_one_fallback_rule_for_localized_texts() -> None:
    name = {"fi": "Asiakasrekisteri", "en": "Customer register"}
    assert content.localized(name, "fi", ["fi", "en"]) == "Asiakasrekisteri"
    assert content.localized(name, "sv", ["fi", "en"]) == "Customer register"
    only_finnish = {"fi": "Asiakasrekisteri", "sv": ""}
    assert content.localized(only_finnish, "sv", ["fi"]) == "Asiakasrekisteri"
    assert content.localized({"de": "Kundenregister"}, "sv", ["fi"]) == "Kundenregister"
    assert content.localized("plain", "sv", ["fi"]) == "plain"
    assert content.localized(None, "sv", ["fi"]) == ""


def test_the_web_and_the_letters_name_a_register_alike(app: Flask, tmp_path: Path) -> None:
    request = new_request(language="sv")
    seal_request(request, load_or_create_key(tmp_path))
    with app.app_context():
        web = content.register_name(request.register_id, "sv")
        html = render_html("receipt", request, "sv")
    field = BeautifulSoup(html, "html.parser").find(attrs={"data-field": "register"})
    # The default content is in Swedish too: both name the register in Swedish.
    assert field is not None and field.get_text(strip=True) == web == "Kundregister"


def test_one_language_to_locale_map_and_one_repository_root() -> None:
    assert [locale_of(lang) for lang in ("fi", "sv", "en", "de")] == [
        "fi_FI",
        "sv_FI",
        "en_GB",
        "fi_FI",
    ]
    assert dates.locale_of is locale_of
    # Sizes take the language code, as every page passes it, and format it the EU way.
    assert [files.format_size(1_500, lang) for lang in ("fi", "sv", "en")] == [
        "1,5 kB",
        "1,5 kB",
        "1.5 kB",
    ]
    assert dates.format_day(dt.date(2027, 1, 4), "en") == "4 Jan 2027"
    assert paths.ROOT is notice_paths.ROOT and render.TEMPLATES_DIR is notice_paths.TEMPLATES_DIR
