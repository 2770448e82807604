"""`portal consent verify|export`: the consent records of the cookie banner."""

from __future__ import annotations

import json
import sys

import click
from flask.cli import AppGroup


def register_commands(group: click.Group) -> None:
    """Add `consent verify` and `consent export` to the portal command group."""
    consent_group = AppGroup("consent", help="Consent records of the cookie banner.")

    @consent_group.command("verify")
    def verify_command() -> None:
        """Check every consent record's hash and link and the anchors in the audit trail, and
        that the staff page's counters equal a count of the records held."""
        from portal.core import consent
        from portal.db import get_session

        session = get_session()
        report = consent.verify(session)
        if not report.ok:
            click.echo(f"consent chain BROKEN: {report.problem}", err=True)
            sys.exit(1)
        click.echo(f"consent chain ok: {report.checked} record(s)")
        kept, counted = consent.counts(session), consent.recount(session)
        if kept != counted:
            wrong = [key for key in ("revision", "source", "category") if kept[key] != counted[key]]
            click.echo(f"consent counts WRONG by {', '.join(wrong)}: "
                       f"kept {[kept[k] for k in wrong]}, "
                       f"records {[counted[k] for k in wrong]}", err=True)  # fmt: skip
            sys.exit(1)
        click.echo("consent counts ok")

    @consent_group.command("export")
    def export_command() -> None:
        """Write every consent record as DPV JSON-LD to standard output."""
        from portal.core import consent, content
        from portal.db import get_session

        document = consent.jsonld(get_session(), content.controller_name())
        click.echo(json.dumps(document, ensure_ascii=False, indent=2))

    group.add_command(consent_group)
