"""The portal's one translation catalog: extract, merge, compile and load it.

msgids are English, so the English catalog is the identity. The sources are the portal's Python
and its templates (pages, e-mails, letters); the notice keeps its own catalog (`notice.i18n`).
Compiled `.mo` files are build products, made at set-up (`scripts/setup.sh` runs
`python -m portal.catalogs compile`), never when the app starts.

`python -m portal.catalogs update` re-extracts the messages into `messages.pot` and merges them
into every language's catalog; `python -m portal.catalogs compile` compiles them.
"""

from __future__ import annotations

import copy
import sys
from functools import cache
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.pofile import read_po
from babel.support import Translations

from notice import i18n as notice_i18n
from portal.core.paths import ROOT, TRANSLATIONS_DIR

LANGUAGES: tuple[str, ...] = ("fi", "en", "sv")
DOMAIN = notice_i18n.DOMAIN
KEYWORDS = {**DEFAULT_KEYWORDS, "_l": None, "lazy_gettext": None}
"""gettext's keywords plus Flask-Babel's lazy ones that forms and label tables use."""
EXTRACT_OPTIONS = {
    "templates/**": {"extensions": "jinja2.ext.i18n", "trimmed": "true", "silent": "false"}
}
SOURCES: tuple[tuple[str, str], ...] = (
    ("portal/**.py", "python"),
    ("templates/portal/**.html", "jinja2"),
    ("templates/email/**", "jinja2"),
    ("templates/letters/**.html", "jinja2"),
)
"""Where the portal's messages are, as Babel's extraction patterns."""
HEADER = "# Fixed strings of the Seloste request portal (python -m portal.catalogs update)."


class CatalogError(RuntimeError):
    """A catalog is missing or was not compiled (run the set-up or `portal.catalogs compile`)."""


def po_path(lang: str, directory: Path = TRANSLATIONS_DIR) -> Path:
    """Return the `.po` catalog of `lang`."""
    return notice_i18n.po_path(lang, directory)


def extract_messages(root: Path = ROOT) -> Catalog:
    """Extract the portal's messages from its sources."""
    catalog = Catalog(project="seloste", domain=DOMAIN, fuzzy=False)
    for filename, lineno, message, comments, context in extract_from_dir(
        str(root), list(SOURCES), EXTRACT_OPTIONS, keywords=KEYWORDS, strip_comment_tags=True
    ):
        if filename.startswith("portal/migrations/"):
            continue
        catalog.add(message, None, [(filename, lineno)], auto_comments=comments, context=context)
    return catalog


def read_catalog(lang: str, directory: Path = TRANSLATIONS_DIR) -> Catalog:
    """Read one language's catalog."""
    with po_path(lang, directory).open("rb") as handle:
        return read_po(handle, locale=lang)


def update(directory: Path = TRANSLATIONS_DIR) -> None:
    """Write `messages.pot` from the sources and merge it into each language's catalog."""
    template = extract_messages()
    notice_i18n.write_catalog(directory / f"{DOMAIN}.pot", template, HEADER)
    for lang in LANGUAGES:
        path = po_path(lang, directory)
        if path.exists():
            catalog = read_catalog(lang, directory)
        else:
            catalog = Catalog(locale=lang, project="seloste", domain=DOMAIN)
        # Each language merges its own copy: Catalog.update adds the template's new Message
        # objects themselves, so the English identity below would otherwise also fill every
        # later language's new messages with English (how "Days left" came to read so in sv).
        catalog.update(copy.deepcopy(template), update_header_comment=False)
        if lang == notice_i18n.SOURCE_LANGUAGE:
            # msgids are English: the English catalog is the identity, never a fuzzy guess.
            for message in catalog:
                if message.id:
                    message.string = message.id
                    message.flags.discard("fuzzy")
        catalog.obsolete.clear()
        notice_i18n.write_catalog(path, catalog, HEADER)


def compile_catalogs(directory: Path = TRANSLATIONS_DIR) -> list[Path]:
    """Compile each stale `.mo` of the portal's catalog and return them."""
    return notice_i18n.compile_catalogs(directory)


@cache
def translations(lang: str) -> Translations:
    """Return the compiled catalog of `lang`, as letters and e-mails outside a request read it."""
    loaded = Translations.load(str(TRANSLATIONS_DIR), [lang], DOMAIN)
    if not isinstance(loaded, Translations):
        raise CatalogError(
            f"no compiled portal catalog for {lang!r}: run `python -m portal.catalogs compile`"
        )
    return loaded


def main(argv: list[str]) -> int:
    """Run `update` or `compile` (the default)."""
    command, *rest = argv or ["compile"]
    if command not in {"update", "compile"} or rest:
        print("usage: python -m portal.catalogs [update|compile]")
        return 2
    if command == "update":
        update()
    else:
        for mo in compile_catalogs():
            print(mo)
    return 0


if __name__ == "__main__":  # pragma: no cover - maintainer's command
    sys.exit(main(sys.argv[1:]))
