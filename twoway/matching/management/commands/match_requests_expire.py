"""``manage.py match_requests_expire``: expire overdue self-service requests now (each passing
on to the mentee's next suggestion). For installs that run periodic jobs from cron rather than
the ``expire_match_requests`` task."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from twoway.matching.self_service import match_requests_expire


class Command(BaseCommand):
    help = "Expire self-service mentor requests past their deadline and pass each one on."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--base-url",
            default="",
            help="Where links in the emails point, e.g. https://twoway.example.org "
            "(default: the first of ALLOWED_HOSTS).",
        )

    def handle(self, *args: Any, base_url: str = "", **options: Any) -> None:
        expired = match_requests_expire(base_url=base_url)
        self.stdout.write(f"{expired} request{'s' if expired != 1 else ''} expired.")
