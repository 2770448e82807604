"""Fixed strings and dates of the notice, per language: gettext catalogs and Babel.

Headings, labels and the standard rights texts are gettext messages (English msgids) in
`templates/notice/` and `notice/render.py`; their translations live in
`notice/translations/<lang>/LC_MESSAGES/messages.po`. Compiled `.mo` files are build products (not
committed), compiled here on first use whenever a `.po` is newer (in memory where the package is
read-only). Dates go through Babel with an explicit locale, never `setlocale`, so two languages can
render in one process.

`python -m notice.i18n update` re-extracts the messages into `messages.pot` and merges them into
every catalog; `python -m notice.i18n compile` compiles them.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import sys
import tempfile
from functools import cache, lru_cache
from pathlib import Path

from babel import Locale
from babel.dates import format_date as babel_format_date
from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po
from babel.support import Translations

from notice.model import SUPPORTED_LANGUAGES
from notice.paths import ROOT

TRANSLATIONS_DIR = Path(__file__).resolve().parent / "translations"
DOMAIN = "messages"
SOURCE_LANGUAGE = "en"
"""Language of the msgids; its catalog repeats them so that every catalog is complete."""

LOCALES: dict[str, str] = {"fi": "fi_FI", "en": "en_GB", "sv": "sv_FI"}
"""Babel locale per language: the EU conventions (day first), not Babel's US default for `en`;
Swedish as written in Finland (sv_FI: "7.12.2026", "kl. 14.05"), where its readers live."""
DEFAULT_LANGUAGE = "fi"
"""The language of an unknown code (the content's and the portal's first language)."""


def locale_of(lang: str) -> str:
    """Return the Babel locale that formats dates, numbers and money for `lang` (fi, sv or en).

    The one language → locale map: every page, e-mail, letter and document passes its language
    code here, never to Babel itself (Babel's `en` is American: "Jan 4, 2027").
    """
    return LOCALES.get(lang, LOCALES[DEFAULT_LANGUAGE])


def po_path(lang: str, directory: Path = TRANSLATIONS_DIR) -> Path:
    """Return the `.po` catalog of `lang`."""
    return directory / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


def compile_catalogs(directory: Path = TRANSLATIONS_DIR) -> list[Path]:
    """Compile each `.po` under `directory` whose `.mo` is missing or stale; return the new ones."""
    written = []
    for po in sorted(directory.glob(f"*/LC_MESSAGES/{DOMAIN}.po")):
        mo = po.with_suffix(".mo")
        if mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime:
            continue
        with po.open("rb") as handle:
            catalog = read_po(handle, locale=po.parent.parent.name)
        # Write and rename, so that a parallel worker never reads a half-written file.
        fd, tmp = tempfile.mkstemp(dir=po.parent, suffix=".mo.tmp")
        with os.fdopen(fd, "wb") as handle:
            write_mo(handle, catalog)
        os.replace(tmp, mo)
        written.append(mo)
    return written


@cache
def translations(lang: str) -> Translations:
    """Return the compiled gettext translations of `lang` (compiling stale catalogs first)."""
    if lang not in SUPPORTED_LANGUAGES:
        raise ValueError(f"unsupported language {lang!r}")
    try:
        compile_catalogs()
    except OSError:  # a read-only installation: compile this catalog in memory instead
        with po_path(lang).open("rb") as handle:
            catalog = read_po(handle, locale=lang)
        buffer = io.BytesIO()
        write_mo(buffer, catalog)
        buffer.seek(0)
        return Translations(fp=buffer, domain=DOMAIN)
    loaded = Translations.load(str(TRANSLATIONS_DIR), [lang], DOMAIN)
    if not isinstance(loaded, Translations):
        raise FileNotFoundError(f"no compiled catalog for {lang!r} in {TRANSLATIONS_DIR}")
    return loaded


@lru_cache(maxsize=4096)
def format_date(value: dt.date, lang: str) -> str:
    """Format a date the way readers of `lang` write it (e.g. `3. lokakuuta 2019`)."""
    return babel_format_date(value, format="long", locale=LOCALES[lang])


@cache
def language_name(lang: str) -> str:
    """Return the language's own name for itself (`suomi`, `English`, `svenska`)."""
    return Locale.parse(LOCALES[lang]).get_language_name(LOCALES[lang]) or lang


HEADER = "# Fixed strings of the Seloste notice pages (python -m notice.i18n update)."
"""First line of the notice's catalogs."""


def extract_messages(root: Path = ROOT) -> Catalog:
    """Extract the current messages from the sources that `babel.cfg` names."""
    with (root / "babel.cfg").open(encoding="utf-8") as handle:
        method_map, options_map = parse_mapping_cfg(handle)
    catalog = Catalog(project="seloste", domain=DOMAIN, fuzzy=False)
    for filename, lineno, message, comments, context in extract_from_dir(
        str(root), method_map, options_map
    ):
        catalog.add(message, None, [(filename, lineno)], auto_comments=comments, context=context)
    return catalog


def update_catalogs(directory: Path = TRANSLATIONS_DIR) -> None:
    """Write `messages.pot` from the sources and merge it into each language's catalog."""
    template = extract_messages()
    directory.mkdir(parents=True, exist_ok=True)
    write_catalog(directory / f"{DOMAIN}.pot", template)
    for lang in SUPPORTED_LANGUAGES:
        path = po_path(lang, directory)
        if path.exists():
            with path.open("rb") as handle:
                catalog = read_po(handle, locale=lang)
        else:
            catalog = Catalog(locale=lang, project="seloste", domain=DOMAIN)
        # No fuzzy matching: a guessed translation of a similar message is worse than none.
        catalog.update(template, no_fuzzy_matching=True, update_header_comment=False)
        if lang == SOURCE_LANGUAGE:
            for message in catalog:
                empty = not message.string or not all(message.string)
                if message.id and empty:
                    message.string = message.id  # a (singular, plural) pair for plurals
                    message.flags.discard("fuzzy")
        path.parent.mkdir(parents=True, exist_ok=True)
        write_catalog(path, catalog)


def write_catalog(path: Path, catalog: Catalog, header: str = HEADER) -> None:
    """Write `catalog` to `path` without locations or dates, so diffs show only messages."""
    catalog.creation_date = catalog.revision_date = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    catalog.fuzzy = False
    catalog.project, catalog.version = "seloste", "1"
    catalog.copyright_holder = catalog.last_translator = catalog.language_team = "Seloste"
    catalog.msgid_bugs_address = ""
    catalog.header_comment = header
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as handle:
        write_po(handle, catalog, width=100, no_location=True, omit_header=False)


if __name__ == "__main__":  # pragma: no cover - maintainer's commands
    command = sys.argv[1] if len(sys.argv) > 1 else "compile"
    if command == "update":
        update_catalogs()
    elif command == "compile":
        for mo in compile_catalogs():
            print(mo)
    else:
        sys.exit(f"usage: python -m notice.i18n [update|compile], not {command!r}")
