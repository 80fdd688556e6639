"""``twoway nudge --now [--program ID]``: run the nudge sweep at once (the worker runs it every
15 minutes) and print how many nudges each rule sent. Safe beside running workers: each
nudge still goes out once."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from twoway.nudges.models import Rule
from twoway.nudges.services import nudges_sweep
from twoway.programs.models import Program


class Command(BaseCommand):
    help = "Send the due nudges now and print how many each rule sent."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--now", action="store_true", help="Run the sweep now.")
        parser.add_argument("--program", type=int, help="Only this program (its id).")

    def handle(self, *args: Any, **options: Any) -> None:
        if not options["now"]:
            raise CommandError("Say --now to send the due nudges now.")
        program = None
        if options["program"] is not None:
            program = Program.objects.filter(pk=options["program"]).first()
            if program is None:
                raise CommandError(f"There is no program {options['program']}.")
        counts = nudges_sweep(now=timezone.now(), program=program)
        for rule, count in counts.items():
            self.stdout.write(f"{Rule(rule).label}: {count}")
        self.stdout.write(f"{sum(counts.values())} nudges sent.")
