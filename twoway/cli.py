"""The ``twoway`` console command.

    twoway demo [--size N] [--seed S] [--serve]     build the demo organisation (and serve it)
    twoway people import --org SLUG FILE [...]      import an HRIS export (CSV or XLSX)
    twoway people export --org SLUG [FILE]          export the directory as CSV
    twoway match run --program ID [--dry-run] [--json]   match a program, print the summary
    twoway serve [ADDR:PORT]                        run the web server
    twoway worker [--no-periodic]                   run the background task worker and the
                                                    periodic jobs (nudges, retries, digests…)
    twoway nudge --now [--program ID]               send the due nudges now, print the counts
    twoway manage <django command> [...]            any Django management command

The product's commands are Django management commands underneath (``twoway_demo``,
``people_import`` …), so they run the same way from ``manage.py``, tests and the task worker.
"""

from __future__ import annotations

import os
import sys

PRODUCT_COMMANDS = {
    ("demo",): "twoway_demo",
    ("serve",): "runserver",
    ("worker",): "twoway_worker",
    ("nudge",): "nudge",
    ("people", "import"): "people_import",
    ("people", "export"): "people_export",
    ("match", "run"): "match_run",
}


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "twoway.settings")
    args = list(sys.argv[1:] if argv is None else argv)
    from django.core.management import execute_from_command_line

    if not args or args[0] in {"-h", "--help", "help"}:
        print(__doc__)
        return
    if args[0] == "manage":
        execute_from_command_line(["twoway manage", *args[1:]])
        return
    for words, command in sorted(PRODUCT_COMMANDS.items(), key=lambda item: -len(item[0])):
        if tuple(args[: len(words)]) == words:
            execute_from_command_line(["twoway", command, *args[len(words) :]])
            return
    print(f"twoway: unknown command {' '.join(args)!r}\n{__doc__}", file=sys.stderr)
    sys.exit(2)


if __name__ == "__main__":
    main()
