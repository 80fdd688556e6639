"""What the matching engine takes and gives: participants as arrays, program rules, results.

Everything is index-based: mentor ``j`` and mentee ``i`` are rows of their ``Participants``.
Sets (topics, interests) are rows of ``scipy.sparse`` CSR matrices over a shared vocabulary;
languages are bitmasks; weekly availability is 168 hours packed with ``np.packbits``.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp

HOURS_PER_WEEK = 168
TIPI_TRAITS = 5
MAX_LANGUAGES = 64  # one bit each in a uint64

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]


class Format(enum.StrEnum):
    REVERSE = "reverse"  # the mentor is the more junior side
    CLASSIC = "classic"  # the mentor is the more senior side


class Weight(enum.StrEnum):
    MUST = "must"  # a hard rule (see MUST_THRESHOLDS) and counted as high
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"
    OFF = "off"


WEIGHT_VALUES: Mapping[Weight, float] = {
    Weight.MUST: 3.0,
    Weight.HIGH: 3.0,
    Weight.MEDIUM: 2.0,
    Weight.LOW: 1.0,
    Weight.OFF: 0.0,
}


class Criterion(enum.StrEnum):
    TEACH_LEARN = "teach_learn"  # share of the mentee's topics the mentor can teach
    INTERESTS = "interests"  # Jaccard similarity of interests
    WORKING_STYLE = "working_style"  # closeness of the TIPI profiles
    AVAILABILITY = "availability"  # shared free hours a week, up to a target
    TIME_ZONE = "time_zone"  # hours apart on the clock
    DIVERSITY = "diversity"  # different department, generation, location
    LOCATION = "location"  # same location, for programs that meet in person
    CUSTOM = "custom"  # same answers to the program's questions marked for matching


# A criterion weighted "must" becomes a hard rule: the pair needs at least this score on it.
MUST_THRESHOLDS: Mapping[Criterion, float] = {
    Criterion.TEACH_LEARN: 1e-9,  # at least one topic
    Criterion.INTERESTS: 1e-9,  # at least one shared interest
    Criterion.WORKING_STYLE: 0.5,
    Criterion.AVAILABILITY: 1.0,  # the full target of shared hours
    Criterion.TIME_ZONE: 0.75,  # at most 3 hours apart
    Criterion.DIVERSITY: 1e-9,  # different in at least one respect
    Criterion.LOCATION: 0.5,  # the same location
    Criterion.CUSTOM: 0.5,
}

DEFAULT_WEIGHTS: Mapping[Criterion, Weight] = {
    Criterion.TEACH_LEARN: Weight.HIGH,
    Criterion.INTERESTS: Weight.LOW,
    Criterion.WORKING_STYLE: Weight.LOW,
    Criterion.AVAILABILITY: Weight.MEDIUM,
    Criterion.TIME_ZONE: Weight.LOW,
    Criterion.DIVERSITY: Weight.MEDIUM,
    Criterion.LOCATION: Weight.OFF,  # on (or "must") when the program meets in person
    Criterion.CUSTOM: Weight.OFF,
}


class Rule(enum.StrEnum):
    """Hard rules, in the order they are counted when explaining an unmatched mentee."""

    NO_MENTORS = "no_mentors"
    LANGUAGE = "language"
    LEVEL = "level"
    REPORTING_CHAIN = "reporting_chain"
    SAME_TEAM = "same_team"
    SHARED_HOURS = "shared_hours"
    EXCLUDED = "excluded"
    PREVIOUS_PAIRING = "previous_pairing"
    MUST = "must"
    CAPACITY = "capacity"  # eligible mentors exist but their places went to others


@dataclass(frozen=True)
class Participants:
    """One side of the program (mentors or mentees), one row per person.

    ``tin``/``tout`` come from ``reporting_lines.chain_intervals`` over one numbering shared by
    both sides. ``team``, ``department``, ``location`` and ``generation`` are integer codes,
    -1 for unknown (unknown never equals anything). ``availability`` is ``(n, 21)`` uint8 from
    ``pack_availability``; ``utc_offset`` is in hours. ``answers`` holds integer codes of the
    answers to custom matching questions, ``(n, q)``, -1 for unanswered.
    """

    ids: IntArray
    level: IntArray
    team: IntArray
    department: IntArray
    tin: IntArray
    tout: IntArray
    skills: sp.csr_matrix  # topics this person can share, (n, topics)
    learn: sp.csr_matrix  # topics this person wants to learn, (n, topics)
    interests: sp.csr_matrix  # (n, interests)
    style: npt.NDArray[np.float64]  # (n, 5) TIPI scores, 1 to 7
    availability: npt.NDArray[np.uint8]  # (n, 21) packed bits, hour 0 = Monday 00:00 UTC
    utc_offset: FloatArray
    languages: npt.NDArray[np.uint64]  # bit b set = speaks language b
    capacity: IntArray  # mentees a mentor takes (ignored for mentees)
    location: IntArray
    generation: IntArray
    answers: IntArray  # (n, questions)
    names: Sequence[str] = ()
    # Diversity answers a person consented to use in matching, as integer codes ``(n, a)``, -1
    # for not given; they count in the diversity criterion like departments do, but are never
    # named in a reason nor shown in a pair's breakdown (DESIGN.md, confidentiality rule 4).
    perspective: IntArray | None = None

    def __len__(self) -> int:
        return len(self.ids)

    def name(self, index: int) -> str:
        return self.names[index] if self.names else f"#{int(self.ids[index])}"


@dataclass(frozen=True)
class ProgramRules:
    format: Format = Format.REVERSE
    min_level_gap: int = 1
    min_shared_hours: int = 1
    weights: Mapping[Criterion, Weight] = field(default_factory=lambda: dict(DEFAULT_WEIGHTS))
    availability_target_hours: float = 6.0  # shared hours at which availability scores 1
    candidates_per_mentee: int = 30  # k: edges kept per mentee for the optimiser
    load_spreading: float = 0.0  # cost per extra mentee already placed with a mentor
    seed: int = 0  # breaks exact ties reproducibly

    def weight(self, criterion: Criterion) -> Weight:
        return self.weights.get(criterion, Weight.OFF)


@dataclass(frozen=True)
class Problem:
    mentors: Participants
    mentees: Participants
    rules: ProgramRules = field(default_factory=ProgramRules)
    topic_names: Sequence[str] = ()
    interest_names: Sequence[str] = ()
    location_names: Sequence[str] = ()
    # (k, 2) arrays of (mentee index, mentor index)
    locked: IntArray = field(default_factory=lambda: np.empty((0, 2), dtype=np.int64))
    forbidden: IntArray = field(default_factory=lambda: np.empty((0, 2), dtype=np.int64))
    previous: IntArray = field(default_factory=lambda: np.empty((0, 2), dtype=np.int64))


@dataclass
class MatchResult:
    """Pairs (locked ones included), their scores and reasons, the unmatched and the bound."""

    mentee: IntArray  # mentee index of each pair
    mentor: IntArray  # mentor index of each pair
    locked: BoolArray
    # Weighted score in [0, 1] and per criterion, as shown to people: computed without the
    # consented diversity answers (``Participants.perspective``), which only steer the choice
    # and count in ``total_score`` and ``upper_bound`` (whole-run figures).
    score: FloatArray
    breakdown: dict[Criterion, FloatArray]
    reasons: list[str]
    unmatched: IntArray  # mentee indexes
    unmatched_rule: list[Rule]
    unmatched_reasons: list[str]
    total_score: float
    upper_bound: float  # no assignment of the full feasible graph scores more
    mentees_with_eligible_mentor: int
    candidate_edges: int
    participation_proven: bool  # no assignment of the full feasible graph matches more mentees
    seconds: dict[str, float]

    @property
    def matched(self) -> int:
        return len(self.mentee)

    @property
    def gap(self) -> float:
        """Relative distance to the optimum, at most (upper bound - score) / upper bound."""
        if self.upper_bound <= 0:
            return 0.0
        return max(0.0, (self.upper_bound - self.total_score) / self.upper_bound)

    def mentor_of(self, mentees: int) -> IntArray:
        """Mentor index per mentee, -1 when unmatched."""
        out = np.full(mentees, -1, dtype=np.int64)
        out[self.mentee] = self.mentor
        return out


# --- Builders ------------------------------------------------------------------------------


def sets_to_csr(rows: Iterable[Iterable[int]], width: int) -> sp.csr_matrix:
    """A 0/1 CSR matrix with one row per set of column codes (duplicates ignored)."""
    indptr = [0]
    indices: list[int] = []
    for row in rows:
        unique = sorted(set(row))
        indices.extend(unique)
        indptr.append(len(indices))
    data = np.ones(len(indices), dtype=np.float32)
    return sp.csr_matrix(
        (data, np.asarray(indices, dtype=np.int64), np.asarray(indptr, dtype=np.int64)),
        shape=(len(indptr) - 1, width),
    )


def language_masks(rows: Iterable[Iterable[int]]) -> npt.NDArray[np.uint64]:
    """Bitmasks from language codes 0..63 (an organisation's languages, numbered)."""
    masks = []
    for row in rows:
        mask = 0
        for code in row:
            if not 0 <= code < MAX_LANGUAGES:
                raise ValueError(f"language code {code} outside 0..{MAX_LANGUAGES - 1}")
            mask |= 1 << code
        masks.append(mask)
    return np.asarray(masks, dtype=np.uint64)


def pack_availability(hours: npt.NDArray[np.bool_]) -> npt.NDArray[np.uint8]:
    """``(n, 168)`` booleans (free that UTC hour of the week) packed to ``(n, 21)`` bytes."""
    hours = np.asarray(hours, dtype=bool)
    if hours.ndim != 2 or hours.shape[1] != HOURS_PER_WEEK:
        raise ValueError("availability must be (n, 168)")
    return np.packbits(hours, axis=1)


def unpack_availability(packed: npt.NDArray[np.uint8]) -> npt.NDArray[np.uint8]:
    return np.unpackbits(packed, axis=1, count=HOURS_PER_WEEK)
