"""`notice` command line: build | check | records | scan | schema | serve | migrate | new.

Each command is a thin shell over a module named after it; content errors exit 1 with
`file:line: key: message` lines on stderr, never a traceback.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:
    from collections.abc import Sequence

    from notice.buildcache import BuildCache
    from notice.checks.findings import Finding
    from notice.loader import Content, ContentError, LoadError

# `notice --help` imports nothing but click: the model and the loader are imported by the
# commands that use them. tests/notice/test_cli_startup.py keeps this list equal to LegalBasis.
LEGAL_BASES = (
    "consent",
    "contract",
    "legal_obligation",
    "vital_interests",
    "public_task",
    "legitimate_interests",
)

CONTENT_OPTION = click.option(
    "--content",
    "content_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("content"),
    show_default=True,
    help="Folder with site.yaml and registers/.",
)


FORMAT_OPTION = click.option(
    "--format",
    "output",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="Linter lines grouped by register, or JSON for tools.",
)


def echo_findings(
    findings: list[Finding],
    content: Content,
    output: str,
    lang: str,
    *,
    load_errors: Sequence[LoadError] = (),
) -> None:
    """Print checker findings as linter lines or JSON; a text summary counts `load_errors` too
    and names the files they are in as not checked."""
    from notice.checks.report import format_json, format_text

    if output == "json":
        click.echo(format_json(findings, content), nl=False)
    else:
        files = sorted({str(error.path) for error in load_errors})
        text = format_text(findings, content, lang, load_errors=len(load_errors), not_loaded=files)
        click.echo(text, nl=False)


def check_cache(content_dir: Path) -> BuildCache | None:
    """Return `notice check`'s cache for `content_dir`, or None (saying why) if it is unusable."""
    from notice.buildcache import BuildCache, CacheError, check_cache_dir

    folder = check_cache_dir(content_dir)
    try:
        return BuildCache(folder, folder)
    except CacheError as exc:
        click.echo(f"note: {exc}; every file is checked", err=True)
    except OSError as exc:
        click.echo(
            f"note: no cache in {folder} ({exc.strerror or exc}); every file is checked", err=True
        )
    return None


def fail_on_content_error(
    exc: ContentError,
    *,
    writes: bool = True,
    output: str = "text",
    lang: str | None = None,
    message_lang: str | None = None,
) -> None:
    """Print every content error and exit 1 (saying nothing was written, if the command writes).

    With `output` json, the errors are findings in the JSON `--format json` prints (stdout), so
    a tool reading it gets them in the one shape it reads; else `file:line: key: message` lines
    on stderr. With `lang` (`notice check`), the site's own findings follow when site.yaml
    loaded (`ContentError.site_findings`), as a check reports them. The messages and the closing
    line are in `message_lang`, else `lang` (fi or sv; English otherwise), `file:line: key:` as
    always; the JSON keeps the English `message` and adds the translation beside it.
    """
    from dataclasses import replace

    from notice.load_messages import closing_line, translate

    site = exc.partial if lang is not None else None
    speak = message_lang or lang
    if output == "json":
        from notice.checks.report import format_load_errors

        findings = exc.site_findings if site is not None else []
        click.echo(format_load_errors(exc.errors, findings, site, lang=speak), nl=False)
        sys.exit(1)
    for error in exc.errors:
        click.echo(str(replace(error, message=translate(error.message, speak))), err=True)
    click.echo(closing_line(len(exc.errors), speak, writes=writes), err=True)
    if site is not None and exc.site_findings:  # "no findings" would read as if all were well
        # The report's summary counts the load errors too and names the files left unchecked.
        echo_findings(exc.site_findings, site, output, lang or "en", load_errors=exc.errors)
    sys.exit(1)


@click.group()
@click.version_option(package_name="seloste")
def main() -> None:
    """Privacy notices from YAML: validate, check and build them."""


def entry() -> None:
    """The `notice` console script: `main`, ending at once after `check` and `build`."""
    from notice import quick_exit

    quick_exit.run(main)


