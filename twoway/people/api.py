"""Read-only REST endpoints of the people directory, over the same selectors as the pages."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import generics
from rest_framework.pagination import PageNumberPagination
from rest_framework.request import Request
from rest_framework.response import Response

from twoway.core.api import OrganisationAPIView
from twoway.people import selectors
from twoway.people.models import Person
from twoway.people.serializers import (
    PersonChainOutputSerializer,
    PersonDetailOutputSerializer,
    PersonListFilterSerializer,
    PersonListOutputSerializer,
)


class DirectoryPagination(PageNumberPagination):
    page_size = 25
    page_size_query_param = "per_page"
    max_page_size = 100


class PersonListApi(OrganisationAPIView, generics.ListAPIView):
    """Search and filter the directory (active people only), 25 per page by default."""

    serializer_class = PersonListOutputSerializer
    pagination_class = DirectoryPagination

    def get_queryset(self) -> QuerySet[Person]:
        filters = PersonListFilterSerializer(data=self.request.query_params)
        filters.is_valid(raise_exception=True)
        data = filters.validated_data
        return selectors.person_list(
            organisation=self.organisation,
            search=data.get("q", ""),
            department_id=data.get("department"),
            team_id=data.get("team"),
            level=data.get("level"),
            topic_id=data.get("topic"),
        )

    @extend_schema(operation_id="people_list", parameters=[PersonListFilterSerializer])
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)


class PersonDetailApi(OrganisationAPIView):
    @extend_schema(operation_id="people_retrieve", responses=PersonDetailOutputSerializer)
    def get(self, request: Request, org_slug: str, person_id: int) -> Response:
        """One person with what they can share, want to learn, and are interested in."""
        person = selectors.person_get(organisation=self.organisation, person_id=person_id)
        person.topics = {  # type: ignore[attr-defined]
            group.relation: [topic.name for topic in group.topics]
            for group in selectors.person_topics(person=person)
        }
        return Response(PersonDetailOutputSerializer(person).data)


class PersonChainApi(OrganisationAPIView):
    @extend_schema(operation_id="people_chain_retrieve", responses=PersonChainOutputSerializer)
    def get(self, request: Request, org_slug: str, person_id: int) -> Response:
        """A person's managers, top first, and how many people report to them."""
        person = selectors.person_get(organisation=self.organisation, person_id=person_id)
        data = {
            "person": person,
            "managers": selectors.person_chain(person=person),
            "direct_reports_count": selectors.person_reports(
                person=person, direct_only=True
            ).count(),
            "all_reports_count": selectors.person_reports(person=person, direct_only=False).count(),
        }
        return Response(PersonChainOutputSerializer(data).data)
