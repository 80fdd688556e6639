"""The waiting list: a place freed by a withdrawal or a decline goes to the oldest waitlisted
application of a capped program, in the same transaction, once."""

from __future__ import annotations

import datetime as dt
import threading
from typing import Any

import pytest
from django.db import close_old_connections, connection
from django.utils import timezone

from tests.core.factories import MembershipFactory, OrganisationFactory
from tests.enrolment.factories import make_applicant, make_program, submit
from twoway.core.models import Organisation, Role
from twoway.enrolment import services
from twoway.enrolment.models import Application
from twoway.enrolment.status import applicant_status
from twoway.programs.models import Program

Status = Application.Status


@pytest.fixture
def org(db: None) -> Organisation:
    return OrganisationFactory(slug="acme")


@pytest.fixture
def manager(org: Organisation) -> Any:
    return MembershipFactory(organisation=org, role=Role.PROGRAM_MANAGER).user


def fill(program: Program, count: int) -> list[tuple[Any, Application]]:
    """``count`` applicants, one after the other (the earlier submitted first)."""
    applicants = []
    start = timezone.now() - dt.timedelta(hours=count)
    for n in range(count):
        user, _ = make_applicant(program.organisation)
        application = submit(user, program)
        # Distinct, increasing submission times: "oldest" is not left to the clock's resolution.
        Application.objects.filter(pk=application.pk).update(
            submitted_at=start + dt.timedelta(minutes=n)
        )
        applicants.append((user, application))
    return applicants


def statuses(applicants: list[tuple[Any, Application]]) -> list[str]:
    ids = [application.pk for _, application in applicants]
    by_id = dict(Application.objects.filter(pk__in=ids).values_list("pk", "status"))
    return [by_id[pk] for pk in ids]


@pytest.mark.django_db
def test_a_withdrawal_gives_the_place_to_the_oldest_on_the_waiting_list(
    org: Organisation, manager: Any
) -> None:
    # Given a program of 2 that approves at once, full, with two people waiting
    program = make_program(org, managers=[manager], max_participants=2, requires_approval=False)
    applicants = fill(program, 4)
    assert statuses(applicants) == ["approved", "approved", "waitlisted", "waitlisted"]

    # When an approved applicant withdraws
    user, application = applicants[0]
    services.application_withdraw(actor=user, application=application)

    # Then the oldest waiting application has the place, approved, and the next still waits
    assert statuses(applicants) == ["withdrawn", "approved", "approved", "waitlisted"]
    promoted = Application.objects.get(pk=applicants[2][1].pk)
    assert promoted.promoted_at is not None and promoted.decided_at is not None
    assert promoted.decided_by is None
    status = applicant_status(
        program=program, application=promoted, invitation=None, today=timezone.localdate()
    )
    assert status.label == "Approved — you have a place"
    assert "you have moved off the waiting list" in status.explanation
    assert Application.objects.filter(program=program, status="approved").count() == 2


@pytest.mark.django_db
def test_with_approval_a_decline_sends_the_oldest_waiting_back_to_the_managers(
    org: Organisation, manager: Any
) -> None:
    # Given a program of 2 whose managers approve each application, full, one waiting
    program = make_program(org, managers=[manager], max_participants=2)
    applicants = fill(program, 2)
    services.application_bulk_approve(
        actor=manager, program=program, application_ids=[a.pk for _, a in applicants]
    )
    applicants += fill(program, 1)
    assert statuses(applicants) == ["approved", "approved", "waitlisted"]

    # When a manager declines an approved applicant
    services.application_decline(actor=manager, application=applicants[0][1])

    # Then the waiting application is back with the managers ("submitted"), not approved,
    # and its applicant is told so in plain words
    assert statuses(applicants) == ["declined", "approved", "submitted"]
    promoted = Application.objects.get(pk=applicants[2][1].pk)
    assert promoted.promoted_at is not None and promoted.decided_at is None
    status = applicant_status(
        program=program, application=promoted, invitation=None, today=timezone.localdate()
    )
    assert status.label == "A place has opened up"
    assert "moved off the waiting list" in status.explanation
    assert "They will decide on it soon" in status.next_step
    # ...and the managers can approve it into the freed place.
    services.application_approve(actor=manager, application=promoted)
    assert statuses(applicants) == ["declined", "approved", "approved"]