@main.command()
@click.argument("kind", type=click.Choice(["register", "site"]), default="register")
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Write site.schema.json and register.schema.json into this folder instead.",
)
def schema(kind: str, out_dir: Path | None) -> None:
    """Print the JSON Schema of a register file (or site.yaml) for editors."""
    from notice.schema import register_schema_json, site_schema_json, write_schemas

    if out_dir is not None:
        for path in write_schemas(out_dir):
            click.echo(f"wrote {path}")
        return
    click.echo(register_schema_json() if kind == "register" else site_schema_json(), nl=False)


@main.command()
@CONTENT_OPTION
@FORMAT_OPTION
@click.option("--strict", is_flag=True, help="Exit 1 on warnings too, not only on errors.")
@click.option("--list-rules", is_flag=True, help="List every rule and exit.")
@click.option("--explain", "explain_rule", metavar="RULE", help="Explain one rule and exit.")
@click.option(
    "--lang", type=click.Choice(["en", "fi", "sv"]), default="en", help="Message language."
)
@click.option(
    "--today",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="Date to check staleness against (default: today).",
)
@click.option(
    "--no-cache",
    is_flag=True,
    help="Check every file again: keep nothing for the next check (see notice build --help for "
    "where the cache lives).",
)
def check(
    content_dir: Path,
    output: str,
    strict: bool,
    list_rules: bool,
    explain_rule: str | None,
    lang: str,
    today: dt.datetime | None,
    no_cache: bool,
) -> None:
    """Check the notices against GDPR Art 13/14; exit 1 on errors.

    What a check worked out is kept by file content, so the next check redoes only the files
    that changed (--no-cache: everything, and nothing kept).
    """
    from notice import quick_exit
    from notice.checking import load_and_check
    from notice.checks.report import exit_code, explain, rules_table
    from notice.loader import ContentError

    if explain_rule:
        try:
            click.echo(explain(explain_rule, lang), nl=False)
        except KeyError as exc:
            click.echo(exc.args[0], err=True)
            sys.exit(2)
        return
    if list_rules:
        click.echo(rules_table(lang), nl=False)
        return
    quick_exit.allow()
    cache = None if no_cache else check_cache(content_dir)
    try:
        day = today.date() if today else None
        content, findings = load_and_check(content_dir, cache=cache, today=day)
    except ContentError as exc:
        fail_on_content_error(exc, writes=False, output=output, lang=lang)
        return
    if cache is not None:
        try:
            cache.flush()
        except OSError as exc:  # a full disk, say: the findings stand, the next check redoes all
            click.echo(f"note: the check's cache was not saved ({exc.strerror or exc})", err=True)
    echo_findings(findings, content, output, lang)
    sys.exit(exit_code(findings, strict=strict))


@main.command()
@CONTENT_OPTION
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("site"),
    show_default=True,
    help="Folder to build the site into.",
)
@click.option("--no-pdf", is_flag=True, help="Skip the PDFs (faster previews).")
@click.option("--jobs", type=click.IntRange(min=1), help="PDF worker processes [default: cores].")
@click.option("--allow-errors", is_flag=True, help="Publish even when the checks find errors.")
@click.option(
    "--cache-dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder for the build's cache, outside --out [default: <hash of --out> in "
    "$SELOSTE_CACHE_DIR, else in $XDG_CACHE_HOME/seloste, else in ~/.cache/seloste].",
)
@click.option(
    "--lang", type=click.Choice(["en", "fi", "sv"]), default="en", help="Message language."
)
def build(
    content_dir: Path,
    out_dir: Path,
    no_pdf: bool,
    jobs: int | None,
    allow_errors: bool,
    cache_dir: Path | None,
    lang: str,
) -> None:
    """Check the content and build the notice site (HTML, PDF, JSON, sitemap)."""
    from notice import quick_exit
    from notice.build import BuildError, ChecksFailed, build_site
    from notice.loader import ContentError

    quick_exit.allow()  # the build closes its files before it returns; its PDF workers end here
    try:
        report = build_site(
            content_dir,
            out_dir,
            pdf=not no_pdf,
            jobs=jobs,
            allow_errors=allow_errors,
            cache_dir=cache_dir,
        )
    except ContentError as exc:
        fail_on_content_error(exc, message_lang=lang)
        return
    except ChecksFailed as exc:
        for finding in exc.findings:
            shown = finding.format(lang) if hasattr(finding, "format") else str(finding)
            click.echo(shown, err=True)
        from notice.build import REFUSED
        from notice.checks.report import counted

        click.echo(REFUSED[lang].format(counted(len(exc.findings), "error", lang)), err=True)
        sys.exit(1)
    except BuildError as exc:
        click.echo(f"error: {exc}; nothing was written.", err=True)
        sys.exit(1)
    finally:
        _stop_pdf_workers()
    click.echo(report.line(lang))
    found = report.findings_line(lang)
    if found:  # published: warnings, or errors allowed with --allow-errors
        click.echo(found, err=True)


