"""Canary: words written in surveys reach managers only as an anonymous survey's free text once
five people answered — never below five, never from a named survey, never to anyone else, and
never in an email or a log line. Positive control: the crawl finds the anonymous words on the
managers' results."""

from __future__ import annotations

from typing import Any

from django.core import mail

from tests.authz import Actors
from tests.crawl import crawl, leaks
from tests.surveys.factories import answer, exit_answers, make_survey, surveyed_room
from twoway.surveys.models import Question, Survey

OPEN_WORDS = "canary-anonymous-five"
FEW_WORDS = "canary-anonymous-four"
NAMED_WORDS = "canary-named-five"


def test_survey_words_reach_only_managers_of_anonymous_surveys_of_five(
    actors: Actors, log_lines: list[str], django_capture_on_commit_callbacks: Any
) -> None:
    room, extra = surveyed_room(actors, extra=3)
    people = [room.mentee, room.mentor, *extra]  # five
    with django_capture_on_commit_callbacks(execute=True):
        anonymous = make_survey(actors, room.program)
        few = make_survey(actors, room.program, template="exit", title="Four only")
        named = make_survey(actors, room.program, anonymous=False, title="Named")
    for i, user in enumerate(people):
        answer(user, anonymous, exit_answers(anonymous, text=f"{OPEN_WORDS} {i}"))
        answer(user, named, exit_answers(named, text=f"{NAMED_WORDS} {i}"))
        if i < 4:
            answer(user, few, exit_answers(few, text=f"{FEW_WORDS} {i}"))
    values = {
        "org_slug": [actors.organisation.slug],
        "program_id": [str(room.program.pk)],
        "survey_id": [str(pk) for pk in Survey.objects.values_list("pk", flat=True)],
        "question_id": [str(Question.objects.filter(survey=anonymous).first().pk)],  # type: ignore[union-attr]
    }
    viewers = {
        "anonymous": None,
        "author": room.mentee,
        "bystander": room.bystander,
        "program_manager": actors.program_manager,
        "admin": actors.admin,
        "outsider": actors.outsider,
    }
    seen = {name: crawl(values, user) for name, user in viewers.items()}
    assert any("/api/o/acme/surveys/" in url for url in seen["author"])
    for name in ("program_manager", "admin"):
        assert leaks(seen[name], (OPEN_WORDS,)), f"{name} must read the anonymous words"
    for name in set(viewers) - {"program_manager", "admin"}:
        assert leaks(seen[name], (OPEN_WORDS,)) == [], f"anonymous words reached {name}"
    for name in viewers:
        assert leaks(seen[name], (FEW_WORDS, NAMED_WORDS)) == [], f"words reached {name}"
    tokens = (OPEN_WORDS, FEW_WORDS, NAMED_WORDS)
    for message in mail.outbox:
        assert not any(t in message.subject + message.body for t in tokens)
    assert not [line for line in log_lines if any(t in line for t in tokens)]
