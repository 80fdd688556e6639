"""A realistic, deterministic people directory for demos, tests and benchmarks — no Django import.

``generate_people`` returns rows in the directory file format (``twoway.people.columns``), so
they feed the importer directly and ``write_csv`` turns them into a file any HRIS-import screen
accepts. The organisation it draws:

* one CEO (level 8), a department head (level 7) for each of 6 to 8 departments, then a pyramid
  down to individual contributors, most of them at levels 1 to 3; every manager is at a higher
  level than each of their reports and, below the CEO, in the same department; spans of
  control are 4 to 10 except in very small teams;
* rows are in breadth-first order, so every manager comes before their reports;
* locations around the world with their IANA time zones and languages;
* skills skewed as in real organisations, which is what reverse mentoring feeds on: juniors are
  richer in digital topics (social media, generative AI, Gen Z consumer insight…) and want to
  learn leadership and career skills; seniors the other way round.

The same ``seed`` always gives the same rows (the dates do not depend on today), and the work is
linear in ``size``: 100,000 people take a few seconds.
"""

from __future__ import annotations

import csv
import datetime as dt
import itertools
import math
import random
import unicodedata
from collections import deque
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from twoway.people.columns import COLUMNS, LIST_SEPARATOR
from twoway.people.taxonomy import DEFAULT_LEVELS, STARTER_TOPICS

# Hire dates end here rather than today so that a seed gives the same rows on any day.
HIRE_DATES_END = dt.date(2025, 6, 30)
HIRE_YEARS = 20

LEVEL_LABELS = dict(DEFAULT_LEVELS)
EXECUTIVE_LEVEL = 8
HEAD_LEVEL = 7
JUNIOR_LEVELS = frozenset({1, 2, 3})
SENIOR_LEVELS = frozenset({6, 7, 8})
MAX_FLAT_TEAM = 10  # a manager with at most this many people below them manages them directly
TEAM_SIZE = 8  # the people a first-line manager typically has
MIN_TEAM = 4

# --- Topics -------------------------------------------------------------------------------

_CULTURE = STARTER_TOPICS["Customers and culture"]
_WAYS = STARTER_TOPICS["Ways of working"]

DIGITAL_TOPICS: tuple[str, ...] = (
    *STARTER_TOPICS["Digital tools"],
    *STARTER_TOPICS["Social media"],
    *STARTER_TOPICS["AI"],
    *(t for t in _CULTURE if t.startswith("Gen Z") or t.startswith(("Mobile", "Gaming"))),
    *(t for t in _WAYS if t in {"Remote work", "Hybrid team rituals"}),
)
LEADERSHIP_TOPICS: tuple[str, ...] = (
    *(t for t in STARTER_TOPICS["Leadership and strategy"] if t != "Career development"),
    "Inclusive leadership",
    "P&L management",  # not in the starter taxonomy: imported as a free tag
)
CAREER_TOPICS: tuple[str, ...] = ("Career development", "Public speaking", "Executive presence")
OTHER_TOPICS: tuple[str, ...] = (
    *(t for t in STARTER_TOPICS["Inclusion"] if t != "Inclusive leadership"),
    *(t for t in _WAYS if t not in {"Remote work", "Hybrid team rituals"}),
    "Sustainability and purpose",
    "Emerging trends",
)

INTERESTS: tuple[str, ...] = (
    "Cycling", "Photography", "Jazz", "Cooking", "Chess", "Hiking", "Volunteering", "Running",
    "Yoga", "Gardening", "Board games", "Climbing", "Football", "Cricket", "Podcasts",
    "Baking", "Painting", "Film", "Travel", "Reading", "Swimming", "Piano", "Guitar",
    "Birdwatching", "Sailing", "Pottery", "Tennis", "Video games", "Poetry", "Mentoring youth",
    "Theatre", "Dance",
)  # fmt: skip

# --- Departments ------------------------------------------------------------------------


@dataclass(frozen=True)
class _Department:
    name: str
    weight: float  # share of the headcount
    teams: tuple[str, ...]  # unique across departments: a team name is unique per organisation
    roles: tuple[str, ...]  # individual-contributor job titles
    skills: tuple[str, ...]  # the craft of the department


