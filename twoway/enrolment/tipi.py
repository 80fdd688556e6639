"""The Ten-Item Personality Inventory (TIPI; Gosling, Rentfrow & Swann, 2003; public domain).

Ten items, each answered 1 (disagree strongly) to 7 (agree strongly). Each Big Five dimension is
the mean of one item and the reverse-scored (8 - answer) partner item; items 2, 4, 6, 8 and 10
are the reverse-scored ones.
"""

from __future__ import annotations

from dataclasses import dataclass

STEM = "I see myself as:"
ITEMS = (
    "Extraverted, enthusiastic.",
    "Critical, quarrelsome.",
    "Dependable, self-disciplined.",
    "Anxious, easily upset.",
    "Open to new experiences, complex.",
    "Reserved, quiet.",
    "Sympathetic, warm.",
    "Disorganized, careless.",
    "Calm, emotionally stable.",
    "Conventional, uncreative.",
)
SCALE = (
    (1, "Disagree strongly"),
    (2, "Disagree moderately"),
    (3, "Disagree a little"),
    (4, "Neither agree nor disagree"),
    (5, "Agree a little"),
    (6, "Agree moderately"),
    (7, "Agree strongly"),
)
INSTRUCTIONS = (
    "Here are a number of personality traits that may or may not apply to you. Please choose "
    "how much you agree or disagree with each statement. You should rate the extent to which "
    "the pair of traits applies to you, even if one characteristic applies more strongly than "
    "the other."
)
# Dimension → (item number scored as given, item number reverse-scored), numbers 1-based.
KEY = {
    "extraversion": (1, 6),
    "agreeableness": (7, 2),
    "conscientiousness": (3, 8),
    "emotional_stability": (9, 4),
    "openness": (5, 10),
}


@dataclass(frozen=True)
class BigFive:
    extraversion: float
    agreeableness: float
    conscientiousness: float
    emotional_stability: float
    openness: float


def answers_problem(answers: object) -> str | None:
    """Why ``answers`` is not a full set of TIPI answers, or None."""
    if not isinstance(answers, list | tuple) or len(answers) != len(ITEMS):
        return "Please answer all ten statements of the working-style questions."
    for number, answer in enumerate(answers, start=1):
        if isinstance(answer, bool) or not isinstance(answer, int) or not 1 <= answer <= 7:
            return f"Statement {number} of the working-style questions needs an answer from 1 to 7."
    return None


def score(answers: list[int] | tuple[int, ...]) -> BigFive:
    problem = answers_problem(answers)
    if problem:
        raise ValueError(problem)
    return BigFive(
        **{
            dimension: (answers[direct - 1] + (8 - answers[reverse - 1])) / 2
            for dimension, (direct, reverse) in KEY.items()
        }
    )
