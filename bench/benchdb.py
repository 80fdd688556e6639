"""A throwaway database for a benchmark: a temporary SQLite file, or a scratch database created
beside a PostgreSQL URL and dropped afterwards. Sets the environment Django reads, so call it
before ``django.setup()``."""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


@contextmanager
def bench_database(database_url: str = "", **environment: str) -> Iterator[str]:
    """Yield the engine's name ("SQLite" or "PostgreSQL") with DATABASE_URL pointing at a fresh,
    empty database; remove it afterwards."""
    scratch = ""
    if database_url.startswith("postgres"):
        import psycopg

        scratch = f"twoway_bench_{os.getpid()}"
        with psycopg.connect(database_url, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{scratch}"')
        url = urlunsplit(urlsplit(database_url)._replace(path=f"/{scratch}"))
        engine = "PostgreSQL"
    else:
        url = f"sqlite:///{Path(tempfile.mkdtemp(prefix='twoway-bench-')) / 'bench.sqlite3'}"
        engine = "SQLite"
    os.environ.update(
        DATABASE_URL=url,
        TWOWAY_ENV="development",
        DEBUG="false",  # no query log kept in memory
        DJANGO_SETTINGS_MODULE="twoway.settings",
        **environment,
    )
    try:
        yield engine
    finally:
        if scratch:
            import psycopg
            from django.db import connections

            connections.close_all()
            with psycopg.connect(database_url, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{scratch}" WITH (FORCE)')
