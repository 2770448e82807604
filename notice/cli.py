"""`notice` command line: build | check | scan | schema | serve.

Each command is a thin shell over a module named after it; content errors exit 1 with
`file:line: key: message` lines on stderr, never a traceback.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from notice.loader import Content, ContentError

if TYPE_CHECKING:
    from notice.checks.findings import Finding

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


def echo_findings(findings: list[Finding], content: Content, output: str, lang: str) -> None:
    """Print checker findings as linter lines or JSON."""
    from notice.checks.report import format_json, format_text

    if output == "json":
        click.echo(format_json(findings, content), nl=False)
    else:
        click.echo(format_text(findings, content, lang), nl=False)


def fail_on_content_error(exc: ContentError) -> None:
    """Print every content error and exit 1."""
    for error in exc.errors:
        click.echo(str(error), err=True)
    click.echo(f"{len(exc.errors)} error(s) in content; nothing was written.", err=True)
    sys.exit(1)


@click.group()
@click.version_option(package_name="seloste")
def main() -> None:
    """Privacy notices from YAML: validate, check and build them."""


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
@click.option("--lang", type=click.Choice(["en", "fi"]), default="en", help="Message language.")
@click.option(
    "--today",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="Date to check staleness against (default: today).",
)
def check(
    content_dir: Path,
    output: str,
    strict: bool,
    list_rules: bool,
    lang: str,
    today: dt.datetime | None,
) -> None:
    """Check the notices against GDPR Art 13/14; exit 1 on errors."""
    from notice.build import load_and_check
    from notice.checks.report import exit_code, rules_table

    if list_rules:
        click.echo(rules_table(lang), nl=False)
        return
    try:
        content, findings = load_and_check(content_dir, today=today.date() if today else None)
    except ContentError as exc:
        fail_on_content_error(exc)
        return
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
    help="Folder for the build's cache, outside --out [default: $SELOSTE_CACHE_DIR, else "
    "$XDG_CACHE_HOME/seloste/<hash of --out>].",
)
def build(
    content_dir: Path,
    out_dir: Path,
    no_pdf: bool,
    jobs: int | None,
    allow_errors: bool,
    cache_dir: Path | None,
) -> None:
    """Check the content and build the notice site (HTML, PDF, JSON, sitemap)."""
    from notice.build import BuildError, ChecksFailed, build_site

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
        fail_on_content_error(exc)
        return
    except ChecksFailed as exc:
        for finding in exc.findings:
            click.echo(finding.format() if hasattr(finding, "format") else str(finding), err=True)
        click.echo(
            f"{len(exc.findings)} error(s) found by the checks; nothing was written. "
            "Fix them, or publish anyway with --allow-errors.",
            err=True,
        )
        sys.exit(1)
    except BuildError as exc:
        click.echo(f"error: {exc}; nothing was written.", err=True)
        sys.exit(1)
    click.echo(report.line())


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
    """Visit URLs in Chromium and check their cookies against the notice; exit 1 on errors."""
    from notice.checks.report import exit_code
    from notice.loader import load_content
    from notice.scan import ScanError, compare, observe

    try:
        content = load_content(content_dir, allow_html=True)
    except ContentError as exc:
        fail_on_content_error(exc)
        return
    try:
        observation = observe(urls, chromium)
    except ScanError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(1)
    findings = compare(observation, content)
    echo_findings(findings, content, output, lang)
    sys.exit(exit_code(findings))


@main.command()
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, exists=True, path_type=Path),
    default=Path("site"),
    show_default=True,
    help="Built site to serve.",
)
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True)
def serve(out_dir: Path, port: int) -> None:
    """Serve a built site on http://127.0.0.1:PORT/ until interrupted."""
    from notice.serve import make_server

    server = make_server(out_dir, port)
    host, bound = server.server_address[:2]
    click.echo(f"Serving {out_dir} at http://{host}:{bound}/ (Ctrl+C to stop)")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


if __name__ == "__main__":  # pragma: no cover
    main()
