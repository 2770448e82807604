"""Staff password policy and hashing (OWASP ASVS 5.0 6.2, 11.4.2).

Length is the only strength rule: at least 12 and at most 128 characters, no composition rules,
because those push people towards predictable patterns. A password is also rejected when it is in
the bundled list of common passwords (compared case-insensitively) or equals the username.
Hashes are argon2id with argon2-cffi's current defaults; a stored hash made with older parameters is
replaced at the next successful login.
"""

from __future__ import annotations

import secrets
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask_babel import lazy_gettext as _l

from portal.core.paths import DATA_DIR

MIN_LENGTH = 12
MAX_LENGTH = 128
COMMON_PASSWORDS_FILE = DATA_DIR / "common-passwords.txt"

# Unambiguous characters only: one-time passwords are read from a screen and typed by hand.
_OTP_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"

_hasher = PasswordHasher()
# Verified against when the username is unknown, so both paths cost one argon2 computation.
_DUMMY_HASH = _hasher.hash(secrets.token_urlsafe(16))


class PasswordRejected(ValueError):
    """A new password breaks the policy; `message` is a translatable explanation."""

    def __init__(self, message: object) -> None:
        super().__init__(str(message))
        self.message = message


@cache
def common_passwords() -> frozenset[str]:
    """Return the bundled common passwords, lower-cased."""
    text = COMMON_PASSWORDS_FILE.read_text(encoding="utf-8")
    return frozenset(line.strip().lower() for line in text.splitlines() if line.strip())


def password_problem(password: str, username: str = "") -> object | None:
    """Return why `password` is not acceptable for `username`, or None when it is."""
    if len(password) < MIN_LENGTH:
        return _l("The password must be at least %(count)d characters long.", count=MIN_LENGTH)
    if len(password) > MAX_LENGTH:
        return _l("The password must be at most %(count)d characters long.", count=MAX_LENGTH)
    if username and password.strip().lower() == username.strip().lower():
        return _l("The password must not be the same as the username.")
    if password.strip().lower() in common_passwords():
        return _l("This password is too common. Choose another one.")
    return None


def check_password(password: str, username: str = "") -> None:
    """Raise PasswordRejected when `password` breaks the policy."""
    problem = password_problem(password, username)
    if problem is not None:
        raise PasswordRejected(problem)


def hash_password(password: str) -> str:
    """Return an argon2id hash of `password`."""
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """Return True when `password` matches `password_hash` (a missing hash never matches)."""
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, password) and bool(password_hash)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    """Return True when the hash was made with other parameters than the current ones."""
    return _hasher.check_needs_rehash(password_hash)


def one_time_password() -> str:
    """Return a random one-time password (four groups of five, about 99 bits)."""
    groups = ("".join(secrets.choice(_OTP_ALPHABET) for _ in range(5)) for _ in range(4))
    return "-".join(groups)
