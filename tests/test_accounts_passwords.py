"""argon2id with the production costs, constant answers, password rules."""

from __future__ import annotations

import secrets
import string
import time

import pytest

from newsdesk.accounts.passwords import MIN_LENGTH, hash_password, password_problem, verify_password


def test_hash_is_argon2id_with_rfc9106_low_memory_costs() -> None:
    stored = hash_password("correct horse battery")
    assert stored.startswith("$argon2id$v=19$m=65536,t=3,p=4$")
    assert verify_password(stored, "correct horse battery")
    assert not verify_password(stored, "correct horse batterY")
    assert stored != hash_password("correct horse battery")  # salted


def test_unknown_account_and_garbage_hashes_never_verify() -> None:
    assert not verify_password(None, "not a real password: equalises timing")
    assert not verify_password("not-a-hash", "anything")


def test_password_rules() -> None:
    assert password_problem("short", "a@b.org", "Ada") is not None
    assert password_problem("x" * 257, "a@b.org", "Ada") is not None
    assert password_problem("A@B.ORG", "a@b.org", "Ada") is not None
    assert password_problem("abababababab", "a@b.org", "Ada") is not None
    assert password_problem("a long and fine passphrase", "a@b.org", "Ada") is None


@pytest.mark.parametrize("password", ["password1234", "123456789012", "qwertyuiop123"])
def test_the_passwords_the_review_found_accepted_are_refused(password: str) -> None:
    problem = password_problem(password, "a@b.org", "Ada")
    assert problem is not None and "too easy to guess" in problem


def test_at_least_twelve_characters() -> None:
    assert MIN_LENGTH == 12
    assert password_problem("Xk9#mQ2$vL4", "a@b.org", "Ada") == (
        "The password must have at least 12 characters."
    )
    assert password_problem("Xk9#mQ2$vL4!", "a@b.org", "Ada") is None


@pytest.mark.parametrize(
    ("password", "reason"),
    [
        # The three the security review found accepted.
        ("password1234", "a word common in passwords"),
        ("123456789012", "a run of letters or digits"),
        ("qwertyuiop123", "a keyboard row"),
        # Variations of the same ideas.
        ("P@ssw0rd2024!", "a word common in passwords"),
        ("letmeinletmein", "a word common in passwords"),
        ("Welcome12345", "a word common in passwords"),
        ("admin1234567", "a word common in passwords"),
        ("zyxwvutsrqpo", "a run of letters or digits"),
        ("1qaz2wsx3edc", "a keyboard row"),
        ("111111111111", "repeated characters"),
        ("abcabcabcabc", "repeated characters"),
        ("ada.lovelace@example.org", "your e-mail address"),
        ("AdaLovelace1815", "your name"),
        ("Test Desk 2024!", "the name of this site"),
    ],
)
def test_guessable_passwords_are_refused_saying_why(password: str, reason: str) -> None:
    problem = password_problem(password, "ada.lovelace@example.org", "Ada Lovelace", "Test Desk")
    assert problem is not None and problem.startswith("The password is too easy to guess")
    assert reason in problem


@pytest.mark.parametrize(
    "password",
    [
        "correct horse battery",
        "a long enough password",  # a common word inside a real phrase is fine
        "Tr0ub4dor&3!x",
        "839204719283",  # twelve random digits
        "my cat hates mondays",
        "Zq8!vW2#nK5@",
    ],
)
def test_good_passwords_pass(password: str) -> None:
    assert password_problem(password, "ada@example.org", "Ada Lovelace", "Test Desk") is None


def test_random_passwords_are_almost_never_refused() -> None:
    alphabet = string.ascii_letters + string.digits + string.punctuation
    refused = sum(
        password_problem("".join(secrets.choice(alphabet) for _ in range(12)), "a@b.org", "Ada")
        is not None
        for _ in range(300)
    )
    assert refused <= 3


def test_a_long_password_is_judged_quickly() -> None:
    started = time.perf_counter()
    password_problem(string.printable[:94] * 2 + "x" * 68, "a@b.org", "A" * 40, "S" * 60)
    assert time.perf_counter() - started < 0.5
