"""``twoway match run --program ID [--dry-run] [--json]``: match a program from the console.

Runs in the foreground (no worker): with ``--dry-run`` the engine runs and nothing is stored;
otherwise a run is stored as from the "Run matching" button, for the managers to review and
publish. Prints the summary — matched, the unmatched with reasons (the first 20, then a count),
total score, upper bound, gap, whether participation is proven, seconds per step — as text or,
with ``--json``, as one JSON document.
"""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from twoway.core.errors import ApplicationError
from twoway.matching import selectors, services
from twoway.programs.models import Program

LISTED = 20


class Command(BaseCommand):
    help = "Run matching for a program (in the foreground) and print the summary."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--program", type=int, required=True, help="program id")
        parser.add_argument("--dry-run", action="store_true", help="store nothing")
        parser.add_argument("--json", action="store_true", help="print one JSON document")

    def handle(self, *args: Any, **options: Any) -> None:
        program = (
            Program.objects.select_related("organisation").filter(pk=options["program"]).first()
        )
        if program is None:
            raise CommandError(f"No program with id {options['program']}.")
        try:
            summary = self._dry_run(program) if options["dry_run"] else self._run(program)
        except ApplicationError as error:
            raise CommandError(error.message) from error
        if options["json"]:
            self.stdout.write(json.dumps(summary, indent=2))
        else:
            self._print(summary)

    def _dry_run(self, program: Program) -> dict[str, Any]:
        services.match_run_check(program=program)
        preview = services.match_preview(program=program)
        result, built = preview.result, preview.built
        unmatched = [
            {"name": built.mentees[e].person.full_name, "rule": str(rule), "reason": reason}
            for e, rule, reason in zip(
                result.unmatched.tolist(),
                result.unmatched_rule,
                result.unmatched_reasons,
                strict=True,
            )
        ]
        total_score, upper_bound = services.shown_totals(result)
        return _summary(
            program=program,
            run_id=None,
            matched=result.matched,
            unmatched=unmatched,
            total_score=total_score,
            upper_bound=upper_bound,
            gap=result.gap,
            proven=result.participation_proven,
            seconds=result.seconds,
        )

    def _run(self, program: Program) -> dict[str, Any]:
        run = services.match_run_create_unattended(program=program)
        run = services.match_run_execute(run=run)
        if run.status != run.Status.DONE:
            raise CommandError(run.error or "The run did not finish.")
        unmatched = [
            {"name": e.application.person.full_name, "rule": e.rule, "reason": e.reason}
            for e in selectors.unmatched_list(run=run)
            if e.rule != services.RULE_NO_MENTEE
        ]
        return _summary(
            program=program,
            run_id=run.pk,
            matched=run.matched,
            unmatched=unmatched,
            total_score=run.total_score,
            upper_bound=run.upper_bound,
            gap=run.gap,
            proven=run.participation_proven,
            seconds=run.seconds,
        )

    def _print(self, s: dict[str, Any]) -> None:
        out = self.stdout
        saved = f"stored as run {s['run']}" if s["run"] else "dry run, nothing stored"
        out.write(f"Matching {s['program']['name']} (program {s['program']['id']}): {saved}")
        out.write(f"Matched: {s['matched']}")
        out.write(f"Unmatched: {s['unmatched']}")
        for person in s["unmatched_people"]:
            out.write(f"  - {person['name']} [{person['rule']}]: {person['reason']}")
        if s["unmatched_more"]:
            out.write(f"  … and {s['unmatched_more']} more")
        out.write(f"Total score: {s['total_score']:.3f}")
        out.write(f"Upper bound: {s['upper_bound']:.3f}")
        out.write(f"Gap: {s['gap_percent']:.2f} % (at most this far from the best possible)")
        out.write(f"Participation proven: {'yes' if s['participation_proven'] else 'no'}")
        steps = ", ".join(f"{step} {sec:.2f} s" for step, sec in s["seconds"].items())
        out.write(f"Seconds: {steps}")


def _summary(
    *,
    program: Program,
    run_id: int | None,
    matched: int,
    unmatched: list[dict[str, str]],
    total_score: float,
    upper_bound: float,
    gap: float,
    proven: bool,
    seconds: dict[str, float],
) -> dict[str, Any]:
    return {
        "program": {"id": program.pk, "name": program.name},
        "run": run_id,
        "dry_run": run_id is None,
        "matched": matched,
        "unmatched": len(unmatched),
        "unmatched_people": unmatched[:LISTED],
        "unmatched_more": max(len(unmatched) - LISTED, 0),
        "total_score": round(total_score, 6),
        "upper_bound": round(upper_bound, 6),
        "gap_percent": round(100 * gap, 4),
        "participation_proven": proven,
        "seconds": {step: round(float(sec), 4) for step, sec in seconds.items()},
    }
