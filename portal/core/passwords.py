"""Staff password policy and hashing (OWASP ASVS 5.0 6.2, 11.4.2).

At least 12 and at most 128 characters, no composition rules, because those push people towards
predictable patterns. A password is rejected when it is in the bundled list of common passwords
or equals the username, after undoing the usual disguises: case, leetspeak (`p@55w0rd`), digits
and symbols added before or after (`password1234`, `!Sunshine2024`), and when it is a walk on the
keyboard (`1qaz2wsx3edc`, `qwertyuiop12`).

Then zxcvbn estimates how many guesses it takes, knowing the username and the organisation's name
(`guessable`). A password is refused when zxcvbn scores it below 3 (fewer than 10^8 guesses), and
also when it is *dominated* by what zxcvbn recognises: fewer than three distinct words and fewer
than four characters that belong to no word, date, year, sequence, repetition or keyboard
pattern (`Summer2026Summer`, `Password123!Password`), or one word said twice around digits
(`Kesä2026Kesä`: zxcvbn's dictionaries are ASCII). Three unrelated words pass, as does a random
password. zxcvbn's own English advice is never shown: its findings map to our catalog's sentences.
Last, a password zxcvbn lets through must still not contain the person's own name or the local
part of their e-mail address (`Dora Dataskydd 2026!`), which zxcvbn is not told.
Hashes are argon2id with argon2-cffi's current defaults; a stored hash made with older parameters is
replaced at the next successful login.
"""

from __future__ import annotations

import re
import secrets
import unicodedata
from collections.abc import Iterable, Iterator
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app, has_app_context
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


MIN_SCORE = 3
"""zxcvbn's score 3: about 10^8 guesses or more."""
ZXCVBN_MAX_LENGTH = 72
"""zxcvbn refuses longer input; a longer password is judged by its first 72 characters."""
PASSPHRASE_WORDS = 3
"""A password of this many distinct words or more is a passphrase, not a dominated word."""
RANDOM_CHARS = 4
"""Characters outside every recognised pattern needed besides fewer words (separators aside)."""
_SEPARATORS = frozenset(" -_.,;:/+")
_WORDS = re.compile(r"[^\W\d_]{3,}")
_YEAR = re.compile(r"(?:19|20)\d\d")
_RUN = re.compile(r"(.)\1+")
REASONS: dict[str, object] = {
    "user_input": _l("It contains the username or the organisation's name."),
    "repeat": _l("It repeats a word or a group of characters."),
    "sequence": _l("It contains a sequence such as abc or 1234."),
    "spatial": _l("It contains a pattern on the keyboard."),
    "date": _l("It contains a date or a year."),
    "dictionary": _l("It is made of one or two common words or names."),
    "simple": _l("It is short or simple."),
}
"""What zxcvbn found, in the order it is told, as our own sentences (never zxcvbn's English)."""
_PATTERN_REASONS = {"repeat": "repeat", "sequence": "sequence", "spatial": "spatial"}


def organisation_name() -> str:
    """Return the controller's name and the names in its domains when an app with content is
    running, else nothing: `Esa Kemppainen proleader` for www.proleader.fi and
    esa.kemppainen@proleader.fi, since staff would lean on their organisation's web name
    (`proleader2026!!`) as much as on its legal one."""
    if not has_app_context() or "CONTENT_DIR" not in current_app.config:
        return ""
    from portal.core import content

    labels = [
        label
        for host in content.organisation_hosts()
        for label in host.split(".")[:-1]  # not the top-level domain
        if label != "www"
    ]
    return " ".join(dict.fromkeys([content.controller_name(), *labels]))


def personal_words(*texts: str) -> list[str]:
    """Return what a password must not lean on: each text whole and each word of it."""
    words: list[str] = []
    for text in texts:
        folded = _normalised(text)
        if folded:
            words += [folded, *(part for part in re.split(r"[\W_]+", folded) if len(part) >= 3)]
    return list(dict.fromkeys(words))


def _repeated_word(password: str) -> bool:
    """True when a word said twice is half the password or more and there are too few words
    (`Kesä2026Kesä`). A group that recurs by chance in a random password (`5cjq6-f7cjq`) is not."""
    text = _normalised(password)
    words = _WORDS.findall(text)
    if len(words) == len(set(words)) or len(set(words)) >= PASSPHRASE_WORDS:
        return False
    said_again = {word for word in words if words.count(word) > 1}
    covered = sum(len(word) for word in words if word in said_again)
    return 2 * covered >= sum(not (c.isspace() or c in _SEPARATORS) for c in text)


def _random_chars(token: str) -> int:
    """Count a brute-force part's characters, without separators, years and runs (`2026!!`)."""
    token = _YEAR.sub("", token)
    token = _RUN.sub(r"\1", token)
    return sum(not (c.isspace() or c in _SEPARATORS) for c in token)


