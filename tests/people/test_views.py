from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.authz import Actors, assert_access
from tests.core.factories import OrganisationFactory
from tests.people.factories import PersonFactory
from tests.people.test_selectors import four_level_chart, populated_directory
from twoway.people.models import Department, PersonTopic, Team, Topic
from twoway.people.services import person_update

pytestmark = pytest.mark.django_db

MEMBERS = {"participant", "program_manager", "admin"}
# Pinned: the list page costs this many queries whatever the page size (session, user,
# membership, switcher, count, page, shared topics, and the four filter option lists).
LIST_PAGE_QUERIES = 11
# The HTMX fragment: session, user, membership, count, page, shared topics.
LIST_RESULTS_QUERIES = 6


def url(name: str, actors: Actors, *args: object) -> str:
    return reverse(f"people:{name}", args=[actors.organisation.slug, *args])


def names_in(html: str) -> list[str]:
    """The people named in the result table's row headers, in order."""
    return re.findall(r'<th scope="row"><a href="[^"]+">([^<]+)</a>', html)


# --- access -------------------------------------------------------------------------------------


def test_every_directory_page_is_for_members_only(client: Client, actors: Actors) -> None:
    chart = four_level_chart(actors.organisation)
    for page in (
        url("list", actors),
        url("org_chart", actors),
        url("detail", actors, chart.dev.pk),
        url("org_chart_children", actors, chart.ceo.pk),
    ):
        assert_access(client, actors, page, allowed=MEMBERS)


@pytest.mark.parametrize("name", ["detail", "org_chart_children"])
def test_a_person_of_another_organisation_is_404_even_for_an_admin(
    client: Client, actors: Actors, name: str
) -> None:
    foreign = PersonFactory(organisation=actors.other_organisation)
    client.force_login(actors.admin)

    assert client.get(url(name, actors, foreign.pk)).status_code == 404
    assert client.get(url("org_chart", actors) + f"?focus={foreign.pk}").status_code == 404


# --- list -----------------------------------------------------------------------------------


def test_the_list_searches_and_filters(client: Client, actors: Actors) -> None:
    org = actors.organisation
    sales = Department.objects.create(organisation=org, name="Sales")
    north = Team.objects.create(organisation=org, name="North", department=sales)
    ai = Topic.objects.get(organisation=org, name="Generative AI")
    PersonFactory(organisation=org, first_name="Ada", last_name="Lovelace", level=3)
    PersonFactory(
        organisation=org, first_name="Grace", last_name="Hopper", department=sales, level=5
    )
    alan = PersonFactory(
        organisation=org, first_name="Alan", last_name="Turing", department=sales, team=north
    )
    PersonTopic.objects.create(
        organisation=org, person=alan, topic=ai, relation=PersonTopic.Relation.SHARES
    )
    PersonFactory(organisation=actors.other_organisation, first_name="Ada", last_name="Other")
    client.force_login(actors.participant)

    def listed(query: str) -> list[str]:
        response = client.get(url("list", actors) + query)
        assert response.status_code == 200
        return names_in(response.content.decode())

    assert listed("") == ["Grace Hopper", "Ada Lovelace", "Alan Turing"]
    assert listed("?q=ADA") == ["Ada Lovelace"]
    assert listed("?q=a+turing") == ["Alan Turing"]
    assert listed(f"?department={sales.pk}") == ["Grace Hopper", "Alan Turing"]
    assert listed(f"?team={north.pk}") == ["Alan Turing"]
    assert listed("?level=5") == ["Grace Hopper"]
    assert listed(f"?topic={ai.pk}") == ["Alan Turing"]
    assert listed("?department=nonsense&level=-1") == listed("")  # bad input: no filter
    assert listed("?q=nobody") == []


def test_the_list_page_shows_the_row_and_labels_its_controls(
    client: Client, actors: Actors
) -> None:
    org = actors.organisation
    sales = Department.objects.create(organisation=org, name="Sales")
    boss = PersonFactory(organisation=org, first_name="Bo", last_name="Boss")
    PersonFactory(
        organisation=org,
        first_name="Ada",
        last_name="Lovelace",
        job_title="Engineer",
        level=2,
        department=sales,
        manager=boss,
    )
    client.force_login(actors.participant)

    html = client.get(url("list", actors) + f"?department={sales.pk}").content.decode()

    assert '<p id="results-status" class="visually-hidden" aria-live="polite"' in html
    assert "1 person found" in html
    for control in ("q", "department", "team", "level", "topic", "per_page"):
        assert f'<label for="id_{control}">' in html and f'id="id_{control}"' in html
    assert f'<option value="{sales.pk}" selected>Sales</option>' in html
    row = html[html.index("Ada Lovelace") :]
    assert "Engineer" in row and "Specialist" in row and "Sales" in row and "Bo Boss" in row
    assert '<th scope="col">Manager</th>' in html


