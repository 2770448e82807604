"""Personal staff accounts: creation with a one-time password, disablement, resets, the CLI.

There are no default accounts (ASVS 6.3.2): the first admin is created once, with a random
one-time password printed to whoever starts the portal, and every new or reset password must be
changed at the next login.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import click
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from portal.core import passwords
from portal.core.models import StaffRole, StaffUser

USERNAME_RE = re.compile(r"^[a-z0-9][a-z0-9._-]{1,63}$")
FIRST_ADMIN = "admin"


class AccountError(ValueError):
    """An account operation was refused; `message` is a translatable explanation."""

    def __init__(self, message: object) -> None:
        super().__init__(str(message))
        self.message = message


def _audit(session: Session, action: str, *, actor: str, staff_id: int | None, detail: str) -> None:
    from portal.core import audit

    audit.record(session, action=action, actor=actor, staff_id=staff_id, detail=detail)


def find_staff(session: Session, username: str) -> StaffUser | None:
    """Return the account called `username` (case-insensitive), if any."""
    return session.scalar(select(StaffUser).where(StaffUser.username == username.strip().lower()))


def create_staff(
    session: Session,
    username: str,
    display_name: str,
    role: str,
    email: str | None = None,
    *,
    created_by: int | None = None,
) -> tuple[StaffUser, str]:
    """Create an account and return it with its one-time password (caller commits)."""
    username = username.strip().lower()
    if not USERNAME_RE.match(username):
        raise AccountError(
            _l("A username is 2–64 lower-case letters, digits, dots, hyphens or underscores.")
        )
    if role not in set(StaffRole):
        raise AccountError(_l("The role must be handler or admin."))
    if not display_name.strip():
        raise AccountError(_l("Give the person's name."))
    if find_staff(session, username) is not None:
        raise AccountError(_l("That username is already taken."))
    one_time = passwords.one_time_password()
    user = StaffUser(
        username=username,
        display_name=display_name.strip(),
        email=(email or "").strip() or None,
        role=role,
        password_hash=passwords.hash_password(one_time),
        must_change_password=True,
        is_active=True,
        session_version=1,
        failed_logins=0,
    )
    session.add(user)
    session.flush()
    _audit(
        session,
        "staff.create",
        actor="staff" if created_by else "system",
        staff_id=created_by,
        detail=f"account={user.id} role={role}",
    )
    return user, one_time


def ensure_first_admin(session: Session) -> str | None:
    """Create the `admin` account once and return its one-time password; None if any exists."""
    if session.scalar(select(func.count()).select_from(StaffUser)):
        return None
    _user, one_time = create_staff(session, FIRST_ADMIN, "Administrator", StaffRole.admin)
    session.commit()
    return one_time


def disable_staff(session: Session, user: StaffUser, *, by: int | None = None) -> None:
    """Disable an account; its sessions die at their next request (caller commits)."""
    user.is_active = False
    user.session_version += 1
    session.flush()
    _audit(
        session,
        "staff.disable",
        actor="staff" if by else "system",
        staff_id=by,
        detail=f"account={user.id}",
    )


def enable_staff(session: Session, user: StaffUser, *, by: int | None = None) -> None:
    """Enable a disabled account again (caller commits)."""
    user.is_active = True
    user.failed_logins = 0
    user.locked_until = None
    session.flush()
    _audit(
        session,
        "staff.enable",
        actor="staff" if by else "system",
        staff_id=by,
        detail=f"account={user.id}",
    )


def reset_password(
    session: Session, user: StaffUser, *, by: int | None = None, reset_totp: bool = False
) -> str:
    """Give the account a new one-time password (and optionally a new second factor)."""
    one_time = passwords.one_time_password()
    user.password_hash = passwords.hash_password(one_time)
    user.must_change_password = True
    user.failed_logins = 0
    user.locked_until = None
    user.session_version += 1
    if reset_totp:
        user.totp_secret = None
        user.totp_last_step = None
    session.flush()
    _audit(
        session,
        "staff.reset_password",
        actor="staff" if by else "system",
        staff_id=by,
        detail=f"account={user.id} totp_reset={'yes' if reset_totp else 'no'}",
    )
    return one_time


def change_password(session: Session, user: StaffUser, new_password: str) -> None:
    """Set the person's own new password after checking the policy (caller commits)."""
    if passwords.verify_password(user.password_hash, new_password):
        raise passwords.PasswordRejected(_l("Choose a password you have not used here now."))
    passwords.check_password(new_password, user.username)
    user.password_hash = passwords.hash_password(new_password)
    user.must_change_password = False
    user.session_version += 1
    session.flush()
    _audit(session, "staff.change_password", actor="staff", staff_id=user.id, detail="")


def list_staff(session: Session) -> Sequence[StaffUser]:
    """Return every account, by username."""
    return session.scalars(select(StaffUser).order_by(StaffUser.username)).all()


def register_commands(group: click.Group) -> None:
    """Add `portal staff add|disable|enable|reset-password|list`."""
    from flask.cli import AppGroup

    from portal.db import get_session

    staff = AppGroup("staff", help="Personal staff accounts.")

    def _get(session: Session, username: str) -> StaffUser:
        user = find_staff(session, username)
        if user is None:
            raise click.ClickException(f"no account called {username!r}")
        return user

    @staff.command("add")
    @click.argument("username")
    @click.option("--name", "display_name", required=True, help="The person's full name.")
    @click.option("--role", type=click.Choice([r.value for r in StaffRole]), default="handler")
    @click.option("--email", default=None, help="Work e-mail address (optional).")
    def add_command(username: str, display_name: str, role: str, email: str | None) -> None:
        """Create an account and print its one-time password."""
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
        session = get_session()
        disable_staff(session, _get(session, username))
        session.commit()
        click.echo(f"disabled {username}")

    @staff.command("enable")
    @click.argument("username")
    def enable_command(username: str) -> None:
        """Enable a disabled account."""
        session = get_session()
        enable_staff(session, _get(session, username))
        session.commit()
        click.echo(f"enabled {username}")

    @staff.command("reset-password")
    @click.argument("username")
    @click.option("--totp", is_flag=True, help="Also remove the second factor (lost device).")
    def reset_command(username: str, totp: bool) -> None:
        """Give an account a new one-time password and print it."""
        session = get_session()
        one_time = reset_password(session, _get(session, username), reset_totp=totp)
        session.commit()
        click.echo(f"one-time password for {username}: {one_time}")

    @staff.command("list")
    def list_command() -> None:
        """List accounts: username, role, state, second factor."""
        for user in list_staff(get_session()):
            state = "active" if user.is_active else "disabled"
            factor = "totp" if user.totp_secret else "-"
            click.echo(f"{user.username}\t{user.role}\t{state}\t{factor}\t{user.display_name}")

    group.add_command(staff)