DEPARTMENTS: tuple[_Department, ...] = (
    _Department(
        "Engineering",
        0.27,
        ("Platform", "Mobile", "Data", "Security", "Web", "Infrastructure", "Developer Experience"),
        ("Software Engineer", "Data Engineer", "QA Engineer", "Site Reliability Engineer"),
        ("Python", "Cloud architecture", "Data engineering", "System design", "Testing"),
    ),
    _Department(
        "Sales",
        0.19,
        ("Enterprise Sales", "Mid-Market Sales", "Sales Development", "Partnerships"),
        ("Account Executive", "Sales Representative", "Account Manager"),
        ("Enterprise sales", "Account planning", "Negotiation", "CRM hygiene"),
    ),
    _Department(
        "Operations",
        0.15,
        ("Supply Chain", "Logistics", "Facilities", "Customer Support", "Procurement"),
        ("Operations Analyst", "Supply Chain Specialist", "Support Specialist"),
        ("Supply chain", "Process improvement", "Vendor management", "Lean"),
    ),
    _Department(
        "Marketing",
        0.11,
        ("Brand", "Growth", "Content", "Events", "Marketing Analytics"),
        ("Marketing Specialist", "Content Strategist", "Social Media Specialist"),
        ("Brand strategy", "SEO", "Campaign planning", "Copywriting"),
    ),
    _Department(
        "Finance",
        0.08,
        ("Financial Planning", "Accounting", "Tax", "Treasury"),
        ("Financial Analyst", "Accountant", "Payroll Specialist"),
        ("Financial modelling", "Budgeting", "Financial acumen", "Audit"),
    ),
    _Department(
        "People",
        0.07,
        ("Talent Acquisition", "People Partners", "Learning and Development", "Total Rewards"),
        ("HR Business Partner", "Talent Partner", "Learning Specialist"),
        ("Talent acquisition", "Employee relations", "Coaching", "Change management"),
    ),
    _Department(
        "Product",
        0.08,
        ("Product Management", "Design", "User Research", "Product Operations"),
        ("Product Manager", "Product Designer", "UX Researcher"),
        ("Product discovery", "UX research", "Roadmapping", "Prototyping"),
    ),
    _Department(
        "Legal",
        0.05,
        ("Commercial Legal", "Compliance", "Privacy"),
        ("Legal Counsel", "Paralegal", "Compliance Analyst"),
        ("Contract law", "Data protection", "Regulatory compliance"),
    ),
)
EXECUTIVE_DEPARTMENT = "Executive Office"
EXECUTIVE_TEAM = "Leadership Team"
HEAD_TITLES = {
    "Engineering": "Chief Technology Officer",
    "Sales": "Chief Revenue Officer",
    "Operations": "Chief Operating Officer",
    "Marketing": "Chief Marketing Officer",
    "Finance": "Chief Financial Officer",
    "People": "Chief People Officer",
    "Product": "Chief Product Officer",
    "Legal": "General Counsel",
}

# --- Names, places, languages -------------------------------------------------------------

