"""The built-in agenda library: session plans every organisation gets, kept in code.

Each suits some program formats; a session's choice lists the ones suiting its program first,
then the organisation's own templates, then the program's (``AgendaTemplate`` rows).
"""

from __future__ import annotations

from dataclasses import dataclass

from twoway.programs.models import Format


@dataclass(frozen=True)
class BuiltinAgenda:
    key: str
    name: str
    description: str
    formats: frozenset[str]
    items: tuple[str, ...]


ALL_FORMATS = frozenset(Format.values)
ONE_TO_ONE = frozenset({Format.REVERSE, Format.CLASSIC})
CIRCLES = frozenset({Format.CIRCLE, Format.MULTIGENERATIONAL})

BUILTIN_AGENDAS: tuple[BuiltinAgenda, ...] = (
    BuiltinAgenda(
        key="kickoff",
        name="Kickoff",
        description="Get to know each other and agree how you will work together.",
        formats=ALL_FORMATS,
        items=(
            "Introductions: role, background and one thing outside work",
            "What each of us wants to learn and can offer",
            "Agree the rhythm, length and place of our sessions",
            "Agree what stays confidential between us",
            "Pick one first goal each",
            "Schedule the next session",
        ),
    ),
    BuiltinAgenda(
        key="digital_world",
        name="Show me your digital world",
        description="The junior mentor walks the leader through the tools and habits they use.",
        formats=frozenset({Format.REVERSE, Format.MULTIGENERATIONAL}),
        items=(
            "The apps and channels you use every day, and why",
            "Live walkthrough of one tool the leader does not use yet",
            "How your generation finds news, products and employers",
            "The leader tries it hands-on while the mentor watches",
            "One small experiment for the leader before next time",
        ),
    ),
    BuiltinAgenda(
        key="reverse_feedback",
        name="Reverse feedback",
        description="The junior mentor gives the leader honest feedback on how they come across.",
        formats=frozenset({Format.REVERSE, Format.MULTIGENERATIONAL}),
        items=(
            "Restate the confidentiality agreement before starting",
            "The leader names one situation they want feedback on",
            "The mentor shares what they observed, with concrete examples",
            "How decisions and messages land with junior colleagues",
            "The leader reflects back what they heard, without defending",
            "Agree one change to try and how to tell whether it worked",
        ),
    ),
    BuiltinAgenda(
        key="skill_demo",
        name="Skill demo",
        description="One member demonstrates a skill; the others practise it right away.",
        formats=ALL_FORMATS,
        items=(
            "Why this skill matters for the learner's work",
            "Demonstration by the member who knows it",
            "The learner practises on a real task",
            "Questions and common pitfalls",
            "Resources to keep practising",
        ),
    ),
    BuiltinAgenda(
        key="round_table",
        name="Circle round-table",
        description="Each member of the circle brings a question; the circle works on them.",
        formats=CIRCLES,
        items=(
            "Check-in: one word each on how you arrive",
            "Each member shares a current challenge in two minutes",
            "Choose two challenges to work on together",
            "The circle asks questions before giving any advice",
            "Each member names one takeaway",
            "Who hosts and what we cover next time",
        ),
    ),
    BuiltinAgenda(
        key="retrospective",
        name="Mid-point retrospective",
        description="Halfway through: what works, what does not, and what to change.",
        formats=ALL_FORMATS,
        items=(
            "Review the goals set at kickoff and their progress",
            "What has worked well in our sessions",
            "What has not worked, said plainly",
            "Is the rhythm still right for everyone?",
            "Adjust goals or the agreement where needed",
        ),
    ),
    BuiltinAgenda(
        key="closing",
        name="Closing",
        description="Look back on what each of you learned and decide what happens next.",
        formats=ALL_FORMATS,
        items=(
            "What each of us learned, in our own words",
            "The goals we reached and the ones we did not",
            "Moments that made a difference",
            "Thank-yous and feedback on the mentorship itself",
            "How we stay in touch, if we want to",
        ),
    ),
)

BUILTIN_BY_KEY = {agenda.key: agenda for agenda in BUILTIN_AGENDAS}


def builtins_for_format(format: str) -> list[BuiltinAgenda]:
    return [agenda for agenda in BUILTIN_AGENDAS if format in agenda.formats]
