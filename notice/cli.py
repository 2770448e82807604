"""`notice` command line: build | check | schema | serve.

Each command is a thin shell over a module named after it; content errors exit 1 with
`file:line: key: message` lines on stderr, never a traceback.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from notice.loader import ContentError

CONTENT_OPTION = click.option(
    "--content",
    "content_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("content"),
    show_default=True,
    help="Folder with site.yaml and registers/.",
)


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


if __name__ == "__main__":  # pragma: no cover
    main()