# pool → (first names, last names, heritage language codes)
NAME_POOLS: dict[str, tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]] = {
    "anglo": (
        ("Oliver", "Amelia", "Harry", "Isla", "George", "Olivia", "Jack", "Emily", "Noah",
         "Charlotte", "James", "Grace", "Liam", "Ava", "Ethan", "Chloe", "Mason", "Ruby"),
        ("Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Johnson", "Davies",
         "Robinson", "Wright", "Thompson", "Evans", "Walker", "Hughes", "Clarke", "Murphy"),
        (),
    ),
    "german": (
        ("Lukas", "Hannah", "Leon", "Lea", "Felix", "Anna", "Jonas", "Lena", "Maximilian",
         "Marie", "Paul", "Johanna", "Finn", "Clara"),
        ("Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker",
         "Schulz", "Hoffmann", "Koch", "Richter"),
        ("de",),
    ),
    "indian": (
        ("Aarav", "Ananya", "Vivaan", "Diya", "Aditya", "Priya", "Arjun", "Kavya", "Rohan",
         "Isha", "Karthik", "Lakshmi", "Rahul", "Sneha", "Meera", "Vikram"),
        ("Sharma", "Patel", "Iyer", "Reddy", "Nair", "Gupta", "Singh", "Rao", "Menon", "Kumar",
         "Joshi", "Mehta", "Pillai"),
        ("hi", "ta", "kn", "te", "mr"),
    ),
    "chinese": (
        ("Wei", "Mei Ling", "Jun Jie", "Hui Min", "Zhi Hao", "Xin Yi", "Kai", "Li Na", "Ming",
         "Jia Hui"),
        ("Tan", "Lim", "Lee", "Ng", "Ong", "Wong", "Goh", "Chua", "Chan", "Koh", "Teo"),
        ("zh-hans",),
    ),
    "malay": (
        ("Nur Aisyah", "Haziq", "Siti", "Farah", "Amir", "Aziz", "Hafiz", "Aina"),
        ("Rahman", "Abdullah", "Ismail", "Hassan", "Ibrahim", "Yusof"),
        ("ms",),
    ),
    "brazilian": (
        ("João", "Maria", "Pedro", "Ana", "Lucas", "Beatriz", "Gabriel", "Júlia", "Rafael",
         "Larissa", "Mateus", "Camila"),
        ("Silva", "Santos", "Oliveira", "Souza", "Lima", "Pereira", "Costa", "Ferreira",
         "Almeida", "Carvalho", "Rodrigues", "Gomes"),
        ("pt-br",),
    ),
    "french": (
        ("Léa", "Gabriel", "Chloé", "Louis", "Camille", "Hugo", "Manon", "Jules", "Inès", "Théo",
         "Élodie", "Antoine"),
        ("Martin", "Bernard", "Dubois", "Tremblay", "Gagnon", "Roy", "Côté", "Lefebvre", "Moreau",
         "Laurent"),
        ("fr",),
    ),
    "hispanic": (
        ("Sofía", "Mateo", "Valentina", "Santiago", "Lucía", "Diego", "Alejandro", "Isabella",
         "Daniel", "Carmen"),
        ("García", "Rodríguez", "Martínez", "Hernández", "López", "González", "Pérez", "Sánchez",
         "Ramírez", "Torres"),
        ("es",),
    ),
    "west_african": (
        ("Chiamaka", "Oluwaseun", "Adaeze", "Emeka", "Ngozi", "Tunde", "Amara", "Kwame", "Abena",
         "Kofi", "Folake", "Chidi"),
        ("Okafor", "Adeyemi", "Okonkwo", "Balogun", "Eze", "Mensah", "Owusu", "Nwosu", "Adebayo"),
        ("ig",),
    ),
    "east_asian": (
        ("Yuki", "Haruto", "Sakura", "Ren", "Min-jun", "Seo-yeon", "Ji-ho", "Aiko", "Hina"),
        ("Sato", "Suzuki", "Takahashi", "Tanaka", "Watanabe", "Kim", "Park", "Choi", "Jung"),
        ("ja", "ko"),
    ),
    "arabic": (
        ("Omar", "Layla", "Youssef", "Fatima", "Karim", "Nour", "Rania", "Yasmin", "Tariq"),
        ("Haddad", "Khalil", "Mansour", "Nasser", "Saleh", "Farouk", "Aziz"),
        ("ar",),
    ),
    "polish": (
        ("Jakub", "Zuzanna", "Kacper", "Julia", "Piotr", "Agnieszka", "Tomasz", "Marta"),
        ("Nowak", "Kowalczyk", "Mazur", "Krawczyk", "Zając", "Wróbel"),
        ("pl",),
    ),
}  # fmt: skip
_POOL_NAMES = tuple(NAME_POOLS)
OTHER_LANGUAGES = ("es", "fr", "de", "it", "ja", "ar", "pt", "nl", "sw", "tr")


@dataclass(frozen=True)
class _Location:
    name: str
    time_zone: str
    weight: float
    languages: tuple[str, ...]  # local languages besides English
    pools: tuple[tuple[str, float], ...]  # name pools and their weights


LOCATIONS: tuple[_Location, ...] = (
    _Location(
        "London",
        "Europe/London",
        0.24,
        (),
        (("anglo", 5), ("indian", 1.5), ("west_african", 1), ("polish", 0.7), ("arabic", 0.5)),
    ),
    _Location(
        "New York",
        "America/New_York",
        0.18,
        ("es",),
        (("anglo", 5), ("hispanic", 2), ("west_african", 0.8), ("chinese", 0.7)),
    ),
    _Location("Berlin", "Europe/Berlin", 0.11, ("de",), (("german", 6), ("polish", 1))),
    _Location("Bangalore", "Asia/Kolkata", 0.14, ("kn", "hi"), (("indian", 1),)),
    _Location(
        "Singapore", "Asia/Singapore", 0.08, ("zh-hans", "ms"), (("chinese", 4), ("malay", 1.5))
    ),
    _Location("São Paulo", "America/Sao_Paulo", 0.08, ("pt-br",), (("brazilian", 1),)),
    _Location(
        "Toronto", "America/Toronto", 0.07, ("fr",), (("anglo", 3), ("french", 2), ("chinese", 1))
    ),
    _Location("Paris", "Europe/Paris", 0.05, ("fr",), (("french", 4), ("arabic", 1))),
    _Location("Tokyo", "Asia/Tokyo", 0.05, ("ja",), (("east_asian", 1),)),
)
HEADQUARTERS = LOCATIONS[0]
STAY_WITH_MANAGER = 0.7  # chance a report sits in their manager's office


