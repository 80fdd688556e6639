"""The people directory pages: search and filter, a person's page, the org chart.

Views only parse the request and call selectors; any member of the organisation may read the
directory. HTMX requests get the fragment they swap in; everything works without JavaScript.
"""

from __future__ import annotations

import datetime as dt
import itertools
import zoneinfo
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.conf.locale import LANG_INFO
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.cache import patch_vary_headers

from twoway.core.access import organisation_view
from twoway.people import selectors
from twoway.people.models import Person, Topic

DEFAULT_PER_PAGE = 25
MAX_PER_PAGE = 100
PER_PAGE_CHOICES = (10, 25, 50, 100)


def _positive_int(value: str | None) -> int | None:
    """A positive integer from a query parameter; anything else means "no filter"."""
    try:
        number = int(value or "")
    except ValueError:
        return None
    return number if number > 0 else None


@dataclass(frozen=True)
class DirectoryFilters:
    search: str = ""
    department_id: int | None = None
    team_id: int | None = None
    level: int | None = None
    topic_id: int | None = None

    @classmethod
    def from_params(cls, params: Mapping[str, str]) -> DirectoryFilters:
        return cls(
            search=" ".join(params.get("q", "").split())[:200],
            department_id=_positive_int(params.get("department")),
            team_id=_positive_int(params.get("team")),
            level=_positive_int(params.get("level")),
            topic_id=_positive_int(params.get("topic")),
        )

    @property
    def is_filtered(self) -> bool:
        return bool(
            self.search or self.department_id or self.team_id or self.level or self.topic_id
        )


def _per_page(value: str | None) -> int:
    return min(_positive_int(value) or DEFAULT_PER_PAGE, MAX_PER_PAGE)


def _is_partial(request: HttpRequest) -> bool:
    # A history-restore request (back button after a cache miss) needs the whole page.
    htmx = getattr(request, "htmx", None)
    return bool(htmx) and not htmx.history_restore_request  # type: ignore[union-attr]


@organisation_view()
def person_list(request: HttpRequest) -> HttpResponse:
    organisation = request.organisation  # type: ignore[attr-defined]
    filters = DirectoryFilters.from_params(request.GET)
    people = selectors.person_list(
        organisation=organisation,
        search=filters.search,
        department_id=filters.department_id,
        team_id=filters.team_id,
        level=filters.level,
        topic_id=filters.topic_id,
    )
    per_page = _per_page(request.GET.get("per_page"))
    page_obj = Paginator(people, per_page).get_page(request.GET.get("page"))
    context: dict[str, Any] = {
        "page_obj": page_obj,
        "filters": filters,
        "per_page": per_page,
    }
    if _is_partial(request):
        response = render(request, "people/_results.html", {**context, "partial": True})
    else:
        context.update(
            per_page_choices=PER_PAGE_CHOICES,
            departments=selectors.department_list(organisation=organisation),
            teams=selectors.team_list(organisation=organisation),
            levels=selectors.level_list(organisation=organisation),
            topic_groups=_topic_groups(selectors.topic_list(organisation=organisation)),
        )
        response = render(request, "people/list.html", context)
    # The same URL answers a fragment or a page depending on this header: caches must know.
    patch_vary_headers(response, ["HX-Request"])
    return response


def _topic_groups(topics: Iterable[Topic]) -> list[tuple[str, list[Topic]]]:
    """Topics under option-group labels: skills by category, then interests."""

    def label(topic: Topic) -> str:
        if topic.kind == Topic.Kind.INTEREST:
            return "Interests"
        return topic.category or "Other skills and topics"

    return [(name, list(group)) for name, group in itertools.groupby(topics, key=label)]


def _language_names(codes: list[str]) -> list[str]:
    return [LANG_INFO.get(code, {}).get("name", code) for code in codes if isinstance(code, str)]


def _local_time(time_zone: str) -> dt.datetime | None:
    try:
        return timezone.now().astimezone(zoneinfo.ZoneInfo(time_zone))
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return None


@organisation_view()
def person_detail(request: HttpRequest, person_id: int) -> HttpResponse:
    person = selectors.person_get(
        organisation=request.organisation,  # type: ignore[attr-defined]
        person_id=person_id,
    )
    return render(
        request,
        "people/detail.html",
        {
            "person": person,
            "chain": selectors.person_chain(person=person),
            "direct_reports": selectors.person_reports(person=person, direct_only=True),
            "all_reports_count": selectors.person_reports(person=person, direct_only=False).count(),
            "topic_groups": selectors.person_topics(person=person),
            "language_names": _language_names(person.languages),
            "local_time": _local_time(person.time_zone),
        },
    )


@dataclass
class ChartNode:
    """A person in the org chart; ``children`` is None until the node has been opened."""

    person: Person
    children: list[ChartNode] | None = None
    is_focus: bool = False
    expanded: bool = field(init=False, default=False)

    def __post_init__(self) -> None:
        self.expanded = self.children is not None


def _chart_nodes(
    people: list[Person], opened: Mapping[int, list[Person]], focus_id: int | None
) -> list[ChartNode]:
    return [
        ChartNode(
            person=person,
            children=(
                _chart_nodes(opened[person.pk], opened, focus_id) if person.pk in opened else None
            ),
            is_focus=person.pk == focus_id,
        )
        for person in people
    ]


@organisation_view()
def org_chart(request: HttpRequest) -> HttpResponse:
    """The top of the chart; ``?focus=<person id>`` opens it along that person's chain."""
    organisation = request.organisation  # type: ignore[attr-defined]
    roots = list(selectors.org_chart_roots(organisation=organisation))
    focus: Person | None = None
    opened: dict[int, list[Person]] = {}
    focus_id = _positive_int(request.GET.get("focus"))
    if focus_id is not None:
        focus = selectors.person_get(organisation=organisation, person_id=focus_id)
        path_ids = [manager.pk for manager in selectors.person_chain(person=focus)]
        opened = selectors.org_chart_children_of_many(
            organisation=organisation, person_ids=[*path_ids, focus.pk]
        )
    return render(
        request,
        "people/chart.html",
        {"nodes": _chart_nodes(roots, opened, focus_id), "focus": focus},
    )


@organisation_view()
def org_chart_children(request: HttpRequest, person_id: int) -> HttpResponse:
    """The direct reports of one node, as list items to swap into its group."""
    person = selectors.person_get(
        organisation=request.organisation,  # type: ignore[attr-defined]
        person_id=person_id,
    )
    nodes = _chart_nodes(list(selectors.org_chart_children(person=person)), {}, None)
    return render(request, "people/_chart_children.html", {"nodes": nodes})
