"""``twoway people export --org SLUG [FILE]``: the directory as CSV (stdout without FILE)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from twoway.core.models import Organisation
from twoway.people.exporting import directory_export_write


class Command(BaseCommand):
    help = "Export an organisation's directory as CSV in the import format."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, nargs="?")
        parser.add_argument("--org", required=True, help="organisation slug")

    def handle(self, *args: Any, **options: Any) -> None:
        organisation = Organisation.objects.filter(slug=options["org"]).first()
        if organisation is None:
            raise CommandError(f"No organisation with slug {options['org']!r}.")
        if options["file"] is None:
            directory_export_write(organisation=organisation, out=self.stdout)  # type: ignore[arg-type]
            return
        with options["file"].open("w", newline="", encoding="utf-8") as out:
            count = directory_export_write(organisation=organisation, out=out)
        self.stderr.write(f"Exported {count} people to {options['file']}")
