"""``twoway demo [--size N] [--seed S] [--serve [ADDR:PORT]]``: build the demo and print logins."""

from __future__ import annotations

import time
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DatabaseError

from twoway.core.errors import ApplicationError
from twoway.demo.services import DEMO_URL, DemoResult, demo_build


class Command(BaseCommand):
    help = (
        "Create the demo organisations (Acme Group and Globex) with generated directories and "
        "one login per role, then print the logins. Safe to run again."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--size", type=int, default=600, help="people in Acme Group")
        parser.add_argument("--seed", type=int, default=42, help="seed of the generated people")
        parser.add_argument(
            "--serve",
            nargs="?",
            const="127.0.0.1:8000",
            metavar="ADDR:PORT",
            help="then run the web server (default 127.0.0.1:8000)",
        )
        parser.add_argument(
            "--address",
            metavar="ADDR:PORT",
            help="where a server started separately will listen (for the printed link)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(f"Building the demo with {options['size']:,} people…")
        started = time.perf_counter()
        try:
            result = demo_build(size=options["size"], seed=options["seed"])
        except ApplicationError as error:
            raise CommandError(error.message) from error
        except DatabaseError as error:
            raise CommandError(
                f"The database is not ready ({error}). Run `twoway manage migrate` first."
            ) from error
        address = options["serve"] or options["address"]
        url = f"http://{address}" if address else DEMO_URL
        hint = "" if address else " (start the server with `twoway serve`)"
        self.stdout.write(self._summary(result, time.perf_counter() - started, url, hint))
        if options["serve"]:
            call_command("runserver", options["serve"], use_reloader=False)

    def _summary(self, result: DemoResult, seconds: float, url: str, hint: str) -> str:
        lines = [f"Demo ready in {seconds:.1f} s."]
        for slug, people in result.people.items():
            imported = result.imports[slug]
            lines.append(
                f"  {slug}: {people:,} people ({imported.created:,} created, "
                f"{imported.updated:,} updated, {imported.unchanged:,} unchanged, "
                f"{imported.deactivated:,} deactivated)"
            )
        header = ("Email", "Password", "Role", "Organisation", "In the directory as")
        table = [header] + [
            (login.email, login.password, login.role, login.organisation, login.person)
            for login in result.logins
        ]
        widths = [max(len(row[i]) for row in table) for i in range(len(header))]
        rule = "  ".join("-" * w for w in widths)
        lines += ["", "Log in with:", ""]
        for i, row in enumerate(table):
            lines.append("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)))
            if i == 0:
                lines.append(rule)
        if result.steps:
            lines += ["", "Then try:", ""]
            for step in result.steps:
                lines += [f"  {step.login}: {step.what}", f"    {url}{step.path}"]
        lines += ["", f"Open {url}{hint}."]
        return "\n".join(line.rstrip() for line in lines)
