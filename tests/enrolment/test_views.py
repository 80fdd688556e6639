"""Enrolment pages: who may see each one, what they show, and what they never show."""

from __future__ import annotations

import csv
import datetime as dt
import io
import zoneinfo
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.authz import assert_access
from tests.enrolment.conftest import CANARIES, Enrolment
from tests.enrolment.factories import TIPI, make_applicant, make_program, submit
from tests.people.factories import PersonFactory
from twoway.enrolment.models import Application, DiversityResponse, Invitation
from twoway.people.models import Topic

pytestmark = pytest.mark.django_db


def participant_pages(e: Enrolment) -> dict[str, tuple[str, set[str], Any]]:
    """url name → (url, actors allowed, ok status)"""
    members = {"participant", "program_manager", "admin"}
    return {
        "home": ("/o/acme/enrolment/", members, 200),
        "apply": (f"/o/acme/enrolment/programs/{e.program.pk}/apply/", members, {200, 302}),
        "application": (
            f"/o/acme/enrolment/applications/{e.application.pk}/",
            {"participant"},
            200,
        ),
        "invitation": (
            f"/o/acme/enrolment/invitations/{e.invitation.token}/",
            {"participant"},
            200,
        ),
    }


def manager_pages(program_id: int) -> list[str]:
    base = f"/o/acme/enrolment/programs/{program_id}"
    return [
        f"{base}/applicants/",
        f"{base}/applicants.csv",
        f"{base}/invite/",
        f"{base}/questions/",
    ]


def test_participant_pages_access(client: Client, enrolment: Enrolment) -> None:
    for url, allowed, ok in participant_pages(enrolment).values():
        assert_access(client, enrolment.actors, url, allowed=allowed, ok_status=ok)


def test_manager_pages_access(client: Client, enrolment: Enrolment) -> None:
    for url in manager_pages(enrolment.program.pk):
        assert_access(client, enrolment.actors, url, allowed={"program_manager", "admin"})
    # The manager of another program is a stranger here.
    for url in manager_pages(enrolment.other_program.pk):
        assert_access(client, enrolment.actors, url, allowed={"admin"})


def test_manager_actions_access(client: Client, enrolment: Enrolment) -> None:
    base = f"/o/acme/enrolment/programs/{enrolment.other_program.pk}"
    for url in (f"{base}/applicants/decide/", f"{base}/invite/", f"{base}/questions/"):
        assert_access(
            client,
            enrolment.actors,
            url,
            allowed={"admin"},
            method="post",
            data={"action": "approve"},
            ok_status={200, 302},
        )
    assert_access(
        client,
        enrolment.actors,
        f"/o/acme/enrolment/applications/{enrolment.application.pk}/withdraw/",
        allowed={"participant"},
        method="post",
        ok_status=302,
    )


def test_my_programs_shows_status_and_next_step(client: Client, enrolment: Enrolment) -> None:
    client.force_login(enrolment.actors.participant)
    page = client.get("/o/acme/enrolment/").content.decode()
    assert "Reverse 2026" in page and "Application received" in page
    assert f"Matching is planned for {enrolment.program.matching_date:%A %-d %B %Y}" in page
    assert "Circles 2026" in page and "You are invited to this program" in page
    assert f"/o/acme/enrolment/invitations/{enrolment.invitation.token}/" in page


def test_the_application_form_prefills_and_submits(client: Client, enrolment: Enrolment) -> None:
    org = enrolment.actors.organisation
    open_program = make_program(org, name="Open 2026")
    user, person = make_applicant(org, time_zone="America/New_York", languages=["en", "es"])
    topic = Topic.objects.get(organisation=org, name="Generative AI")
    person.topic_links.create(organisation=org, topic=topic, relation="shares")
    client.force_login(user)
    url = f"/o/acme/enrolment/programs/{open_program.pk}/apply/"
    page = client.get(url).content.decode()
    assert f'value="{topic.pk}" id="id_shares_' in page and "checked" in page
    assert 'value="America/New_York" selected' in page
    assert "I see myself as: Extraverted, enthusiastic." in page
    assert 'aria-label="Monday 09:00"' in page
    data: dict[str, Any] = {
        "role": "mentee",
        "shares": [topic.pk],
        "learns_other": "Board governance, Budgeting",
        "goals": "Understand Gen Z",
        "time_zone": "America/New_York",
        "availability": ["0-9", "0-10"],
        "meeting_mode": "video",
        "languages": "en, es",
        **{f"tipi_{n}": str(answer) for n, answer in enumerate(TIPI, start=1)},
    }
    response = client.post(url, data)
    application = Application.objects.get(program=open_program)
    assert response.status_code == 302
    assert response["Location"] == f"/o/acme/enrolment/applications/{application.pk}/"
    assert application.role == "mentee" and application.languages == ["en", "es"]
    assert sorted(application.learns.values_list("name", flat=True)) == [
        "Board governance",
        "Budgeting",
    ]
    # 09:00 and 10:00 on Monday in New York are stored in UTC.
    new_york = timezone.localtime(timezone=zoneinfo.ZoneInfo("America/New_York"))
    monday = new_york - dt.timedelta(days=new_york.weekday())
    offset = 4 if monday.replace(hour=12).dst() else 5
    assert application.availability_utc[9 + offset] == "1"
    assert application.availability_utc.count("1") == 2
    assert not DiversityResponse.objects.filter(application=application).exists()
    detail = client.get(response["Location"]).content.decode()
    assert "Monday: 09:00, 10:00" in detail