def test_pagination_keeps_the_filters(client: Client, actors: Actors) -> None:
    for i in range(12):
        PersonFactory(organisation=actors.organisation, last_name=f"Smith{i:02d}", job_title="Dev")
    PersonFactory(organisation=actors.organisation, last_name="Jones", job_title="Chef")
    client.force_login(actors.participant)

    first = client.get(url("list", actors) + "?q=dev&per_page=5").content.decode()
    third = client.get(url("list", actors) + "?q=dev&per_page=5&page=3").content.decode()

    assert "12 people found — page 1 of 3" in first
    assert len(names_in(first)) == 5
    assert 'href="?q=dev&amp;per_page=5&amp;page=2" rel="next"' in first
    assert len(names_in(third)) == 2
    assert not any("Jones" in name for name in names_in(first) + names_in(third))


def test_per_page_is_capped_at_100(client: Client, actors: Actors) -> None:
    PersonFactory.create_batch(3, organisation=actors.organisation)
    client.force_login(actors.participant)

    response = client.get(url("list", actors) + "?per_page=5000")

    assert response.context["page_obj"].paginator.per_page == 100
    assert client.get(url("list", actors) + "?per_page=x").context["per_page"] == 25


def test_htmx_requests_get_only_the_results(client: Client, actors: Actors) -> None:
    PersonFactory(organisation=actors.organisation, first_name="Ada", last_name="Lovelace")
    PersonFactory(organisation=actors.organisation, first_name="Grace", last_name="Hopper")
    client.force_login(actors.participant)

    response = client.get(url("list", actors) + "?q=ada", headers={"HX-Request": "true"})

    html = response.content.decode()
    assert [t.name for t in response.templates] == ["people/_results.html"]
    assert "<html" not in html and "<form" not in html
    assert names_in(html) == ["Ada Lovelace"] and "1 person found" in html
    # The screen-reader announcement (outside the swapped region) is updated out of band.
    assert 'id="results-status"' in html and 'hx-swap-oob="true">1 person found</p>' in html
    assert "HX-Request" in response["Vary"]
    # The back button after a history-cache miss needs the whole page again.
    restore = client.get(
        url("list", actors) + "?q=ada",
        headers={"HX-Request": "true", "HX-History-Restore-Request": "true"},
    )
    assert "<html" in restore.content.decode()


@pytest.mark.parametrize("headers", [{}, {"HX-Request": "true"}], ids=["page", "htmx"])
def test_list_queries_do_not_grow_with_the_page_size(
    client: Client, actors: Actors, headers: dict[str, str]
) -> None:
    populated_directory(actors.organisation, size=60)
    client.force_login(actors.participant)

    counts = {}
    for per_page in (5, 50):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url("list", actors) + f"?per_page={per_page}", headers=headers)
        assert len(names_in(response.content.decode())) == per_page
        counts[per_page] = len(queries)

    expected = LIST_RESULTS_QUERIES if headers else LIST_PAGE_QUERIES
    assert counts == {5: expected, 50: expected}


# --- person page ------------------------------------------------------------------------------


