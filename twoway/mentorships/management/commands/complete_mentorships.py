"""``manage.py complete_mentorships``: complete the live mentorships that are due — those of
running, closing and closed programs whose end date has passed (or that have none once the
program closed). Run it daily from cron or a scheduler; closing a program does the same for
that program at once."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from twoway.mentorships.services import mentorships_complete
from twoway.programs.models import Program

# A running or closing program's mentorships without an end date go on until the program
# closes (``mentorships_complete`` takes only dated ones there).
DUE_STATUSES = (Program.Status.RUNNING, Program.Status.CLOSING, Program.Status.CLOSED)


class Command(BaseCommand):
    help = "Complete live mentorships whose end date has passed."

    def handle(self, *args: Any, **options: Any) -> None:
        today = timezone.localdate()
        programs = Program.objects.filter(status__in=DUE_STATUSES).order_by("pk")
        completed = sum(mentorships_complete(program=p, today=today) for p in programs)
        self.stdout.write(f"{completed} mentorship{'s' if completed != 1 else ''} completed.")
