"""`portal --help` lists every command without importing the app, Flask or SQLAlchemy.

The start-up time itself is measured by bench/cli_startup.py; here what makes it fast is pinned:
which modules `--help` imports, and that the list it prints says what each command says of
itself.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from portal.cli import COMMANDS, main
from tests import REPO_ROOT

HEAVY = ("flask", "werkzeug", "jinja2", "sqlalchemy", "alembic", "portal.web", "portal.db")


def _run_help(module: str, *args: str) -> tuple[str, list[str]]:
    """Run `<module> ARGS --help` in a fresh process; return its output and imported modules."""
    code = (
        "import json, sys\n"
        f"from {module} import main\n"
        "try:\n"
        "    main(sys.argv[1:])\n"
        "except SystemExit:\n"
        "    pass\n"
        "print(json.dumps(sorted(sys.modules)), file=sys.stderr)\n"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PORTAL_", "FLASK_"))}
    done = subprocess.run(
        [sys.executable, "-c", code, *args, "--help"],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return done.stdout, json.loads(done.stderr.splitlines()[-1])


def test_portal_help_lists_commands_without_importing_the_app() -> None:
    output, modules = _run_help("portal.cli")
    assert [m for m in modules if m in HEAVY or m.startswith(tuple(f"{h}." for h in HEAVY))] == []
    assert [m for m in modules if m.startswith("portal")] == [
        "portal",
        "portal.cli",
        "portal.config",
        "portal.core",
        "portal.core.paths",
    ]
    assert "python-dotenv" not in output and "--env-file" not in output and "--app" not in output
    assert output.splitlines()[:8] == [
        "Usage: -c [OPTIONS] COMMAND [ARGS]...",
        "",
        "  Seloste request portal: intake, staff queue, mail, audit and retention.",
        "",
        "Options:",
        "  --instance DIRECTORY  Instance folder (keys, settings, SQLite file); default",
        "                        PORTAL_INSTANCE_PATH, else instance/.",
        "  --help                Show this message and exit.",
    ]
    listed = [
        line.split()[0] for line in output.split("Commands:\n")[1].splitlines() if line[2] != " "
    ]
    assert listed == sorted(COMMANDS)


def test_listed_help_is_each_commands_own_and_every_command_loads() -> None:
    ctx = click.Context(main, obj=None)
    for name, (_, line) in COMMANDS.items():
        command = main.get_command(ctx, name)
        assert command is not None, name
        assert command.get_short_help_str(limit=500) == line, name
    assert main.get_command(ctx, "no-such-command") is None


def test_every_existing_command_is_still_there() -> None:
    ctx = click.Context(main, obj=None)
    expected = {
        "db": {"upgrade"},
        "staff": {"add", "disable", "enable", "reset-password", "list"},
        "audit": {"verify", "export", "checkpoints"},
        "keys": {"export", "show", "rotate", "rotate-oidc", "import"},
        "files": {"rotate-key", "status", "move-to-db"},
    }
    for group, subcommands in expected.items():
        command = main.get_command(ctx, group)
        assert isinstance(command, click.Group)
        assert set(command.list_commands(ctx)) == subcommands, group
    for single in (
        "init",
        "send-mail",
        "remind",
        "purge",
        "verify-receipt",
        "routes",
        "shell",
        "backup",
        "restore",
    ):
        assert not isinstance(main.get_command(ctx, single), click.Group), single


def test_a_command_s_own_help_imports_only_its_module() -> None:
    output, modules = _run_help("portal.cli", "staff")
    assert "list            List accounts: username, role, state, second factor." in output
    assert [m for m in modules if m.startswith("portal.web")] == []
    assert "portal.core.notify" not in modules and "portal.core.files" not in modules


@pytest.mark.parametrize(
    "command", ["staff", "purge", "send-mail", "remind", "keys", "audit", "files"]
)
def test_a_command_s_own_help_imports_neither_the_domain_nor_sqlalchemy(command: str) -> None:
    output, modules = _run_help("portal.cli", command)
    assert output.startswith(f"Usage: -c {command} [OPTIONS]")
    assert [m for m in modules if m.startswith(("portal.core.", "portal.db", "sqlalchemy"))] == [
        "portal.core.paths"
    ]
    assert f"portal.cli.{COMMANDS[command][0].rpartition('.')[2]}" in modules


def test_staff_roles_offered_are_the_domain_s() -> None:
    from portal.cli.accounts import StaffRoles
    from portal.core.models import StaffRole

    values = [role.value for role in StaffRole]
    assert list(StaffRoles().choices) == values and "admin" in values
    output, _ = _run_help("portal.cli", "staff", "add")
    assert f"--role [{'|'.join(values)}]" in output
    result = CliRunner().invoke(main, ["staff", "add", "x", "--name", "X", "--role", "boss"])
    assert result.exit_code == 2
    assert f"Invalid value for '--role': 'boss' is not one of {', '.join(map(repr, values))}" in (
        result.output
    )


def test_files_batch_default_is_the_domain_s() -> None:
    from portal.cli.files import BATCH
    from portal.core import filekeys

    assert BATCH == filekeys.BATCH
    output, _ = _run_help("portal.cli", "files", "rotate-key")
    assert "--batch INTEGER  Keys per commit.  [default: 200]" in output


def test_database_commands_run_on_the_app_without_the_web_layer(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from flask.cli import ScriptInfo

    from portal import db
    from portal.cli import DATABASE_ONLY, create_database_app

    url = f"sqlite:///{tmp_path / 'portal.sqlite3'}"
    monkeypatch.setenv("PORTAL_DATABASE_URL", url)
    db.upgrade(url)
    app = create_database_app(tmp_path / "instance")
    assert app.instance_path == str(tmp_path / "instance")
    assert app.blueprints == {} and "babel" in app.extensions
    info = ScriptInfo(create_app=lambda: app)
    runner = CliRunner()

    def portal(*args: str) -> tuple[int, str]:
        result = runner.invoke(main, list(args), obj=info)
        return result.exit_code, result.output

    code, added = portal("staff", "add", "aino.ek", "--name", "Aino Ek", "--role", "handler")
    assert code == 0 and added.startswith("created aino.ek (handler); one-time password: ")
    assert portal("staff", "list") == (0, "aino.ek\thandler\tactive\t-\tAino Ek\n")
    # An error message (a lazily translated text) reads as text, not as a traceback.
    assert portal("staff", "add", "Ä", "--name", "X", "--role", "admin") == (
        1,
        "Error: A username is 2–64 lower-case letters, digits, dots, hyphens or underscores.\n",
    )
    code, verified = portal("audit", "verify")
    assert code == 0 and verified.startswith("audit chain ok: ")
    assert portal("db", "upgrade") == (0, "database is up to date\n")
    assert DATABASE_ONLY == {"audit", "db", "staff"}


def test_every_command_uses_the_instance_folder_it_is_given(tmp_path: Path) -> None:
    """`portal --instance DIR` and PORTAL_INSTANCE_PATH reach init and the commands after it."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PORTAL_", "FLASK_"))}
    portal = str(Path(sys.executable).parent / "portal")
    first, second = tmp_path / "first", tmp_path / "second"

    def run(*args: str, **extra: str) -> str:
        done = subprocess.run(
            [portal, *args], cwd=tmp_path, env=env | extra, capture_output=True, text=True
        )
        assert done.returncode == 0, done.stderr
        return done.stdout

    run("--instance", str(first), "init")
    run("init", PORTAL_INSTANCE_PATH=str(second))
    for folder in (first, second):
        assert (folder / "secret_key").is_file() and (folder / "portal.sqlite3").is_file()
    run("--instance", str(first), "staff", "add", "aino", "--name", "Aino A", "--role", "admin")
    assert "aino" in run("--instance", str(first), "staff", "list")
    assert "aino" not in run("staff", "list", PORTAL_INSTANCE_PATH=str(second))


