"""`portal staff add|disable|enable|reset-password|list`: personal staff accounts."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click
from flask.cli import AppGroup

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from portal.core.models import StaffUser


class StaffRoles(click.Choice[str]):
    """`--role`'s choices: `StaffRole`'s values, read when the option is shown or checked, so that
    `portal staff --help` imports neither the domain nor SQLAlchemy."""

    def __init__(self) -> None:
        super().__init__(())

    @property  # type: ignore[override]
    def choices(self) -> tuple[str, ...]:
        """Return the value of every `StaffRole`."""
        from portal.core.models import StaffRole

        return tuple(role.value for role in StaffRole)

    @choices.setter
    def choices(self, _given: object) -> None:
        """Ignore what `click.Choice` sets: the roles are the domain's."""


def _get(session: Session, username: str) -> StaffUser:
    from portal.core.accounts import find_staff

    user = find_staff(session, username)
    if user is None:
        raise click.ClickException(f"no account called {username!r}")
    return user


def register_commands(group: click.Group) -> None:
    """Add `portal staff add|disable|enable|reset-password|list`."""
    staff = AppGroup("staff", help="Personal staff accounts.")

    @staff.command("add")
    @click.argument("username")
    @click.option("--name", "display_name", required=True, help="The person's full name.")
    @click.option("--role", type=StaffRoles(), default="handler")
    @click.option("--email", default=None, help="Work e-mail address (optional).")
    def add_command(username: str, display_name: str, role: str, email: str | None) -> None:
        """Create an account and print its one-time password."""
        from portal.core.accounts import AccountError, create_staff
        from portal.db import get_session

        session = get_session()
        try:
            user, one_time = create_staff(session, username, display_name, role, email)
        except AccountError as error:
            raise click.ClickException(str(error.message)) from None
        session.commit()
        click.echo(f"created {user.username} ({role}); one-time password: {one_time}")
        click.echo("It must be changed at the first login.")

    @staff.command("disable")
    @click.argument("username")
    def disable_command(username: str) -> None:
        """Disable an account and end its sessions."""
        from portal.core.accounts import disable_staff
        from portal.db import get_session

        session = get_session()
        disable_staff(session, _get(session, username))
        session.commit()
        click.echo(f"disabled {username}")

    @staff.command("enable")
    @click.argument("username")
    def enable_command(username: str) -> None:
        """Enable a disabled account."""
        from portal.core.accounts import enable_staff
        from portal.db import get_session

        session = get_session()
        enable_staff(session, _get(session, username))
        session.commit()
        click.echo(f"enabled {username}")

    @staff.command("reset-password")
    @click.argument("username")
    @click.option("--totp", is_flag=True, help="Also remove the second factor (lost device).")
    def reset_command(username: str, totp: bool) -> None:
        """Give an account a new one-time password and print it."""
        from portal.core.accounts import reset_password
        from portal.db import get_session

        session = get_session()
        one_time = reset_password(session, _get(session, username), reset_totp=totp)
        session.commit()
        click.echo(f"one-time password for {username}: {one_time}")

    @staff.command("list")
    def list_command() -> None:
        """List accounts: username, role, state, second factor."""
        from portal.core.accounts import list_staff
        from portal.db import get_session

        for user in list_staff(get_session()):
            state = "active" if user.is_active else "disabled"
            factor = "totp" if user.totp_secret else "-"
            click.echo(f"{user.username}\t{user.role}\t{state}\t{factor}\t{user.display_name}")

    group.add_command(staff)
