"""argon2id with the production costs, constant answers, password rules."""

from __future__ import annotations

from newsdesk.web.passwords import hash_password, password_problem, verify_password


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
