"""``twoway people import --org SLUG FILE``: import an HRIS export (CSV or XLSX)."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from twoway.core.errors import FileValidationError
from twoway.core.models import Organisation
from twoway.people.importing import columns_guess, directory_import, rows_from_table, table_read


class Command(BaseCommand):
    help = "Import people from a CSV or XLSX file into an organisation's directory."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--org", required=True, help="organisation slug")
        parser.add_argument("--dry-run", action="store_true", help="check and count, write nothing")
        parser.add_argument(
            "--deactivate-missing",
            action="store_true",
            help="full sync: deactivate active people who are not in the file",
        )
        parser.add_argument(
            "--map",
            action="append",
            default=[],
            metavar="COLUMN=HEADER",
            help="map a directory column to a file header (repeatable), e.g. level=Grade",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        organisation = Organisation.objects.filter(slug=options["org"]).first()
        if organisation is None:
            raise CommandError(f"No organisation with slug {options['org']!r}.")
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        started = time.perf_counter()
        try:
            table = table_read(content=path.read_bytes(), filename=path.name)
            mapping = columns_guess(table.headers)
            for item in options["map"]:
                column, sep, header = item.partition("=")
                if not sep:
                    raise CommandError(f"--map expects COLUMN=HEADER, got {item!r}")
                mapping[column.strip()] = header.strip()
            rows = rows_from_table(table, mapping)
            result = directory_import(
                actor=None,
                organisation=organisation,
                rows=rows,
                dry_run=options["dry_run"],
                deactivate_missing=options["deactivate_missing"],
            )
        except FileValidationError as error:
            for e in error.report.errors:
                value = f" [{e.value}]" if e.value else ""
                self.stderr.write(f"row {e.row}, {e.column}: {e.reason}{value}")
            raise CommandError(error.message) from error
        seconds = time.perf_counter() - started
        verb = "Would import" if result.dry_run else "Imported"
        self.stdout.write(
            f"{verb} {result.rows} rows into {organisation.slug} in {seconds:.1f} s: "
            f"{result.created} created, {result.updated} updated, {result.unchanged} unchanged, "
            f"{result.deactivated} deactivated."
        )