def _cumulative(weights: Iterable[float]) -> list[float]:
    return list(itertools.accumulate(weights))


_LOCATION_CUM = _cumulative(loc.weight for loc in LOCATIONS)
_POOL_CUM = {loc.name: _cumulative(w for _, w in loc.pools) for loc in LOCATIONS}
# Individual contributors (the leaves of the tree) are mostly juniors.
_LEAF_LEVELS = (1, 2, 3, 4, 5)
_LEAF_LEVEL_CUM = _cumulative((0.36, 0.33, 0.22, 0.06, 0.03))

# What people can share / want to learn, by seniority: (pool, weight) pairs.
_JUNIOR, _MIDDLE, _SENIOR = "junior", "middle", "senior"
_DOMAIN = "domain"  # the department's own craft
_SKILL_MIX = {
    _JUNIOR: (
        (DIGITAL_TOPICS, 0.6), (_DOMAIN, 0.3), (LEADERSHIP_TOPICS, 0.04), (OTHER_TOPICS, 0.06)
    ),
    _MIDDLE: (
        (DIGITAL_TOPICS, 0.25), (_DOMAIN, 0.35), (LEADERSHIP_TOPICS, 0.3), (OTHER_TOPICS, 0.1)
    ),
    _SENIOR: (
        (DIGITAL_TOPICS, 0.06), (_DOMAIN, 0.22), (LEADERSHIP_TOPICS, 0.62), (OTHER_TOPICS, 0.1)
    ),
}  # fmt: skip
_LEARNING_MIX = {
    _JUNIOR: (
        (LEADERSHIP_TOPICS, 0.4), (CAREER_TOPICS, 0.25), (_DOMAIN, 0.25), (DIGITAL_TOPICS, 0.1)
    ),
    _MIDDLE: (
        (LEADERSHIP_TOPICS, 0.35), (DIGITAL_TOPICS, 0.35), (_DOMAIN, 0.15), (OTHER_TOPICS, 0.15)
    ),
    _SENIOR: ((DIGITAL_TOPICS, 0.7), (OTHER_TOPICS, 0.2), (LEADERSHIP_TOPICS, 0.1)),
}  # fmt: skip


def _band(level: int) -> str:
    if level in JUNIOR_LEVELS:
        return _JUNIOR
    return _SENIOR if level in SENIOR_LEVELS else _MIDDLE


# --- The organisation's shape ---------------------------------------------------------------


@dataclass
class _Shape:
    """The tree, as parallel lists indexed by row (breadth-first order)."""

    manager: list[int]  # -1 for the CEO
    level: list[int]
    department: list[int]  # index into DEPARTMENTS, -1 for the executive office
    team: list[str]
    reports: list[int]  # number of direct reports


def _split(rng: random.Random, total: int, weights: Sequence[float]) -> list[int]:
    """``total`` split into ``len(weights)`` whole parts, roughly in proportion, with jitter."""
    if not weights:
        return []
    jittered = [w * rng.uniform(0.6, 1.4) for w in weights]
    scale = total / sum(jittered)
    parts = [int(w * scale) for w in jittered]
    for i in range(total - sum(parts)):
        parts[i % len(parts)] += 1
    return parts


