"""Staff password policy: one row per rule, with the exact message (ASVS 6.2)."""

from __future__ import annotations

import pytest

from portal.core import passwords

ROWS = [
    ("short", "elevenchars", "hanna", "The password must be at least 12 characters long."),
    ("long", "x" * 129, "hanna", "The password must be at most 128 characters long."),
    (
        "username",
        "hanna.virtanen",
        "hanna.virtanen",
        "The password must not be the same as the username.",
    ),
    (
        "username any case",
        "Hanna.Virtanen",
        "hanna.virtanen",
        "The password must not be the same as the username.",
    ),
    ("common", "1qaz2wsx3edc", "hanna", "This password is too common. Choose another one."),
    (
        "common any case",
        "QWERTY123456",
        "hanna",
        "This password is too common. Choose another one.",
    ),
    ("fine: twelve", "tähti-kuu-12", "hanna", None),
    ("fine: no composition rules", "all lower case words here", "hanna", None),
    ("fine: longest", "y" * 128, "hanna", None),
]


@pytest.mark.parametrize(
    "password,username,expected", [r[1:] for r in ROWS], ids=[r[0] for r in ROWS]
)
def test_policy(password: str, username: str, expected: str | None) -> None:
    problem = passwords.password_problem(password, username)
    assert (str(problem) if problem is not None else None) == expected


def test_check_password_raises_with_the_message() -> None:
    with pytest.raises(passwords.PasswordRejected) as caught:
        passwords.check_password("short", "x")
    assert str(caught.value.message) == "The password must be at least 12 characters long."


def test_common_list_is_bundled_and_lower_case() -> None:
    common = passwords.common_passwords()
    assert len(common) == 10_000
    assert "password" in common and "qwerty123456" in common
    assert all(entry == entry.lower() for entry in common)


def test_hashes_are_argon2id_and_verify() -> None:
    hashed = passwords.hash_password("purple elephant runs quietly")
    assert hashed.startswith("$argon2id$")
    assert passwords.verify_password(hashed, "purple elephant runs quietly")
    assert not passwords.verify_password(hashed, "purple elephant runs loudly")
    assert not passwords.verify_password(None, "anything at all")
    assert not passwords.verify_password("not a hash", "anything at all")
    assert not passwords.needs_rehash(hashed)


def test_weaker_parameters_need_a_rehash() -> None:
    from argon2 import PasswordHasher

    old = PasswordHasher(time_cost=2, memory_cost=2048, parallelism=1).hash("x" * 12)
    assert passwords.needs_rehash(old)


def test_one_time_passwords_pass_the_policy_and_differ() -> None:
    made = {passwords.one_time_password() for _ in range(50)}
    assert len(made) == 50
    for one_time in made:
        assert passwords.password_problem(one_time, "admin") is None
