"""The built-in library and adopting it."""

from __future__ import annotations

import pytest

from tests.roadmaps.factories import membership_of
from twoway.core.errors import ApplicationError
from twoway.programs.models import Format
from twoway.roadmaps import builtins, services
from twoway.roadmaps.models import Roadmap, RoadmapStep, StepResource
from twoway.rooms.agendas import BUILTIN_BY_KEY

pytestmark = pytest.mark.django_db


def test_the_library_has_the_five_reverse_topics_and_two_circle_curricula():
    titles = {r.title for r in builtins.BUILTIN_ROADMAPS}
    assert {
        "Social media for leaders",
        "Generative AI at work",
        "Understanding Gen Z customers",
        "Inclusive leadership basics",
        "Modern collaboration tools",
    } <= titles
    circles = [r for r in builtins.BUILTIN_ROADMAPS if Format.CIRCLE.value in r.formats]
    assert len(circles) >= 2


@pytest.mark.parametrize("builtin", builtins.BUILTIN_ROADMAPS, ids=lambda b: b.key)
def test_every_builtin_is_complete(builtin):
    assert 4 <= len(builtin.steps) <= 6
    for step in builtin.steps:
        assert step.description and step.effort_minutes > 0
        assert step.agenda_key in BUILTIN_BY_KEY
        assert len(step.resources) <= 2
        assert all(r.url.startswith("https://") for r in step.resources)


def test_adopting_materialises_version_one_with_steps_and_resources(actors):
    # Given a member of the organisation
    membership = membership_of(actors.participant, actors.organisation)
    # When they adopt a built-in roadmap
    roadmap = services.roadmap_adopt_builtin(membership=membership, key="generative_ai_at_work")
    # Then the organisation has its own copy at version 1
    builtin = builtins.BUILTIN_BY_KEY["generative_ai_at_work"]
    assert roadmap.builtin_key == "generative_ai_at_work"
    assert roadmap.current_version.number == 1
    steps = list(RoadmapStep.objects.filter(version=roadmap.current_version))
    assert [s.title for s in steps] == [s.title for s in builtin.steps]
    assert all("<p>" in s.description_html for s in steps)
    assert StepResource.objects.filter(step__version=roadmap.current_version).count() == sum(
        len(s.resources) for s in builtin.steps
    )


def test_adopting_twice_returns_the_same_row(actors):
    membership = membership_of(actors.admin, actors.organisation)
    first = services.roadmap_adopt_builtin(membership=membership, key="circle_career_growth")
    second = services.roadmap_adopt_builtin(membership=membership, key="circle_career_growth")
    assert first.pk == second.pk
    assert Roadmap.objects.filter(builtin_key="circle_career_growth").count() == 1
    assert RoadmapStep.objects.filter(version__roadmap=first).count() == 5


def test_each_organisation_adopts_its_own_copy(actors):
    ours = services.roadmap_adopt_builtin(
        membership=membership_of(actors.admin, actors.organisation), key="circle_career_growth"
    )
    theirs = services.roadmap_adopt_builtin(
        membership=membership_of(actors.outsider, actors.other_organisation),
        key="circle_career_growth",
    )
    assert ours.pk != theirs.pk and theirs.organisation == actors.other_organisation


def test_an_unknown_key_is_refused(actors):
    with pytest.raises(ApplicationError, match="not a roadmap of the built-in library"):
        services.roadmap_adopt_builtin(
            membership=membership_of(actors.admin, actors.organisation), key="nope"
        )
