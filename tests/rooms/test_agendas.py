"""Agendas: the built-in library, organisation and program templates (who manages them, their
limits), which a session may use and in what order, and the agenda template pages."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from tests.authz import Actors, assert_access
from tests.core.factories import MembershipFactory
from tests.rooms.factories import Room, make_room
from tests.rooms.test_sessions import FUTURE_YEAR, schedule, seat_of
from twoway.core.errors import ApplicationError
from twoway.core.models import Membership, Role
from twoway.programs.models import Format
from twoway.rooms.agendas import BUILTIN_AGENDAS
from twoway.rooms.models import AgendaItem, AgendaTemplate
from twoway.rooms.selectors.sessions import agenda_options_for_session
from twoway.rooms.services import agendas

pytestmark = pytest.mark.django_db


@pytest.fixture(name="room")
def room_fixture(actors: Actors) -> Room:
    return make_room(actors)


def membership(actors: Actors, user: object) -> Membership:
    return Membership.objects.get(organisation=actors.organisation, user=user)


def test_the_built_in_library_has_the_promised_agendas(db: None) -> None:
    keys = {agenda.key for agenda in BUILTIN_AGENDAS}
    assert keys == {
        "kickoff",
        "digital_world",
        "reverse_feedback",
        "skill_demo",
        "round_table",
        "retrospective",
        "closing",
    }
    for agenda in BUILTIN_AGENDAS:
        assert 4 <= len(agenda.items) <= 7, agenda.key
        assert agenda.formats <= set(Format.values) and agenda.formats
        assert agenda.name and agenda.description


def test_a_session_lists_suitable_built_ins_then_organisation_then_program_templates(
    actors: Actors, room: Room
) -> None:
    admin = membership(actors, actors.admin)
    agendas.agenda_template_create(
        membership=admin, program=None, name="Org plan", items=["One", "Two"]
    )
    agendas.agenda_template_create(
        membership=membership(actors, actors.program_manager),
        program=room.program,
        name="Program plan",
        items=["Three"],
    )
    circle = make_room(actors, kind="circle")
    agendas.agenda_template_create(
        membership=admin, program=circle.program, name="Circle plan", items=["Four"]
    )
    options = agenda_options_for_session(seat=seat_of(room))
    sources = [option.source for option in options]
    assert sources == sorted(sources, key=["Built-in", "Organisation", "Program"].index)
    names = [option.name for option in options]
    assert "Reverse feedback" in names and "Circle round-table" not in names
    assert names[-2:] == ["Org plan", "Program plan"]
    assert "Circle plan" not in names


@pytest.mark.parametrize(
    ("name", "items", "message"),
    [
        ("", ["x"], "Name"),
        ("x" * 121, ["x"], "Name"),
        ("Plan", [], "1 to 20 items"),
        ("Plan", [f"item {i}" for i in range(21)], "1 to 20 items"),
        ("Plan", ["ok", "y" * 301], "item 2 has 301 characters"),
    ],
)
def test_template_limits_are_refused_with_a_clear_message(
    actors: Actors, name: str, items: list[str], message: str
) -> None:
    with pytest.raises(ApplicationError, match=message):
        agendas.agenda_template_create(
            membership=membership(actors, actors.admin), program=None, name=name, items=items
        )
    assert not AgendaTemplate.objects.exists()


def test_only_admins_manage_organisation_templates_and_managers_their_programs(
    actors: Actors, room: Room
) -> None:
    manager = membership(actors, actors.program_manager)
    with pytest.raises(ApplicationError, match="organisation's admins"):
        agendas.agenda_template_create(membership=manager, program=None, name="X", items=["x"])
    other_manager = MembershipFactory(organisation=actors.organisation, role=Role.PROGRAM_MANAGER)
    with pytest.raises(ApplicationError, match="this program's managers"):
        agendas.agenda_template_create(
            membership=other_manager, program=room.program, name="X", items=["x"]
        )
    made = agendas.agenda_template_create(
        membership=manager, program=room.program, name="Ours", items=["a", "b"]
    )
    agendas.agenda_template_update(
        membership=manager, template=made, name="Ours 2", description="", items=["c"]
    )
    made.refresh_from_db()
    assert (made.name, made.items) == ("Ours 2", ["c"])


def test_attaching_copies_the_items_so_a_later_template_edit_changes_nothing(
    actors: Actors, room: Room
) -> None:
    admin = membership(actors, actors.admin)
    template = agendas.agenda_template_create(
        membership=admin, program=None, name="Plan", items=["First", "Second"]
    )
    [session] = schedule(seat_of(room), dt.datetime(FUTURE_YEAR, 6, 3, 10))
    agendas.agenda_item_add(seat=seat_of(room), session=session, text="Old item")
    agendas.agenda_attach(
        seat=seat_of(room), session=session, template_key=f"template:{template.pk}"
    )
    agendas.agenda_template_update(
        membership=admin, template=template, name="Plan", items=["Changed"]
    )
    agendas.agenda_item_add(seat=seat_of(room), session=session, text="Third")
    texts = list(AgendaItem.objects.filter(session=session).values_list("text", "position"))
    assert texts == [("First", 1), ("Second", 2), ("Third", 3)]


def test_a_template_of_another_organisation_is_refused_like_a_missing_one(
    actors: Actors, room: Room
) -> None:
    foreign = AgendaTemplate.objects.create(
        organisation=actors.other_organisation, name="Globex plan", items=["secret"]
    )
    [session] = schedule(seat_of(room), dt.datetime(FUTURE_YEAR, 6, 3, 10))
    for key in (f"template:{foreign.pk}", "builtin:nope", "nonsense"):
        with pytest.raises(ApplicationError, match="does not exist"):
            agendas.agenda_attach(seat=seat_of(room), session=session, template_key=key)


def test_the_organisation_template_page_is_for_admins(client: Client, actors: Actors) -> None:
    url = reverse("rooms:agenda_templates", kwargs={"org_slug": "acme"})
    assert_access(client, actors, url, allowed={"admin"})
    client.force_login(actors.admin)
    response = client.post(url, {"name": "Welcome", "description": "", "items": "Hi\nBye\n"})
    assert response.status_code == 302
    template = AgendaTemplate.objects.get()
    assert template.items == ["Hi", "Bye"] and template.program is None
    edit = reverse(
        "rooms:agenda_template_edit", kwargs={"org_slug": "acme", "template_id": template.pk}
    )
    assert_access(client, actors, edit, allowed={"admin"})
    delete = reverse(
        "rooms:agenda_template_delete", kwargs={"org_slug": "acme", "template_id": template.pk}
    )
    assert_access(client, actors, delete, allowed={"admin"}, method="post", ok_status=302)
    assert not AgendaTemplate.objects.exists()


def test_a_program_template_page_is_for_its_managers_and_admins(
    client: Client, actors: Actors, room: Room
) -> None:
    url = reverse(
        "rooms:agenda_templates_program",
        kwargs={"org_slug": "acme", "program_id": room.program.pk},
    )
    assert_access(client, actors, url, allowed={"program_manager", "admin"})
    client.force_login(actors.program_manager)
    response = client.post(url, {"name": "Kick", "description": "", "items": ""})
    assert response.status_code == 200
    assert b'aria-describedby="id_items_error id_items_helptext"' in response.content
    client.post(url, {"name": "Kick", "description": "", "items": "A"})
    template = AgendaTemplate.objects.get(program=room.program)
    edit = reverse(
        "rooms:agenda_template_edit", kwargs={"org_slug": "acme", "template_id": template.pk}
    )
    assert_access(client, actors, edit, allowed={"program_manager", "admin"})
    # A manager of another program of the organisation gets 404
    stranger = MembershipFactory(organisation=actors.organisation, role=Role.PROGRAM_MANAGER).user
    client.force_login(stranger)
    assert client.get(url).status_code == 404
    assert client.get(edit).status_code == 404
