from __future__ import annotations

from typing import Any

import factory

from tests.core.factories import OrganisationFactory
from twoway.people.models import Person
from twoway.people.services import person_create


class PersonFactory(factory.django.DjangoModelFactory):
    """Goes through ``person_create`` so reporting-line paths are always right."""

    class Meta:
        model = Person

    organisation = factory.SubFactory(OrganisationFactory)
    employee_id = factory.Sequence(lambda n: f"E{n:05d}")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    email = factory.LazyAttribute(lambda p: f"{p.employee_id.lower()}@example.test")
    job_title = "Analyst"
    level = 2

    @classmethod
    def _create(cls, model_class: type, *args: Any, **kwargs: Any) -> Person:
        return person_create(actor=None, **kwargs)
