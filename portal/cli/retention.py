"""`portal purge`: retention of requests, consent records and files."""

from __future__ import annotations

import click
from flask import current_app


def register_commands(group: click.Group) -> None:
    """Add `purge` to the portal command group."""

    @group.command("purge")
    @click.option("--dry-run", is_flag=True, help="Only count what would be purged.")
    def purge_command(dry_run: bool) -> None:
        """Delete expired unconfirmed requests and anonymise closed ones past retention."""
        from portal.core import answers, consent
        from portal.core.retention import purge
        from portal.db import get_session

        config = current_app.config
        report = purge(
            get_session(),
            unconfirmed_days=int(config["UNCONFIRMED_RETENTION_DAYS"]),
            closed_days=int(config["CLOSED_RETENTION_DAYS"]),
            dry_run=dry_run,
        )
        verb = "would delete" if dry_run else "deleted"
        verb2 = "would anonymise" if dry_run else "anonymised"
        click.echo(
            f"{verb} {report.deleted} unconfirmed request(s) older than "
            f"{config['UNCONFIRMED_RETENTION_DAYS']} days; {verb2} {report.anonymised} closed "
            f"request(s) older than {config['CLOSED_RETENTION_DAYS']} days"
        )
        if not dry_run:
            records = consent.purge(get_session())
            click.echo(f"deleted {records} expired consent record(s)")
            files_report = answers.purge_files(get_session(), current_app.instance_path)
            click.echo(
                f"deleted {files_report.expired} expired file(s) and "
                f"{files_report.orphans} unreferenced file(s)"
            )