def _stop_pdf_workers() -> None:
    """End a build's PDF workers before the quick exit, which skips the `atexit` handler that
    would: their pool's named semaphores were then reported as leaked ("resource_tracker: There
    appear to be 5 leaked semaphore objects") after every build with PDFs. A build without PDFs
    never imported `notice.pdf` (nor WeasyPrint), and this does not either."""
    pdf = sys.modules.get("notice.pdf")
    if pdf is not None:
        pdf.stop_workers()


@main.command()
@CONTENT_OPTION
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["csv", "xlsx", "html", "pdf", "json"]),
    default="xlsx",
    show_default=True,
    help="Spreadsheet (csv, xlsx), printable document (html, pdf) or JSON-LD in DPV terms.",
)
@click.option(
    "--lang",
    type=click.Choice(["fi", "sv", "en"]),
    help="Language of the headers and texts [default: the site's first language].",
)
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    help="File to write [default: records/records-of-processing-<lang>.<ext>].",
)
@click.option(
    "--csv-delimiter",
    type=click.Choice(["semicolon", "comma"]),
    help="Field separator of a CSV [default: semicolon for fi and sv, which Excel under "
    "Finnish or Swedish settings splits into columns; comma for en].",
)
def records(
    content_dir: Path, fmt: str, lang: str | None, out: Path | None, csv_delimiter: str | None
) -> None:
    """Write the records of processing activities (GDPR Art 30); never into the site."""
    from notice.loader import ContentError, load_content
    from notice.records import RecordsError, record_gaps, write_records

    try:
        content = load_content(content_dir)
    except ContentError as exc:
        fail_on_content_error(exc, message_lang=lang)
        return
    try:
        written = write_records(
            content, fmt, lang or content.site.languages[0].value, out, csv_delimiter=csv_delimiter
        )
    except RecordsError as exc:
        click.echo(f"error: {exc}; nothing was written.", err=True)
        sys.exit(1)
    click.echo(
        f"wrote the records of processing ({written.activities} activities, {written.format}, "
        f"{written.lang}) to {written.path}: an internal document, not part of the site."
    )
    for finding in record_gaps(content):
        click.echo(finding.format(written.lang), err=True)  # English unless the checker speaks it


@main.command()
@click.argument("urls", nargs=-1, required=True)
@CONTENT_OPTION
@FORMAT_OPTION
@click.option("--lang", type=click.Choice(["en", "fi"]), default="en", help="Message language.")
@click.option(
    "--chromium",
    type=click.Path(dir_okay=False, path_type=Path),
    default=Path("/usr/bin/chromium"),
    show_default=True,
    help="Chromium to drive (Debian's).",
)
def scan(urls: tuple[str, ...], content_dir: Path, output: str, lang: str, chromium: Path) -> None:
    """Visit URLs in Chromium and check their cookies against the notice; exit 1 on errors.

    Exits 2 with one line naming what to install when Playwright or Chromium is missing.
    """
    from notice.checks.report import exit_code
    from notice.loader import ContentError, load_content
    from notice.scan import ScanError, ScanSetupError, compare, observe

    try:
        content = load_content(content_dir, allow_html=True)
    except ContentError as exc:
        fail_on_content_error(exc, writes=False, output=output, message_lang=lang)
        return
    try:
        observation = observe(urls, chromium)
    except ScanSetupError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(2)
    except ScanError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(1)
    findings = compare(observation, content)
    echo_findings(findings, content, output, lang)
    sys.exit(exit_code(findings))