@pytest.mark.django_db
def test_a_bulk_decline_frees_as_many_places_as_it_declined_approved_ones(
    org: Organisation, manager: Any
) -> None:
    program = make_program(org, managers=[manager], max_participants=2, requires_approval=False)
    applicants = fill(program, 5)
    assert statuses(applicants) == ["approved"] * 2 + ["waitlisted"] * 3

    # Declining both approved ones and the newest waiting one frees two places.
    services.application_bulk_decline(
        actor=manager,
        program=program,
        application_ids=[applicants[0][1].pk, applicants[1][1].pk, applicants[4][1].pk],
    )

    assert statuses(applicants) == ["declined", "declined", "approved", "approved", "declined"]


@pytest.mark.django_db
def test_no_promotion_without_a_freed_place_or_without_a_cap(
    org: Organisation, manager: Any
) -> None:
    # Declining or withdrawing an application that had no place frees nothing.
    capped = make_program(org, managers=[manager], max_participants=1, requires_approval=False)
    applicants = fill(capped, 3)
    services.application_decline(actor=manager, application=applicants[1][1])
    user, application = applicants[2]
    Application.objects.filter(pk=applicants[1][1].pk).update(status="waitlisted")
    services.application_withdraw(actor=user, application=application)
    assert statuses(applicants) == ["approved", "waitlisted", "withdrawn"]
    # Putting an approved application on the waiting list is a manager's choice, not a freed
    # place to hand on.
    services.application_waitlist(actor=manager, application=applicants[0][1])
    assert statuses(applicants) == ["waitlisted", "waitlisted", "withdrawn"]

    # Without a cap, a manager's own waiting list is left alone.
    open_program = make_program(org, managers=[manager], name="Uncapped")
    others = fill(open_program, 2)
    services.application_approve(actor=manager, application=others[0][1])
    services.application_waitlist(actor=manager, application=others[1][1])
    services.application_decline(actor=manager, application=others[0][1])
    assert statuses(others) == ["declined", "waitlisted"]


@pytest.mark.django_db
def test_a_refused_withdrawal_promotes_no_one(org: Organisation, manager: Any) -> None:
    program = make_program(org, managers=[manager], max_participants=1, requires_approval=False)
    applicants = fill(program, 2)
    Program.objects.filter(pk=program.pk).update(status=Program.Status.RUNNING)
    user, application = applicants[0]
    with pytest.raises(services.ApplicationError, match="The program has started"):
        services.application_withdraw(actor=user, application=application)
    assert statuses(applicants) == ["approved", "waitlisted"]


@pytest.mark.django_db(transaction=True)
def test_two_places_freed_at_once_go_to_two_different_applicants(
    org: Organisation, manager: Any
) -> None:
    """Two approved applicants withdraw at the same moment, in two connections. With the
    program row locked, each freed place goes to a different waiting applicant and the cap
    holds. (SQLite serialises writers anyway; on PostgreSQL this exercises the row lock.)"""
    program = make_program(org, managers=[manager], max_participants=2, requires_approval=False)
    applicants = fill(program, 4)
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []

    def withdraw(index: int) -> None:
        try:
            user, application = applicants[index]
            barrier.wait(timeout=10)
            services.application_withdraw(actor=user, application=application)
        except BaseException as error:  # reported by the assertion below
            errors.append(error)
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=withdraw, args=(i,)) for i in (0, 1)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    if connection.vendor == "sqlite" and errors:
        # SQLite may refuse a concurrent writer ("database is locked"); then only one freed
        # place was handed on, and still to the oldest waiting applicant.
        assert statuses(applicants)[2] == "approved"
        return
    assert not errors, errors
    assert statuses(applicants) == ["withdrawn", "withdrawn", "approved", "approved"]
