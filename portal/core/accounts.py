"""Personal staff accounts: creation with a one-time password, disablement, resets.

There are no default accounts (ASVS 6.3.2): the first admin is created once, with a random
one-time password printed to whoever starts the portal, and every new or reset password must be
changed at the next login.

Failed sign-ins lock per account *and* client address, so a stranger cannot lock the owner out.
Each (account, address) pair has its own count and a growing lock (`lock_delay`). An address is
*known* once it has signed in to the account successfully (for `KNOWN_FOR`); so is a browser
holding the signed device cookie such a sign-in leaves (counted under its own key, so it works
behind a proxy that gives every client one address — see portal.web.auth); failures from
addresses that are not known also count on the account, whose lock then refuses every address
that is not known — many addresses guessing together are stopped, while the owner's correct
password from a known address still works. Counts are single `UPDATE … RETURNING` statements, so
parallel guesses are each counted.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import re
from collections.abc import Sequence
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from portal.core import passwords
from portal.core.models import StaffLoginAddress, StaffRole, StaffUser

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


LOCK_AFTER = 5
"""Failed attempts allowed (per address, and per account from unknown addresses) before a lock."""
LOCK_BASE = dt.timedelta(seconds=30)
LOCK_MAX = dt.timedelta(minutes=30)
KNOWN_FOR = dt.timedelta(days=180)
"""How long an address stays known after its last successful sign-in."""


def lock_delay(failed_logins: int) -> dt.timedelta | None:
    """Return how long a lock lasts after `failed_logins` failures (None: no lock yet)."""
    if failed_logins < LOCK_AFTER:
        return None
    return min(LOCK_BASE * 2 ** (failed_logins - LOCK_AFTER), LOCK_MAX)


def address_key(secret: str | bytes, address: str) -> str:
    """Return the key an address is counted under: an HMAC, so no address is stored."""
    key = secret.encode() if isinstance(secret, str) else secret
    message = b"staff sign-in address\0" + address.encode("utf-8", "replace")
    return hmac.new(key, message, hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class SignInState:
    """Where a sign-in comes from (`key`: an address or a trusted device), whether the account
    knows it, and whether it is locked out now."""

    key: str
    known: bool
    locked: bool


def _aware(value: dt.datetime | None) -> dt.datetime | None:
    if value is None or value.tzinfo is not None:
        return value
    return value.replace(tzinfo=dt.UTC)  # SQLite hands back naive UTC values


def _after(value: dt.datetime | None, now: dt.datetime) -> bool:
    aware = _aware(value)
    return aware is not None and aware > now


def sign_in_state(
    session: Session, user: StaffUser, key: str, now: dt.datetime, *, trusted_device: bool = False
) -> SignInState:
    """Return whether `key` (an address, or a device that signed in before: `trusted_device`)
    is known to the account and whether it is locked out."""
    row = session.get(StaffLoginAddress, (user.id, key), populate_existing=True)
    known_at = _aware(row.known_at) if row is not None else None
    known = trusted_device or (known_at is not None and known_at > now - KNOWN_FOR)
    locked = (row is not None and _after(row.locked_until, now)) or (
        not known and _after(user.locked_until, now)
    )
    return SignInState(key=key, known=known, locked=locked)


def _ensure_address(session: Session, staff_id: int, key: str) -> None:
    # The dialects are imported here, when an address is counted: every command that imports
    # this module (`portal staff list`) would otherwise pay for PostgreSQL's on a SQLite database.
    if session.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert  # type: ignore[assignment]
    session.execute(
        insert(StaffLoginAddress)
        .values(staff_id=staff_id, address_key=key, failures=0)
        .on_conflict_do_nothing()
    )


def count_failed_sign_in(
    session: Session, user: StaffUser, state: SignInState, now: dt.datetime
) -> None:
    """Count a failure against the (account, address) pair, and against the account when the
    address is not known; lock either for `lock_delay`. The caller commits."""
    key = state.key
    _ensure_address(session, user.id, key)
    pair = StaffLoginAddress
    failures = session.execute(
        update(pair)
        .where(pair.staff_id == user.id, pair.address_key == key)
        .values(failures=pair.failures + 1)
        .returning(pair.failures)
        .execution_options(synchronize_session=False)
    ).scalar_one()
    delay = lock_delay(failures)
    if delay is not None:
        session.execute(
            update(pair)
            .where(pair.staff_id == user.id, pair.address_key == key)
            .values(locked_until=now + delay)
            .execution_options(synchronize_session=False)
        )
    if state.known:
        return
    count = session.execute(
        update(StaffUser)
        .where(StaffUser.id == user.id)
        .values(failed_logins=StaffUser.failed_logins + 1)
        .returning(StaffUser.failed_logins)
        .execution_options(synchronize_session=False)
    ).scalar_one()
    set_committed_value(user, "failed_logins", count)
    delay = lock_delay(count)
    if delay is not None:
        user.locked_until = now + delay


def count_sign_in(session: Session, user: StaffUser, state: SignInState, now: dt.datetime) -> None:
    """Record a successful sign-in: the address becomes known and its count starts over. The
    account's count starts over too, unless a known address signs in while strangers are locked
    out (their lock stands). The caller commits."""
    key = state.key
    _ensure_address(session, user.id, key)
    session.execute(
        update(StaffLoginAddress)
        .where(StaffLoginAddress.staff_id == user.id, StaffLoginAddress.address_key == key)
        .values(failures=0, locked_until=None, known_at=now)
        .execution_options(synchronize_session=False)
    )
    if not (state.known and _after(user.locked_until, now)):
        user.failed_logins = 0
        user.locked_until = None


def _unlock_addresses(session: Session, user: StaffUser) -> None:
    """Lift every address's lock on the account (an admin's reset); known addresses stay known."""
    session.execute(
        update(StaffLoginAddress)
        .where(StaffLoginAddress.staff_id == user.id)
        .values(failures=0, locked_until=None)
        .execution_options(synchronize_session=False)
    )


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
        raise AccountError(_l("The role must be handler, admin or data protection officer."))
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


FIRST_ADMIN_NAME = "Administrator"
"""The display name the portal itself gives the first account (no one typed it)."""


def shown_name(user: StaffUser) -> str:
    """Return the name to show for `user`: the first account's generated name in the page's
    language ("Ylläpitäjä", "Administratör"), any name a person typed as it was typed."""
    if user.username == FIRST_ADMIN and user.display_name == FIRST_ADMIN_NAME:
        return str(_l("Administrator"))
    return user.display_name


def ensure_first_admin(session: Session) -> str | None:
    """Create the `admin` account once and return its one-time password; None if any exists."""
    if session.scalar(select(func.count()).select_from(StaffUser)):
        return None
    _user, one_time = create_staff(session, FIRST_ADMIN, FIRST_ADMIN_NAME, StaffRole.admin)
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
    _unlock_addresses(session, user)
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
    _unlock_addresses(session, user)
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
    own = (user.display_name or "", passwords.email_local_part(user.email))
    passwords.check_password(new_password, user.username, names=own)
    user.password_hash = passwords.hash_password(new_password)
    user.must_change_password = False
    user.session_version += 1
    session.flush()
    _audit(session, "staff.change_password", actor="staff", staff_id=user.id, detail="")


def list_staff(session: Session) -> Sequence[StaffUser]:
    """Return every account, by username."""
    return session.scalars(select(StaffUser).order_by(StaffUser.username)).all()