def test_a_missing_set_up_is_one_line_that_says_what_to_do(tmp_path: Path) -> None:
    """No secret, a database without the portal's tables, an unreachable server: one line each."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PORTAL_", "FLASK_"))}
    portal = str(Path(sys.executable).parent / "portal")
    instance = tmp_path / "instance"

    def run(*args: str, **extra: str) -> tuple[int, str]:
        done = subprocess.run(
            [portal, "--instance", str(instance), *args],
            cwd=tmp_path,
            env=env | extra,
            capture_output=True,
            text=True,
        )
        assert "Traceback" not in done.stderr
        return done.returncode, (done.stderr.strip() or "-").splitlines()[-1]

    assert run("purge") == (
        1,
        "Error: no SECRET_KEY: set PORTAL_SECRET_KEY or run `portal init` "
        "(writes instance/secret_key)",
    )
    assert run("init")[0] == 0
    empty = f"sqlite:///{tmp_path / 'empty.sqlite3'}"
    for command, table in (("purge", "data_request"), ("staff", "staff_user")):
        args = ("staff", "list") if command == "staff" else (command,)
        assert run(*args, PORTAL_DATABASE_URL=empty) == (
            1,
            f"Error: the database has no portal tables (no such table: {table}): run "
            "`portal init`, or `portal db upgrade` for a database made by an earlier version",
        )
    code, line = run("audit", "verify", PORTAL_DATABASE_URL="postgresql+psycopg://127.0.0.1:1/x")
    assert code == 1 and line.startswith("Error: cannot reach the database (connection failed: ")
    assert line.endswith("): check PORTAL_DATABASE_URL and the server")
