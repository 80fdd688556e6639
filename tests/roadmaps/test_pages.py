"""The pages of Roadmaps: who may see each, what the room shows, and pinned query counts."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.authz import assert_access
from tests.programs.factories import person_for
from tests.roadmaps.factories import make_roadmap, membership_of, steps
from tests.rooms.factories import make_room, new_participant
from twoway.mentorships.models import Mentorship, MentorshipMember
from twoway.mentorships.services import mentorship_create
from twoway.roadmaps import services
from twoway.roadmaps.models import Roadmap, RoadmapAssignment, RoadmapStep, StepProgress

pytestmark = pytest.mark.django_db

MEMBERS = {"participant", "program_manager", "admin"}


def url(name, actors, *args):
    return reverse(f"roadmaps:{name}", args=[actors.organisation.slug, *args])


def assign(actors, room, roadmap):
    return services.roadmap_assign(
        membership=membership_of(actors.program_manager, actors.organisation),
        mentorship=room.mentorship,
        roadmap=roadmap,
    )


# --- Access ---------------------------------------------------------------------------------------


def test_library_and_readable_pages_are_for_every_member(client, actors):
    roadmap = make_roadmap(actors)
    assert_access(client, actors, url("library", actors), allowed=MEMBERS)
    assert_access(client, actors, url("roadmap", actors, roadmap.pk), allowed=MEMBERS)
    assert_access(client, actors, url("builtin", actors, "circle_career_growth"), allowed=MEMBERS)


def test_authoring_pages_are_for_authors(client, actors):
    roadmap = make_roadmap(actors)
    assert_access(client, actors, url("new", actors), allowed={"program_manager", "admin"})
    assert_access(client, actors, url("edit", actors, roadmap.pk), allowed={"admin"})
    room = make_room(actors)
    own = make_roadmap(actors, program=room.program, title="Program path")
    assert_access(client, actors, url("edit", actors, own.pk), allowed={"program_manager", "admin"})


def test_a_program_roadmap_is_hidden_from_members_outside_the_program(client, actors):
    room = make_room(actors)
    own = make_roadmap(actors, program=room.program, title="Program path")
    # the participant is the mentee of a mentorship in this program: they may read it
    assert_access(client, actors, url("roadmap", actors, own.pk), allowed=MEMBERS)
    client.force_login(room.bystander)  # in the organisation, not in the program
    assert client.get(url("roadmap", actors, own.pk)).status_code == 404


def test_post_only_actions_answer_404_to_non_authors(client, actors):
    roadmap = make_roadmap(actors)
    assert_access(
        client,
        actors,
        url("archive", actors, roadmap.pk),
        allowed={"admin"},
        method="post",
        ok_status=302,
    )
    roadmap.refresh_from_db()
    assert roadmap.is_archived


def test_the_program_page_is_for_its_managers_and_admins(client, actors):
    room = make_room(actors)
    assert_access(
        client,
        actors,
        url("program", actors, room.program.pk),
        allowed={"program_manager", "admin"},
    )


def test_room_pages_are_for_members_only(client, actors):
    room = make_room(actors)
    assignment = assign(actors, room, make_roadmap(actors))
    m = room.mentorship.pk
    assert_access(client, actors, url("room_choose", actors, m), allowed={"participant"})
    assert_access(
        client, actors, url("room_assignment", actors, m, assignment.pk), allowed={"participant"}
    )
    step = RoadmapStep.objects.filter(version=assignment.version).first()
    assert_access(
        client,
        actors,
        url("room_step", actors, m, assignment.pk, step.pk),
        allowed={"participant"},
        method="post",
        ok_status=302,
    )
    assert StepProgress.objects.count() == 1


# --- Behaviour ------------------------------------------------------------------------------------


def test_the_room_shows_a_named_progress_bar_and_the_next_step(client, actors):
    # Given a pair following a 3-step roadmap; the mentee has done step 1
    room = make_room(actors)
    assignment = assign(actors, room, make_roadmap(actors, title="AI at work"))
    client.force_login(room.mentee)
    first = RoadmapStep.objects.get(version=assignment.version, position=1)
    client.post(url("room_step", actors, room.mentorship.pk, assignment.pk, first.pk))
    # When the mentee opens the room
    html = client.get(
        reverse("rooms:room", args=[actors.organisation.slug, room.mentorship.pk])
    ).content.decode()
    # Then a named bar shows "1 of 3 steps" and the next step with its agenda
    assert f'<label for="roadmap-{assignment.pk}-progress">Your progress' in html
    assert f'<progress id="roadmap-{assignment.pk}-progress" max="3" value="1">' in html
    assert "1 of 3 steps" in html
    assert "Suggested next step:" in html and "Step 2</a>" in html
    assert "suggested agenda: Circle round-table" in html
    # And the mentor's own count is shown beside it
    assert ": 0 of 3" in html


def test_mark_done_buttons_are_named_after_their_step_and_toggle(client, actors):
    room = make_room(actors)
    assignment = assign(actors, room, make_roadmap(actors, step_count=2))
    page = url("room_assignment", actors, room.mentorship.pk, assignment.pk)
    client.force_login(room.mentee)
    assert "Mark done: Step 1</button>" in client.get(page).content.decode()
    step = RoadmapStep.objects.get(version=assignment.version, position=1)
    response = client.post(url("room_step", actors, room.mentorship.pk, assignment.pk, step.pk))
    assert response["Location"].endswith(f"#step-{step.pk}")
    html = client.get(page).content.decode()
    assert "Mark not done: Step 1</button>" in html
    client.post(url("room_step", actors, room.mentorship.pk, assignment.pk, step.pk), {"done": "0"})
    assert not StepProgress.objects.exists()


def test_members_choose_a_builtin_path_from_the_room(client, actors):
    room = make_room(actors)
    client.force_login(room.mentee)
    choose = url("room_choose", actors, room.mentorship.pk)
    assert "Follow “Generative AI at work”" in client.get(choose).content.decode()
    response = client.post(choose, {"builtin": "generative_ai_at_work"})
    assignment = RoadmapAssignment.objects.get()
    assert response["Location"] == url("room_assignment", actors, room.mentorship.pk, assignment.pk)
    # choosing it again is refused with the reason
    roadmap = assignment.roadmap
    html = client.post(choose, {"roadmap": roadmap.pk}).content.decode()
    assert "already follows “Generative AI at work”" in html


def test_the_manager_assigns_from_the_program_page_and_sees_counts_only(client, actors):
    room = make_room(actors)
    roadmap = make_roadmap(actors)
    client.force_login(actors.program_manager)
    page = url("program", actors, room.program.pk)
    response = client.post(page, {"mentorship": room.mentorship.pk, "roadmap": roadmap.pk})
    assert response.status_code == 302
    assignment = RoadmapAssignment.objects.get()
    html = client.get(page).content.decode()
    assert "Digital basics" in html and "0 %" in html
    assert "Step 1" not in html  # no step content, only counts
    again = client.post(page, {"mentorship": room.mentorship.pk, "roadmap": roadmap.pk})
    assert "already follows" in again.content.decode()
    client.post(url("program_unassign", actors, room.program.pk, assignment.pk))
    assert not RoadmapAssignment.objects.exists()


def test_editing_steps_makes_a_new_version(client, actors):
    roadmap = make_roadmap(actors, step_count=1)
    step = RoadmapStep.objects.get(version=roadmap.current_version)
    client.force_login(actors.admin)
    data = {
        "steps-TOTAL_FORMS": "2",
        "steps-INITIAL_FORMS": "1",
        "steps-MIN_NUM_FORMS": "0",
        "steps-MAX_NUM_FORMS": "30",
        "steps-0-title": "Renamed",
        "steps-0-description": "",
        "steps-0-effort_minutes": "45",
        "steps-0-agenda_key": "kickoff",
        "steps-0-source_step_id": str(step.pk),
        "steps-0-ORDER": "2",
        "steps-1-title": "Brand new",
        "steps-1-description": "Hello",
        "steps-1-effort_minutes": "30",
        "steps-1-agenda_key": "",
        "steps-1-source_step_id": "",
        "steps-1-ORDER": "1",
        "change_note": "Added an opener",
    }
    response = client.post(url("edit", actors, roadmap.pk), data)
    assert response.status_code == 302
    roadmap.refresh_from_db()
    assert roadmap.current_version.number == 2
    assert list(
        RoadmapStep.objects.filter(version=roadmap.current_version).values_list("title", flat=True)
    ) == ["Brand new", "Renamed"]
    # bad input: an effort of 0 is refused next to the field, nothing saved
    data["steps-0-effort_minutes"] = "0"
    response = client.post(url("edit", actors, roadmap.pk), data)
    assert response.status_code == 200
    assert "greater than or equal to 5" in response.content.decode()
    assert roadmap.versions.count() == 2


def test_script_in_a_description_is_inert(client, actors):
    roadmap = services.roadmap_create(
        membership=membership_of(actors.admin, actors.organisation),
        title="<script>alert('t')</script>",
        steps=[
            services.StepInput(
                title="<img src=x onerror=alert(1)>",
                description="<script>alert(1)</script> [x](javascript:alert(2))",
            )
        ],
    )
    client.force_login(actors.participant)
    html = client.get(url("roadmap", actors, roadmap.pk)).content.decode()
    assert "<script>alert" not in html
    assert "<img src=x" not in html
    assert 'href="javascript' not in html
    assert "&lt;script&gt;" in html


def test_creating_a_roadmap_refuses_a_blank_title(client, actors):
    client.force_login(actors.admin)
    response = client.post(url("new", actors), {"title": " ", "program": ""})
    assert response.status_code == 200
    assert "This field is required" in response.content.decode()
    response = client.post(url("new", actors), {"title": "Ours", "program": ""})
    roadmap = Roadmap.objects.get()
    assert response["Location"] == url("edit", actors, roadmap.pk)


def test_library_search_and_adopt(client, actors):
    make_roadmap(actors, title="Storytelling")
    client.force_login(actors.participant)
    html = client.get(url("library", actors), {"q": "story"}).content.decode()
    assert "Storytelling" in html and "Generative AI at work" not in html
    response = client.post(url("adopt", actors, "generative_ai_at_work"))
    roadmap = Roadmap.objects.get(builtin_key="generative_ai_at_work")
    assert response["Location"] == url("roadmap", actors, roadmap.pk)
    html = client.get(url("library", actors)).content.decode()
    assert html.count("Generative AI at work") == 1  # listed once, as ours now


# --- Query counts --------------------------------------------------------------------------------


def count_queries(client, page):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(page).status_code == 200
    return len(queries)


def test_library_queries_do_not_grow_with_rows(client, actors):
    make_roadmap(actors, title="One")
    client.force_login(actors.admin)
    one = count_queries(client, url("library", actors))
    for n in range(6):
        make_roadmap(actors, title=f"More {n}")
    assert count_queries(client, url("library", actors)) == one


def test_program_page_queries_do_not_grow_with_rows(client, actors):
    room = make_room(actors)
    roadmap = make_roadmap(actors)
    assign(actors, room, roadmap)
    client.force_login(actors.program_manager)
    page = url("program", actors, room.program.pk)
    one = count_queries(client, page)
    for _ in range(4):
        a, b = new_participant(actors), new_participant(actors)
        mentorship = mentorship_create(
            program=room.program,
            kind=Mentorship.Kind.PAIR,
            origin=Mentorship.Origin.MATCHING,
            members=[
                (person_for(a, actors.organisation), a, MentorshipMember.Role.MENTOR),
                (person_for(b, actors.organisation), b, MentorshipMember.Role.MENTEE),
            ],
            score=0.5,
            reason="More",
        )
        services.roadmap_assign(
            membership=membership_of(actors.program_manager, actors.organisation),
            mentorship=mentorship,
            roadmap=roadmap,
        )
    assert count_queries(client, page) == one


def test_room_assignment_page_queries_do_not_grow_with_steps(client, actors):
    room = make_room(actors)
    short = assign(actors, room, make_roadmap(actors, step_count=1, title="Short"))
    long = assign(actors, room, make_roadmap(actors, step_count=6, title="Long"))
    client.force_login(room.mentee)
    m = room.mentorship.pk
    assert count_queries(client, url("room_assignment", actors, m, short.pk)) == count_queries(
        client, url("room_assignment", actors, m, long.pk)
    )


def test_revision_does_not_show_on_an_assigned_room(client, actors):
    room = make_room(actors)
    roadmap = make_roadmap(actors, step_count=2)
    assignment = assign(actors, room, roadmap)
    services.roadmap_revise(
        membership=membership_of(actors.admin, actors.organisation),
        roadmap=roadmap,
        steps=steps(1, prefix="Changed"),
    )
    client.force_login(room.mentee)
    html = client.get(url("room_assignment", actors, room.mentorship.pk, assignment.pk)).content
    assert b"Step 2" in html and b"Changed 1" not in html


def test_authors_see_their_tools_and_readers_do_not(client, actors):
    roadmap = make_roadmap(actors, step_count=1)
    step = RoadmapStep.objects.get(version=roadmap.current_version)
    services.resource_add_link(
        membership=membership_of(actors.admin, actors.organisation),
        roadmap=roadmap,
        step=step,
        title="Guide",
        url="https://example.org/",
    )
    client.force_login(actors.admin)
    html = client.get(url("roadmap", actors, roadmap.pk)).content.decode()
    assert "Edit the steps of “Digital basics”" in html
    assert "Remove “Guide”" in html and "Add a resource to “Step 1”" in html
    assert "Version 1" in html and "suggested agenda: Kickoff" in html
    client.force_login(actors.participant)
    html = client.get(url("roadmap", actors, roadmap.pk)).content.decode()
    assert 'href="https://example.org/"' in html
    assert "Remove “Guide”" not in html and "Edit the steps" not in html


def test_an_archived_roadmap_leaves_the_library_but_its_followers_go_on(client, actors):
    room = make_room(actors)
    roadmap = make_roadmap(actors, title="Retired path")
    assignment = assign(actors, room, roadmap)
    services.roadmap_archive(
        membership=membership_of(actors.admin, actors.organisation), roadmap=roadmap
    )
    client.force_login(room.mentee)
    assert "Retired path" not in client.get(url("library", actors)).content.decode()
    assert (
        "Retired path"
        not in client.get(url("room_choose", actors, room.mentorship.pk)).content.decode()
    )
    page = url("room_assignment", actors, room.mentorship.pk, assignment.pk)
    assert "Mark done: Step 1" in client.get(page).content.decode()


def test_a_bad_choice_on_the_program_page_is_shown_beside_its_mentorship(client, actors):
    room = make_room(actors)
    make_roadmap(actors)
    client.force_login(actors.program_manager)
    response = client.post(
        url("program", actors, room.program.pk), {"mentorship": room.mentorship.pk, "roadmap": "x"}
    )
    assert response.status_code == 200
    assert f'id="assign-{room.mentorship.pk}-error">Roadmap: choose one of the list.' in (
        response.content.decode()
    )
