"""Program health figures against a program built by hand, the diversity tables from consenting
participants only, and the at-risk list."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from tests.authz import Actors
from tests.insights.factories import application, build_program, diversity, pair, person
from twoway.insights import selectors
from twoway.insights.selectors import diversity_breakdowns, program_health
from twoway.nudges.models import Nudge, Rule

pytestmark = pytest.mark.django_db


def test_every_figure_matches_the_program_built_by_hand(actors: Actors) -> None:
    built = build_program(actors)

    health = program_health(program=built.program, now=built.now)

    assert (health.invited, health.applied, health.approved, health.matched) == (3, 12, 10, 10)
    assert health.match_rate == 100
    assert health.mentorships == {
        "agreement_pending": 1,
        "active": 2,
        "completed": 1,
        "ended_early": 1,
    }
    # Held: steady 3, done 2, quiet 1 (the ended pair's session does not count).
    assert health.sessions_held == 6
    assert (health.sessions_upcoming, health.sessions_cancelled) == (1, 1)
    # Expected: steady 10 weeks / 2 + quiet 10 / 2 + done 4 weeks / 1.
    assert health.sessions_expected == 14
    assert health.rhythm_rate == 43
    assert health.goals == {"on_track": 2, "behind": 1, "done": 1}
    # Eight people rated: 5 4 5 5 1 2 1 2.
    assert health.pulse.mean == pytest.approx(3.12, abs=0.01)
    assert health.pulse.distribution.total == 8
    assert health.pulse.distribution.cells == {"1": None, "2": None, "3": 0, "4": None, "5": None}
    assert health.satisfaction is None and health.recommend is None  # no survey answers


def test_trend_counts_sessions_and_starts_in_their_week(actors: Actors) -> None:
    built = build_program(actors)

    trend = program_health(program=built.program, now=built.now).trend

    assert len(trend.weeks) == selectors.TREND_WEEKS
    assert sum(trend.sessions_held) == 7  # every held session of the last 12 weeks, any status
    assert sum(trend.mentorships_started) == 5
    assert all(mean is None for mean in trend.pulse_mean)  # never 5 raters in one week


def test_pulse_hidden_until_five_different_people_answered(actors: Actors) -> None:
    now = timezone.now()
    built = build_program(actors, now=now)
    from twoway.rooms.models import Pulse

    Pulse.objects.filter(organisation=actors.organisation).exclude(
        member__mentorship=built.mentorships["steady"]
    ).delete()

    pulse = program_health(program=built.program, now=now).pulse

    assert pulse.mean is None
    assert pulse.distribution.total is None
    assert set(pulse.distribution.cells.values()) == {None}


def test_diversity_counts_consenting_participants_only(actors: Actors) -> None:
    built = build_program(actors)
    program = built.program
    for _ in range(7):
        diversity(application(program, person(program)), age_band="under_25", gender="woman")
    for _ in range(2):  # no consent to reporting: never counted
        diversity(
            application(program, person(program)),
            age_band="under_25",
            gender="woman",
            consent=False,
        )
    # Pending applications are not enrolled: not counted either.
    diversity(
        application(program, person(program), status="submitted"),
        age_band="under_25",
        gender="woman",
    )

    generations, genders = diversity_breakdowns(program=program)

    assert generations.rows == ["Gen Z (under 25)"]
    assert generations.row("Gen Z (under 25)") == [7, 0, 0, 0, 0]
    assert generations.total == 7
    assert genders.rows == ["Woman"]
    assert genders.total == 7


def test_diversity_outcomes_follow_the_mentorships(actors: Actors) -> None:
    built = build_program(actors)
    program = built.program
    now = built.now
    for _ in range(6):  # six active pairs whose mentees all consented, aged 45-54
        mentee = person(program)
        pair(program, status="active", started_at=now, people=(person(program), mentee))
        diversity(application(program, mentee), age_band="45_54", gender=" WOMAN ")
    for _ in range(3):  # three more of the same generation, not matched
        diversity(application(program, person(program)), age_band="45_54", gender="man")

    generations, genders = diversity_breakdowns(program=program)

    # 3 not matched is hidden; so is "matched" (9 - 6 would give it away) and "active"
    # (matched = active + 0 + 0); the row's 9 stays published.
    assert generations.columns == ["not_matched", "matched", "active", "completed", "ended_early"]
    assert generations.row("Gen X (45-54)") == [None, None, None, 0, 0]
    assert generations.row_totals["Gen X (45-54)"] == 9
    # "Man" (3 people) is pooled under another description; " WOMAN " is counted as "Woman".
    assert genders.rows == ["Woman", "Another description"]
    assert genders.total == 9
    assert 3 not in genders.published() and 3 not in generations.published()


def test_at_risk_lists_quiet_low_pulse_and_overdue_pairs_with_their_last_nudge(
    actors: Actors,
) -> None:
    built = build_program(actors)
    quiet = built.mentorships["quiet"]
    nudged_at = built.now - dt.timedelta(days=2)
    nudge = Nudge.objects.create(
        organisation=actors.organisation,
        program=built.program,
        mentorship=quiet,
        rule=Rule.MANUAL,
        subject_key=f"mentorship:{quiet.pk}",
        recipient=actors.participant,
        period="2030-01-01",
    )
    Nudge.objects.filter(pk=nudge.pk).update(created_at=nudged_at)

    page = selectors.at_risk_page(program=built.program, now=built.now)

    rows = {row.mentorship.pk: row for row in page.object_list}
    assert set(rows) == {built.mentorships["steady"].pk, quiet.pk}
    assert rows[quiet.pk].reasons == ["quiet for 8 weeks", "low pulse"]
    assert rows[quiet.pk].last_nudged_at == nudged_at
    assert rows[built.mentorships["steady"].pk].reasons == ["overdue actions"]
    assert rows[built.mentorships["steady"].pk].last_nudged_at is None


def test_at_risk_pages_hold_twenty(actors: Actors) -> None:
    built = build_program(actors)
    for _ in range(21):
        pair(built.program, status="active", started_at=built.now - dt.timedelta(weeks=9))

    first = selectors.at_risk_page(program=built.program, now=built.now)
    second = selectors.at_risk_page(program=built.program, now=built.now, page=2)

    assert first.paginator.count == 23
    assert len(first.object_list) == 20 and len(second.object_list) == 3
