"""Enrolment services: every refusal gives its reason and leaves nothing behind."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.core import mail
from django.utils import timezone

from tests.core.factories import MembershipFactory
from tests.enrolment.factories import TIPI, make_applicant, make_program, submit
from tests.people.factories import PersonFactory
from twoway.core.errors import ApplicationError, FileValidationError
from twoway.core.models import Organisation, Role
from twoway.enrolment import services
from twoway.enrolment.models import (
    Application,
    CustomAnswer,
    CustomQuestion,
    DiversityResponse,
    Invitation,
)
from twoway.people.models import Department, PersonTopic, Topic
from twoway.programs.models import EligibilityRule, Program

pytestmark = pytest.mark.django_db


@pytest.fixture
def org() -> Organisation:
    from tests.core.factories import OrganisationFactory

    return OrganisationFactory(slug="acme")


@pytest.fixture
def manager(org: Organisation) -> Any:
    return MembershipFactory(organisation=org, role=Role.PROGRAM_MANAGER).user


@pytest.fixture
def program(org: Organisation, manager: Any) -> Program:
    return make_program(org, managers=[manager])


def nothing_saved() -> None:
    assert Application.objects.count() == 0
    assert CustomAnswer.objects.count() == 0
    assert DiversityResponse.objects.count() == 0
    assert not Topic.objects.filter(name="Canary free tag").exists()


def refused(message: str, user: Any, program: Program, **fields: Any) -> None:
    fields.setdefault("shares", ["Canary free tag"])
    with pytest.raises(ApplicationError) as caught:
        submit(user, program, **fields)
    assert caught.value.message == message
    nothing_saved()


# --- Submitting -------------------------------------------------------------------------------


def test_an_application_stores_the_questionnaire(org: Organisation, program: Program) -> None:
    user, person = make_applicant(org, time_zone="Europe/Paris", level=2)
    skill = Topic.objects.get(organisation=org, name="Generative AI")
    question = services.question_create(
        actor=program.managers.get(), program=program, text="Team size", kind="scale"
    )
    application = submit(
        user,
        program,
        role="either",
        shares=[skill, "Canary free tag"],
        learns=["Strategy storytelling"],
        interests=["Jazz"],
        goals="Learn how leaders decide.",
        availability_slots=[(0, 9), (2, 18)],
        meeting_mode="video",
        languages=["en", "fr"],
        answers={question.pk: 4},
    )
    application.refresh_from_db()
    assert application.status == Application.Status.SUBMITTED
    assert application.person == person and application.user == user
    assert list(application.shares.values_list("name", flat=True)) == [
        "Canary free tag",
        "Generative AI",
    ]
    free = Topic.objects.get(organisation=org, name="Canary free tag")
    assert free.is_curated is False
    assert application.interests.get().kind == Topic.Kind.INTEREST
    assert (application.extraversion, application.agreeableness) == (4.5, 6.0)
    assert application.tipi_answers == TIPI
    assert application.time_zone == "Europe/Paris"
    assert application.available_hours == 2
    assert CustomAnswer.objects.get(application=application).value == 4


def test_outside_the_window_is_refused(org: Organisation) -> None:
    user, _ = make_applicant(org)
    today = timezone.localdate()
    early = make_program(org, application_opens=today + dt.timedelta(days=3))
    refused(
        f"Applications to this program open on {early.application_opens:%-d %B %Y}; "
        "please come back then.",
        user,
        early,
    )
    late = make_program(org, application_closes=today - dt.timedelta(days=1))
    refused(
        f"Applications to this program closed on {late.application_closes:%-d %B %Y}.",
        user,
        late,
    )
    draft = make_program(org, status=Program.Status.DRAFT)
    refused("This program is not taking applications at the moment.", user, draft)


def test_a_second_application_is_refused(org: Organisation, program: Program) -> None:
    user, _ = make_applicant(org)
    submit(user, program)
    with pytest.raises(ApplicationError, match="You have already applied to this program"):
        submit(user, program, role="mentee")
    assert Application.objects.count() == 1


def test_an_ineligible_applicant_is_refused_with_the_reason(
    org: Organisation, program: Program
) -> None:
    EligibilityRule.objects.create(organisation=org, program=program, role="mentor", max_level=4)
    user, _ = make_applicant(org, level=6)
    refused("This program asks mentors to be at level 4 or below; your level is 6.", user, program)


def test_eligibility_by_department_and_tenure(org: Organisation, program: Program) -> None:
    sales = Department.objects.create(organisation=org, name="Sales")
    finance = Department.objects.create(organisation=org, name="Finance")
    rule = EligibilityRule.objects.create(
        organisation=org, program=program, role="mentee", min_tenure_months=6
    )
    rule.departments.set([sales])
    user, _ = make_applicant(
        org, department=finance, hire_date=timezone.localdate() - dt.timedelta(days=40)
    )
    refused(
        "This program asks mentees to have been with the organisation for at least 6 months; "
        "you have been here 1 month. This program is open to mentees from Sales; "
        "your department is Finance.",
        user,
        program,
        role="mentee",
    )


def test_invitation_only_programs_need_an_invitation(org: Organisation) -> None:
    program = make_program(org, enrolment_mode=Program.EnrolmentMode.INVITATION)
    user, _ = make_applicant(org)
    refused(
        "This program is by invitation only, and you have not been invited to it.", user, program
    )


@pytest.mark.parametrize(
    ("kind", "options", "value", "message"),
    [
        ("scale", {}, "five", "“Q” needs a whole number from 1 to 5."),
        ("scale", {}, 9, "“Q” needs a whole number from 1 to 5."),
        ("scale", {}, True, "“Q” needs a whole number from 1 to 5."),
        ("single", {"choices": ["Yes", "No"]}, "Maybe", "“Q” needs one of its options: Yes, No."),
        ("multiple", {"choices": ["A", "B"]}, "A", "“Q” needs a list of its options."),
        ("multiple", {"choices": ["A", "B"]}, ["A", "C"], "“Q” has no option 'C'."),
        ("text", {}, 42, "“Q” needs a written answer."),
    ],
)
def test_a_custom_answer_of_the_wrong_type_is_refused(
    org: Organisation, program: Program, kind: str, options: dict, value: Any, message: str
) -> None:
    question = services.question_create(
        actor=program.managers.get(), program=program, text="Q", kind=kind, **options
    )
    user, _ = make_applicant(org)
    refused(message, user, program, answers={question.pk: value})


def test_required_questions_and_bad_questionnaire_values(
    org: Organisation, program: Program
) -> None:
    question = services.question_create(
        actor=program.managers.get(),
        program=program,
        text="Why now?",
        kind="text",
        required=True,
    )
    user, _ = make_applicant(org)
    refused("Please answer “Why now?”.", user, program, answers={question.pk: "  "[:0]})
    refused(
        "Please answer all ten statements of the working-style questions.",
        user,
        program,
        tipi_answers=[4] * 9,
        answers={question.pk: "ok"},
    )
    refused(
        "Choose whether you apply as a mentor, a mentee, or either.",
        user,
        program,
        role="boss",
    )
    refused(
        "Choose an age band from the list, or leave it empty.",
        user,
        program,
        answers={question.pk: "ok"},
        diversity=services.DiversityInput(age_band="ancient", consent_reporting=True),
    )


def test_a_person_without_a_directory_entry_cannot_apply(
    org: Organisation, program: Program
) -> None:
    user = MembershipFactory(organisation=org).user
    refused(
        "Your account is not linked to an entry in this organisation's directory, so you "
        "cannot apply yet. Ask your organisation's admin to add you.",
        user,
        program,
    )


def test_full_programs_waitlist_and_open_ones_approve_at_once(org: Organisation) -> None:
    program = make_program(org, max_participants=1, requires_approval=False)
    first, _ = make_applicant(org)
    second, _ = make_applicant(org)
    assert submit(first, program).status == Application.Status.APPROVED
    assert submit(second, program).status == Application.Status.WAITLISTED


def test_withdraw_only_by_the_applicant(org: Organisation, program: Program) -> None:
    user, _ = make_applicant(org)
    application = submit(user, program)
    with pytest.raises(ApplicationError, match="Only the applicant can withdraw"):
        services.application_withdraw(actor=program.managers.get(), application=application)
    withdrawn = services.application_withdraw(actor=user, application=application)
    assert withdrawn.status == Application.Status.WITHDRAWN
    assert withdrawn.withdrawn_at is not None
    with pytest.raises(ApplicationError, match="withdrawn already"):
        services.application_withdraw(actor=user, application=application)
    with pytest.raises(ApplicationError, match="You withdrew your application"):
        submit(user, program)


def test_diversity_is_stored_apart_and_only_with_a_consent(
    org: Organisation, program: Program
) -> None:
    with_consent, _ = make_applicant(org)
    application = submit(
        with_consent,
        program,
        diversity=services.DiversityInput(
            gender="canary-gender", erg_memberships=["Pride"], consent_matching=True
        ),
    )
    response = DiversityResponse.objects.get(application=application)
    assert (response.gender, response.consent_matching, response.consent_reporting) == (
        "canary-gender",
        True,
        False,
    )
    without_consent, _ = make_applicant(org)
    submit(without_consent, program, diversity=services.DiversityInput(gender="x"))
    assert DiversityResponse.objects.count() == 1
    assert "canary" not in str(response)


def test_the_applicants_manager_hears_only_that_they_applied(
    org: Organisation, django_capture_on_commit_callbacks: Any
) -> None:
    program = make_program(org, notify_applicant_manager=True)
    boss = PersonFactory(organisation=org, first_name="Bea", email="bea@example.test")
    user, person = make_applicant(org, manager=boss, first_name="Ravi")
    with django_capture_on_commit_callbacks(execute=True):
        submit(
            user,
            program,
            goals="canary-goal: I want to leave my team",
            shares=["canary-share"],
            answers={},
            diversity=services.DiversityInput(gender="canary-gender", consent_reporting=True),
        )
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["bea@example.test"]
    text = message.subject + message.body
    assert person.full_name in text and program.name in text
    for secret in ("canary", "Generative", "goal", "level", "mentee"):
        assert secret not in text
    assert not re.search(r"\bmentor\b", text)  # not even the role they applied for


def test_no_notification_when_the_program_does_not_ask_for_it(
    org: Organisation, program: Program, django_capture_on_commit_callbacks: Any
) -> None:
    boss = PersonFactory(organisation=org)
    user, _ = make_applicant(org, manager=boss)
    with django_capture_on_commit_callbacks(execute=True):
        submit(user, program)
    assert mail.outbox == []


def test_an_invitation_is_accepted_by_applying(org: Organisation, manager: Any) -> None:
    program = make_program(org, managers=[manager], enrolment_mode="invitation")
    user, person = make_applicant(org)
    services.invitation_send_bulk(
        actor=manager, program=program, people=[person], base_url="http://testserver"
    )
    application = submit(user, program)
    invitation = Invitation.objects.get()
    assert invitation.status == Invitation.Status.ACCEPTED
    assert application.invitation == invitation


# --- Invitations ------------------------------------------------------------------------------


def test_invitations_by_directory_filters_email_only_a_link(
    org: Organisation, manager: Any, program: Program, django_capture_on_commit_callbacks: Any
) -> None:
    sales = Department.objects.create(organisation=org, name="Sales")
    chosen = [PersonFactory(organisation=org, department=sales) for _ in range(3)]
    PersonFactory(organisation=org)  # another department: not invited
    PersonFactory(organisation=org, department=sales, email="")  # no address: reported
    people = services.invitation_people_from_filters(organisation=org, department_id=sales.pk)
    assert len(people) == 4
    with django_capture_on_commit_callbacks(execute=True):
        batch = services.invitation_send_bulk(
            actor=manager, program=program, people=people, base_url="https://twoway.example/"
        )
    assert {i.person for i in batch.invited} == set(chosen)
    assert len(batch.without_email) == 1
    assert len(mail.outbox) == 3
    invitation = Invitation.objects.get(person=chosen[0])
    message = next(m for m in mail.outbox if m.to == [chosen[0].email])
    assert f"https://twoway.example/o/acme/enrolment/invitations/{invitation.token}/" in (
        message.body
    )
    assert program.description not in message.body or not program.description
    assert invitation.sent_at is not None
    # Inviting the same people again invites no one twice.
    again = services.invitation_send_bulk(
        actor=manager, program=program, people=chosen, base_url="https://twoway.example"
    )
    assert again.invited == [] and len(again.already_invited) == 3


def test_a_csv_with_an_unknown_address_invites_no_one(
    org: Organisation, manager: Any, program: Program
) -> None:
    PersonFactory(organisation=org, email="known@example.test")
    content = b"email\nknown@example.test\nstranger@example.test\nnot-an-address\n"
    with pytest.raises(FileValidationError) as caught:
        services.invitation_people_from_csv(organisation=org, content=content)
    assert caught.value.message == "No one was invited: 2 rows need attention."
    assert [(e.row, e.reason) for e in caught.value.report.errors] == [
        (3, "No one in the directory has this address."),
        (4, "This is not an email address."),
    ]
    assert Invitation.objects.count() == 0
    people = services.invitation_people_from_csv(organisation=org, content=b"KNOWN@example.test\n")
    assert [p.email for p in people] == ["known@example.test"]


def test_only_the_programs_managers_invite(org: Organisation, program: Program) -> None:
    other_manager = MembershipFactory(organisation=org, role=Role.PROGRAM_MANAGER).user
    person = PersonFactory(organisation=org)
    with pytest.raises(ApplicationError, match="Only the program's managers"):
        services.invitation_send_bulk(
            actor=other_manager, program=program, people=[person], base_url="http://x"
        )
    assert Invitation.objects.count() == 0


# --- Decisions --------------------------------------------------------------------------------


def test_single_decisions_and_their_rules(
    org: Organisation, manager: Any, program: Program
) -> None:
    user, _ = make_applicant(org)
    application = submit(user, program)
    approved = services.application_approve(actor=manager, application=application)
    assert (approved.status, approved.decided_by) == ("approved", manager)
    with pytest.raises(ApplicationError, match="This application is approved, so it cannot be"):
        services.application_approve(actor=manager, application=application)
    assert services.application_waitlist(actor=manager, application=application).status == (
        "waitlisted"
    )
    assert services.application_decline(actor=manager, application=application).status == (
        "declined"
    )
    stranger = MembershipFactory(organisation=org, role=Role.PROGRAM_MANAGER).user
    with pytest.raises(ApplicationError):
        services.application_approve(actor=stranger, application=application)
    application.refresh_from_db()
    assert application.status == "declined"


def test_approval_respects_the_capacity(org: Organisation, manager: Any) -> None:
    program = make_program(org, managers=[manager], max_participants=2)
    applications = [submit(make_applicant(org)[0], program) for _ in range(3)]
    with pytest.raises(ApplicationError) as caught:
        services.application_bulk_approve(
            actor=manager, program=program, application_ids=[a.pk for a in applications]
        )
    assert caught.value.message == (
        "The program has room for 2 participants and 0 are approved, so 2 more can be "
        "approved, not 3. Raise the limit or put the others on the waiting list."
    )
    assert not Application.objects.filter(status="approved").exists()


def test_bulk_approve_is_all_or_nothing(org: Organisation, manager: Any, program: Program) -> None:
    users = [make_applicant(org)[0] for _ in range(4)]
    applications = [submit(user, program) for user in users]
    services.application_withdraw(actor=users[0], application=applications[0])
    ids = [a.pk for a in applications]
    with pytest.raises(ApplicationError) as caught:
        services.application_bulk_approve(actor=manager, program=program, application_ids=ids)
    assert caught.value.message == (
        "Nothing was changed: 1 of the chosen applications cannot be approved (1 withdrawn)."
    )
    other_program = make_program(org, managers=[manager])
    foreign = submit(make_applicant(org)[0], other_program)
    with pytest.raises(ApplicationError, match="1 of the chosen applications is not in this"):
        services.application_bulk_approve(
            actor=manager, program=program, application_ids=[*ids[1:], foreign.pk]
        )
    assert Application.objects.filter(status="submitted").count() == 4
    assert (
        services.application_bulk_approve(actor=manager, program=program, application_ids=ids[1:])
        == 3
    )
    assert set(Application.objects.filter(program=program).values_list("status", flat=True)) == {
        "approved",
        "withdrawn",
    }
    assert (
        services.application_bulk_decline(actor=manager, program=program, application_ids=ids[1:])
        == 3
    )


def test_bulk_approve_costs_the_same_queries_for_any_number(
    org: Organisation, manager: Any, program: Program, django_assert_max_num_queries: Any
) -> None:
    person_ids = [PersonFactory(organisation=org).pk for _ in range(30)]
    now = timezone.now()
    Application.objects.bulk_create(
        Application(
            organisation=org,
            program=program,
            person_id=pk,
            user=manager,
            role="mentee",
            submitted_at=now,
        )
        for pk in person_ids
    )
    ids = list(Application.objects.values_list("pk", flat=True))
    with django_assert_max_num_queries(10):
        services.application_bulk_approve(actor=manager, program=program, application_ids=ids)
    assert Application.objects.filter(status="approved").count() == 30


def test_directory_topics_prefill(org: Organisation) -> None:
    from twoway.enrolment.selectors import directory_topics

    _, person = make_applicant(org)
    topic = Topic.objects.filter(organisation=org).first()
    assert topic is not None
    PersonTopic.objects.create(organisation=org, person=person, topic=topic, relation="shares")
    assert directory_topics(person=person)["shares"] == [topic]


def test_custom_question_rules(org: Organisation, manager: Any, program: Program) -> None:
    with pytest.raises(ApplicationError, match="at least two options"):
        services.question_create(
            actor=manager, program=program, text="Pick", kind="single", choices=["Only"]
        )
    with pytest.raises(ApplicationError, match="needs a weight"):
        services.question_create(
            actor=manager, program=program, text="Pick", kind="scale", used_for_matching=True
        )
    with pytest.raises(ApplicationError, match="Free-text answers cannot feed matching"):
        services.question_create(
            actor=manager,
            program=program,
            text="Why",
            kind="text",
            used_for_matching=True,
            weight="high",
        )
    first = services.question_create(actor=manager, program=program, text="A", kind="scale")
    second = services.question_create(
        actor=manager,
        program=program,
        text="B",
        kind="multiple",
        choices=["x", "y"],
        used_for_matching=True,
        weight="must",
    )
    assert (first.position, second.position) == (0, 1)
    assert CustomQuestion.objects.count() == 2


def test_free_tags_reuse_topics_of_the_same_kind(org: Organisation, program: Program) -> None:
    user, _ = make_applicant(org)
    skill = Topic.objects.get(organisation=org, name="Generative AI")
    application = submit(user, program, shares=["generative  ai"], interests=["Generative AI"])
    assert list(application.shares.all()) == [skill]
    interest = application.interests.get()
    assert interest != skill and interest.kind == Topic.Kind.INTEREST
