"""The built-in playbook library and the checklist every program works through.

A playbook pre-fills a program: format, description, goals, key areas, cadence, confidentiality
guidelines, capacity, eligibility and (for reverse mentoring) the minimum level gap. Built-in
playbooks live here as code; an organisation's own are ``Playbook`` rows whose ``data`` holds the
same keys as ``BuiltinPlaybook.as_data()``.

Key areas are named as in the starter taxonomy (``twoway.people.taxonomy.STARTER_TOPICS``) and
resolved to the organisation's own ``Topic`` rows by key when a program is created; a topic the
organisation has since removed is simply left out.

The checklist is the five steps the reverse- and group-mentoring literature names as what makes a
program work. Each step says where in Twoway it is done; the steps whose pages arrive with later
parts of the product say so plainly rather than linking to nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from twoway.programs.models import Format

# --- The checklist -----------------------------------------------------------------------------


@dataclass(frozen=True)
class ChecklistStep:
    key: str
    title: str
    explanation: str
    # A URL name in this app (taking org_slug and program_id) where the step is done, and the
    # section of that page; empty when the page comes with a later part of the product.
    url_name: str = ""
    anchor: str = ""
    later: str = ""  # what will do this step, said plainly, when ``url_name`` is empty


CHECKLIST: tuple[ChecklistStep, ...] = (
    ChecklistStep(
        key="key_areas",
        title="Identify key areas",
        explanation=(
            "Decide where your leaders most need fresh perspectives — digital transformation, "
            "Gen Z consumer insight, inclusive leadership — and choose those key areas from the "
            "taxonomy, so applicants and matching speak the same language."
        ),
        url_name="programs:design",
        anchor="key-areas",
    ),
    ChecklistStep(
        key="match_carefully",
        title="Match carefully",
        explanation=(
            "Pairs work when personalities fit and people share interests beyond their job "
            "titles. Set who may mentor and who may be mentored; the application asks about "
            "working style and interests so matching can use them."
        ),
        url_name="programs:eligibility",
        anchor="",
        later=(
            "Reviewing and publishing the proposed matches comes with the matching engine; "
            "today you set eligibility here."
        ),
    ),
    ChecklistStep(
        key="set_expectations",
        title="Set clear expectations",
        explanation=(
            "Write down the goals, how often people meet and for how long, and the "
            "confidentiality guidelines both sides accept at kickoff. It is not about fixing "
            "the senior person; it is about growing together."
        ),
        url_name="programs:design",
        anchor="expectations",
    ),
    ChecklistStep(
        key="open_dialogue",
        title="Encourage open dialogue",
        explanation=(
            "Give pairs a safe space for honest feedback and challenging conversations: agenda "
            "templates, shared and private notes, and a no-fault way to end a match."
        ),
        later="This is done in Mentorship Rooms, which arrive in a later release.",
    ),
    ChecklistStep(
        key="celebrate",
        title="Celebrate successes",
        explanation=(
            "Acknowledge the value of the program and the contributions of both mentors and "
            "mentees, publicly and by name where they agree to it."
        ),
        later="Recognition and closing reports arrive with the close-and-report release.",
    ),
)

CHECKLIST_KEYS = frozenset(step.key for step in CHECKLIST)


# --- Confidentiality guidelines -----------------------------------------------------------------

_CONFIDENTIALITY_REVERSE = """\
What is said in our sessions stays between the two of us. Neither of us repeats it, quotes it \
or uses it elsewhere without the other's explicit agreement.

Nothing goes to line managers. The senior partner will not mention the sessions in the junior \
partner's reviews, promotion discussions or to their manager, and the junior partner will not \
report on the senior partner to anyone. The program team sees only that we meet, never what we \
discuss.

Feedback without fear. The junior partner can say uncomfortable things — about tools, habits, \
culture or how leadership is seen — and this will never count against them. The senior partner \
listens first and asks before defending.

Either of us may end the mentorship at any time, without giving a reason, and without \
consequences for either side."""

_CONFIDENTIALITY_INCLUSION = """\
What is shared in our sessions stays between the two of us. Lived experiences of exclusion, \
bias or discrimination are told in trust: they are not repeated, attributed, or used as \
examples elsewhere without explicit consent.

Nothing goes to line managers or HR through this mentorship. The senior partner will not raise \
what they hear about named colleagues or teams unless the junior partner asks them to and \
agrees how. The program team sees only that we meet, never what we discuss.

