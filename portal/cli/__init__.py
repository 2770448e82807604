"""`portal` command line: the portal's commands, each loaded only when it runs.

The command line is an adapter beside `portal.web`: each area's commands live in a module of this
package (`portal.cli.accounts` for `portal staff`, `portal.cli.keys`, …), which parses options,
calls the domain functions of `portal.core` and prints; the domain imports neither click nor
flask.cli (tests/test_layers.py). Each module adds its commands with `register_commands(group)`;
this file names them, with their one-line help, so that `portal --help` lists them without
importing the app, Flask or SQLAlchemy. A command's module is imported when the command runs (or
shows its own help), and the app is made only inside the commands that need it (Flask's
`with_appcontext`). A module imports the domain (and with it SQLAlchemy) inside its commands, so
that `portal staff --help` costs Flask's import and no more (bench/cli_startup.py). `init`
prepares an instance before any app can start.
"""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

if TYPE_CHECKING:
    from flask import Flask

COMMANDS: dict[str, tuple[str, str]] = {
    "audit": ("portal.cli.audit", "The hash-chained audit trail."),
    "consent": ("portal.cli.consent", "Consent records of the cookie banner."),
    "db": ("portal.cli.db", "Database schema."),
    "files": ("portal.cli.files", "Encrypted attachments: where they are, what wraps their keys."),
    "init": (
        "portal.cli.init",
        "Prepare an instance: secret, signing and master keys (0600), database; print next steps.",
    ),
    "keys": ("portal.cli.keys", "The receipt-signing key."),
    "purge": (
        "portal.cli.retention",
        "Delete expired unconfirmed requests and anonymise closed ones past retention.",
    ),
    "remind": (
        "portal.cli.reminders",
        "E-mail each handler their requests due soon or overdue; unassigned ones to admins.",
    ),
    "routes": ("flask.cli", "Show the routes for the app."),
    "run": ("flask.cli", "Run a development server."),
    "send-mail": (
        "portal.cli.mail",
        "Send queued e-mail over SMTP (retries with backoff; failed after MAIL_MAX_ATTEMPTS).",
    ),
    "shell": ("flask.cli", "Run a shell in the app context."),
    "staff": ("portal.cli.accounts", "Personal staff accounts."),
    "backup": (
        "portal.cli.backup",
        "Write the database, the encrypted files and the keys (encrypted) to one file.",
    ),
    "restore": (
        "portal.cli.backup",
        "Bring a backup back into an empty instance folder and an empty database.",
    ),
    "verify-receipt": (
        "portal.cli.keys",
        "Check a receipt: its PDF or its JSON (FILE, or - for standard input).",
    ),
}
"""Every command: the module that registers it and the line `portal --help` shows for it
(tests/portal/test_cli_startup.py keeps these lines equal to the commands' own help)."""


_FLASK_COMMANDS = {"routes": "routes_command", "run": "run_command", "shell": "shell_command"}


DATABASE_ONLY = frozenset({"audit", "db", "staff"})
"""Commands that use only the settings and the database: they run on `create_database_app`."""


def chosen_instance(given: Path | None = None) -> Path:
    """Return the instance folder of this command: its own option, `portal --instance`,
    `PORTAL_INSTANCE_PATH`, else `instance/` in the checkout."""
    from portal import config

    if given is None:
        context = click.get_current_context(silent=True)
        root = context.find_root() if context is not None else None
        given = root.params.get("instance") if root is not None else None
    return config.instance_path(given)


def _create_app(warm_up: bool = False) -> Flask:
    """Return the app of a command; only a server (`portal run`) warms up for visitors."""
    from portal import create_app

    return create_app({"INSTANCE_PATH": str(chosen_instance()), "WARM_UP": warm_up})


def create_database_app(instance: Path | None = None) -> Flask:
    """Return the app of a command that only reads and writes the database: the instance's
    settings, the engine and the message catalogs, without the web layer (its imports take
    most of the portal's start-up)."""
    from flask import Flask
    from flask_babel import Babel

    from portal import db
    from portal.config import ConfigurationError, load_settings

    # Without `instance`, the instance folder create_app uses.
    app = Flask(
        "portal", instance_relative_config=True, instance_path=str(chosen_instance(instance))
    )
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    try:
        app.config.update(load_settings(Path(app.instance_path)))
    except ConfigurationError as exc:
        raise click.ClickException(str(exc)) from None
    Babel(app)
    db.init_app(app)
    return app


class PortalGroup(click.Group):
    """The portal's command group: lists commands from `COMMANDS`, loads one when it runs."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        """Return every command's name, without importing any of them."""
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        """Import the module of `cmd_name` and return the command it registers."""
        if cmd_name not in COMMANDS:
            return None
        from flask.cli import AppGroup, ScriptInfo

        if ctx.obj is None:  # tests pass their own app; `portal` makes it from the instance
            light = cmd_name in DATABASE_ONLY
            serves = cmd_name == "run"
            ctx.obj = ScriptInfo(
                create_app=create_database_app if light else (lambda: _create_app(warm_up=serves))
            )
        module = importlib.import_module(COMMANDS[cmd_name][0])
        if cmd_name in _FLASK_COMMANDS:
            command: click.Command = getattr(module, _FLASK_COMMANDS[cmd_name])
            return command
        loaded = AppGroup()  # its commands run inside the app context, as Flask's CLI does
        module.register_commands(loaded)
        return loaded.commands[cmd_name]

    def invoke(self, ctx: click.Context) -> Any:
        """Run the command; a missing setting, an unreachable database or one without the
        portal's tables is a one-line error that says what to do, not a traceback."""
        try:
            return super().invoke(ctx)
        except Exception as exc:
            message = _problem_to_report(exc)
            if message is None:
                raise
            raise click.ClickException(message) from None

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """Write the command list from `COMMANDS` (no command is imported for it)."""
        with formatter.section("Commands"):
            formatter.write_dl([(name, COMMANDS[name][1]) for name in sorted(COMMANDS)])


@click.group(cls=PortalGroup)
@click.option(
    "--instance",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Instance folder (keys, settings, SQLite file); default PORTAL_INSTANCE_PATH, "
    "else instance/.",
)
def main(instance: Path | None) -> None:
    """Seloste request portal: intake, staff queue, mail, audit and retention."""


def _problem_to_report(exc: BaseException) -> str | None:
    """Return the one-line message for a problem of set-up rather than of code, else None."""
    import sys

    from portal.config import ConfigurationError

    if isinstance(exc, ConfigurationError):
        return str(exc)
    if "sqlalchemy" not in sys.modules:
        return None
    from sqlalchemy.exc import DBAPIError

    if not isinstance(exc, DBAPIError):
        return None
    detail = str(exc.orig).strip().splitlines()[0] if exc.orig is not None else str(exc)
    lowered = detail.lower()
    if "no such table" in lowered or ("relation" in lowered and "does not exist" in lowered):
        return (
            f"the database has no portal tables ({detail}): run `portal init`, "
            "or `portal db upgrade` for a database made by an earlier version"
        )
    if exc.connection_invalidated or "connect" in lowered or "unable to open" in lowered:
        return f"cannot reach the database ({detail}): check PORTAL_DATABASE_URL and the server"
    return None
