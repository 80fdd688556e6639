"""``twoway match run``: text and JSON summaries, dry runs that store nothing, refusals."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tests.matching.conftest import Matching
from tests.matching.django_factories import approved, participant
from twoway.cli import PRODUCT_COMMANDS
from twoway.matching.models import MatchRun, Proposal, UnmatchedEntry
from twoway.programs.models import Program


def run_command(*args: str) -> str:
    out = io.StringIO()
    call_command("match_run", *args, stdout=out)
    return out.getvalue()


def test_the_console_command_is_registered() -> None:
    assert PRODUCT_COMMANDS[("match", "run")] == "match_run"


def test_text_summary_stores_a_run(matching: Matching) -> None:
    approved(
        matching.program,
        participant(matching.actors.organisation, first_name="Junior", level=1),
        role="mentee",
    )

    text = run_command("--program", str(matching.program.pk))

    run = MatchRun.objects.get()
    assert run.status == MatchRun.Status.DONE
    assert f"stored as run {run.pk}" in text
    assert "Matched: 3" in text
    assert "Unmatched: 1" in text
    assert "Junior Tester [level]" in text
    assert "Upper bound:" in text and "Gap:" in text
    assert "Participation proven: yes" in text
    assert "Seconds: " in text and " s, " in text and "prepare" in text
    assert Proposal.objects.filter(run=run).count() == 3


def test_json_dry_run_stores_nothing(matching: Matching) -> None:
    for i in range(22):
        approved(
            matching.program,
            participant(matching.actors.organisation, first_name=f"Junior{i}", level=1),
            role="mentee",
        )

    document = json.loads(run_command("--program", str(matching.program.pk), "--dry-run", "--json"))

    assert document["dry_run"] is True and document["run"] is None
    assert document["matched"] == 3
    assert document["unmatched"] == 22
    assert len(document["unmatched_people"]) == 20
    assert document["unmatched_more"] == 2
    assert document["unmatched_people"][0]["rule"] == "level"
    assert document["upper_bound"] >= document["total_score"] > 0
    assert document["participation_proven"] is True
    assert "prepare" in document["seconds"]
    assert not MatchRun.objects.exists()
    assert not Proposal.objects.exists() and not UnmatchedEntry.objects.exists()


@pytest.mark.django_db
def test_unknown_program_is_an_error() -> None:
    with pytest.raises(CommandError, match="No program with id 999"):
        run_command("--program", "999")


def test_wrong_status_is_an_error(matching: Matching) -> None:
    Program.objects.filter(pk=matching.program.pk).update(status="running")
    for extra in ([], ["--dry-run"]):
        with pytest.raises(CommandError, match="only while the program is in matching"):
            run_command("--program", str(matching.program.pk), *extra)
    assert not MatchRun.objects.exists()


def test_errors_exit_1_on_stderr(matching: Matching, capsys: pytest.CaptureFixture[str]) -> None:
    from twoway.cli import main

    with pytest.raises(SystemExit) as exit_info:
        main(["match", "run", "--program", "999"])

    assert exit_info.value.code == 1
    assert "No program with id 999" in capsys.readouterr().err
