"""Small steps shared by the account-flow tests."""

from __future__ import annotations

import re

from django.core import mail
from django.core.mail import EmailMessage

LINK = re.compile(r"https?://[^/\s]+(/\S+)")


def links_in(message: EmailMessage) -> list[str]:
    """The paths of every link in a sent email's body."""
    return LINK.findall(str(message.body))


def last_mail_to(address: str) -> EmailMessage:
    sent = [m for m in mail.outbox if address in m.to]
    assert sent, f"no email was sent to {address}"
    return sent[-1]
