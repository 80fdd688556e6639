"""Random small organisations turned into matching problems, for the engine's tests."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from twoway.matching.engine import (
    HOURS_PER_WEEK,
    Criterion,
    Format,
    Participants,
    Problem,
    ProgramRules,
    Weight,
    language_masks,
    pack_availability,
    sets_to_csr,
)
from twoway.people import reporting_lines

TOPICS = [f"topic {t}" for t in range(8)]
INTERESTS = [f"interest {t}" for t in range(6)]


def random_problem(
    seed: int,
    *,
    people: int = 30,
    mentors: int = 10,
    mentees: int = 10,
    max_capacity: int = 2,
    format: Format = Format.REVERSE,
    min_level_gap: int = 1,
    min_shared_hours: int = 2,
    k: int = 30,
    weights: Mapping[Criterion, Weight] | None = None,
    languages: int = 3,
    busy: float = 0.6,
    excluded: int = 3,
    previous: int = 3,
) -> Problem:
    """An org chart of ``people``, mentors and mentees drawn from it (they may overlap)."""
    rng = np.random.default_rng(seed)
    parents: dict[int, int | None] = {1: None}
    level = {1: 8}
    team = {1: 0}
    for person in range(2, people + 1):
        manager = int(rng.integers(1, person))
        parents[person] = manager
        level[person] = max(1, level[manager] - int(rng.integers(0, 3)))
        team[person] = manager  # a team is the people under one manager
    ids = np.arange(1, people + 1)
    paths = reporting_lines.build_chain_paths(parents)
    tin, tout = reporting_lines.chain_intervals(ids, [paths[int(i)] for i in ids])
    department = rng.integers(0, 3, size=people)
    generation = rng.integers(0, 4, size=people)
    location = rng.integers(-1, 3, size=people)

    def side(count: int, capacity_max: int) -> Participants:
        rows = np.sort(rng.choice(people, size=min(count, people), replace=False))
        n = len(rows)
        hours = rng.random((n, HOURS_PER_WEEK)) > busy
        langs = [
            [
                int(x)
                for x in rng.choice(
                    languages, size=rng.integers(1, min(3, languages + 1)), replace=False
                )
            ]
            for _ in range(n)
        ]
        return Participants(
            ids=ids[rows],
            level=np.array([level[int(i)] for i in ids[rows]], dtype=np.int64),
            team=np.array([team[int(i)] for i in ids[rows]], dtype=np.int64),
            department=department[rows],
            tin=tin[rows],
            tout=tout[rows],
            skills=sets_to_csr(
                (rng.choice(len(TOPICS), size=rng.integers(0, 4), replace=False) for _ in rows),
                len(TOPICS),
            ),
            learn=sets_to_csr(
                (rng.choice(len(TOPICS), size=rng.integers(1, 4), replace=False) for _ in rows),
                len(TOPICS),
            ),
            interests=sets_to_csr(
                (rng.choice(len(INTERESTS), size=rng.integers(0, 3), replace=False) for _ in rows),
                len(INTERESTS),
            ),
            style=rng.integers(1, 8, size=(n, 5)).astype(np.float64),
            availability=pack_availability(hours),
            utc_offset=rng.choice([-5.0, 0.0, 1.0, 5.5, 9.0], size=n),
            languages=language_masks(langs),
            capacity=rng.integers(1, capacity_max + 1, size=n),
            location=location[rows],
            generation=generation[rows],
            answers=rng.integers(-1, 3, size=(n, 2)),
            names=[f"P{int(i)}" for i in ids[rows]],
        )

    mentor_side = side(mentors, max_capacity)
    mentee_side = side(mentees, 1)

    def some_pairs(count: int) -> np.ndarray:
        if not len(mentor_side) or not len(mentee_side):
            return np.empty((0, 2), dtype=np.int64)
        e = rng.integers(0, len(mentee_side), size=count)
        j = rng.integers(0, len(mentor_side), size=count)
        return np.stack([e, j], axis=1).astype(np.int64)

    rules = ProgramRules(
        format=format,
        min_level_gap=min_level_gap,
        min_shared_hours=min_shared_hours,
        candidates_per_mentee=k,
        seed=seed,
        **({"weights": dict(weights)} if weights is not None else {}),
    )
    return Problem(
        mentors=mentor_side,
        mentees=mentee_side,
        rules=rules,
        topic_names=TOPICS,
        interest_names=INTERESTS,
        forbidden=some_pairs(excluded),
        previous=some_pairs(previous),
    )


def person_rows(
    people: list[dict[str, object]], topics: list[str], *, first_id: int
) -> Participants:
    """Participants from readable rows: name, level, team, languages, skills, learn, hours...

    Unlisted fields get neutral values: level 1, own team, language 0, free Monday 9 to 17 UTC,
    no chain links (each person is their own root).
    """
    n = len(people)
    code = {t: i for i, t in enumerate(topics)}
    hours = np.zeros((n, HOURS_PER_WEEK), dtype=bool)
    for row, person in enumerate(people):
        for hour in person.get("hours", range(9, 17)):
            hours[row, hour] = True
    start = first_id

    def get(key: str, default: object) -> list[object]:
        return [p.get(key, default) for p in people]

    ids = np.arange(start, start + n, dtype=np.int64)
    tin = np.array(get("tin", None), dtype=object)
    own = ids * 1000  # far from any hand-written interval
    return Participants(
        ids=ids,
        level=np.array(get("level", 1), dtype=np.int64),
        team=np.array([p.get("team", -1) for p in people], dtype=np.int64),
        department=np.array(get("department", 0), dtype=np.int64),
        tin=np.array([own[i] if t is None else t for i, t in enumerate(tin)], dtype=np.int64),
        tout=np.array(
            [own[i] if p.get("tout") is None else p["tout"] for i, p in enumerate(people)],
            dtype=np.int64,
        ),
        skills=sets_to_csr(([code[t] for t in p.get("skills", [])] for p in people), len(code)),
        learn=sets_to_csr(([code[t] for t in p.get("learn", [])] for p in people), len(code)),
        interests=sets_to_csr(([] for _ in people), 1),
        style=np.full((n, 5), 4.0),
        availability=pack_availability(hours),
        utc_offset=np.array(get("utc_offset", 0.0), dtype=np.float64),
        languages=language_masks(p.get("languages", [0]) for p in people),
        capacity=np.array(get("capacity", 1), dtype=np.int64),
        location=np.array(get("location", 0), dtype=np.int64),
        generation=np.array(get("generation", 0), dtype=np.int64),
        answers=np.zeros((n, 0), dtype=np.int64),
        names=[str(p["name"]) for p in people],
    )