def guessable(password: str, user_inputs: Iterable[str] = ()) -> str | None:
    """Return why zxcvbn finds `password` easy to guess (a `REASONS` key), or None.

    Dominated: fewer than PASSPHRASE_WORDS distinct words and fewer than RANDOM_CHARS characters
    of zxcvbn's brute-force parts (`_random_chars`); or a word repeated (`_repeated_word`).
    """
    from zxcvbn import zxcvbn  # 0.1 s of word lists: loaded when a password is chosen, not at start

    result = zxcvbn(password[:ZXCVBN_MAX_LENGTH], user_inputs=list(user_inputs))
    words: set[str] = set()
    random_chars = 0
    found: set[str] = set()
    for match in result["sequence"]:
        pattern = match["pattern"]
        if pattern == "bruteforce":
            random_chars += _random_chars(match["token"])
        elif pattern == "dictionary":
            words.add(match["matched_word"])
            found.add("user_input" if match["dictionary_name"] == "user_inputs" else "dictionary")
        elif pattern in ("date", "regex"):  # regex: zxcvbn's recent years
            found.add("date")
        else:
            found.add(_PATTERN_REASONS.get(pattern, "simple"))
    repeated = _repeated_word(password)
    if repeated:
        found.add("repeat")
    dominated = random_chars < RANDOM_CHARS and len(words) < PASSPHRASE_WORDS
    if result["score"] >= MIN_SCORE and not dominated and not repeated:
        return None
    return next((reason for reason in REASONS if reason in found), "simple")


def guessable_message(reason: str) -> object:
    """Return the refusal of a guessable password, with `reason`'s sentence, translated."""
    return _l(
        "This password is easy to guess. %(reason)s Use three or more unrelated words, or a "
        "random password from a password manager.",
        reason=REASONS[reason],
    )


NAME_PART_MIN = 3
"""A part of the person's name or e-mail address this long or longer must not be in the password."""


def name_parts(names: Iterable[str]) -> list[str]:
    """Return the parts of the person's names (display name, e-mail local part) a password must
    not contain: each whole name and each of its words of NAME_PART_MIN letters or more."""
    parts = [word for word in personal_words(*names) if len(word) >= NAME_PART_MIN]
    return [word.replace(" ", "") for word in parts]


def _contains_name(password: str, names: Iterable[str]) -> bool:
    """True when `password`, or a disguise of it (`D0ra`), contains a part of the person's name."""
    parts = name_parts(names)
    if not parts:
        return False
    texts = [text.replace(" ", "") for text in variants(password)]
    return any(part in text for part in parts for text in texts)


def email_local_part(email: str | None) -> str:
    """Return the part of an e-mail address before the @ (`dora.dataskydd`), or nothing."""
    local, at, _domain = (email or "").partition("@")
    return local if at else ""


def password_problem(
    password: str,
    username: str = "",
    organisation: str | None = None,
    names: Iterable[str] = (),
) -> object | None:
    """Return why `password` is not acceptable for `username`, or None when it is.

    `organisation` is the organisation's name; by default the running app's controller.
    `names` are the person's own: their display name and their e-mail address's local part,
    none of whose words may be in the password, however strong zxcvbn finds it.
    """
    if len(password) < MIN_LENGTH:
        return _l("The password must be at least %(count)d characters long.", count=MIN_LENGTH)
    if len(password) > MAX_LENGTH:
        return _l("The password must be at most %(count)d characters long.", count=MAX_LENGTH)
    name = _normalised(username)
    if name and _normalised(password) == name:
        return _l("The password must not be the same as the username.")
    if _normalised(password) in common_passwords():
        return _l("This password is too common. Choose another one.")
    disguised = list(variants(password))
    if any(text in common_passwords() for text in disguised):
        return _l(
            "This password is a common password with small changes, so it is easy to guess. "
            "Choose another one."
        )
    if name and name in disguised:
        return _l(
            "This password is the username with small changes, so it is easy to guess. "
            "Choose another one."
        )
    repeated = _REPEATED.fullmatch(_normalised(password))
    if repeated is not None and len(repeated.group(1).strip()) < MIN_WALK_RUN:
        return _l(
            "This password repeats a few characters, so it is easy to guess. Choose another one."
        )
    if is_keyboard_walk(password):
        return _l(
            "This password is a pattern on the keyboard, so it is easy to guess. "
            "Choose another one."
        )
    if organisation is None:
        organisation = organisation_name()
    reason = guessable(password, personal_words(username, organisation))
    if reason is not None:
        return guessable_message(reason)
    if _contains_name(password, names):
        return _l(
            "The password must not contain your name or your e-mail address. Choose another one."
        )
    return None


def check_password(
    password: str,
    username: str = "",
    organisation: str | None = None,
    names: Iterable[str] = (),
) -> None:
    """Raise PasswordRejected when `password` breaks the policy."""
    problem = password_problem(password, username, organisation, names)
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
