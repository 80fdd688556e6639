"""The matching engine: numpy and scipy only, no Django import.

Build ``Participants`` for mentors and mentees, wrap them in a ``Problem`` with the program's
``ProgramRules`` and call ``match``. See ``solver`` for the steps and ``assign`` for the
optimisation and its bound.
"""

from twoway.matching.engine.circles import Circle, CircleResult, form_circles
from twoway.matching.engine.model import (
    DEFAULT_WEIGHTS,
    HOURS_PER_WEEK,
    MUST_THRESHOLDS,
    Criterion,
    Format,
    MatchResult,
    Participants,
    Problem,
    ProgramRules,
    Rule,
    Weight,
    language_masks,
    pack_availability,
    sets_to_csr,
    unpack_availability,
)
from twoway.matching.engine.solver import match, suggest

__all__ = [
    "DEFAULT_WEIGHTS",
    "HOURS_PER_WEEK",
    "MUST_THRESHOLDS",
    "Circle",
    "CircleResult",
    "Criterion",
    "Format",
    "MatchResult",
    "Participants",
    "Problem",
    "ProgramRules",
    "Rule",
    "Weight",
    "form_circles",
    "language_masks",
    "match",
    "pack_availability",
    "sets_to_csr",
    "suggest",
    "unpack_availability",
]
