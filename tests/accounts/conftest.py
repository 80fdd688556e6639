from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def empty_cache() -> Iterator[None]:
    """allauth keeps rate-limit counters and used TOTP codes in the cache; each test starts and
    ends with none, so one test's failed logins never lock out the next."""
    cache.clear()
    yield
    cache.clear()