Feedback without fear. The junior partner is not here to educate on behalf of a whole group and \
may decline any question. Honest feedback on the senior partner's behaviour is the point, and \
it will never count against the person who gives it.

Either of us may end the mentorship at any time, without giving a reason, and without \
consequences for either side."""

_CONFIDENTIALITY_CIRCLE = """\
What members share in the circle stays in the circle. We may talk about what we learned, never \
about who said what.

Nothing goes to line managers. Mentors in the circle do not report on members, and no one's \
contribution is used in a review or promotion discussion.

Everyone speaks, no one dominates; disagreement is welcome and personal remarks are not. Any \
member may leave the circle without giving a reason."""

_CONFIDENTIALITY_MULTIGENERATIONAL = """\
What members share in the circle stays in the circle. We may talk about what we learned, never \
about who said what.

In this circle everyone teaches and everyone learns, whatever their level or age. Seniority \
carries no extra weight in the room, and nothing said here travels to anyone's line manager or \
into a review.

Feedback without fear: a younger member's challenge to an older member's habits is exactly what \
the circle is for. Any member may leave without giving a reason."""

_CONFIDENTIALITY_CLASSIC = """\
What is said in our sessions stays between the two of us unless we both agree otherwise.

The mentor does not report to the mentee's line manager and the mentorship plays no part in \
performance reviews. The program team sees only that we meet, never what we discuss.

