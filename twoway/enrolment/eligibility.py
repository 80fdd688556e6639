"""Who may apply to a program in which role, as a pure function with reasons in plain words.

The rules come from the program's ``EligibilityRule`` rows (one per role) and are passed in as
plain values, so the function needs no database and the same reasons appear on the application
form, in the API and in the service that refuses an application.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field

ROLE_NOUNS = {"mentor": "mentors", "mentee": "mentees"}


@dataclass(frozen=True)
class RoleRule:
    role: str  # "mentor" or "mentee"
    min_level: int | None = None
    max_level: int | None = None
    min_tenure_months: int | None = None
    departments: Mapping[int, str] = field(default_factory=dict)  # id → name
    included: frozenset[int] = frozenset()  # person ids eligible whatever else is said
    excluded: frozenset[int] = frozenset()  # person ids never eligible


@dataclass(frozen=True)
class Candidate:
    person_id: int
    level: int | None
    hire_date: dt.date | None
    department_id: int | None
    department_name: str = ""


def tenure_months(hire_date: dt.date, today: dt.date) -> int:
    """Whole months from ``hire_date`` to ``today`` (0 before the first month is complete)."""
    months = (today.year - hire_date.year) * 12 + today.month - hire_date.month
    if today.day < hire_date.day:
        months -= 1
    return max(months, 0)


def _months(n: int) -> str:
    return f"{n} month" if n == 1 else f"{n} months"


def role_problems(rule: RoleRule | None, candidate: Candidate, today: dt.date) -> list[str]:
    """Why ``candidate`` may not take ``rule.role``; an empty list means they may."""
    if rule is None:
        return []
    nouns = ROLE_NOUNS.get(rule.role, rule.role + "s")
    if candidate.person_id in rule.excluded:
        return [f"This program does not take you as one of its {nouns}."]
    if candidate.person_id in rule.included:
        return []
    problems: list[str] = []
    level = candidate.level
    your_level = f"your level is {level}" if level is not None else "your level is not recorded"
    if rule.min_level is not None and rule.max_level is not None:
        if level is None or not rule.min_level <= level <= rule.max_level:
            problems.append(
                f"This program asks {nouns} to be between level {rule.min_level} and "
                f"level {rule.max_level}; {your_level}."
            )
    elif rule.max_level is not None:
        if level is None or level > rule.max_level:
            problems.append(
                f"This program asks {nouns} to be at level {rule.max_level} or below; {your_level}."
            )
    elif rule.min_level is not None and (level is None or level < rule.min_level):
        problems.append(
            f"This program asks {nouns} to be at level {rule.min_level} or above; {your_level}."
        )
    if rule.min_tenure_months:
        wanted = f"This program asks {nouns} to have been with the organisation for at least "
        wanted += _months(rule.min_tenure_months)
        if candidate.hire_date is None:
            problems.append(wanted + "; your start date is not recorded.")
        else:
            months = tenure_months(candidate.hire_date, today)
            if months < rule.min_tenure_months:
                problems.append(wanted + f"; you have been here {_months(months)}.")
    if rule.departments and candidate.department_id not in rule.departments:
        names = sorted(rule.departments.values())
        listed = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " or " + names[-1]
        yours = (
            f"your department is {candidate.department_name}"
            if candidate.department_id is not None
            else "your department is not recorded"
        )
        problems.append(f"This program is open to {nouns} from {listed}; {yours}.")
    return problems


def application_problems(
    rules: Mapping[str, RoleRule], candidate: Candidate, role: str, today: dt.date
) -> list[str]:
    """Why ``candidate`` may not apply as ``role`` (mentor, mentee or either). For "either" it is
    enough to qualify for one of the two roles; otherwise the reasons for both are given."""
    if role == "either":
        mentor = role_problems(rules.get("mentor"), candidate, today)
        mentee = role_problems(rules.get("mentee"), candidate, today)
        return [] if not mentor or not mentee else mentor + mentee
    return role_problems(rules.get(role), candidate, today)
