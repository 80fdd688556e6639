"""A subtree ("everyone under Y") is one query the (organisation, chain_path) index serves,
on SQLite and on PostgreSQL — checked in the query plan, not assumed."""

from __future__ import annotations

import pytest
from django.db import connection

from tests.core.factories import OrganisationFactory
from tests.people.factories import PersonFactory
from twoway.people.models import Person
from twoway.people.selectors import person_reports
from twoway.people.services import person_set_manager

pytestmark = pytest.mark.django_db


def plan(queryset) -> str:
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ANALYZE people_person")
            cursor.execute("SET LOCAL enable_seqscan = off")  # tiny tables: force the choice
            cursor.execute("EXPLAIN " + sql, params)
        else:
            cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
        return "\n".join(str(row) for row in cursor.fetchall())


def test_all_reports_of_a_person_is_an_indexed_query_with_the_right_people():
    org = OrganisationFactory()
    boss = PersonFactory(organisation=org)
    middle = PersonFactory(organisation=org, manager=boss)
    below = [PersonFactory(organisation=org, manager=middle) for _ in range(3)]
    PersonFactory(organisation=org)  # not under boss
    # Many people elsewhere in the same organisation, so that the organisation's own index is
    # clearly the worse choice and the planner's pick does not hang on statistics noise.
    Person.objects.bulk_create(
        Person(organisation=org, employee_id=f"X{i}", first_name="X", chain_path="0009999999/")
        for i in range(3_000)
    )

    reports = person_reports(person=boss, direct_only=False)

    assert set(reports) == {middle, *below}
    query_plan = plan(reports.order_by().values("pk"))
    assert "person_chain_idx" in query_plan
    if connection.vendor == "postgresql":  # the prefix became an index range, not a filter
        assert "~>=~" in query_plan


def test_moving_a_subtree_rewrites_exactly_that_subtree():
    org = OrganisationFactory()
    a, b = PersonFactory(organisation=org), PersonFactory(organisation=org)
    middle = PersonFactory(organisation=org, manager=a)
    leaf = PersonFactory(organisation=org, manager=middle)
    sibling = PersonFactory(organisation=org, manager=a)

    person_set_manager(actor=None, person=middle, manager=b)

    leaf.refresh_from_db()
    sibling.refresh_from_db()
    assert leaf.chain_path == b.subtree_prefix + middle.subtree_prefix[len(a.subtree_prefix) :]
    assert sibling.chain_path == a.subtree_prefix
