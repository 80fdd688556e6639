from __future__ import annotations

import pytest
import yaml
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.authz import Actors, assert_access
from tests.people.factories import PersonFactory
from tests.people.test_selectors import four_level_chart, populated_directory
from twoway.people.models import Department, PersonTopic, Topic

pytestmark = pytest.mark.django_db

MEMBERS = {"participant", "program_manager", "admin"}
# Pinned: session, user, membership, count, page, shared topics — whatever the page size.
LIST_API_QUERIES = 6


def api_url(name: str, actors: Actors, *args: object) -> str:
    return reverse(f"api_person_{name}", args=[actors.organisation.slug, *args])


def test_every_endpoint_is_for_members_only(client: Client, actors: Actors) -> None:
    chart = four_level_chart(actors.organisation)
    for endpoint in (
        api_url("list", actors),
        api_url("detail", actors, chart.dev.pk),
        api_url("chain", actors, chart.dev.pk),
    ):
        assert_access(client, actors, endpoint, allowed=MEMBERS, api=True)


@pytest.mark.parametrize("name", ["detail", "chain"])
def test_a_person_of_another_organisation_is_404_even_for_an_admin(
    client: Client, actors: Actors, name: str
) -> None:
    foreign = PersonFactory(organisation=actors.other_organisation)
    client.force_login(actors.admin)

    assert client.get(api_url(name, actors, foreign.pk)).status_code == 404


def test_the_list_is_paginated_searchable_and_filterable(client: Client, actors: Actors) -> None:
    org = actors.organisation
    sales = Department.objects.create(organisation=org, name="Sales")
    ai = Topic.objects.get(organisation=org, name="Generative AI")
    for i in range(30):
        PersonFactory(organisation=org, last_name=f"Smith{i:02d}", level=1)
    ada = PersonFactory(
        organisation=org, first_name="Ada", last_name="Lovelace", department=sales, level=3
    )
    PersonTopic.objects.create(
        organisation=org, person=ada, topic=ai, relation=PersonTopic.Relation.SHARES
    )
    PersonFactory(organisation=actors.other_organisation, first_name="Ada")
    client.force_login(actors.participant)
    base = api_url("list", actors)

    page = client.get(base).json()
    assert page["count"] == 31 and len(page["results"]) == 25 and page["next"]
    assert len(client.get(base + "?per_page=500").json()["results"]) == 31  # max 100
    assert len(client.get(base + "?per_page=10&page=2").json()["results"]) == 10

    (found,) = client.get(base + "?q=ada+love").json()["results"]
    assert found["id"] == ada.pk and found["full_name"] == "Ada Lovelace"
    assert found["level_label"] == "Senior specialist"
    assert found["department"] == {"id": sales.pk, "name": "Sales"}
    assert found["shares"] == ["Generative AI"] and found["manager"] is None
    for query in (f"department={sales.pk}", "level=3", f"topic={ai.pk}"):
        assert [p["id"] for p in client.get(f"{base}?{query}").json()["results"]] == [ada.pk]
    assert client.get(base + "?level=abc").status_code == 400


def test_list_queries_do_not_grow_with_the_page_size(client: Client, actors: Actors) -> None:
    populated_directory(actors.organisation, size=60)
    client.force_login(actors.participant)

    counts = {}
    for per_page in (5, 50):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(api_url("list", actors) + f"?per_page={per_page}")
        results = response.json()["results"]
        assert len(results) == per_page
        assert all(r["department"] and r["team"] and r["shares"] for r in results)
        counts[per_page] = len(queries)

    assert counts == {5: LIST_API_QUERIES, 50: LIST_API_QUERIES}


def test_detail_has_topics_by_relation(client: Client, actors: Actors) -> None:
    org = actors.organisation
    chart = four_level_chart(org)
    ai = Topic.objects.get(organisation=org, name="Generative AI")
    PersonTopic.objects.create(
        organisation=org, person=chart.lead, topic=ai, relation=PersonTopic.Relation.LEARNS
    )
    client.force_login(actors.participant)

    data = client.get(api_url("detail", actors, chart.lead.pk)).json()

    assert data["full_name"] == "Leo Ash"
    assert data["manager"] == {"id": chart.vp.pk, "full_name": "Vera Pike", "job_title": "Analyst"}
    assert data["topics"] == {"shares": [], "learns": ["Generative AI"], "interest": []}
    assert data["time_zone"] == "UTC" and data["languages"] == []


def test_chain_lists_managers_top_first_and_counts_reports(client: Client, actors: Actors) -> None:
    chart = four_level_chart(actors.organisation)
    client.force_login(actors.participant)

    dev = client.get(api_url("chain", actors, chart.dev.pk)).json()
    vp = client.get(api_url("chain", actors, chart.vp.pk)).json()

    assert [m["id"] for m in dev["managers"]] == [chart.ceo.pk, chart.vp.pk, chart.lead.pk]
    assert dev["person"]["id"] == chart.dev.pk and dev["direct_reports_count"] == 0
    assert [m["full_name"] for m in vp["managers"]] == ["Cyrus Oakes"]
    assert vp["direct_reports_count"] == 1 and vp["all_reports_count"] == 3


def test_the_schema_documents_the_endpoints(client: Client, actors: Actors) -> None:
    schema = yaml.safe_load(client.get(reverse("api_schema")).content)

    paths = schema["paths"]
    people = "/api/o/{org_slug}/people/"
    assert set(paths) >= {people, people + "{person_id}/", people + "{person_id}/chain/"}
    parameters = {p["name"] for p in paths[people]["get"]["parameters"]}
    assert parameters >= {"q", "department", "team", "level", "topic", "page", "per_page"}
    assert "PaginatedPersonListOutputList" in schema["components"]["schemas"]
    chain = paths[people + "{person_id}/chain/"]["get"]["responses"]["200"]
    assert chain["content"]["application/json"]["schema"]["$ref"].endswith("PersonChainOutput")
