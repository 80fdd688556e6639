from __future__ import annotations

import random
from io import StringIO

import pytest
from allauth.account.models import EmailAddress
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from tests.demo.build import SIZE
from twoway.accounts.models import User
from twoway.core.models import Membership, Organisation, Role
from twoway.demo.services import DEMO_PASSWORD, DemoResult, demo_build
from twoway.people import reporting_lines
from twoway.people.models import Department, Person, PersonTopic, Topic
from twoway.programs.models import Program

pytestmark = pytest.mark.django_db


def _table_counts() -> dict[str, int]:
    models = (Organisation, User, EmailAddress, Membership, Person, Department, Topic, PersonTopic)
    return {model.__name__: model.objects.count() for model in models}


def test_acme_gets_the_generated_directory_with_right_reporting_lines(demo: DemoResult) -> None:
    acme = Organisation.objects.get(slug="acme")
    assert acme.name == "Acme Group"
    people = {p.pk: p for p in Person.objects.filter(organisation=acme)}
    assert len(people) == SIZE == demo.people["acme"]
    assert demo.imports["acme"].created == SIZE

    ceo = [p for p in people.values() if p.manager_id is None]
    assert len(ceo) == 1 and ceo[0].level == 8 and ceo[0].chain_path == ""
    for person in random.Random(1).sample(list(people.values()), 30):
        chain = []
        manager_id = person.manager_id
        while manager_id is not None:
            chain.append(manager_id)
            manager_id = people[manager_id].manager_id
        assert reporting_lines.ancestor_ids(person.chain_path) == chain[::-1]

    # Skills, wishes and interests arrive as topic links, the starter taxonomy reused.
    links = PersonTopic.objects.filter(organisation=acme)
    for relation in PersonTopic.Relation:
        assert links.filter(relation=relation).exists()
    assert links.filter(topic__name="Generative AI", topic__is_curated=True).exists()


def test_one_login_per_role_each_linked_to_a_fitting_person(demo: DemoResult) -> None:
    acme_logins = {login.role: login for login in demo.logins if login.organisation == "Acme Group"}
    assert set(acme_logins) == {role.label for role in Role}
    acme = Organisation.objects.get(slug="acme")
    people = {}
    for role in Role:
        login = acme_logins[role.label]
        assert login.password == DEMO_PASSWORD
        user = User.objects.get(email=login.email)
        assert Membership.objects.get(user=user, organisation=acme).role == role
        assert EmailAddress.objects.get(user=user, primary=True).verified
        people[role] = Person.objects.get(organisation=acme, user=user)
        assert people[role].email == user.email
        assert people[role].full_name in login.person
    assert people[Role.PARTICIPANT].level is not None and people[Role.PARTICIPANT].level <= 3
    assert people[Role.PROGRAM_MANAGER].department is not None
    assert people[Role.PROGRAM_MANAGER].department.name == "People"
    assert people[Role.ADMIN].level is not None and people[Role.ADMIN].level >= 6


@pytest.mark.parametrize("role", list(Role))
def test_each_printed_login_logs_in_through_the_login_page(demo: DemoResult, role: Role) -> None:
    login = next(
        login
        for login in demo.logins
        if login.organisation == "Acme Group" and login.role == role.label
    )
    client = Client()
    assert client.login(email=login.email, password=login.password)

    # The real login form (email verification is mandatory) lets the demo accounts in too.
    client = Client()
    response = client.post(
        reverse("account_login"), {"login": login.email, "password": login.password}
    )
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(User.objects.get(email=login.email).pk)


def test_the_admin_also_belongs_to_globex_so_the_switcher_shows(demo: DemoResult) -> None:
    globex = Organisation.objects.get(slug="globex")
    assert Person.objects.filter(organisation=globex).count() == demo.people["globex"] == 40
    admin_login = next(login for login in demo.logins if login.role == Role.ADMIN.label)
    admin = User.objects.get(email=admin_login.email)
    assert Membership.objects.get(user=admin, organisation=globex).role == Role.PARTICIPANT
    assert Person.objects.get(organisation=globex, user=admin).full_name == admin.display_name
    assert any(
        login.email == admin.email and login.organisation == "Globex" for login in demo.logins
    )

    client = Client()
    client.force_login(admin)
    page = client.get(reverse("home"))
    assert page.status_code == 200
    assert "Acme Group" in page.text and "Globex" in page.text

    participant = User.objects.get(
        email=next(lg.email for lg in demo.logins if lg.role == "Participant")
    )
    client.force_login(participant)
    assert client.get(reverse("home"))["Location"] == "/o/acme/"


def test_running_the_demo_again_changes_nothing(demo: DemoResult) -> None:
    before = _table_counts()
    chains = dict(Person.objects.values_list("employee_id", "chain_path"))

    again = demo_build(size=SIZE, seed=42)

    assert _table_counts() == before
    assert dict(Person.objects.values_list("employee_id", "chain_path")) == chains
    for slug in ("acme", "globex"):
        result = again.imports[slug]
        assert (result.created, result.updated, result.deactivated) == (0, 0, 0)
        assert result.unchanged == demo.people[slug]
    assert again.logins == demo.logins
    assert Client().login(email=again.logins[0].email, password=DEMO_PASSWORD)


def test_the_command_prints_the_logins_and_the_address() -> None:
    out = StringIO()
    call_command("twoway_demo", "--size", "30", "--seed", "5", stdout=out)
    text = out.getvalue()
    assert "http://127.0.0.1:8000" in text
    for login in ("admin@acme.example", "manager@acme.example", "participant@acme.example"):
        assert login in text
    assert text.count(DEMO_PASSWORD) == 4  # three Acme logins and the admin's Globex one
    # A full sync: whatever Acme had before, 30 people are active now.
    assert Person.objects.filter(organisation__slug="acme", is_active=True).count() == 30
    # Where to look in the matching programs, with each page's address.
    assert "run matching for “Reverse mentoring for inclusive leadership”" in text
    assert "drafted for “Group mentoring circle”" in text
    classic = Program.objects.get(organisation__slug="acme", playbook_key="classic-1-1")
    assert "participant@acme.example: find a mentor in “Classic 1:1 mentoring”" in text
    assert f"http://127.0.0.1:8000/o/acme/find-a-mentor/programs/{classic.pk}/" in text
