"""Messages of the staff back office (sign-in, queue, request detail, accounts) and their catalogs.

Each portal area keeps its own catalog folder (`portal/*translations`), which Flask-Babel merges;
this area's is `portal/staff_translations`. msgids are English.

`python -m portal.staff_i18n update` re-extracts the messages into `messages.pot` and merges
them into every catalog; `python -m portal.staff_i18n compile` compiles them.
"""

from __future__ import annotations

import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.pofile import read_po

from notice import i18n as notice_i18n

PORTAL_DIR = Path(__file__).resolve().parent
ROOT = PORTAL_DIR.parent
TRANSLATIONS_DIR = PORTAL_DIR / "staff_translations"
LANGUAGES: tuple[str, ...] = ("fi", "en", "sv")

EXTRACT_MAP: list[tuple[str, str]] = [
    ("portal/auth.py", "python"),
    ("portal/staff.py", "python"),
    ("portal/staff_forms.py", "python"),
    ("portal/staff_labels.py", "python"),
    ("portal/accounts.py", "python"),
    ("portal/passwords.py", "python"),
    ("templates/portal/staff/**.html", "jinja2"),
]
EXTRACT_OPTIONS = {
    "templates/**": {"extensions": "jinja2.ext.i18n", "trimmed": "true", "silent": "false"}
}
KEYWORDS = {**DEFAULT_KEYWORDS, "_l": None, "lazy_gettext": None}


def extract_messages(root: Path = ROOT) -> Catalog:
    """Extract this area's messages from the sources in `EXTRACT_MAP`."""
    catalog = Catalog(project="seloste", domain=notice_i18n.DOMAIN, fuzzy=False)
    for filename, lineno, message, comments, context in extract_from_dir(
        str(root), EXTRACT_MAP, EXTRACT_OPTIONS, keywords=KEYWORDS, strip_comment_tags=True
    ):
        catalog.add(message, None, [(filename, lineno)], auto_comments=comments, context=context)
    return catalog


def read_catalog(lang: str, directory: Path = TRANSLATIONS_DIR) -> Catalog:
    """Read one language's catalog of this area."""
    with notice_i18n.po_path(lang, directory).open("rb") as handle:
        return read_po(handle, locale=lang)


def update_catalogs(directory: Path = TRANSLATIONS_DIR) -> None:
    """Write `messages.pot` from the sources and merge it into each language's catalog."""
    template = extract_messages()
    directory.mkdir(parents=True, exist_ok=True)
    notice_i18n._write(directory / f"{notice_i18n.DOMAIN}.pot", template)
    for lang in LANGUAGES:
        path = notice_i18n.po_path(lang, directory)
        if path.exists():
            catalog = read_catalog(lang, directory)
        else:
            catalog = Catalog(locale=lang, project="seloste", domain=notice_i18n.DOMAIN)
        catalog.update(template, update_header_comment=False)
        if lang == notice_i18n.SOURCE_LANGUAGE:
            # msgids are English: the English catalog is the identity, never a fuzzy guess.
            for message in catalog:
                if message.id:
                    message.string = message.id
                    message.flags.discard("fuzzy")
        catalog.obsolete.clear()
        path.parent.mkdir(parents=True, exist_ok=True)
        notice_i18n._write(path, catalog)


if __name__ == "__main__":  # pragma: no cover - maintainer's commands
    command = sys.argv[1] if len(sys.argv) > 1 else "compile"
    if command == "update":
        update_catalogs()
    elif command == "compile":
        for mo in notice_i18n.compile_catalogs(TRANSLATIONS_DIR):
            print(mo)
    else:
        sys.exit(f"usage: python -m portal.staff_i18n [update|compile], not {command!r}")
