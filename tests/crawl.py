"""Crawling the whole project for canary tests: every GET route, as a given user.

The routes are found by walking the URL configuration, so a page added later is covered without
being listed; a route is requested with every combination of the values the test knows for its
arguments (by argument name) and skipped when one is unknown. The ``log_lines`` fixture
(tests/conftest.py) captures every log record emitted meanwhile.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator

from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from twoway.accounts.models import User

# Route prefixes not crawled: allauth's and the admin's own pages (canary tests assert that no
# content is registered in the admin) and static files.
SKIPPED_PREFIXES = ("accounts/", "admin/", "static/", "media/")


def routes(patterns: list | None = None, prefix: str = "") -> Iterator[str]:
    """Every path-style route of the project, as its route string."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            yield from routes(pattern.url_patterns, route)
        elif isinstance(pattern, URLPattern):
            yield route


def fill(route: str, values: dict[str, list[str]]) -> list[str]:
    """The URLs a route makes with the known values of its arguments; none if an argument is
    unknown or the route is a regular expression."""
    if route.startswith(SKIPPED_PREFIXES) or "^" in route or "(?" in route:
        return []
    names = re.findall(r"<(?:\w+:)?(\w+)>", route)
    if any(name not in values for name in names):
        return []
    urls = []
    for combo in itertools.product(*(values[name] for name in names)):
        url = route
        for name, value in zip(names, combo, strict=True):
            url = re.sub(rf"<(?:\w+:)?{name}>", value, url, count=1)
        urls.append("/" + url)
    return urls


def crawl(values: dict[str, list[str]], user: User | None) -> dict[str, str]:
    """Every reachable GET answer of the project as ``user``: {url: body}."""
    client = Client(raise_request_exception=False)
    if user is not None:
        client.force_login(user)
    seen: dict[str, str] = {}
    for route in routes():
        for url in fill(route, values):
            response = client.get(url)
            assert response.status_code != 500, f"{url} failed for {user}"
            if hasattr(response, "streaming_content"):
                body = b"".join(response.streaming_content).decode(errors="replace")
            else:
                body = response.content.decode(errors="replace")
            seen[url] = body
    return seen


def leaks(seen: dict[str, str], tokens: tuple[str, ...]) -> list[tuple[str, str]]:
    return [(url, token) for url, body in seen.items() for token in tokens if token in body]
