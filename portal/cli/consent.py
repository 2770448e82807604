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
        """Check every consent record's hash and link and the anchors in the audit trail."""
        from portal.core import consent
        from portal.db import get_session

        report = consent.verify(get_session())
        if report.ok:
            click.echo(f"consent chain ok: {report.checked} record(s)")
            return
        click.echo(f"consent chain BROKEN: {report.problem}", err=True)
        sys.exit(1)

    @consent_group.command("export")
    def export_command() -> None:
        """Write every consent record as DPV JSON-LD to standard output."""
        from portal.core import consent, content
        from portal.db import get_session

        document = consent.jsonld(get_session(), content.controller_name())
        click.echo(json.dumps(document, ensure_ascii=False, indent=2))

    group.add_command(consent_group)
