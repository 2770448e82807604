"""The portal's one catalog: current with its sources, complete in each language, compiled."""

from __future__ import annotations

import re

import pytest
from babel.messages.pofile import read_po
from flask import Flask
from flask_babel import Babel, force_locale

from notice import i18n as notice_i18n
from portal import catalogs
from portal.core import labels
from portal.core.letters import letter_title
from portal.core.paths import PORTAL_DIR

PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")


def _ids(catalog) -> set[object]:  # type: ignore[no-untyped-def]
    return {m.id if isinstance(m.id, str) else tuple(m.id) for m in catalog if m.id}


@pytest.fixture(scope="module")
def babel_app() -> Flask:
    """Return a bare app whose Flask-Babel reads the portal's catalog."""
    app = Flask(__name__)
    app.config["BABEL_TRANSLATION_DIRECTORIES"] = str(catalogs.TRANSLATIONS_DIR)
    Babel(app)
    return app


@pytest.fixture(scope="module")
def extracted() -> set[object]:
    return _ids(catalogs.extract_messages())


def test_template_is_current(extracted: set[object]) -> None:
    with (catalogs.TRANSLATIONS_DIR / "messages.pot").open("rb") as handle:
        stored = _ids(read_po(handle))
    assert extracted == stored, "run `python -m portal.catalogs update`"


@pytest.mark.parametrize("lang", catalogs.LANGUAGES)
def test_every_message_is_translated_with_its_placeholders(
    extracted: set[object], lang: str
) -> None:
    catalog = catalogs.read_catalog(lang)
    assert _ids(catalog) == extracted, f"{lang}: run `python -m portal.catalogs update`"
    for message in catalog:
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        assert all(strings), f"{lang}: no translation for {message.id!r}"
        assert "fuzzy" not in message.flags, f"{lang}: fuzzy {message.id!r}"
        wanted = set(PLACEHOLDER.findall(" ".join(ids)))
        for string in strings:
            assert set(PLACEHOLDER.findall(string)) == wanted, (lang, message.id)


def test_the_portal_has_one_catalog() -> None:
    templates = sorted(PORTAL_DIR.rglob("*.pot"))
    assert templates == [catalogs.TRANSLATIONS_DIR / "messages.pot"], templates


def test_command_rejects_an_unknown_command(capsys: pytest.CaptureFixture[str]) -> None:
    assert catalogs.main(["update", "intake"]) == 2
    assert catalogs.main(["frobnicate"]) == 2
    assert "usage" in capsys.readouterr().out


@pytest.mark.parametrize("lang", catalogs.LANGUAGES)
def test_compiled_catalog_is_what_letters_and_pages_read(lang: str) -> None:
    translated = catalogs.translations(lang).gettext("Reference")
    assert translated == {"fi": "Viite", "en": "Reference", "sv": "Referens"}[lang]


@pytest.mark.parametrize("lang", catalogs.LANGUAGES)
@pytest.mark.parametrize("kind", sorted(labels.LETTERS))
def test_a_letter_is_named_as_its_own_title(babel_app: Flask, kind: str, lang: str) -> None:
    # The long name in the labels table is the letter's title: one name per letter, not three.
    with babel_app.app_context(), force_locale(notice_i18n.LOCALES[lang]):
        long_name = str(labels.LETTERS[kind].long)
    assert letter_title(kind, lang, "Oy Esimerkki Ab") == f"{long_name} – Oy Esimerkki Ab"
