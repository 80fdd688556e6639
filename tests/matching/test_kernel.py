"""The fast kernel gives the same scores and hard-rule masks as the criterion-by-criterion path."""

from __future__ import annotations

import dataclasses

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.matching.factories import random_problem
from twoway.matching.engine import Criterion, Format, Weight
from twoway.matching.engine.kernel import block_scores, build_kernel, set_prices
from twoway.matching.engine.scoring import block_criteria, block_rules, prepare, weighted_total

WEIGHTS = st.sampled_from([Weight.HIGH, Weight.MEDIUM, Weight.LOW, Weight.OFF])
SOFT = [c for c in Criterion if c is not Criterion.CUSTOM]


@settings(max_examples=60, deadline=None)
@given(
    seed=st.integers(0, 10_000),
    format=st.sampled_from(list(Format)),
    weights=st.lists(WEIGHTS, min_size=len(SOFT), max_size=len(SOFT)),
    languages=st.integers(1, 4),
    with_prices=st.booleans(),
    answers=st.integers(0, 2),
)
def test_kernel_equals_the_general_path(
    seed: int,
    format: Format,
    weights: list[Weight],
    languages: int,
    with_prices: bool,
    answers: int,
) -> None:
    problem = random_problem(
        seed,
        people=60,
        mentors=15,
        mentees=15,
        format=format,
        languages=languages,
        weights=dict(zip(SOFT, weights, strict=True)),
    )
    if answers:
        # Consented diversity answers count in the diversity criterion on both paths.
        rng = np.random.default_rng(seed)
        problem = dataclasses.replace(
            problem,
            mentors=dataclasses.replace(
                problem.mentors, perspective=rng.integers(-1, 3, (len(problem.mentors), answers))
            ),
            mentees=dataclasses.replace(
                problem.mentees, perspective=rng.integers(-1, 3, (len(problem.mentees), answers))
            ),
        )
    f = prepare(problem)
    kernel = build_kernel(f)
    assert kernel is not None
    rows = np.arange(len(problem.mentees))
    price = np.random.default_rng(seed).random(len(problem.mentors)) if with_prices else None
    set_prices(kernel, price)

    ranked, used, count = block_scores(kernel, rows)

    criteria, hours = block_criteria(f, rows)
    allowed = np.ones(ranked.shape, dtype=bool)
    for _rule, mask in block_rules(f, rows, criteria, hours):
        allowed &= mask
    expected = weighted_total(f, criteria) - (0 if price is None else price[None, :])
    assert (np.isfinite(ranked) == allowed).all()
    assert (count == allowed.sum(axis=1)).all()
    np.testing.assert_allclose(ranked[allowed], expected[allowed], atol=1e-5)
    assert used.shape == (len(problem.mentors),)


def test_must_weights_and_custom_questions_take_the_general_path() -> None:
    must = random_problem(1, weights={Criterion.TEACH_LEARN: Weight.MUST})
    custom = random_problem(1, weights={Criterion.CUSTOM: Weight.LOW})
    assert build_kernel(prepare(must)) is None
    assert build_kernel(prepare(custom)) is None
