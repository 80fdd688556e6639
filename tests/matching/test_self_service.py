"""Self-service matching: suggestions, requests, answers, expiry and the pass-on rule.

The world: Acme's reverse-mentoring program in matching with self-service on. The mentee is
the actors' participant (Mia, level 5, wants three topics); three junior mentors, best first:
Ada can teach all three topics, Ben two, Cy one. One place each.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from tests.authz import Actors
from tests.core.factories import MembershipFactory
from tests.matching.django_factories import approved, matching_program, mentorship, participant
from tests.people.factories import PersonFactory
from twoway.accounts.models import User
from twoway.core.errors import ApplicationError
from twoway.core.models import Role
from twoway.enrolment.models import Application
from twoway.matching import self_service
from twoway.matching.models import MatchingSettings, MatchRequest
from twoway.matching.tasks_self_service import expire_match_requests
from twoway.mentorships.models import Mentorship, MentorshipMember
from twoway.people.models import Person, Team, Topic
from twoway.programs.models import Program

pytestmark = pytest.mark.django_db

MESSAGE = "canary-message-3e1f: I would love help with our app"
DECLINE_REASON = "canary-decline-reason-8c2d"


@dataclass
class World:
    actors: Actors
    program: Program
    mentee: Application  # the actors' participant: Mia
    mentors: list[Application]  # Ada, Ben, Cy — best suggestion first
    topics: list[Topic]

    @property
    def ada(self) -> Application:
        return self.mentors[0]

    @property
    def ben(self) -> Application:
        return self.mentors[1]

    @property
    def cy(self) -> Application:
        return self.mentors[2]

    def user(self, application: Application) -> User:
        return application.user


def member(organisation: Any) -> User:
    return MembershipFactory(organisation=organisation, role=Role.PARTICIPANT).user


def mentee_of(program: Program, user: User, topics: list[Topic], **person: Any) -> Application:
    """``user`` as an approved mentee of ``program`` (level 5, wants ``topics``)."""
    found = PersonFactory(
        organisation=program.organisation,
        email=user.email,
        level=person.pop("level", 5),
        last_name="Tester",
        **person,
    )
    Person.objects.filter(pk=found.pk).update(user=user)
    found.user = user
    return approved(program, found, role="mentee", learns=topics)


@pytest.fixture(name="world")
def world_fixture(actors: Actors) -> World:
    return make_world(actors)


def make_world(actors: Actors) -> World:
    org = actors.organisation
    program = matching_program(org, managers=[actors.program_manager], name="Reverse 2026")
    MatchingSettings.objects.create(
        organisation=org, program=program, self_service=True, request_days=7
    )
    topics = list(
        Topic.objects.for_organisation(org).filter(kind=Topic.Kind.SKILL).order_by("pk")[:3]
    )
    mentee = mentee_of(program, actors.participant, topics, first_name="Mia")
    mentors = [
        approved(
            program, participant(org, first_name=name, level=2), role="mentor", shares=topics[:k]
        )
        for name, k in (("Ada", 3), ("Ben", 2), ("Cy", 1))
    ]
    return World(actors=actors, program=program, mentee=mentee, mentors=mentors, topics=topics)


def names(suggestions: list[self_service.Suggestion]) -> list[str]:
    return [s.name for s in suggestions]


def ask(world: World, mentor: Application, message: str = "", **kwargs: Any) -> MatchRequest:
    return self_service.match_request_create(
        actor=world.actors.participant,
        program=world.program,
        mentor_application=mentor,
        message=message,
        base_url="http://testserver",
        **kwargs,
    )


def pending_of(mentee: Application) -> MatchRequest | None:
    return MatchRequest.objects.filter(mentee=mentee, status="pending").first()


# --- Suggestions -----------------------------------------------------------------------------


def test_suggestions_come_best_first_with_a_reason_and_a_strength(world: World) -> None:
    found = self_service.match_suggestions(actor=world.actors.participant, program=world.program)
    assert names(found) == ["Ada Tester", "Ben Tester", "Cy Tester"]
    assert all(s.reason and s.strength in {"strong", "good", "fair"} for s in found)
    assert "Ada Tester can teach" in found[0].reason
    assert found[0].score >= found[1].score >= found[2].score


def test_a_mentor_in_the_reporting_chain_or_on_the_same_team_is_never_suggested(
    world: World,
) -> None:
    """Given a mentee whose skip-level manager and a teammate both mentor in the program, when
    the mentee looks for a mentor, then neither is suggested — nor may be asked."""
    org = world.actors.organisation
    team = Team.objects.create(organisation=org, name="Apps")
    boss = participant(org, first_name="Boss", level=2)
    middle = PersonFactory(organisation=org, first_name="Middle", level=6, manager=boss)
    teammate = participant(org, first_name="Teammate", level=2, team=team)
    for person in (boss, teammate):
        approved(world.program, person, role="mentor", shares=world.topics)
    user = member(org)
    newcomer = mentee_of(
        world.program, user, world.topics, first_name="Nia", manager=middle, team=team
    )
    found = names(self_service.match_suggestions(actor=user, program=world.program, limit=10))
    assert "Boss Tester" not in found and "Teammate Tester" not in found
    assert "Ada Tester" in found
    for mentor in Application.objects.filter(person__in=[boss, teammate]):
        with pytest.raises(ApplicationError, match="rules do not allow"):
            self_service.match_request_create(
                actor=newcomer.user, program=world.program, mentor_application=mentor
            )


def test_a_mentor_with_a_full_place_or_enough_pending_requests_is_not_suggested(
    world: World,
) -> None:
    org = world.actors.organisation
    # Ada's one place is taken by a mentorship; Ben's by another mentee's pending request.
    mentorship(world.program, mentor=world.ada.person, mentee=participant(org, first_name="X"))
    other = mentee_of(world.program, member(org), world.topics)
    self_service.match_request_create(
        actor=other.user, program=world.program, mentor_application=world.ben
    )
    found = names(
        self_service.match_suggestions(actor=world.actors.participant, program=world.program)
    )
    assert found == ["Cy Tester"]
    with pytest.raises(ApplicationError, match="no free place"):
        ask(world, world.ben)


def test_with_two_places_one_pending_request_leaves_room(world: World) -> None:
    Program.objects.filter(pk=world.program.pk).update(mentees_per_mentor=2)
    world.program.refresh_from_db()
    org = world.actors.organisation
    other = mentee_of(world.program, member(org), world.topics)
    self_service.match_request_create(
        actor=other.user, program=world.program, mentor_application=world.ada
    )
    found = names(
        self_service.match_suggestions(actor=world.actors.participant, program=world.program)
    )
    assert found[0] == "Ada Tester"


def test_no_suggestions_without_self_service_or_outside_matching_and_running(
    world: World,
) -> None:
    MatchingSettings.objects.filter(program=world.program).update(self_service=False)
    with pytest.raises(ApplicationError, match="does not offer self-service"):
        self_service.match_suggestions(actor=world.actors.participant, program=world.program)
    MatchingSettings.objects.filter(program=world.program).update(self_service=True)
    Program.objects.filter(pk=world.program.pk).update(status=Program.Status.CLOSING)
    world.program.refresh_from_db()
    with pytest.raises(ApplicationError, match="once the program is matching"):
        self_service.match_suggestions(actor=world.actors.participant, program=world.program)


def test_only_approved_mentees_get_suggestions(world: World) -> None:
    with pytest.raises(ApplicationError, match="approved mentees"):
        self_service.match_suggestions(actor=world.user(world.ada), program=world.program)


# --- Requests --------------------------------------------------------------------------------


def test_a_request_emails_the_mentor_a_link_and_the_requesters_name_only(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        created = ask(world, world.ada, MESSAGE)
    assert created.status == "pending" and created.message == MESSAGE.strip()
    assert created.reason and created.score > 0
    days = (created.expires_at - timezone.now()).total_seconds() / 86400
    assert 6.99 < days <= 7
    [email] = mail.outbox
    assert email.to == [world.user(world.ada).email]
    assert "Mia Tester" in email.subject + email.body
    assert f"http://testserver/o/acme/find-a-mentor/programs/{world.program.pk}/requests/" in (
        email.body
    )
    assert "canary-message" not in email.subject + email.body
    assert created.reason not in email.body


def test_one_pending_request_at_a_time(world: World) -> None:
    ask(world, world.ada)
    with pytest.raises(ApplicationError, match="already have a request waiting"):
        ask(world, world.ben)
    assert (
        self_service.match_suggestions(actor=world.actors.participant, program=world.program) == []
    )


def test_a_mentor_of_another_program_cannot_be_asked(world: World) -> None:
    org = world.actors.organisation
    elsewhere = matching_program(org, name="Elsewhere")
    stranger = approved(elsewhere, participant(org, first_name="Far", level=2), role="mentor")
    with pytest.raises(ApplicationError, match="not available as a mentor"):
        ask(world, stranger)


def test_the_mentee_cancels_and_may_ask_again(world: World) -> None:
    created = ask(world, world.ada)
    with pytest.raises(ApplicationError, match="Only the person who asked"):
        self_service.match_request_cancel(actor=world.user(world.ada), request=created)
    self_service.match_request_cancel(actor=world.actors.participant, request=created)
    assert MatchRequest.objects.get(pk=created.pk).status == "cancelled"
    assert pending_of(world.mentee) is None
    ask(world, world.ada)  # a cancelled request is no refusal


# --- Answers ---------------------------------------------------------------------------------


def test_accept_creates_the_mentorship_with_both_members_and_tells_the_mentee(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    created = ask(world, world.ada, MESSAGE)
    mail.outbox.clear()
    with pytest.raises(ApplicationError, match="Only the mentor asked"):
        self_service.match_request_accept(actor=world.actors.participant, request=created)
    with django_capture_on_commit_callbacks(execute=True):
        accepted = self_service.match_request_accept(
            actor=world.user(world.ada), request=created, base_url="http://testserver"
        )
    assert accepted.status == "accepted" and accepted.decided_at is not None
    made = Mentorship.objects.get(pk=accepted.mentorship_id)
    assert (made.kind, made.origin, made.program_id) == ("pair", "request", world.program.pk)
    assert made.reason == created.reason
    members = {
        (m.person_id, m.user_id, m.role) for m in MentorshipMember.objects.filter(mentorship=made)
    }
    assert members == {
        (world.ada.person_id, world.ada.user_id, "mentor"),
        (world.mentee.person_id, world.mentee.user_id, "mentee"),
    }
    [email] = mail.outbox
    assert email.to == [world.actors.participant.email]
    assert "Ada Tester" in email.body
    assert f"/o/acme/find-a-mentor/programs/{world.program.pk}/" in email.body
    assert "canary-message" not in email.body
    # Matched: no more suggestions, and no second request.
    assert (
        self_service.match_suggestions(actor=world.actors.participant, program=world.program) == []
    )
    with pytest.raises(ApplicationError, match="already have a mentor"):
        ask(world, world.ben)


def test_accept_is_refused_when_the_mentor_is_full(world: World) -> None:
    created = ask(world, world.ada)
    # Meanwhile the managers publish a match that takes Ada's one place.
    org = world.actors.organisation
    mentorship(world.program, mentor=world.ada.person, mentee=participant(org, first_name="X"))
    with pytest.raises(ApplicationError, match="no free place"):
        self_service.match_request_accept(actor=world.user(world.ada), request=created)
    assert MatchRequest.objects.get(pk=created.pk).status == "pending"
    assert not Mentorship.objects.filter(origin="request").exists()


def test_accept_is_refused_after_the_deadline(world: World) -> None:
    created = ask(world, world.ada)
    MatchRequest.objects.filter(pk=created.pk).update(
        expires_at=timezone.now() - dt.timedelta(minutes=1)
    )
    with pytest.raises(ApplicationError, match="run out"):
        self_service.match_request_accept(actor=world.user(world.ada), request=created)


def test_decline_passes_on_to_the_next_suggestion_and_tells_the_mentee_neutrally(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    created = ask(world, world.ada, MESSAGE)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        declined = self_service.match_request_decline(
            actor=world.user(world.ada),
            request=created,
            reason=DECLINE_REASON,
            base_url="http://testserver",
        )
    assert declined.status == "declined"
    assert self_service.mentee_status_label(declined) == "Not available"
    passed = pending_of(world.mentee)
    assert passed is not None and passed.mentor_id == world.ben.pk
    assert passed.message == ""  # the note was written to someone else
    to_mentee = [m for m in mail.outbox if m.to == [world.actors.participant.email]]
    to_ben = [m for m in mail.outbox if m.to == [world.user(world.ben).email]]
    assert len(to_mentee) == 1 and len(to_ben) == 1
    text = to_mentee[0].subject + to_mentee[0].body
    assert "Ada Tester is not available" in text and "Ben Tester" in text
    assert "declin" not in text.lower()
    for email in mail.outbox:
        assert DECLINE_REASON not in email.body and "canary-message" not in email.body
    assert DECLINE_REASON not in str(list(MatchRequest.objects.values()))


def test_a_declined_mentor_is_never_suggested_again(world: World) -> None:
    created = ask(world, world.ada)
    self_service.match_request_decline(actor=world.user(world.ada), request=created)
    passed = pending_of(world.mentee)
    assert passed is not None
    self_service.match_request_cancel(actor=world.actors.participant, request=passed)
    found = names(
        self_service.match_suggestions(actor=world.actors.participant, program=world.program)
    )
    assert "Ada Tester" not in found
    assert found[0] == "Ben Tester"  # cancelled by the mentee themselves: may be asked again
    with pytest.raises(ApplicationError, match="asked Ada Tester before"):
        ask(world, world.ada)


def test_when_no_one_is_left_the_mentee_is_told_plainly(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    Application.objects.filter(pk__in=[world.ben.pk, world.cy.pk]).update(status="withdrawn")
    created = ask(world, world.ada)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        self_service.match_request_decline(actor=world.user(world.ada), request=created)
    assert pending_of(world.mentee) is None
    [email] = mail.outbox
    assert email.to == [world.actors.participant.email]
    assert "no other mentor with a free place fits you" in email.body


# --- Expiry ----------------------------------------------------------------------------------


def overdue(request: MatchRequest) -> None:
    MatchRequest.objects.filter(pk=request.pk).update(
        expires_at=timezone.now() - dt.timedelta(hours=1)
    )


def test_the_command_expires_overdue_requests_and_passes_them_on(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    created = ask(world, world.ada)
    still_open = self_service.match_request_create(
        actor=mentee_of(world.program, member(world.actors.organisation), []).user,
        program=world.program,
        mentor_application=world.cy,
    )
    overdue(created)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("match_requests_expire", "--base-url", "https://twoway.example.org")
    assert MatchRequest.objects.get(pk=created.pk).status == "expired"
    assert MatchRequest.objects.get(pk=still_open.pk).status == "pending"
    passed = pending_of(world.mentee)
    assert passed is not None and passed.mentor_id == world.ben.pk
    assert passed.expires_at > timezone.now() + dt.timedelta(days=6)
    to_mentee = [m for m in mail.outbox if m.to == [world.actors.participant.email]]
    assert "Ada Tester is not available" in to_mentee[0].body
    assert "https://twoway.example.org/o/acme/find-a-mentor/" in to_mentee[0].body


def test_the_task_expires_overdue_requests_too(world: World) -> None:
    created = ask(world, world.ada)
    overdue(created)
    result = expire_match_requests.enqueue()
    assert result.return_value == 1
    assert MatchRequest.objects.get(pk=created.pk).status == "expired"
    assert pending_of(world.mentee).mentor_id == world.ben.pk  # type: ignore[union-attr]
    assert self_service.match_requests_expire() == 0  # nothing left to expire


def test_a_passed_on_request_skips_mentors_who_filled_up_meanwhile(world: World) -> None:
    created = ask(world, world.ada)
    org = world.actors.organisation
    mentorship(world.program, mentor=world.ben.person, mentee=participant(org, first_name="X"))
    overdue(created)
    assert self_service.match_requests_expire(program=world.program) == 1
    assert pending_of(world.mentee).mentor_id == world.cy.pk  # type: ignore[union-attr]


def test_strength_bands() -> None:
    assert [self_service.strength(s) for s in (0.9, 0.66, 0.5, 0.4, 0.1)] == [
        "strong",
        "strong",
        "good",
        "good",
        "fair",
    ]


# --- Concurrency (PostgreSQL: real row locks between connections) ------------------------------


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    "sqlite" in __import__("django.conf").conf.settings.DATABASES["default"]["ENGINE"],
    reason="SQLite takes the write lock at BEGIN; the race needs two PostgreSQL connections",
)
def test_two_requests_at_once_cannot_overfill_a_mentor(actors: Actors) -> None:
    """Given two mentees asking Ada's one place at the same moment, exactly one request is
    made."""
    import threading

    from django.db import connections

    world = make_world(actors)
    others = [mentee_of(world.program, member(actors.organisation), world.topics) for _ in "ab"]
    barrier = threading.Barrier(len(others))
    outcomes: list[str] = []

    def race(mentee: Application) -> None:
        try:
            barrier.wait()
            self_service.match_request_create(
                actor=mentee.user, program=world.program, mentor_application=world.ada
            )
            outcomes.append("made")
        except ApplicationError as error:
            outcomes.append(error.message)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=race, args=(mentee,)) for mentee in others]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(outcomes) == 2 and outcomes.count("made") == 1, outcomes
    assert "Ada Tester has no free place left" in str(outcomes)
    assert MatchRequest.objects.filter(mentor=world.ada, status="pending").count() == 1