def test_the_person_page_shows_fields_chain_reports_and_topics(
    client: Client, actors: Actors
) -> None:
    org = actors.organisation
    chart = four_level_chart(org)
    person_update(
        actor=None,
        person=chart.lead,
        email="leo@acme.test",
        job_title="Team lead",
        level=4,
        location="Lyon",
        time_zone="Europe/Paris",
        languages=["fr", "en"],
    )
    jazz = Topic.objects.create(organisation=org, name="Jazz", kind=Topic.Kind.INTEREST)
    ai = Topic.objects.get(organisation=org, name="Generative AI")
    PersonTopic.objects.create(
        organisation=org, person=chart.lead, topic=ai, relation=PersonTopic.Relation.LEARNS
    )
    PersonTopic.objects.create(
        organisation=org, person=chart.lead, topic=jazz, relation=PersonTopic.Relation.INTEREST
    )
    client.force_login(actors.participant)

    response = client.get(url("detail", actors, chart.lead.pk))

    html = response.content.decode()
    assert "<h1>Leo Ash</h1>" in html
    for text in ("leo@acme.test", "Team lead", "4 — Lead", "Lyon", "Europe/Paris"):
        assert text in html, text
    assert "French, English" in html
    start = html.index('aria-label="Reporting line"')
    crumbs = html[start : html.index("</nav>", start)]
    assert crumbs.index("Cyrus Oakes") < crumbs.index("Vera Pike") < crumbs.index("Leo Ash")
    assert f'href="{url("detail", actors, chart.vp.pk)}"' in crumbs
    assert 'aria-current="page">Leo Ash' in crumbs
    assert [p.pk for p in response.context["direct_reports"]] == [chart.dev2.pk, chart.dev.pk]
    groups = {g.label: [t.name for t in g.topics] for g in response.context["topic_groups"]}
    assert groups == {"Can share": [], "Wants to learn": ["Generative AI"], "Interest": ["Jazz"]}
    assert f"?focus={chart.lead.pk}" in html


def test_the_person_page_shows_times_in_the_viewers_zone(client: Client, actors: Actors) -> None:
    person = PersonFactory(organisation=actors.organisation)
    actors.participant.time_zone = "Asia/Tokyo"
    actors.participant.save()
    client.force_login(actors.participant)

    html = client.get(url("detail", actors, person.pk)).content.decode()

    assert "JST" in html  # "Directory entry updated", rendered in the viewer's time zone


# --- org chart ----------------------------------------------------------------------------------


def test_the_chart_shows_roots_with_expand_buttons(client: Client, actors: Actors) -> None:
    chart = four_level_chart(actors.organisation)
    gone = PersonFactory(organisation=actors.organisation, first_name="Gone", last_name="Away")
    person_update(actor=None, person=gone, is_active=False)
    client.force_login(actors.participant)

    html = client.get(url("org_chart", actors)).content.decode()

    assert "Cyrus Oakes" in html and "Gone Away" not in html and "Vera Pike" not in html
    children_url = url("org_chart_children", actors, chart.ceo.pk)
    button = re.search(r"<button[^>]*data-chart-toggle[^>]*>", html)
    assert button is not None
    tag = button.group(0)
    assert 'aria-expanded="false"' in tag and f'hx-get="{children_url}"' in tag
    assert f'aria-controls="reports-{chart.ceo.pk}"' in tag
    assert f'<ul id="reports-{chart.ceo.pk}" hidden></ul>' in html


def test_chart_children_are_list_items_with_their_own_buttons(
    client: Client, actors: Actors
) -> None:
    chart = four_level_chart(actors.organisation)
    client.force_login(actors.participant)

    response = client.get(
        url("org_chart_children", actors, chart.ceo.pk), headers={"HX-Request": "true"}
    )

    html = response.content.decode()
    assert "<html" not in html
    assert html.index("Fiona Birch") < html.index("Vera Pike")
    assert html.count("data-chart-toggle") == 1  # Vera has reports, Fiona has none
    assert "1 direct report<" in html


def test_focus_opens_the_chart_along_the_chain(client: Client, actors: Actors) -> None:
    chart = four_level_chart(actors.organisation)
    client.force_login(actors.participant)

    html = client.get(url("org_chart", actors) + f"?focus={chart.lead.pk}").content.decode()

    for opened in (chart.ceo, chart.vp, chart.lead):
        assert f'aria-controls="reports-{opened.pk}"' in html
        assert f'<ul id="reports-{opened.pk}">' in html
    assert html.index("Cyrus Oakes") < html.index("Vera Pike") < html.index("Leo Ash")
    assert html.index("Leo Ash") < html.index("Dora Fen")
    assert 'aria-current="true">Leo Ash' in html


def test_a_foreign_focus_is_404_and_no_focus_is_fine(client: Client, actors: Actors) -> None:
    four_level_chart(actors.organisation)
    client.force_login(actors.participant)
    assert client.get(url("org_chart", actors) + "?focus=abc").status_code == 200
    other = PersonFactory(organisation=OrganisationFactory())
    assert client.get(url("org_chart", actors) + f"?focus={other.pk}").status_code == 404
