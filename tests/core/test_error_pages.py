"""A missing or foreign page answers with our own page, which says no more than "not found"."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.django_db


def same_page(a: str, b: str) -> bool:
    """Equal but for the CSRF token, which is masked afresh on every render."""
    token = re.compile(r'("X-CSRFToken": "|name="csrfmiddlewaretoken" value=")[^"]*"')
    return token.sub("", a) == token.sub("", b)


def test_a_foreign_organisation_and_a_missing_one_get_the_same_page(client, actors):
    client.force_login(actors.outsider)
    foreign = client.get(f"/o/{actors.organisation.slug}/people/")
    missing = client.get("/o/no-such-organisation/people/")

    assert foreign.status_code == missing.status_code == 404
    html = foreign.content.decode()
    assert same_page(html, missing.content.decode())
    assert '<html lang="en">' in html and "<h1>Page not found</h1>" in html
    assert actors.organisation.name not in html
