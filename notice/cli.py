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


if __name__ == "__main__":  # pragma: no cover
    main()
