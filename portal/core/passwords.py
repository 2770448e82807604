"""Staff password policy and hashing (OWASP ASVS 5.0 6.2, 11.4.2).

Length is the only strength rule: at least 12 and at most 128 characters, no composition rules,
because those push people towards predictable patterns. A password is also rejected when it is in
the bundled list of common passwords or equals the username, after undoing the usual disguises:
case, leetspeak (`p@55w0rd`), digits and symbols added before or after (`password1234`,
`!Sunshine2024`), and when it is a walk on the keyboard (`1qaz2wsx3edc`, `qwertyuiop12`).
Hashes are argon2id with argon2-cffi's current defaults; a stored hash made with older parameters is
replaced at the next successful login.
"""

from __future__ import annotations

import re
import secrets
import unicodedata
from collections.abc import Iterator
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


@cache
def _dummy_hash() -> str:
    """Return the hash verified against when the username is unknown, so both paths cost one
    argon2 computation. Made at first use, not at import: hashing takes most of a second, which
    every `portal` command importing this module paid."""
    return _hasher.hash(secrets.token_urlsafe(16))


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


LEET = str.maketrans(
    {
        "0": "o",
        "1": "i",
        "3": "e",
        "4": "a",
        "5": "s",
        "7": "t",
        "8": "b",
        "9": "g",
        "@": "a",
        "$": "s",
        "!": "i",
        "+": "t",
        "|": "l",
        "€": "e",
    }
)
LEET_ONE_AS_L = str.maketrans({"1": "l", "|": "i", "!": "l"})
_AFFIXES = re.compile(r"^[\W\d_]*(.*?)[\W\d_]*$", re.DOTALL)
_REPEATED = re.compile(r"(.+?)(?:[\W_]*\1)+", re.DOTALL)
"""A word said twice or more (`trustno1trustno1`, `hanna-hanna`)."""
KEYBOARD_ROWS = ("1234567890+", "qwertyuiopå", "asdfghjklöä", "zxcvbnm,.-")
"""A Nordic QWERTY keyboard (the US one differs only at the row ends)."""
_ROW_OFFSETS = (0.0, 0.5, 0.75, 1.25)
_KEYS = {
    key: (column + _ROW_OFFSETS[row], float(row))
    for row, keys in enumerate(KEYBOARD_ROWS)
    for column, key in enumerate(keys)
}
MIN_WALK_RUN = 4
"""A password whose keyboard runs average this many keys or more is a walk."""


def _normalised(password: str) -> str:
    return unicodedata.normalize("NFKC", password).strip().casefold()


def variants(password: str) -> Iterator[str]:
    """Yield what `password` may disguise: itself, de-leeted, without added digits, repeated."""
    seen: set[str] = set()
    todo = [_normalised(password)]
    while todo:
        text = todo.pop()
        if not text or text in seen:
            continue
        seen.add(text)
        yield text
        core = _AFFIXES.fullmatch(text)
        repeated = _REPEATED.fullmatch(text)
        todo += [
            text.translate(LEET),
            text.translate(LEET_ONE_AS_L).translate(LEET),
            text.replace(" ", ""),
            core.group(1) if core else "",
            repeated.group(1) if repeated else "",
        ]


def _neighbours(a: str, b: str) -> bool:
    if a == b:
        return True
    if a not in _KEYS or b not in _KEYS:
        return False
    (ax, ay), (bx, by) = _KEYS[a], _KEYS[b]
    return abs(ay - by) <= 1 and abs(ax - bx) <= 1.0 + abs(ay - by) * 0.25


def is_keyboard_walk(password: str) -> bool:
    """True when `password` is a few runs of neighbouring keys (`1qaz2wsx`, `qwerty123456`)."""
    text = _normalised(password)
    if len(text) < 2:
        return True
    runs = 1 + sum(not _neighbours(a, b) for a, b in zip(text, text[1:], strict=False))
    return runs * MIN_WALK_RUN <= len(text)


def password_problem(password: str, username: str = "") -> object | None:
    """Return why `password` is not acceptable for `username`, or None when it is."""
    if len(password) < MIN_LENGTH:
        return _l("The password must be at least %(count)d characters long.", count=MIN_LENGTH)
    if len(password) > MAX_LENGTH:
        return _l("The password must be at most %(count)d characters long.", count=MAX_LENGTH)
    name = _normalised(username)
    if name and _normalised(password) == name:
        return _l("The password must not be the same as the username.")
    if _normalised(password) in common_passwords():
        return _l("This password is too common. Choose another one.")
    repeated = _REPEATED.fullmatch(_normalised(password))
    short_repeat = repeated is not None and len(repeated.group(1).strip()) < MIN_WALK_RUN
    if (
        short_repeat
        or is_keyboard_walk(password)
        or any(text in common_passwords() or (name and text == name) for text in variants(password))
    ):
        return _l(
            "This password is a common password or the username with small changes, or a "
            "pattern on the keyboard, so it is easy to guess. Choose another one."
        )
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
        return _hasher.verify(password_hash or _dummy_hash(), password) and bool(password_hash)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    """Return True when the hash was made with other parameters than the current ones."""
    return _hasher.check_needs_rehash(password_hash)


def one_time_password() -> str:
    """Return a random one-time password (four groups of five, about 99 bits)."""
    groups = ("".join(secrets.choice(_OTP_ALPHABET) for _ in range(5)) for _ in range(4))
    return "-".join(groups)