PREVIEW_DIR = Path("site-preview")
"""Where `notice serve --watch` builds by default: apart from `site/`, which `notice build` makes
for publishing (a preview without --pdf would drop the PDFs and their links from it)."""


def serve_folder(out_dir: Path | None, *, watch: bool) -> Path:
    """Return the folder `notice serve` serves: --out, else the preview's (with --watch) or the
    published build's."""
    if out_dir is not None:
        return out_dir
    return PREVIEW_DIR if watch else Path("site")


@main.command()
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Built site to serve [default: site; with --watch, site-preview, built there].",
)
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True)
@click.option("--watch", is_flag=True, help="Build, then rebuild whenever content changes.")
@CONTENT_OPTION
@click.option("--pdf", is_flag=True, help="With --watch: render PDFs too (slower).")
def serve(out_dir: Path | None, port: int, watch: bool, content_dir: Path, pdf: bool) -> None:
    """Serve a built site on http://127.0.0.1:PORT/ until interrupted.

    With --watch the pages show what the author must fix: content errors as an error page, the
    checker's findings on top of each page; a reload after the fix shows the page again. The
    preview is built into site-preview/ unless --out says otherwise, never over `notice build`'s
    site/.
    """
    import errno
    import threading

    from notice.serve import Watcher, make_server, serve_in_thread

    out_dir = serve_folder(out_dir, watch=watch)

    watcher = Watcher(content_dir, out_dir, pdf=pdf, report=click.echo) if watch else None
    if watcher is not None:
        watcher.build()
        out_dir.mkdir(parents=True, exist_ok=True)  # content that never built: the error page
    if not out_dir.is_dir():
        click.echo(f"{out_dir}: no built site here; run `notice build` or use --watch", err=True)
        sys.exit(1)
    try:
        if watcher is None:
            server = make_server(out_dir, port)
        else:
            server = make_server(out_dir, port, problems=watcher.current)
    except OSError as exc:
        if exc.errno != errno.EADDRINUSE:
            raise
        click.echo(
            f"port {port} is in use (another server?); choose another with --port, "
            "or --port 0 for any free port",
            err=True,
        )
        sys.exit(1)
    host, bound = server.server_address[:2]
    click.echo(f"Serving {out_dir} at http://{host}:{bound}/ (Ctrl+C to stop)")
    stop = threading.Event()
    serving: threading.Thread | None = None
    try:
        if watcher is None:
            server.serve_forever()
        else:
            serving = serve_in_thread(server)
            click.echo(f"Watching {content_dir} for changes")
            watcher.run(stop)
    except KeyboardInterrupt:
        pass
    finally:
        stop.set()
        if serving is not None:
            # Only a serving thread ends on shutdown(); asked of a server that never served
            # (Ctrl+C as the thread started), shutdown() would wait forever.
            server.shutdown()
        server.server_close()