def test_a_refused_application_shows_the_reason_and_keeps_the_answers(
    client: Client, enrolment: Enrolment
) -> None:
    org = enrolment.actors.organisation
    closed = make_program(org, name="Closing", application_closes=timezone.localdate())
    user, _ = make_applicant(org)
    client.force_login(user)
    Application.objects.filter(program=closed).delete()
    closed.status = "matching"
    closed.save()
    data = {"role": "mentor", "time_zone": "UTC", "meeting_mode": "either", "goals": "Keep me"}
    data.update({f"tipi_{n}": "4" for n in range(1, 11)})
    response = client.post(f"/o/acme/enrolment/programs/{closed.pk}/apply/", data)
    # The program is no longer open, so the form is not even offered to a newcomer.
    assert response.status_code == 404
    closed.status = "enrolling"
    closed.save()
    question = enrolment.question
    question.program = closed
    question.required = True
    question.save()
    response = client.post(f"/o/acme/enrolment/programs/{closed.pk}/apply/", data)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Please check your answers" in page and "This field is required." in page
    assert "Keep me" in page
    assert not Application.objects.filter(program=closed).exists()


def test_ineligible_people_are_told_why_before_filling_the_form(
    client: Client, enrolment: Enrolment
) -> None:
    from twoway.programs.models import EligibilityRule

    org = enrolment.actors.organisation
    program = make_program(org, name="Leaders")
    for role, fields in (("mentor", {"max_level": 4}), ("mentee", {"min_level": 7})):
        EligibilityRule.objects.create(organisation=org, program=program, role=role, **fields)
    user, _ = make_applicant(org, level=6)
    client.force_login(user)
    page = client.get(f"/o/acme/enrolment/programs/{program.pk}/apply/").content.decode()
    assert "This program asks mentors to be at level 4 or below; your level is 6." in page
    assert "This program asks mentees to be at level 7 or above; your level is 6." in page


def test_withdraw_and_decline_from_the_pages(client: Client, enrolment: Enrolment) -> None:
    client.force_login(enrolment.actors.participant)
    client.post(f"/o/acme/enrolment/applications/{enrolment.application.pk}/withdraw/")
    enrolment.application.refresh_from_db()
    assert enrolment.application.status == "withdrawn"
    page = client.get(f"/o/acme/enrolment/applications/{enrolment.application.pk}/")
    assert "Status: Withdrawn" in page.content.decode()
    client.post(f"/o/acme/enrolment/invitations/{enrolment.invitation.token}/")
    enrolment.invitation.refresh_from_db()
    assert enrolment.invitation.status == Invitation.Status.DECLINED


def add_applicants(e: Enrolment, count: int) -> None:
    org = e.actors.organisation
    now = timezone.now()
    people = [PersonFactory(organisation=org) for _ in range(count)]
    applications = Application.objects.bulk_create(
        Application(
            organisation=org,
            program=e.program,
            person=p,
            user=e.actors.admin,
            role="mentee",
            submitted_at=now,
        )
        for p in people
    )
    topics = list(Topic.objects.filter(organisation=org)[:3])
    for application in applications:
        application.shares.set(topics)
        application.learns.set(topics[:1])


