"""`portal audit verify|export|checkpoints`: the hash-chained audit trail."""

from __future__ import annotations

import sys
from typing import IO, Any

import click
from flask import current_app
from flask.cli import AppGroup


def register_commands(group: click.Group) -> None:
    """Add `audit verify`, `audit export` and `audit checkpoints` to the portal command group."""
    audit_group = AppGroup("audit", help="The hash-chained audit trail.")

    @audit_group.command("verify")
    @click.option(
        "--checkpoints",
        "exported_file",
        type=click.File("r", encoding="utf-8"),
        help="Checkpoints exported earlier (`audit checkpoints --export`), kept elsewhere.",
    )
    def verify_command(exported_file: IO[str] | None) -> None:
        """Check every event's hash and link and every signed checkpoint; exit 1 naming what
        does not hold. When all holds, sign a new checkpoint at the verified head."""
        from portal.core import audit, keys, seal
        from portal.db import get_session

        app = current_app._get_current_object()  # type: ignore[attr-defined]
        session = get_session()
        exported: list[dict[str, Any]] = []
        if exported_file is not None:
            try:
                exported = audit.read_checkpoints(exported_file, exported_file.name)
            except ValueError as error:
                click.echo(f"audit checkpoints not read: {error}", err=True)
                sys.exit(1)
        report = audit.verify(session)
        checks = audit.verify_checkpoints(session, keys.public_keys(app), exported)
        if report.ok and checks.ok:
            new = audit.checkpoint(session, seal.app_key(app), report)
            session.commit()
            click.echo(
                f"audit chain ok: {report.checked} event{'' if report.checked == 1 else 's'}, "
                f"head {report.head_hash}"
            )
            click.echo(
                f"signed checkpoints ok: {checks.checked} checked"
                + (
                    f", the newest vouches for {checks.latest_count} events"
                    if checks.checked
                    else ""
                )
                + (f"; checkpoint {new.id} signed at event {new.event_count}" if new else "")
            )
            return
        session.rollback()
        if not report.ok:
            click.echo(
                f"audit chain BROKEN at event {report.first_broken_id}: {report.reason} "
                f"({report.checked} earlier event(s) intact)",
                err=True,
            )
        for problem in checks.problems:
            click.echo(f"audit trail FAILS its signed checkpoints: {problem}", err=True)
        sys.exit(1)

    @audit_group.command("export")
    @click.option("--out", type=click.Path(dir_okay=False), help="File to write (default stdout).")
    def export_command(out: str | None) -> None:
        """Write the audit trail as JSON Lines."""
        from portal.core import audit
        from portal.db import get_session

        if out is None:
            audit.export(get_session(), sys.stdout)
            return
        with open(out, "w", encoding="utf-8") as handle:
            count = audit.export(get_session(), handle)
        click.echo(f"{count} events written to {out}", err=True)

    @audit_group.command("checkpoints")
    @click.option(
        "--export",
        "out",
        type=click.File("w", encoding="utf-8", lazy=False),
        help="Write them as JSON Lines to this file (`-`: standard output), to keep elsewhere.",
    )
    def checkpoints_command(out: IO[str] | None) -> None:
        """List the signed checkpoints, or export them for an auditor to keep."""
        from portal.core import audit
        from portal.db import get_session

        session = get_session()
        if out is not None:
            count = audit.export_checkpoints(session, out)
            if getattr(out, "name", "<stdout>") != "<stdout>":  # no note among the lines
                click.echo(f"{count} checkpoint(s) written to {out.name}", err=True)
            return
        for item in audit.list_checkpoints(session):
            click.echo(
                f"{item['seq']}  {item['at']}  {item['count']} events  head {item['head']}  "
                f"key {item['key_id']}  ({item['reason']})"
            )

    group.add_command(audit_group)
