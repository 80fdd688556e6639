"""Matching services: runs, the manager's edits of the draft, publishing, settings."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail

from tests.matching.conftest import Matching
from tests.matching.django_factories import approved, participant
from twoway.core.errors import ApplicationError
from twoway.matching import services
from twoway.matching.models import MatchRun, PairExclusion, Proposal, ProposalMember
from twoway.mentorships.models import Mentorship, MentorshipMember
from twoway.people.models import Person
from twoway.programs.models import Program


def run_now(m: Matching, capture: Any) -> MatchRun:
    with capture(execute=True):
        run = services.match_run_start(actor=m.actors.program_manager, program=m.program)
    run.refresh_from_db()
    return run


def pairs(run: MatchRun) -> set[tuple[int, int]]:
    """(mentee application id, mentor application id) of each proposal."""
    out = set()
    for proposal in run.proposals.prefetch_related("members"):
        roles = {member.role: member.application_id for member in proposal.members.all()}
        out.add((roles["mentee"], roles["mentor"]))
    return out


def proposal_of(run: MatchRun, mentee_id: int) -> Proposal:
    return run.proposals.get(members__application_id=mentee_id, members__role="mentee")


def mentor_of(proposal: Proposal) -> int:
    return proposal.members.get(role="mentor").application_id


def test_a_run_stores_proposals_and_its_summary(
    matching: Matching, django_capture_on_commit_callbacks: Any
) -> None:
    run = run_now(matching, django_capture_on_commit_callbacks)

    assert run.status == MatchRun.Status.DONE
    assert run.matched == 3 and run.unmatched == 0
    assert run.progress == 1.0 and run.finished_at is not None
    assert run.total_score > 0 and run.upper_bound >= run.total_score
    assert run.participation_proven
    assert set(run.seconds) >= {"prepare", "explain"}
    mentees = {a.pk for a in matching.mentees}
    assert {mentee for mentee, _ in pairs(run)} == mentees
    proposal = run.proposals.first()
    assert proposal.reason and set(proposal.breakdown) >= {"teach_learn", "availability"}
    assert not run.unmatched_entries.exists()


def test_a_run_needs_a_program_in_matching_and_a_manager(
    matching: Matching, django_capture_on_commit_callbacks: Any
) -> None:
    Program.objects.filter(pk=matching.program.pk).update(status="enrolling")
    matching.program.refresh_from_db()
    with pytest.raises(ApplicationError, match="only while the program is in matching"):
        services.match_run_start(actor=matching.actors.program_manager, program=matching.program)
    Program.objects.filter(pk=matching.program.pk).update(status="matching")
    with pytest.raises(ApplicationError, match="managers"):
        services.match_run_start(actor=matching.other_manager, program=matching.program)
    Program.objects.filter(pk=matching.program.pk).update(format="circle")
    with pytest.raises(ApplicationError, match="circle size"):
        services.match_run_start(actor=matching.actors.admin, program=matching.program)
    assert not MatchRun.objects.exists()


def test_a_circle_program_forms_circles_and_publishes_them(
    matching: Matching, django_capture_on_commit_callbacks: Any
) -> None:
    Program.objects.filter(pk=matching.program.pk).update(
        format="circle", circle_min_size=2, circle_max_size=4
    )
    matching.program.refresh_from_db()
    # Circles follow the classic direction: the mentor is the more senior.
    Person.objects.filter(pk__in=[a.person_id for a in matching.mentors]).update(level=6)

    run = run_now(matching, django_capture_on_commit_callbacks)

    assert run.kind == MatchRun.Kind.CIRCLES and run.status == MatchRun.Status.DONE, run.error
    assert run.matched == 3 and run.unmatched == 0
    circles = list(run.proposals.all())
    assert circles and all(p.reason for p in circles)
    members = ProposalMember.objects.filter(proposal__run=run)
    assert members.filter(role="mentee").count() == 3
    proposal = circles[0]
    with pytest.raises(ApplicationError, match="pairs only"):
        services.proposal_lock(actor=matching.actors.admin, proposal=proposal, locked=True)

    with django_capture_on_commit_callbacks(execute=True):
        services.match_run_publish(actor=matching.actors.admin, run=run)

    assert set(Mentorship.objects.values_list("kind", flat=True)) == {"circle"}
    assert MentorshipMember.objects.filter(role="mentee").count() == 3


def test_unmatched_mentees_get_the_rule_that_stopped_them(
    matching: Matching, django_capture_on_commit_callbacks: Any
) -> None:
    senior = participant(matching.actors.organisation, first_name="Junior", level=1)
    lonely = approved(matching.program, senior, role="mentee")

    run = run_now(matching, django_capture_on_commit_callbacks)

    entry = run.unmatched_entries.get(application=lonely)
    assert entry.rule == "level"
    assert "Junior Tester" in entry.reason
    assert run.unmatched == 1


def test_a_locked_proposal_survives_a_rerun(
    matching: Matching, django_capture_on_commit_callbacks: Any
) -> None:
    first = run_now(matching, django_capture_on_commit_callbacks)
    proposal = proposal_of(first, matching.mentees[0].pk)
    kept = (matching.mentees[0].pk, mentor_of(proposal))
    services.proposal_lock(actor=matching.actors.program_manager, proposal=proposal, locked=True)

    second = run_now(matching, django_capture_on_commit_callbacks)

    assert second.pk != first.pk and second.status == MatchRun.Status.DONE
    assert kept in pairs(second)
    again = proposal_of(second, matching.mentees[0].pk)
    assert again.locked and mentor_of(again) == kept[1]
    assert second.proposals.filter(locked=True).count() == 1
    # The older run is superseded: no more edits there.
    with pytest.raises(ApplicationError, match="newer run"):
        services.proposal_lock(actor=matching.actors.admin, proposal=proposal, locked=False)


def test_swap_exchanges_mentors_and_rescores(
    matching: Matching, django_capture_on_commit_callbacks: Any
) -> None:
    run = run_now(matching, django_capture_on_commit_callbacks)
    a = proposal_of(run, matching.mentees[0].pk)
    b = proposal_of(run, matching.mentees[1].pk)
    mentor_a, mentor_b = mentor_of(a), mentor_of(b)

    services.proposal_swap(actor=matching.actors.program_manager, first=a, second=b)

    assert mentor_of(a) == mentor_b and mentor_of(b) == mentor_a
    a.refresh_from_db()
    assert a.reason and a.breakdown


def test_swap_is_refused_naming_the_rule(
    matching: Matching, django_capture_on_commit_callbacks: Any
) -> None:
    run = run_now(matching, django_capture_on_commit_callbacks)
    a = proposal_of(run, matching.mentees[0].pk)
    b = proposal_of(run, matching.mentees[1].pk)
    mentor_b = ProposalMember.objects.get(proposal=b, role="mentor").application
    PairExclusion.objects.create(
        organisation=matching.program.organisation,
        program=matching.program,
        person_a=matching.mentees[0].person,
        person_b=mentor_b.person,
    )
    before = mentor_of(a)

    with pytest.raises(services.RuleBroken, match="pair exclusion") as refused:
        services.proposal_swap(actor=matching.actors.program_manager, first=a, second=b)

    assert refused.value.rule == "excluded"
    assert mentor_b.person.full_name in refused.value.message
    assert mentor_of(a) == before


def test_a_manual_pair_breaking_a_rule_is_refused(
    matching: Matching, django_capture_on_commit_callbacks: Any
) -> None:
    run = run_now(matching, django_capture_on_commit_callbacks)
    peer = approved(
        matching.program,
        participant(matching.actors.organisation, first_name="Peer", level=2),
        role="mentee",
    )

    with pytest.raises(services.RuleBroken, match="level rule") as refused:
        services.proposal_add(
            actor=matching.actors.program_manager,
            run=run,
            mentor=matching.mentors[0],
            mentee=peer,
            confirm_warning=True,
        )

    assert refused.value.rule == "level"
    assert run.proposals.count() == 3


def test_a_manual_pair_with_a_full_mentor_needs_confirmation(
    matching: Matching, django_capture_on_commit_callbacks: Any
) -> None:
    approved(
        matching.program,
        participant(matching.actors.organisation, first_name="Extra", level=6),
        role="mentee",
    )
    run = run_now(matching, django_capture_on_commit_callbacks)
    left_out = run.unmatched_entries.get(rule="capacity")
    extra = left_out.application
    mentor = matching.mentors[0]

    with pytest.raises(services.NeedsConfirmation, match="already at capacity"):
        services.proposal_add(
            actor=matching.actors.program_manager, run=run, mentor=mentor, mentee=extra
        )
    assert run.proposals.count() == 3

    proposal = services.proposal_add(
        actor=matching.actors.program_manager,
        run=run,
        mentor=mentor,
        mentee=extra,
        confirm_warning=True,
    )

    assert proposal.manual and proposal.locked and "capacity" in proposal.warning
    assert proposal.reason and proposal.score > 0
    assert not run.unmatched_entries.filter(application=extra).exists()


def test_a_person_already_placed_needs_confirmation(
    matching: Matching, django_capture_on_commit_callbacks: Any
) -> None:
    Program.objects.filter(pk=matching.program.pk).update(mentees_per_mentor=2)
    run = run_now(matching, django_capture_on_commit_callbacks)
    mentee = matching.mentees[0]
    other_mentor = next(
        m for m in matching.mentors if m.pk != mentor_of(proposal_of(run, mentee.pk))
    )

    with pytest.raises(services.NeedsConfirmation, match="already placed"):
        services.proposal_add(
            actor=matching.actors.admin, run=run, mentor=other_mentor, mentee=mentee
        )


def test_remove_lists_the_people_as_unplaced(
    matching: Matching, django_capture_on_commit_callbacks: Any
) -> None:
    run = run_now(matching, django_capture_on_commit_callbacks)
    proposal = proposal_of(run, matching.mentees[0].pk)

    services.proposal_remove(actor=matching.actors.program_manager, proposal=proposal)

    assert run.proposals.count() == 2
    assert set(run.unmatched_entries.values_list("rule", flat=True)) == {"removed"}
    assert run.unmatched_entries.count() == 2


def test_publish_creates_mentorships_tells_members_and_starts_the_program(
    matching: Matching, django_capture_on_commit_callbacks: Any
) -> None:
    run = run_now(matching, django_capture_on_commit_callbacks)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        services.match_run_publish(
            actor=matching.actors.program_manager, run=run, base_url="https://twoway.test"
        )

    run.refresh_from_db()
    assert run.status == MatchRun.Status.PUBLISHED
    assert run.published_by == matching.actors.program_manager
    mentorships = Mentorship.objects.filter(program=matching.program)
    assert mentorships.count() == 3
    assert set(mentorships.values_list("origin", "kind", "status")) == {
        ("matching", "pair", "agreement_pending")
    }
    assert MentorshipMember.objects.filter(mentorship__in=mentorships).count() == 6
    assert all(m.reason and m.score is not None for m in mentorships)
    matching.program.refresh_from_db()
    assert matching.program.status == Program.Status.RUNNING
    assert len(mail.outbox) == 6
    message = mail.outbox[0]
    assert "https://twoway.test/o/acme/enrolment/" in message.body
    assert "Tester" in message.body  # the partner's name
    for email in mail.outbox:
        assert "score" not in email.body.lower()
        assert "%" not in email.body

    with pytest.raises(ApplicationError, match="already published"):
        services.match_run_publish(actor=matching.actors.program_manager, run=run)
    assert Mentorship.objects.count() == 3


def test_publish_only_the_latest_finished_run(
    matching: Matching, django_capture_on_commit_callbacks: Any
) -> None:
    first = run_now(matching, django_capture_on_commit_callbacks)
    run_now(matching, django_capture_on_commit_callbacks)

    with pytest.raises(ApplicationError, match="newer run"):
        services.match_run_publish(actor=matching.actors.program_manager, run=first)
    assert not Mentorship.objects.exists()


def test_capacity_after_publishing_counts_the_new_mentorships(
    matching: Matching, django_capture_on_commit_callbacks: Any
) -> None:
    run = run_now(matching, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        services.match_run_publish(actor=matching.actors.admin, run=run)
    Program.objects.filter(pk=matching.program.pk).update(status="matching")
    matching.program.refresh_from_db()

    again = run_now(matching, django_capture_on_commit_callbacks)

    assert again.matched == 0
    assert set(again.unmatched_entries.values_list("rule", flat=True)) <= {
        "previous_pairing",
        "capacity",
    }


def test_settings_update_validates_criteria_and_weights(matching: Matching) -> None:
    values: dict[str, Any] = {
        "min_shared_hours": 3,
        "load_spreading": True,
        "self_service": False,
        "request_days": 5,
    }
    settings = services.matching_settings_update(
        actor=matching.actors.program_manager,
        program=matching.program,
        weights={"teach_learn": "must", "diversity": "off"},
        **values,
    )
    assert settings.weights == {"teach_learn": "must", "diversity": "off"}
    assert settings.min_shared_hours == 3

    with pytest.raises(ApplicationError, match="'charisma' is not a matching criterion"):
        services.matching_settings_update(
            actor=matching.actors.program_manager,
            program=matching.program,
            weights={"charisma": "high"},
            **values,
        )
    with pytest.raises(ApplicationError, match="'huge' is not a weight"):
        services.matching_settings_update(
            actor=matching.actors.program_manager,
            program=matching.program,
            weights={"interests": "huge"},
            **values,
        )
    with pytest.raises(ApplicationError, match="managers"):
        services.matching_settings_update(
            actor=matching.other_manager, program=matching.program, weights={}, **values
        )