def queries_for(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_applicant_list_costs_the_same_queries_for_10_or_100(
    client: Client, enrolment: Enrolment
) -> None:
    client.force_login(enrolment.actors.program_manager)
    url = f"/o/acme/enrolment/programs/{enrolment.program.pk}/applicants/"
    add_applicants(enrolment, 9)
    ten = queries_for(client, url)
    add_applicants(enrolment, 90)
    hundred = queries_for(client, url)
    assert ten == hundred
    assert hundred <= 14
    page = client.get(url + "?page=2").content.decode()
    assert "page 2 of 4" in page
    assert client.get(url + "?status=withdrawn").content.decode().count('name="application"') == 0


def test_bulk_decisions_from_the_page(client: Client, enrolment: Enrolment) -> None:
    add_applicants(enrolment, 3)
    client.force_login(enrolment.actors.program_manager)
    ids = list(Application.objects.values_list("pk", flat=True))
    url = f"/o/acme/enrolment/programs/{enrolment.program.pk}/applicants/decide/"
    response = client.post(url, {"action": "approve", "application": ids}, follow=True)
    assert "4 applications approved." in response.content.decode()
    response = client.post(url, {"action": "approve", "application": ids[:1]}, follow=True)
    assert "cannot be approved (1 approved)" in response.content.decode()


def test_the_csv_export(client: Client, enrolment: Enrolment) -> None:
    client.force_login(enrolment.actors.program_manager)
    response = client.get(f"/o/acme/enrolment/programs/{enrolment.program.pk}/applicants.csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][:8] == [
        "employee_id",
        "first_name",
        "last_name",
        "email",
        "department",
        "level",
        "role",
        "status",
    ]
    assert rows[0][-1] == "Team size"
    assert rows[1][1] == "Pat" and rows[1][-1] == "3"
    assert not any(header in rows[0] for header in ("gender", "ethnicity", "erg", "age_band"))


def test_inviting_from_the_page(client: Client, enrolment: Enrolment, mailoutbox: Any) -> None:
    org = enrolment.actors.organisation
    PersonFactory(organisation=org, job_title="Designer", email="d1@example.test")
    PersonFactory(organisation=org, job_title="Designer", email="d2@example.test")
    client.force_login(enrolment.actors.program_manager)
    url = f"/o/acme/enrolment/programs/{enrolment.program.pk}/invite/"
    preview = client.get(url, {"q": "designer"}).content.decode()
    assert "2 people match" in preview
    response = client.post(url, {"source": "filters", "q": "designer"}, follow=True)
    assert "2 invited." in response.content.decode()
    assert Invitation.objects.filter(program=enrolment.program).count() == 2
    upload = io.BytesIO(b"email\nd1@example.test\nnobody@example.test\n")
    upload.name = "people.csv"
    response = client.post(url, {"source": "csv", "file": upload})
    page = response.content.decode()
    assert "No one was invited: 1 row needs attention." in page
    assert "No one in the directory has this address." in page


def test_the_question_editor(client: Client, enrolment: Enrolment) -> None:
    client.force_login(enrolment.actors.program_manager)
    url = f"/o/acme/enrolment/programs/{enrolment.program.pk}/questions/"
    response = client.post(
        url,
        {
            "text": "Preferred pace",
            "kind": "single",
            "choices": "Fast\nSteady",
            "scale_min": 1,
            "scale_max": 5,
            "used_for_matching": "on",
            "weight": "high",
        },
    )
    assert response.status_code == 302
    page = client.get(url).content.decode()
    assert "Preferred pace" in page and "Fast · Steady" in page and "High" in page
    refused = client.post(
        url,
        {
            "text": "Q",
            "kind": "single",
            "choices": "One",
            "scale_min": 1,
            "scale_max": 5,
            "weight": "off",
        },
    )
    assert "A choice question needs at least two options." in refused.content.decode()


def test_no_page_or_export_shows_diversity_answers(client: Client, enrolment: Enrolment) -> None:
    assert DiversityResponse.objects.filter(application=enrolment.application).exists()
    urls = [url for url, _, _ in participant_pages(enrolment).values()]
    urls += manager_pages(enrolment.program.pk) + manager_pages(enrolment.other_program.pk)
    urls += [
        applicant_url(enrolment.program.pk, enrolment.application.pk),
        f"/o/acme/people/{enrolment.application.person_id}/",
        "/o/acme/people/",
        "/o/acme/people/export.csv",
        f"/o/acme/programs/{enrolment.program.pk}/",
    ]
    for actor in ("participant", "program_manager", "admin"):
        client.force_login(enrolment.actors.user(actor))
        for url in urls:
            response = client.get(url, follow=True)
            content = (
                b"".join(response.streaming_content) if response.streaming else response.content
            )
            body = content.decode()
            for canary in CANARIES:
                assert canary not in body, f"{canary} leaked on {url} to {actor}"


# --- One application, for the manager ---------------------------------------------------------


def applicant_url(program_id: int, application_id: int) -> str:
    return f"/o/acme/enrolment/programs/{program_id}/applicants/{application_id}/"


def application_in(program: Any, organisation: Any) -> Application:
    return Application.objects.create(
        organisation=organisation,
        program=program,
        person=PersonFactory(organisation=organisation),
        user=make_applicant(organisation)[0],
        role="mentee",
        submitted_at=timezone.now(),
    )


def test_application_detail_access(client: Client, enrolment: Enrolment) -> None:
    actors = enrolment.actors
    url = applicant_url(enrolment.program.pk, enrolment.application.pk)
    assert_access(client, actors, url, allowed={"program_manager", "admin"})
    assert_access(
        client,
        actors,
        url + "decide/",
        allowed={"program_manager", "admin"},
        method="post",
        data={"action": "waitlist"},
        ok_status=302,
    )
    # An application to another program: its manager only, and the actors' program manager
    # (who runs a different program) is a stranger there.
    other = application_in(enrolment.other_program, actors.organisation)
    other_url = applicant_url(enrolment.other_program.pk, other.pk)
    assert_access(client, actors, other_url, allowed={"admin"})
    assert_access(
        client,
        actors,
        other_url + "decide/",
        allowed={"admin"},
        method="post",
        data={"action": "approve"},
        ok_status=302,
    )
    # An application reached through the wrong program answers like a missing one, even for
    # an admin, and nothing changes.
    client.force_login(actors.admin)
    assert client.get(applicant_url(enrolment.program.pk, other.pk)).status_code == 404
    response = client.post(
        applicant_url(enrolment.program.pk, other.pk) + "decide/", {"action": "decline"}
    )
    assert response.status_code == 404
    other.refresh_from_db()
    assert other.status == "approved"


def test_application_detail_shows_the_questionnaire_in_the_viewers_zone(
    client: Client, enrolment: Enrolment
) -> None:
    org = enrolment.actors.organisation
    program = enrolment.program
    user, _ = make_applicant(org, first_name="Noor", last_name="Haddad")
    application = submit(
        user,
        program,
        role="either",
        goals="Show a leader how Gen Z shops",
        learns=["Board governance"],
        interests=["Bouldering"],
        availability_slots=[(0, 9), (0, 10)],
        time_zone="UTC",
        meeting_mode="in_person",
        languages=["en", "ar"],
        answers={enrolment.question.pk: 4},
    )
    manager = enrolment.actors.program_manager
    manager.time_zone = "Asia/Tokyo"  # UTC+9 all year
    manager.save(update_fields=["time_zone"])
    client.force_login(manager)

    list_page = client.get(f"/o/acme/enrolment/programs/{program.pk}/applicants/")
    assert applicant_url(program.pk, application.pk) in list_page.content.decode()
    page = client.get(applicant_url(program.pk, application.pk)).content.decode()

    assert "Application: Noor Haddad" in page
    assert "Status: Submitted" in page and "Applied" in page
    assert "Either — mentor or mentee" in page
    assert "Show a leader how Gen Z shops" in page
    assert "Board governance" in page and "Bouldering" in page
    assert "In person" in page and "en, ar" in page
    assert "<dt>Team size</dt><dd>4</dd>" in page
    # TIPI [5, 2, 6, 3, 5, 4, 6, 2, 5, 3]: extraversion (5 + 8 - 4) / 2 = 4.5.
    assert "<dt>Extraversion</dt><dd>4.5 of 7</dd>" in page
    assert "<dt>Openness to experiences</dt><dd>5.0 of 7</dd>" in page
    # Monday 09:00 and 10:00 UTC are 18:00 and 19:00 in Tokyo, and the page says whose clock.
    assert "Shown in your time zone, Asia/Tokyo (the applicant filled it in in UTC)" in page
    assert "Monday 18:00 available" in page and "Monday 19:00 available" in page
    assert "Monday 09:00 available" not in page
    for action, label in (
        ("approve", "Approve"),
        ("waitlist", "Put on the waiting list"),
        ("decline", "Decline"),
    ):
        assert f'value="{action}"' in page and f">{label}</button>" in page


def test_deciding_from_the_application_detail(client: Client, enrolment: Enrolment) -> None:
    client.force_login(enrolment.actors.program_manager)
    url = applicant_url(enrolment.program.pk, enrolment.application.pk)
    response = client.post(url + "decide/", {"action": "waitlist"}, follow=True)
    page = response.content.decode()
    assert "was put on the waiting list." in page and "Status: On the waiting list" in page
    response = client.post(url + "decide/", {"action": "approve"}, follow=True)
    page = response.content.decode()
    assert "was approved." in page and "Status: Approved" in page
    assert 'value="approve"' not in page and 'value="decline"' in page
    assert f"Decided by {enrolment.actors.program_manager}" in page
    refused = client.post(url + "decide/", {"action": "approve"}, follow=True).content.decode()
    assert "This application is approved, so it cannot be approved." in refused
    enrolment.application.refresh_from_db()
    assert enrolment.application.status == "approved"
