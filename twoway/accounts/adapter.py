from __future__ import annotations

from allauth.account.adapter import DefaultAccountAdapter


class AccountAdapter(DefaultAccountAdapter):
    """Hook for Twoway's account rules; open sign-up stays on (an account alone grants no
    organisation: membership comes from the directory or an invitation)."""
