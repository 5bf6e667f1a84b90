"""Outgoing mail: written to the outbox table first, then handed to a pluggable sender.

The sender is SMTP when ``NEWSDESK_SMTP_HOST`` is set, otherwise the mail is printed to
the log (the demo). A mail that fails stays in the outbox and is retried.
"""

from __future__ import annotations

import logging
import smtplib
import ssl
from email.message import EmailMessage
from typing import Protocol

from newsdesk.settings import Settings
from newsdesk.store.db import Store
from newsdesk.store.site import outbox
from newsdesk.store.site.outbox import Mail

log = logging.getLogger("newsdesk.mail")


class MailSender(Protocol):
    def send(self, mail: Mail) -> None: ...


class LogSender:
    """Prints each mail to the log: the demo's way to follow a password-reset link."""

    def send(self, mail: Mail) -> None:
        log.warning("mail to %s: %s\n%s", mail.recipient, mail.subject, mail.body)


class SmtpSender:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    def send(self, mail: Mail) -> None:
        s = self.settings
        message = EmailMessage()
        message["From"], message["To"], message["Subject"] = (
            s.mail_from,
            mail.recipient,
            mail.subject,
        )
        message.set_content(mail.body)
        with smtplib.SMTP(s.smtp_host, s.smtp_port, timeout=30) as smtp:
            if s.smtp_starttls:
                smtp.starttls(context=ssl.create_default_context())
            if s.smtp_user:
                smtp.login(s.smtp_user, s.smtp_password)
            smtp.send_message(message)


def sender_for(settings: Settings) -> MailSender:
    return SmtpSender(settings) if settings.smtp_host else LogSender()


def deliver_outbox(store: Store, sender: MailSender) -> tuple[int, int]:
    """Send what waits in the outbox; returns (sent, failed)."""
    with store.session() as session:
        waiting = outbox.unsent(session)
    sent = failed = 0
    for mail in waiting:
        try:
            sender.send(mail)
        except (OSError, smtplib.SMTPException) as error:
            failed += 1
            with store.session() as session:
                outbox.mark_failed(session, mail.id, str(error) or type(error).__name__)
            continue
        sent += 1
        with store.session() as session:
            outbox.mark_sent(session, mail.id)
    return sent, failed
