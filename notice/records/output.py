"""Write the records to one file, never into a published notice site."""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from notice import i18n
from notice.build import LEGACY_MANIFEST, read_manifest
from notice.buildcache import cache_dir_for
from notice.loader import Content
from notice.records.columns import Localizer
from notice.records.document import UnprintableText, records_html, records_pdf
from notice.records.jsonld import records_jsonld
from notice.records.rows import activities
from notice.records.tabular import CSV_DELIMITERS, records_csv, records_xlsx
from notice.render import N_

if TYPE_CHECKING:  # the checker is imported only when the gaps are asked for
    from notice.checks import Finding

FORMATS: dict[str, str] = {
    "csv": "csv",
    "xlsx": "xlsx",
    "html": "html",
    "pdf": "pdf",
    "json": "jsonld",
}
"""Output format → file extension."""

DEFAULT_SITE = Path("site")
"""Where `notice build` writes by default: never a place for the records."""

TITLE = N_("Records of processing activities")
INTERNAL = N_(
    "Internal document (GDPR Article 30): for the controller and, on request, the supervisory "
    "authority. Do not publish it."
)


class RecordsError(Exception):
    """The records cannot be written as asked (an unsafe path, unprintable text)."""


@dataclass(frozen=True)
class Written:
    """What `write_records` wrote: where, how many activities, in which format and language."""

    path: Path
    activities: int
    format: str
    lang: str


def record_gaps(content: Content, today: dt.date | None = None) -> list[Finding]:
    """Return the checker's findings of where a record would be incomplete (rules `R30-*`)."""
    from notice.checks import run_checks

    return [f for f in run_checks(content, today=today) if f.rule_id.startswith("R30-")]


def default_out(fmt: str, lang: str) -> Path:
    """Return the default output file: `records/records-of-processing-<lang>.<ext>`."""
    return Path("records") / f"records-of-processing-{lang}.{FORMATS[fmt]}"


SITE_MARKERS = ("sitemap.xml", "registers.json")
"""Files `notice build` always writes at a site's root: a site is known by them, whatever cache."""


def _is_built_site(folder: Path) -> bool:
    """Whether `notice build` has written a site into `folder`.

    Known by the files every build writes at the root, so that a site built with its cache
    elsewhere (`--cache-dir`, `SELOSTE_CACHE_DIR`, another user's cache) is refused as well; the
    cache's manifest and an older build's manifest in the folder also say so.
    """
    if all((folder / name).is_file() for name in SITE_MARKERS):
        return True
    return bool(read_manifest(cache_dir_for(folder))) or (folder / LEGACY_MANIFEST).is_file()


def refuse_site_output(out: Path, content_dir: Path, site_dirs: tuple[Path, ...]) -> None:
    """Refuse a path inside a notice site (built or the default `site/`) or inside the content."""
    target = out.resolve()
    for site in site_dirs:
        if target.is_relative_to(site.resolve()):
            raise RecordsError(
                f"{out} is inside the site folder {site}; the records are internal and must "
                "not be published: choose an --out outside it"
            )
    for folder in target.parents:
        if _is_built_site(folder):
            raise RecordsError(
                f"{out} is inside the built notice site {folder}; the records are internal "
                "and must not be published: choose an --out outside it"
            )
    if target.is_relative_to(content_dir.resolve()):
        raise RecordsError(
            f"{out} is inside the content folder {content_dir}; choose another --out"
        )
    if target.is_dir():
        raise RecordsError(f"{out} is a folder; give a file name")


def render_records(
    content: Content, fmt: str, lang: str, *, today: dt.date, csv_delimiter: str | None = None
) -> tuple[bytes, int]:
    """Return the records of `content` in `fmt` and `lang`, and how many activities they hold.

    A CSV's fields are separated by `csv_delimiter` (semicolon or comma): by default `;` for
    fi and sv, the separator Excel expects under Finnish and Swedish settings, `,` for en.
    """
    if fmt not in FORMATS:
        raise RecordsError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    site_languages = [language.value for language in content.site.languages]
    loc = Localizer(lang, site_languages)
    items = activities(content)
    title = loc.fixed(TITLE).text
    # Art 30 records are per controller: the header names every controller whose activities
    # the document holds, and each activity's Controller column says whose it is.
    controller = ", ".join(
        dict.fromkeys(
            (register.controller or content.site.controller).name for register in content.registers
        )
        or [content.site.controller.name]
    )
    context = {
        "controller": controller,
        "generated": i18n.format_date(today, lang),
        "internal": loc.fixed(INTERNAL).text,
    }
    if fmt == "csv":
        data = records_csv(items, loc, CSV_DELIMITERS[csv_delimiter] if csv_delimiter else None)
    elif fmt == "xlsx":
        # The spreadsheet's "Generated" is a date cell, not the date in words.
        data = records_xlsx(
            items, loc, title, controller=controller, generated=today, internal=context["internal"]
        )
    elif fmt == "html":
        data = records_html(items, loc, title=f"{title} – {controller}", **context).encode()
    elif fmt == "pdf":
        try:
            data = records_pdf(items, loc, title=f"{title} – {controller}", **context)
        except UnprintableText as exc:
            raise RecordsError(str(exc)) from None
    else:
        base = content.site.base_url.rstrip("/") + "/records-of-processing"
        data = records_jsonld(items, base=base, title=f"{title} – {controller}").encode()
    return data, len(items)


def write_records(
    content: Content,
    fmt: str,
    lang: str,
    out: Path | None = None,
    *,
    site_dirs: tuple[Path, ...] = (DEFAULT_SITE,),
    today: dt.date | None = None,
    csv_delimiter: str | None = None,
) -> Written:
    """Write the records of `content` to `out` (default: `default_out`), refusing a site path."""
    out = out if out is not None else default_out(fmt, lang)
    refuse_site_output(out, content.root, site_dirs)
    data, count = render_records(
        content, fmt, lang, today=today or dt.date.today(), csv_delimiter=csv_delimiter
    )
    out.parent.mkdir(parents=True, exist_ok=True)
    # Write and rename: an interrupted run leaves the previous records whole.
    fd, tmp = tempfile.mkstemp(dir=out.parent, prefix=f".{out.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, out)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return Written(out, count, fmt, lang)
