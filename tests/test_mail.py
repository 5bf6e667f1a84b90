"""The outbox and its senders: a failing sender leaves the mail for a retry."""

from __future__ import annotations

import pytest

from newsdesk.mail import LogSender, SmtpSender, deliver_outbox, sender_for
from newsdesk.settings import Settings
from newsdesk.store.db import Store
from newsdesk.store.site import outbox
from newsdesk.store.site.outbox import Mail


class Recording:
    def __init__(self, fail: bool = False) -> None:
        self.sent: list[Mail] = []
        self.fail = fail

    def send(self, mail: Mail) -> None:
        if self.fail:
            raise ConnectionRefusedError("smtp down")
        self.sent.append(mail)


def test_deliver_sends_each_mail_once(store: Store) -> None:
    with store.session() as session:
        outbox.enqueue(session, "a@example.org", "One", "Body one")
        outbox.enqueue(session, "b@example.org", "Two", "Body two")
    sender = Recording()
    assert deliver_outbox(store, sender) == (2, 0)
    assert deliver_outbox(store, sender) == (0, 0)
    assert [m.subject for m in sender.sent] == ["One", "Two"]


def test_failed_mail_stays_for_a_retry(store: Store) -> None:
    with store.session() as session:
        outbox.enqueue(session, "a@example.org", "One", "Body")
    assert deliver_outbox(store, Recording(fail=True)) == (0, 1)
    with store.session() as session:
        assert [m.subject for m in outbox.unsent(session)] == ["One"]
    assert deliver_outbox(store, Recording()) == (1, 0)


def test_sender_choice(caplog: pytest.LogCaptureFixture) -> None:
    assert isinstance(sender_for(Settings()), LogSender)
    assert isinstance(sender_for(Settings(smtp_host="mail.example")), SmtpSender)
    LogSender().send(Mail(1, "a@example.org", "Subject", "The body"))
    assert "The body" in caplog.text