@main.command()
@CONTENT_OPTION
@click.option(
    "--write",
    is_flag=True,
    help="Rewrite the files (each original kept as .v<its version>.bak, e.g. .v2.bak).",
)
def migrate(content_dir: Path, write: bool) -> None:
    """Rewrite content files in the current format (2.1) and say what changed."""
    import shutil
    import tempfile

    from notice.loader import ContentError, load_content
    from notice.migrate import migrate_content

    if not (content_dir / "site.yaml").is_file():
        click.echo(f"{content_dir}: no site.yaml here; give --content DIR", err=True)
        sys.exit(1)
    files = [f for f in migrate_content(content_dir) if f.changes]
    if not files:
        click.echo("every file is already in the current format")
        return
    # Load the migrated tree before touching anything: a migration that does not load is a bug,
    # and the author's files stay as they were.
    with tempfile.TemporaryDirectory() as tmp:
        trial = Path(tmp) / "content"
        shutil.copytree(content_dir, trial)
        for migration in files:
            (trial / migration.path.relative_to(content_dir)).write_text(
                migration.text, encoding="utf-8"
            )
        try:
            load_content(trial, allow_html=True)
        except ContentError as exc:
            for error in exc.errors:
                click.echo(str(error), err=True)
            click.echo("the migrated files do not load; nothing was written", err=True)
            sys.exit(1)
    for migration in files:
        click.echo(f"{migration.path}:")
        for change in migration.changes:
            click.echo(f"  {change}")
        if write:
            backup = migration.path.with_name(migration.backup_name)
            shutil.copyfile(migration.path, backup)
            migration.path.write_text(migration.text, encoding="utf-8")
    if write:
        kept = ", ".join(sorted({f".v{m.source_version}.bak" for m in files}))
        click.echo(
            f"rewrote {len(files)} file(s), comments and key order kept; "
            f"the originals are in the {kept} copies"
        )
    else:
        click.echo(f"{len(files)} file(s) to migrate; run again with --write to rewrite them")


@main.command()
@click.argument("register_id", metavar="ID")
@CONTENT_OPTION
@click.option(
    "--kind",
    type=click.Choice(["customers", "newsletter", "applicants", "employees", "generic"]),
    default="generic",
    show_default=True,
    help="Kind of register: names it and picks its usual legal bases.",
)
@click.option(
    "--basis",
    "bases",
    multiple=True,
    type=click.Choice(LEGAL_BASES),
    help="A legal basis (repeat for several); overrides the kind's.",
)
@click.option("--website", is_flag=True, help="Include the site's cookie section.")
def new(
    register_id: str, content_dir: Path, kind: str, bases: tuple[str, ...], website: bool
) -> None:
    """Write registers/ID.yaml with every mandatory element marked TODO."""
    from notice.model import LegalBasis
    from notice.scaffold import scaffold, site_analytics, site_languages

    target = content_dir / "registers" / f"{register_id}.yaml"
    if target.exists():
        click.echo(f"{target}: already exists; nothing was written", err=True)
        sys.exit(1)
    try:
        languages = site_languages(content_dir)
        text = scaffold(
            register_id,
            languages,
            kind=kind,
            bases=[LegalBasis(basis) for basis in bases],
            website=website,
            analytics=site_analytics(content_dir),
        )
    except ValueError as exc:
        click.echo(f"error: {exc}; nothing was written", err=True)
        sys.exit(1)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")
    click.echo(next_steps(target, text, languages, content_dir))


def next_steps(target: Path, text: str, languages: list[str], content_dir: Path) -> str:
    """Return what `notice new` says it wrote and what the newcomer does next, step by step."""
    fields = sum(1 for line in text.splitlines() if "TODO" in line and not line.startswith("#"))
    these = ", ".join(languages)
    return "\n".join(
        [
            f"wrote {target}: {fields} fields to fill, each marked TODO (in {these}).",
            "Next:",
            "  1. Open the file and replace every TODO with the real text, in every language;",
            "     the comments say what a field needs, and where `none` may stand instead.",
            f"  2. Run `notice check --content {content_dir}`: one line per field still to fill,",
            "     `file:line: ERROR rule: key: message`, until it reports no errors.",
            "     `notice check --explain RULE` gives a rule's legal source and a YAML example.",
            f"  3. See the notice: `notice serve --watch --content {content_dir}`",
            "     (it rebuilds on every save).",
        ]
    )


if __name__ == "__main__":  # pragma: no cover
    main()
