from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext

from tests.core.factories import OrganisationFactory
from tests.people.factories import PersonFactory
from twoway.core.models import Organisation
from twoway.people import selectors
from twoway.people.models import Department, Person, PersonTopic, Team, Topic
from twoway.people.services import person_update

pytestmark = pytest.mark.django_db


@dataclass
class Chart:
    """ceo ← vp ← lead ← dev (four levels), ceo ← cfo, lead ← dev2."""

    ceo: Person
    vp: Person
    lead: Person
    dev: Person
    dev2: Person
    cfo: Person


def four_level_chart(organisation: Organisation) -> Chart:
    def person(first: str, last: str, **kwargs: object) -> Person:
        return PersonFactory(organisation=organisation, first_name=first, last_name=last, **kwargs)

    ceo = person("Cyrus", "Oakes", level=8)
    vp = person("Vera", "Pike", manager=ceo)
    lead = person("Leo", "Ash", manager=vp)
    dev = person("Dev", "Moss", manager=lead)
    dev2 = person("Dora", "Fen", manager=lead)
    cfo = person("Fiona", "Birch", manager=ceo)
    return Chart(ceo=ceo, vp=vp, lead=lead, dev=dev, dev2=dev2, cfo=cfo)


def populated_directory(organisation: Organisation, size: int = 60) -> list[Person]:
    """``size`` people, every one with a department, a team, a manager (but the first) and
    topics of every relation: the worst case for N+1 queries on a list page."""
    departments = [
        Department.objects.create(organisation=organisation, name=f"Department {i}")
        for i in range(3)
    ]
    teams = [
        Team.objects.create(organisation=organisation, name=f"Team {i}", department=departments[i])
        for i in range(3)
    ]
    topics = list(Topic.objects.for_organisation(organisation).order_by("name")[:6])
    people: list[Person] = []
    for i in range(size):
        person = PersonFactory(
            organisation=organisation,
            last_name=f"Person{i:03d}",
            department=departments[i % 3],
            team=teams[i % 3],
            manager=people[i // 4] if people else None,
            level=1 + i % 8,
        )
        people.append(person)
        PersonTopic.objects.bulk_create(
            [
                PersonTopic(
                    organisation=organisation,
                    person=person,
                    topic=topics[(i + k) % len(topics)],
                    relation=relation,
                )
                for k, relation in enumerate(PersonTopic.Relation)
            ]
        )
    return people


@pytest.fixture
def organisation() -> Organisation:
    return OrganisationFactory(name="Acme", slug="acme")


# --- person_list ----------------------------------------------------------------------------


def test_search_matches_each_field_case_insensitively(organisation: Organisation) -> None:
    ada = PersonFactory(
        organisation=organisation,
        first_name="Ada",
        last_name="Lovelace",
        email="ada@analytical.test",
        job_title="Engine Programmer",
        employee_id="AE-1843",
    )
    PersonFactory(organisation=organisation, first_name="Grace", last_name="Hopper")

    for term in ("ada", "LOVELACE", "analytical.TEST", "engine prog", "ae-18"):
        found = list(selectors.person_list(organisation=organisation, search=term))
        assert found == [ada], term


def test_several_words_must_all_match(organisation: Organisation) -> None:
    ada = PersonFactory(organisation=organisation, first_name="Ada", last_name="Lovelace")
    PersonFactory(organisation=organisation, first_name="Ada", last_name="Byron")
    PersonFactory(organisation=organisation, first_name="Lord", last_name="Lovelace")

    assert list(selectors.person_list(organisation=organisation, search="  ada  lovelace ")) == [
        ada
    ]
    assert selectors.person_list(organisation=organisation, search="ada").count() == 2


def test_the_list_never_shows_another_organisation(organisation: Organisation) -> None:
    mine = PersonFactory(organisation=organisation, first_name="Ada")
    PersonFactory(organisation=OrganisationFactory(), first_name="Ada")

    assert list(selectors.person_list(organisation=organisation, search="ada")) == [mine]


def test_filters_by_department_team_level_and_topic(organisation: Organisation) -> None:
    sales = Department.objects.create(organisation=organisation, name="Sales")
    north = Team.objects.create(organisation=organisation, name="North", department=sales)
    ai = Topic.objects.get(organisation=organisation, name="Generative AI")
    in_sales = PersonFactory(organisation=organisation, department=sales, level=3)
    in_north = PersonFactory(organisation=organisation, department=sales, team=north, level=5)
    learns_ai = PersonFactory(organisation=organisation, level=5)
    PersonFactory(organisation=organisation, level=1)
    # Linked twice to the same topic: still listed once.
    for relation in (PersonTopic.Relation.SHARES, PersonTopic.Relation.LEARNS):
        PersonTopic.objects.create(
            organisation=organisation, person=learns_ai, topic=ai, relation=relation
        )

    def ids(**filters: object) -> set[int]:
        return {p.pk for p in selectors.person_list(organisation=organisation, **filters)}

    assert ids(department_id=sales.pk) == {in_sales.pk, in_north.pk}
    assert ids(team_id=north.pk) == {in_north.pk}
    assert ids(level=5) == {in_north.pk, learns_ai.pk}
    assert ids(topic_id=ai.pk) == {learns_ai.pk}
    assert list(selectors.person_list(organisation=organisation, topic_id=ai.pk)) == [learns_ai]
    assert ids(department_id=sales.pk, level=5) == {in_north.pk}


def test_inactive_people_are_left_out_unless_asked_for(organisation: Organisation) -> None:
    active = PersonFactory(organisation=organisation)
    gone = PersonFactory(organisation=organisation)
    person_update(actor=None, person=gone, is_active=False)

    assert list(selectors.person_list(organisation=organisation)) == [active]
    assert set(selectors.person_list(organisation=organisation, include_inactive=True)) == {
        active,
        gone,
    }


def test_list_rows_carry_level_label_and_shared_topics_without_extra_queries(
    organisation: Organisation,
) -> None:
    populated_directory(organisation, size=12)

    with CaptureQueriesContext(connection) as queries:
        rows = [
            (
                p.level_label,
                p.department.name,
                p.team.name,
                p.manager.full_name if p.manager else None,
                [link.topic.name for link in p.shared_topic_links],
            )
            for p in selectors.person_list(organisation=organisation)
        ]

    assert len(queries) == 2  # the people, then their shared topics
    assert len(rows) == 12
    assert rows[0][0] == "Associate" and all(row[4] for row in rows)


# --- person_get, chain and reports ------------------------------------------------------------


def test_person_get_is_404_for_missing_or_foreign_people(organisation: Organisation) -> None:
    mine = PersonFactory(organisation=organisation)
    foreign = PersonFactory(organisation=OrganisationFactory())

    assert selectors.person_get(organisation=organisation, person_id=mine.pk) == mine
    with pytest.raises(Http404):
        selectors.person_get(organisation=organisation, person_id=foreign.pk)
    with pytest.raises(Http404):
        selectors.person_get(organisation=organisation, person_id=999_999)


def test_chain_lists_managers_top_first_in_one_query(
    organisation: Organisation, django_assert_num_queries: object
) -> None:
    chart = four_level_chart(organisation)

    with django_assert_num_queries(1):  # type: ignore[operator]
        chain = selectors.person_chain(person=chart.dev)

    assert chain == [chart.ceo, chart.vp, chart.lead]
    assert selectors.person_chain(person=chart.cfo) == [chart.ceo]
    assert selectors.person_chain(person=chart.ceo) == []


def test_reports_direct_or_at_any_depth(organisation: Organisation) -> None:
    chart = four_level_chart(organisation)
    person_update(actor=None, person=chart.dev2, is_active=False)

    assert list(selectors.person_reports(person=chart.ceo, direct_only=True)) == [
        chart.cfo,
        chart.vp,
    ]
    assert set(selectors.person_reports(person=chart.ceo, direct_only=False)) == {
        chart.vp,
        chart.lead,
        chart.dev,
        chart.cfo,
    }
    assert set(
        selectors.person_reports(person=chart.lead, direct_only=True, include_inactive=True)
    ) == {chart.dev, chart.dev2}
    assert not selectors.person_reports(person=chart.dev, direct_only=False).exists()


def test_people_in_chain(organisation: Organisation) -> None:
    chart = four_level_chart(organisation)

    assert selectors.people_in_chain(a=chart.dev, b=chart.ceo)
    assert selectors.people_in_chain(a=chart.vp, b=chart.dev)
    assert selectors.people_in_chain(a=chart.dev, b=chart.dev)
    assert not selectors.people_in_chain(a=chart.dev, b=chart.cfo)
    assert not selectors.people_in_chain(a=chart.dev, b=chart.dev2)
    stranger = PersonFactory(organisation=OrganisationFactory())
    assert not selectors.people_in_chain(a=stranger, b=chart.ceo)


# --- org chart ---------------------------------------------------------------------------------


def test_org_chart_roots_and_children_count_active_direct_reports(
    organisation: Organisation,
) -> None:
    chart = four_level_chart(organisation)
    loner = PersonFactory(organisation=organisation, first_name="Lone", last_name="Wolf")
    person_update(actor=None, person=chart.dev2, is_active=False)
    PersonFactory(organisation=OrganisationFactory())

    roots = {p: p.direct_report_count for p in selectors.org_chart_roots(organisation=organisation)}
    assert roots == {chart.ceo: 2, loner: 0}
    children = {p: p.direct_report_count for p in selectors.org_chart_children(person=chart.vp)}
    assert children == {chart.lead: 1}  # dev2 left: only dev is counted
    assert list(selectors.org_chart_children(person=chart.lead)) == [chart.dev]


def test_someone_whose_manager_left_appears_at_the_top(organisation: Organisation) -> None:
    chart = four_level_chart(organisation)
    person_update(actor=None, person=chart.vp, is_active=False)

    assert set(selectors.org_chart_roots(organisation=organisation)) == {chart.ceo, chart.lead}


def test_children_of_many_groups_reports_by_manager(organisation: Organisation) -> None:
    chart = four_level_chart(organisation)

    opened = selectors.org_chart_children_of_many(
        organisation=organisation, person_ids=[chart.ceo.pk, chart.lead.pk, chart.dev.pk]
    )

    assert opened == {
        chart.ceo.pk: [chart.cfo, chart.vp],
        chart.lead.pk: [chart.dev2, chart.dev],
        chart.dev.pk: [],
    }


# --- topics and options ------------------------------------------------------------------------


def test_person_topics_grouped_by_relation(organisation: Organisation) -> None:
    person = PersonFactory(organisation=organisation)
    ai, prompts = (
        Topic.objects.get(organisation=organisation, name=name)
        for name in ("Generative AI", "Prompt writing")
    )
    jazz = Topic.objects.create(organisation=organisation, name="Jazz", kind=Topic.Kind.INTEREST)
    for topic, relation in (
        (prompts, PersonTopic.Relation.SHARES),
        (ai, PersonTopic.Relation.SHARES),
        (ai, PersonTopic.Relation.LEARNS),
        (jazz, PersonTopic.Relation.INTEREST),
    ):
        PersonTopic.objects.create(
            organisation=organisation, person=person, topic=topic, relation=relation
        )

    groups = selectors.person_topics(person=person)

    assert [(g.label, [t.name for t in g.topics]) for g in groups] == [
        ("Can share", ["Generative AI", "Prompt writing"]),
        ("Wants to learn", ["Generative AI"]),
        ("Interest", ["Jazz"]),
    ]


def test_filter_options_belong_to_the_organisation(organisation: Organisation) -> None:
    other = OrganisationFactory()
    Department.objects.create(organisation=organisation, name="Sales")
    Department.objects.create(organisation=other, name="Secret")
    Team.objects.create(organisation=other, name="Hidden")

    assert [d.name for d in selectors.department_list(organisation=organisation)] == ["Sales"]
    assert list(selectors.team_list(organisation=organisation)) == []
    levels = list(selectors.level_list(organisation=organisation))
    assert [lvl.number for lvl in levels] == sorted(lvl.number for lvl in levels)
    assert levels and all(lvl.organisation_id == organisation.pk for lvl in levels)
    topics = list(selectors.topic_list(organisation=organisation))
    assert topics and all(t.organisation_id == organisation.pk for t in topics)
