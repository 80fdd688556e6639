"""Reads from the people directory. Every read starts from an organisation (or from a person, who
carries theirs), so a row of another organisation can never leak into a page or a response."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.shortcuts import get_object_or_404

from twoway.core.models import Organisation
from twoway.people import reporting_lines
from twoway.people.models import (
    Department,
    Level,
    Person,
    PersonTopic,
    Team,
    Topic,
    subtree_filter,
)


def _level_label() -> Subquery:
    """The organisation's label for a person's level number, read in the same query."""
    return Subquery(
        Level.objects.filter(organisation=OuterRef("organisation"), number=OuterRef("level"))
        .order_by()
        .values("label")[:1]
    )


def _directory_queryset(organisation: Organisation) -> QuerySet[Person]:
    people: QuerySet[Person] = Person.objects.for_organisation(organisation)
    return people.select_related("department", "team", "manager").annotate(
        level_label=_level_label()
    )


def person_list(
    *,
    organisation: Organisation,
    search: str = "",
    department_id: int | None = None,
    team_id: int | None = None,
    level: int | None = None,
    topic_id: int | None = None,
    include_inactive: bool = False,
) -> QuerySet[Person]:
    """The directory, searched and filtered, with everything a list row shows already loaded.

    ``search`` matches first/last name, email, job title and employee id, case-insensitively;
    with several words, every word must match one of those fields. Each person carries
    ``level_label`` and ``shared_topic_links`` (what they can share, topics selected).
    """
    people = _directory_queryset(organisation).prefetch_related(
        Prefetch(
            "topic_links",
            queryset=PersonTopic.objects.filter(relation=PersonTopic.Relation.SHARES)
            .select_related("topic")
            .order_by("topic__name"),
            to_attr="shared_topic_links",
        )
    )
    if not include_inactive:
        people = people.filter(is_active=True)
    for word in search.split():
        people = people.filter(
            Q(first_name__icontains=word)
            | Q(last_name__icontains=word)
            | Q(email__icontains=word)
            | Q(job_title__icontains=word)
            | Q(employee_id__icontains=word)
        )
    if department_id is not None:
        people = people.filter(department_id=department_id)
    if team_id is not None:
        people = people.filter(team_id=team_id)
    if level is not None:
        people = people.filter(level=level)
    if topic_id is not None:
        # EXISTS rather than a join: a person linked to the topic twice (shares and learns)
        # must still appear once.
        people = people.filter(
            Exists(PersonTopic.objects.filter(person=OuterRef("pk"), topic_id=topic_id))
        )
    return people


def person_get(*, organisation: Organisation, person_id: int) -> Person:
    """One person of ``organisation`` (active or not), or 404 — also when they belong to another
    organisation."""
    return get_object_or_404(_directory_queryset(organisation), pk=person_id)


def person_chain(*, person: Person) -> list[Person]:
    """The person's managers, top first, in one query."""
    ids = reporting_lines.ancestor_ids(person.chain_path)
    if not ids:
        return []
    by_id = {
        manager.pk: manager
        for manager in Person.objects.filter(organisation_id=person.organisation_id, pk__in=ids)
        .select_related("department", "team")
        .annotate(level_label=_level_label())
    }
    return [by_id[manager_id] for manager_id in ids if manager_id in by_id]


def person_reports(
    *, person: Person, direct_only: bool, include_inactive: bool = False
) -> QuerySet[Person]:
    """The people who report to ``person``: directly, or at any depth (one indexed range)."""
    reports = Person.objects.filter(organisation_id=person.organisation_id)
    if direct_only:
        reports = reports.filter(chain_path=person.subtree_prefix)
    else:
        reports = reports.filter(subtree_filter(person.subtree_prefix))
    if not include_inactive:
        reports = reports.filter(is_active=True)
    return reports


def people_in_chain(*, a: Person, b: Person) -> bool:
    """True when a and b are the same person or one reports to the other at any depth."""
    if a.organisation_id != b.organisation_id:
        return False
    return reporting_lines.in_chain(a.pk, a.chain_path, b.pk, b.chain_path)


def _with_report_count(people: QuerySet[Person]) -> QuerySet[Person]:
    # Explicit order: Django drops Meta.ordering from queries that aggregate.
    return (
        people.filter(is_active=True)
        .annotate(
            direct_report_count=Count(
                "direct_reports", filter=Q(direct_reports__is_active=True), distinct=True
            )
        )
        .order_by("last_name", "first_name", "id")
    )


def org_chart_roots(*, organisation: Organisation) -> QuerySet[Person]:
    """The top of the org chart: active people without an active manager (someone whose manager
    left is shown at the top rather than hidden), each with ``direct_report_count``."""
    return _with_report_count(
        Person.objects.for_organisation(organisation).filter(
            Q(manager__isnull=True) | Q(manager__is_active=False)
        )
    )


def org_chart_children(*, person: Person) -> QuerySet[Person]:
    """A node's active direct reports, each with ``direct_report_count``."""
    return _with_report_count(
        Person.objects.filter(organisation_id=person.organisation_id, manager=person)
    )


def org_chart_children_of_many(
    *, organisation: Organisation, person_ids: list[int]
) -> dict[int, list[Person]]:
    """Active direct reports of several people at once (the chart opened along a chain)."""
    children: dict[int, list[Person]] = {person_id: [] for person_id in person_ids}
    for child in _with_report_count(
        Person.objects.for_organisation(organisation).filter(manager_id__in=person_ids)
    ):
        assert child.manager_id is not None
        children[child.manager_id].append(child)
    return children


@dataclass(frozen=True)
class TopicGroup:
    relation: str
    label: str
    topics: list[Topic]


def person_topics(*, person: Person) -> list[TopicGroup]:
    """What a person can share, wants to learn, and is interested in — always all three groups,
    in that order, each sorted by name (one query)."""
    by_relation: dict[str, list[Topic]] = {relation: [] for relation in PersonTopic.Relation}
    for link in (
        PersonTopic.objects.filter(organisation_id=person.organisation_id, person=person)
        .select_related("topic")
        .order_by("topic__name")
    ):
        by_relation[link.relation].append(link.topic)
    return [
        TopicGroup(relation=relation.value, label=relation.label, topics=by_relation[relation])
        for relation in PersonTopic.Relation
    ]


# --- Filter options -----------------------------------------------------------------------


def department_list(*, organisation: Organisation) -> QuerySet[Department]:
    return Department.objects.for_organisation(organisation).order_by("name")


def team_list(*, organisation: Organisation) -> QuerySet[Team]:
    return Team.objects.for_organisation(organisation).order_by("name")


def level_list(*, organisation: Organisation) -> QuerySet[Level]:
    return Level.objects.for_organisation(organisation).order_by("number")


def topic_list(*, organisation: Organisation) -> QuerySet[Topic]:
    """Skills first (grouped by category), then interests."""
    return Topic.objects.for_organisation(organisation).order_by("-kind", "category", "name")
