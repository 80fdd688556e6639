"""The directory's file format: canonical column names and the HRIS headers they accept.

Import (``importing.py``), export and the demo generator all speak this format, so a file
exported from Twoway or built by ``twoway demo`` imports unchanged.
"""

from __future__ import annotations

LIST_SEPARATOR = ";"

# Canonical column → lower-cased header aliases seen in common HRIS exports.
COLUMNS: dict[str, tuple[str, ...]] = {
    "employee_id": ("employee id", "employee_id", "employee number", "emp id", "worker id", "id"),
    "first_name": ("first name", "first_name", "given name", "forename", "preferred name"),
    "last_name": ("last name", "last_name", "surname", "family name"),
    "email": ("email", "work email", "email address", "e-mail"),
    "job_title": ("job title", "job_title", "title", "position"),
    "level": ("level", "grade", "job level", "band"),
    "department": ("department", "dept", "division", "function"),
    "team": ("team", "unit", "group"),
    "manager_employee_id": (
        "manager employee id",
        "manager_employee_id",
        "manager id",
        "supervisor id",
        "reports to",
        "line manager id",
    ),
    "location": ("location", "office", "site", "city"),
    "time_zone": ("time zone", "time_zone", "timezone", "tz"),
    "hire_date": ("hire date", "hire_date", "start date", "date of hire"),
    "languages": ("languages", "language", "spoken languages"),
    "skills": ("skills", "skills to share", "can share", "expertise"),
    "learning_topics": ("learning topics", "learning_topics", "wants to learn", "topics to learn"),
    "interests": ("interests", "hobbies", "interests beyond work"),
}

REQUIRED_COLUMNS = ("employee_id", "first_name")
LIST_COLUMNS = ("languages", "skills", "learning_topics", "interests")
