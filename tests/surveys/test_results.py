"""Results for the program's managers: nothing until MIN_GROUP people answered; aggregates then;
free text only for anonymous surveys, never for a named one (confidentiality rule 1)."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from tests.authz import Actors
from tests.surveys.factories import answer, exit_answers, make_survey, surveyed_room
from twoway.insights.suppression import MIN_GROUP
from twoway.surveys import selectors
from twoway.surveys.models import Survey


def _url(survey: Survey) -> str:
    return reverse("surveys:results", kwargs={"org_slug": "acme", "survey_id": survey.pk})


def test_results_are_hidden_under_five_and_shown_at_five(client: Client, actors: Actors) -> None:
    assert MIN_GROUP == 5
    room, extra = surveyed_room(actors, extra=4)
    survey = make_survey(actors, room.program)
    people = [room.mentee, room.mentor, *extra]
    for i, user in enumerate(people[:4]):
        answer(user, survey, exit_answers(survey, recommend=10, text=f"Secret lesson {i}"))
    client.force_login(actors.program_manager)
    page = client.get(_url(survey)).content.decode()
    assert "Results appear once 5 people have answered; 4 so far" in page
    assert "Secret lesson" not in page and "mean" not in page
    assert "4 of 6 people answered (response rate 67%)" in page

    answer(people[4], survey, exit_answers(survey, recommend=5, text="Secret lesson 4"))
    results = selectors.survey_results(survey=survey)
    assert results.shown and results.response_count == 5 and results.response_rate == 83
    recommend = next(q for q in results.questions if q.question.key == "recommend")
    counts = {row.label: row.count for row in recommend.rows}
    assert counts["10"] == 4 and counts["5"] == 1 and sum(counts.values()) == 5
    assert recommend.mean == 9.0
    page = client.get(_url(survey)).content.decode()
    assert "Results appear once" not in page
    for i in range(5):
        assert f"Secret lesson {i}" in page
    assert "mean 9.0" in page
    assert '<th scope="row">10</th>' in page


def test_named_survey_free_text_never_reaches_managers(client: Client, actors: Actors) -> None:
    room, extra = surveyed_room(actors, extra=4)
    survey = make_survey(actors, room.program, anonymous=False)
    for i, user in enumerate([room.mentee, room.mentor, *extra]):
        answer(user, survey, exit_answers(survey, text=f"Named words {i}"))
    for user in (actors.program_manager, actors.admin):
        client.force_login(user)
        page = client.get(_url(survey)).content.decode()
        assert "mean" in page  # results are shown…
        assert "Named words" not in page  # …but nobody's own words
        assert "written answers are never shown here" in page
    assert all(not q.texts for q in selectors.survey_results(survey=survey).questions)


def test_results_page_query_count_does_not_grow(client: Client, actors: Actors) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    room, extra = surveyed_room(actors, extra=10)
    people = [room.mentee, room.mentor, *extra]
    small = make_survey(actors, room.program, template="check_in")
    big = make_survey(actors, room.program, template="exit")
    for user in people[:5]:
        answer(
            user,
            small,
            {
                q.pk: v
                for q, v in zip(small.questions.all(), [3, "Yes, as agreed", "x"], strict=True)
            },
        )
    for user in people:
        answer(user, big)
    client.force_login(actors.program_manager)
    client.get(_url(small))
    counts = []
    for survey in (small, big):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(_url(survey)).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts
