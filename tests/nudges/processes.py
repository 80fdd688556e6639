"""Running real ``manage.py`` processes against the test database (PostgreSQL only: SQLite's
test database is not one a second process can share)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]

postgresql_only = pytest.mark.skipif(
    "sqlite" in settings.DATABASES["default"]["ENGINE"],
    reason="needs the test database on PostgreSQL, where other processes can connect to it",
)


def database_url() -> str:
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return (
        f"postgres://{db['USER']}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"
        f"/{db['NAME']}"
    )


def process_env(**extra: str) -> dict[str, str]:
    """The environment of a ``manage.py`` process on the test database, with the console email
    backend (each email is printed) and without the test profile's immediate tasks."""
    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "TWOWAY_ENV": "development",
        "DJANGO_SETTINGS_MODULE": "twoway.settings",
        "EMAIL_URL": "",
        **extra,
    }
    if "TWOWAY_TASKS_IMMEDIATE" not in extra:
        env.pop("TWOWAY_TASKS_IMMEDIATE", None)
    return env
