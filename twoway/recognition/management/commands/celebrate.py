"""``twoway manage celebrate``: record the milestones the hooks missed; safe to run daily."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from twoway.recognition.services import celebrations_sweep


class Command(BaseCommand):
    help = (
        "Celebrate the first session held of every mentorship with a past, not cancelled "
        "session, and the completion of every completed mentorship. Each milestone is "
        "recorded once, so running it again changes nothing."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        counts = celebrations_sweep(now=timezone.now())
        self.stdout.write(
            f"Celebrated {counts['first_session']} first sessions and "
            f"{counts['program_completed']} completed programs."
        )
