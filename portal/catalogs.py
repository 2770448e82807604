"""The portal's translation catalogs, one folder per area, and the commands that maintain them.

Each area (intake, staff web, workflow, letters) extracts its own messages into its own folder
(`portal/*translations`), so areas can change their strings without merge conflicts in one
catalog; Flask-Babel merges the folders at run time (`portal.i18n`), and letters read theirs
directly to render in the person's language outside a request. msgids are English, so the
English catalog is the identity.

`python -m portal.catalogs update [AREA ...]` re-extracts messages into `messages.pot` and merges
them into every language's catalog; `python -m portal.catalogs compile` compiles them.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.pofile import read_po

from notice import i18n as notice_i18n

PORTAL_DIR = Path(__file__).resolve().parent
ROOT = PORTAL_DIR.parent
LANGUAGES: tuple[str, ...] = ("fi", "en", "sv")
KEYWORDS = {**DEFAULT_KEYWORDS, "_l": None, "lazy_gettext": None}
"""gettext's keywords plus Flask-Babel's lazy ones that forms and label tables use."""
EXTRACT_OPTIONS = {
    "templates/**": {"extensions": "jinja2.ext.i18n", "trimmed": "true", "silent": "false"}
}


@dataclass(frozen=True)
class CatalogArea:
    """One area's catalog folder and the sources its messages are extracted from."""

    name: str
    directory: Path
    sources: tuple[tuple[str, str], ...]

    def extract_messages(self, root: Path = ROOT) -> Catalog:
        """Extract this area's messages from its sources."""
        catalog = Catalog(project="seloste", domain=notice_i18n.DOMAIN, fuzzy=False)
        for filename, lineno, message, comments, context in extract_from_dir(
            str(root),
            list(self.sources),
            EXTRACT_OPTIONS,
            keywords=KEYWORDS,
            strip_comment_tags=True,
        ):
            catalog.add(
                message, None, [(filename, lineno)], auto_comments=comments, context=context
            )
        return catalog

    def read_catalog(self, lang: str) -> Catalog:
        """Read one language's catalog of this area."""
        with notice_i18n.po_path(lang, self.directory).open("rb") as handle:
            return read_po(handle, locale=lang)

    def update(self) -> None:
        """Write `messages.pot` from the sources and merge it into each language's catalog."""
        template = self.extract_messages()
        self.directory.mkdir(parents=True, exist_ok=True)
        notice_i18n._write(self.directory / f"{notice_i18n.DOMAIN}.pot", template)
        for lang in LANGUAGES:
            path = notice_i18n.po_path(lang, self.directory)
            if path.exists():
                catalog = self.read_catalog(lang)
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

    def compile(self) -> list[Path]:
        """Compile stale `.mo` files of this area and return them."""
        return list(notice_i18n.compile_catalogs(self.directory))


INTAKE = CatalogArea(
    "intake",
    PORTAL_DIR / "translations",
    (
        ("portal/intake.py", "python"),
        ("portal/forms.py", "python"),
        ("portal/mail.py", "python"),
        ("portal/i18n.py", "python"),
        ("portal/security.py", "python"),
        ("portal/site.py", "python"),
        ("templates/portal/base.html", "jinja2"),
        ("templates/portal/_*.html", "jinja2"),
        ("templates/portal/intake/**.html", "jinja2"),
        ("templates/portal/errors/**.html", "jinja2"),
        ("templates/email/confirm/**", "jinja2"),
        ("templates/email/receipt/**", "jinja2"),
    ),
)
STAFF = CatalogArea(
    "staff",
    PORTAL_DIR / "staff_translations",
    (
        ("portal/auth.py", "python"),
        ("portal/staff.py", "python"),
        ("portal/staff_forms.py", "python"),
        ("portal/staff_labels.py", "python"),
        ("portal/accounts.py", "python"),
        ("portal/passwords.py", "python"),
        ("templates/portal/staff/**.html", "jinja2"),
    ),
)
WORKFLOW = CatalogArea(
    "workflow",
    PORTAL_DIR / "workflow_translations",
    (
        ("portal/workflow.py", "python"),
        ("portal/duedates.py", "python"),
        ("portal/reminders.py", "python"),
        ("templates/email/info_request/**", "jinja2"),
        ("templates/email/extension/**", "jinja2"),
        ("templates/email/decision/**", "jinja2"),
        ("templates/email/reminder/**", "jinja2"),
    ),
)
LETTERS = CatalogArea(
    "letters",
    PORTAL_DIR / "letters_translations",
    (
        ("portal/letters.py", "python"),
        ("portal/verify.py", "python"),
        ("templates/letters/**.html", "jinja2"),
        ("templates/portal/verify/**.html", "jinja2"),
    ),
)
AREAS: dict[str, CatalogArea] = {area.name: area for area in (INTAKE, STAFF, WORKFLOW, LETTERS)}
"""Every area, by name; `portal.i18n` merges their folders with intake's last (it wins)."""


def main(argv: list[str]) -> int:
    """Run `update` or `compile` for the named areas (all when none is named)."""
    command, *names = argv or ["compile"]
    unknown = [name for name in names if name not in AREAS]
    if command not in {"update", "compile"} or unknown:
        print(f"usage: python -m portal.catalogs update|compile [{'|'.join(AREAS)} ...]")
        return 2
    for area in [AREAS[name] for name in names] or AREAS.values():
        if command == "update":
            area.update()
        else:
            for mo in area.compile():
                print(mo)
    return 0


if __name__ == "__main__":  # pragma: no cover - maintainer's command
    sys.exit(main(sys.argv[1:]))