Either of us may end the mentorship at any time, without giving a reason."""


# --- Built-in playbooks --------------------------------------------------------------------------


@dataclass(frozen=True)
class RoleDefaults:
    min_level: int | None = None
    max_level: int | None = None
    min_tenure_months: int | None = None

    def as_data(self) -> dict[str, int | None]:
        return {
            "min_level": self.min_level,
            "max_level": self.max_level,
            "min_tenure_months": self.min_tenure_months,
        }


@dataclass(frozen=True)
class BuiltinPlaybook:
    key: str
    name: str
    summary: str  # one sentence on the "new program" card
    format: Format
    description: str
    goals: str
    key_areas: tuple[str, ...]  # topic names of the starter taxonomy
    cadence_weeks: int
    session_minutes: int
    confidentiality_guidelines: str
    mentees_per_mentor: int = 1
    circle_min_size: int | None = None
    circle_max_size: int | None = None
    min_level_gap: int = 2
    mentor: RoleDefaults = field(default_factory=RoleDefaults)
    mentee: RoleDefaults = field(default_factory=RoleDefaults)

    def as_data(self) -> dict[str, Any]:
        """The keys a program is pre-filled from (the same as an organisation playbook's)."""
        return {
            "format": str(self.format),
            "description": self.description,
            "goals": self.goals,
            "key_areas": list(self.key_areas),
            "cadence_weeks": self.cadence_weeks,
            "session_minutes": self.session_minutes,
            "confidentiality_guidelines": self.confidentiality_guidelines,
            "mentees_per_mentor": self.mentees_per_mentor,
            "circle_min_size": self.circle_min_size,
            "circle_max_size": self.circle_max_size,
            "min_level_gap": self.min_level_gap,
            "eligibility": {"mentor": self.mentor.as_data(), "mentee": self.mentee.as_data()},
        }


BUILTIN_PLAYBOOKS: tuple[BuiltinPlaybook, ...] = (
    BuiltinPlaybook(
        key="reverse-digital",
        name="Reverse mentoring for digital transformation",
        summary="Junior digital natives mentor senior leaders on tools, AI and new customers.",
        format=Format.REVERSE,
        description=(
            "Junior colleagues who live with today's digital tools, social platforms and AI "
            "mentor senior leaders one to one. Leaders gain first-hand understanding of how "
            "work, customers and technology are changing; mentors gain visibility, confidence "
            "and a view of how decisions are made."
        ),
        goals=(
            "Leaders use at least one new digital or AI tool in their own work.\n"
            "Leaders understand how younger customers discover, choose and talk about products.\n"
            "Mentors practise explaining, influencing and giving feedback upwards."
        ),
        key_areas=(
            "Digital collaboration tools",
            "Generative AI",
            "AI tools at work",
            "Social media",
            "Gen Z consumer insight",
        ),
        cadence_weeks=2,
        session_minutes=45,
        confidentiality_guidelines=_CONFIDENTIALITY_REVERSE,
        min_level_gap=3,
        mentor=RoleDefaults(min_level=1, max_level=3),
        mentee=RoleDefaults(min_level=6, max_level=8),
    ),
    BuiltinPlaybook(
        key="reverse-inclusion",
        name="Reverse mentoring for inclusive leadership",
        summary="Colleagues from under-represented groups help leaders see what they miss.",
        format=Format.REVERSE,
        description=(
            "Employees from under-represented groups — for example members of LGBTQ+, ethnic "
            "minority, disability or women's networks — mentor senior leaders on what it is like "
            "to work here from where they stand. Leaders learn about barriers they do not see; "
            "the organisation hears perspectives that rarely reach the top."
        ),
        goals=(
            "Leaders understand barriers under-represented colleagues meet, in their words.\n"
            "Each leader commits to one concrete change in how they lead or decide.\n"
            "Mentors are heard at senior level and see their perspective acted on."
        ),
        key_areas=(
            "Inclusive leadership",
            "Diversity, equity and inclusion",
            "Allyship",
            "Cross-cultural communication",
            "Feedback culture",
        ),
        cadence_weeks=3,
        session_minutes=60,
        confidentiality_guidelines=_CONFIDENTIALITY_INCLUSION,
        min_level_gap=2,
        mentor=RoleDefaults(min_level=1, max_level=4),
        mentee=RoleDefaults(min_level=6, max_level=8),
    ),
    BuiltinPlaybook(
        key="group-circle",
        name="Group mentoring circle",
        summary="One or two experienced mentors with a circle of mentees, on a schedule.",
        format=Format.CIRCLE,
        description=(
            "An experienced mentor (or two) meets a small circle of mentees on a regular "
            "schedule. Mentees learn from the mentor and from each other, and build a network "
            "across teams; one mentor reaches several people."
        ),
        goals=(
            "Each mentee sets a development goal in the first session and reviews it at the end.\n"
            "The circle builds a peer network that outlasts the program."
        ),
        key_areas=("Leadership", "Career development", "Stakeholder management", "Coaching"),
        cadence_weeks=2,
        session_minutes=60,
        confidentiality_guidelines=_CONFIDENTIALITY_CIRCLE,
        circle_min_size=4,
        circle_max_size=8,
        min_level_gap=0,
        mentor=RoleDefaults(min_level=5, max_level=8, min_tenure_months=24),
        mentee=RoleDefaults(min_level=1, max_level=4),
    ),
    BuiltinPlaybook(
        key="multigenerational-circle",
        name="Multigenerational circle",
        summary="Mixed-generation circles where everyone teaches and everyone learns.",
        format=Format.MULTIGENERATIONAL,
        description=(
            "Circles that deliberately mix generations and levels: each member brings something "
            "to teach and something to learn. Reverse and classic mentoring happen in the same "
            "room, which breaks down hierarchy and builds understanding across generations."
        ),
        goals=(
            "Every member both teaches and learns at least one topic.\n"
            "Members build working relationships across generations and levels."
        ),
        key_areas=(
            "Hybrid team rituals",
            "AI tools at work",
            "Emerging trends",
            "Leadership",
            "Wellbeing and boundaries",
        ),
        cadence_weeks=3,
        session_minutes=75,
        confidentiality_guidelines=_CONFIDENTIALITY_MULTIGENERATIONAL,
        circle_min_size=5,
        circle_max_size=8,
        min_level_gap=0,
    ),
    BuiltinPlaybook(
        key="classic-1-1",
        name="Classic 1:1 mentoring",
        summary="An experienced colleague mentors a less experienced one, one to one.",
        format=Format.CLASSIC,
        description=(
            "An experienced colleague mentors a less experienced one on their career, skills and "
            "ways of working, one to one, outside the reporting line."
        ),
        goals=(
            "Each mentee agrees two or three development goals with their mentor at kickoff.\n"
            "Mentees widen their network beyond their own team."
        ),
        key_areas=("Career development", "Leadership", "Stakeholder management"),
        cadence_weeks=4,
        session_minutes=60,
        confidentiality_guidelines=_CONFIDENTIALITY_CLASSIC,
        mentees_per_mentor=2,
        min_level_gap=0,
        mentor=RoleDefaults(min_level=4, min_tenure_months=12),
        mentee=RoleDefaults(max_level=5),
    ),
)

BUILTIN_BY_KEY: dict[str, BuiltinPlaybook] = {p.key: p for p in BUILTIN_PLAYBOOKS}

CUSTOM_PREFIX = "custom:"  # ``Program.playbook_key`` of a program made from an organisation's own


def builtin_get(key: str) -> BuiltinPlaybook | None:
    return BUILTIN_BY_KEY.get(key)