def _shape(rng: random.Random, size: int) -> _Shape:
    shape = _Shape(manager=[-1], level=[EXECUTIVE_LEVEL], department=[-1], team=[EXECUTIVE_TEAM],
                   reports=[0])  # fmt: skip
    if size == 1:
        return shape
    department_count = min(rng.randint(6, len(DEPARTMENTS)), size - 1)
    departments = list(range(department_count))
    below_heads = _split(
        rng, size - 1 - department_count, [DEPARTMENTS[d].weight for d in departments]
    )
    team_cursor = dict.fromkeys(departments, 0)
    pending: deque[tuple[int, int]] = deque()  # (row, people below it still to place)

    def add(manager: int, level: int, department: int, team: str) -> int:
        shape.manager.append(manager)
        shape.level.append(level)
        shape.department.append(department)
        shape.team.append(team)
        shape.reports.append(0)
        shape.reports[manager] += 1
        return len(shape.level) - 1

    def team_below(manager: int) -> str:
        # The head's direct reports each start a team; everyone further down inherits it.
        department = shape.department[manager]
        if shape.level[manager] != HEAD_LEVEL or shape.manager[manager] != 0:
            return shape.team[manager]
        names = DEPARTMENTS[department].teams
        n = team_cursor[department]
        team_cursor[department] = n + 1
        return names[n % len(names)]  # a big department has several groups per team

    for department, budget in zip(departments, below_heads, strict=True):
        head = add(0, HEAD_LEVEL, department, f"{DEPARTMENTS[department].name} Leadership")
        pending.append((head, budget))

    leaf_cum = _LEAF_LEVEL_CUM
    while pending:
        boss, budget = pending.popleft()
        if budget == 0:
            continue
        level = shape.level[boss]
        department = shape.department[boss]
        if budget <= MAX_FLAT_TEAM or level <= 2:
            levels = rng.choices(_LEAF_LEVELS, cum_weights=leaf_cum, k=budget)
            team = team_below(boss)
            for leaf_level in levels:
                add(boss, min(leaf_level, level - 1), department, team)
            continue
        # Wide enough to fit everyone in the levels left below (level 3 still manages a
        # flat team), otherwise 4-10; only some reports run teams of their own, ~8 people each.
        span = max(rng.randint(4, MAX_FLAT_TEAM), math.ceil(budget ** (1 / (level - 2))))
        span = min(span, budget)
        if 0 < budget - span < MIN_TEAM:
            span = budget - MIN_TEAM  # rather than a lead with one or two reports
        rest = budget - span
        leads = min(span, rest // MIN_TEAM, max(1, round(rest / TEAM_SIZE)))
        subtrees = [
            MIN_TEAM + extra for extra in _split(rng, rest - MIN_TEAM * leads, [1.0] * leads)
        ]
        subtrees += [0] * (span - leads)
        for below in subtrees:
            if below > 4 * MAX_FLAT_TEAM:
                child_level = level - 1
            elif below > MAX_FLAT_TEAM:
                child_level = min(5, level - 1)
            elif below:
                child_level = min(4, level - 1)
            else:
                leaf_level = rng.choices(_LEAF_LEVELS, cum_weights=leaf_cum)[0]
                child_level = min(leaf_level, level - 1)
            child = add(boss, child_level, department, team_below(boss))
            if below:
                pending.append((child, below))
    return shape


# --- Rows -----------------------------------------------------------------------------------


def _ascii_slug(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return "".join(c for c in plain.lower() if c.isalnum())


def _job_title(department: int, level: int, manages: bool, team: str, rng: random.Random) -> str:
    if department < 0:
        return "Chief Executive Officer"
    dept = DEPARTMENTS[department]
    if level == HEAD_LEVEL and team.endswith(" Leadership"):
        return HEAD_TITLES[dept.name]
    role = rng.choice(dept.roles)
    if level >= HEAD_LEVEL:
        return f"Director, {team}"
    if level == 6:
        return f"Senior Manager, {team}" if manages else f"Distinguished {role}"
    if level == 5:
        return f"{team} Manager" if manages else f"Principal {role}"
    if level == 4:
        return f"{role} Team Lead" if manages else f"Staff {role}"
    if level == 3:
        return f"Senior {role}"
    return role if level == 2 else f"Associate {role}"


def _hire_date(rng: random.Random, level: int) -> dt.date:
    # Seniors were hired earlier on average; one in ten of anyone is a long-timer.
    if rng.random() < 0.1:
        years = rng.uniform(0, HIRE_YEARS)
    else:
        years = min(HIRE_YEARS, (0.6 + 1.5 * (level - 1)) * rng.uniform(0.3, 1.7))
    return HIRE_DATES_END - dt.timedelta(days=int(years * 365.25))


def _topics(
    rng: random.Random, mix: Sequence[tuple[object, float]], domain: Sequence[str], count: int
) -> list[str]:
    pools = [domain if pool == _DOMAIN else pool for pool, _ in mix]
    cum = _cumulative(w for _, w in mix)
    picked: dict[str, None] = {}
    for pool in rng.choices(pools, cum_weights=cum, k=count):
        picked[rng.choice(pool)] = None  # type: ignore[arg-type]
    return list(picked)


_GENERAL_SKILLS = ("Project management", "Presenting", "Writing", "Customer empathy")


def generate_people(
    *, size: int = 600, seed: int = 42, domain: str = "acme.example"
) -> list[dict[str, str]]:
    """``size`` people of one organisation, as directory rows (see the module docstring)."""
    if size < 1:
        raise ValueError("size must be at least 1")
    rng = random.Random(seed)
    shape = _shape(rng, size)

    # Employee numbers follow hire dates, as they do in most HR systems.
    hire_dates = [_hire_date(rng, level) for level in shape.level]
    order = sorted(range(size), key=lambda i: (hire_dates[i], i))
    numbers = [0] * size
    for number, i in enumerate(order, start=1):
        numbers[i] = number
    width = max(6, len(str(size)))
    employee_ids = [f"E{n:0{width}d}" for n in numbers]

    locations: list[_Location] = []
    rows: list[dict[str, str]] = []
    for i in range(size):
        manager = shape.manager[i]
        level = shape.level[i]
        department = shape.department[i]
        if manager < 0:
            location = HEADQUARTERS
        elif rng.random() < STAY_WITH_MANAGER:
            location = locations[manager]
        else:
            location = rng.choices(LOCATIONS, cum_weights=_LOCATION_CUM)[0]
        locations.append(location)

        if rng.random() < 0.75:
            pool = rng.choices(location.pools, cum_weights=_POOL_CUM[location.name])[0][0]
        else:
            pool = rng.choice(_POOL_NAMES)
        first_names, last_names, heritage = NAME_POOLS[pool]
        first, last = rng.choice(first_names), rng.choice(last_names)

        languages = ["en"]
        if location.languages and rng.random() < 0.8:
            languages.append(rng.choice(location.languages))
        if heritage and rng.random() < 0.6:
            languages.append(rng.choice(heritage))
        if rng.random() < 0.12:
            languages.append(rng.choice(OTHER_LANGUAGES))
        languages = list(dict.fromkeys(languages))

        band = _band(level)
        craft = DEPARTMENTS[department].skills if department >= 0 else _GENERAL_SKILLS
        skills = _topics(rng, _SKILL_MIX[band], craft, rng.randint(2, 5))
        learning = [
            t
            for t in _topics(rng, _LEARNING_MIX[band], craft, rng.randint(2, 4))
            if t not in skills
        ]
        interests = rng.sample(INTERESTS, rng.randint(1, 4))

        rows.append(
            {
                "employee_id": employee_ids[i],
                "first_name": first,
                "last_name": last,
                "email": f"{_ascii_slug(first)}.{_ascii_slug(last)}.{numbers[i]}@{domain}",
                "job_title": _job_title(
                    department, level, shape.reports[i] > 0, shape.team[i], rng
                ),
                "level": str(level),
                "department": (
                    DEPARTMENTS[department].name if department >= 0 else EXECUTIVE_DEPARTMENT
                ),
                "team": shape.team[i],
                "manager_employee_id": employee_ids[manager] if manager >= 0 else "",
                "location": location.name,
                "time_zone": location.time_zone,
                "hire_date": hire_dates[i].isoformat(),
                "languages": LIST_SEPARATOR.join(languages),
                "skills": LIST_SEPARATOR.join(skills),
                "learning_topics": LIST_SEPARATOR.join(learning),
                "interests": LIST_SEPARATOR.join(interests),
            }
        )
    return rows


def write_csv(rows: Iterable[Mapping[str, str]], path_or_file: str | Path | IO[str]) -> None:
    """Write ``rows`` as a UTF-8 CSV file with the canonical header, in canonical order."""
    if isinstance(path_or_file, str | Path):
        with open(path_or_file, "w", encoding="utf-8", newline="") as file:
            _write(rows, file)
    else:
        _write(rows, path_or_file)


def _write(rows: Iterable[Mapping[str, str]], file: IO[str]) -> None:
    writer = csv.DictWriter(file, fieldnames=list(COLUMNS), extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
