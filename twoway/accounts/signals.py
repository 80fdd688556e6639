"""Link a verified account to the directory entries that carry its email address."""

from __future__ import annotations

from typing import Any

from allauth.account.signals import email_confirmed
from django.dispatch import receiver

from twoway.accounts.services import account_link_directory


@receiver(email_confirmed)
def link_on_email_confirmed(sender: Any, request: Any, email_address: Any, **kwargs: Any) -> None:
    account_link_directory(user=email_address.user, email=email_address.email)
