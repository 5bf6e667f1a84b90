"""The mails that accounts send: written to the outbox, delivered by ``newsdesk.mail``.

Each sign-up request and each password-reset request ends in one mail to the address
given, whether or not it has an account; only that mailbox learns which mail it was.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from newsdesk.store.site import outbox


def reset_link(session: Session, to: str, site_name: str, link: str) -> None:
    body = (
        f"Someone asked to reset the password of your account on {site_name}.\n\n"
        f"To choose a new password, open this link within an hour:\n{link}\n\n"
        "If it was not you, ignore this mail; your password stays as it is.\n"
    )
    outbox.enqueue(session, to, "Reset your password", body)


def signup_link(session: Session, to: str, site_name: str, link: str) -> None:
    body = (
        f"Someone, probably you, asked to sign up on {site_name} with this address.\n\n"
        f"To finish signing up, open this link within a day:\n{link}\n\n"
        "If it was not you, ignore this mail; no account is made without the link.\n"
    )
    outbox.enqueue(session, to, f"Finish signing up on {site_name}", body)


def signup_attempted(
    session: Session, to: str, site_name: str, login_url: str, reset_url: str
) -> None:
    body = (
        f"Someone asked to sign up on {site_name} with this address, but it already has "
        "an account, so no new account was made.\n\n"
        f"If it was you, sign in here:\n{login_url}\n\n"
        f"If you have forgotten your password, choose a new one here:\n{reset_url}\n\n"
        "If it was not you, ignore this mail; nothing has changed in your account.\n"
    )
    outbox.enqueue(session, to, f"Someone tried to sign up on {site_name} as you", body)
