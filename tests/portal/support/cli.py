"""The `portal` command line, run in-process on a test's app."""

from __future__ import annotations

from click.testing import CliRunner, Result
from flask import Flask
from flask.cli import ScriptInfo

from portal.cli import main


def cli(app: Flask, *args: str) -> Result:
    """Run `portal ARGS…` on `app` and return the result (output, exit code)."""
    return CliRunner().invoke(main, list(args), obj=ScriptInfo(create_app=lambda: app))
