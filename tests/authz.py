"""One authorization helper for every view and endpoint.

``assert_access(client, actors, url, allowed={...})`` requests ``url`` as each of the five
actors — anonymous, participant, program manager, organisation admin, and an admin of *another*
organisation — and checks that the allowed ones get their page and everyone else gets exactly
what a missing object gets (404 for members and outsiders; the login page for anonymous on
pages, 401/403 on the API). Each app supplies only the URL and who may see it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.test import Client

from twoway.accounts.models import User
from twoway.core.models import Organisation

ACTORS = ("anonymous", "participant", "program_manager", "admin", "outsider")


@dataclass
class Actors:
    organisation: Organisation
    other_organisation: Organisation
    participant: User
    program_manager: User
    admin: User
    outsider: User  # an organisation admin — of the other organisation

    def user(self, name: str) -> User | None:
        return None if name == "anonymous" else getattr(self, name)


def assert_access(
    client: Client,
    actors: Actors,
    url: str,
    *,
    allowed: set[str],
    method: str = "get",
    data: Any = None,
    api: bool = False,
    ok_status: int | set[int] = 200,
) -> dict[str, Any]:
    """Request ``url`` as every actor; returns the responses by actor name for further checks."""
    unknown = allowed - set(ACTORS)
    assert not unknown, f"unknown actors {unknown}"
    ok = {ok_status} if isinstance(ok_status, int) else ok_status
    responses: dict[str, Any] = {}
    for name in ACTORS:
        client.logout()
        user = actors.user(name)
        if user is not None:
            client.force_login(user)
        kwargs: dict[str, Any] = {}
        if data is not None:
            kwargs["data"] = data
            if api:
                kwargs["content_type"] = "application/json"
        response = getattr(client, method)(url, **kwargs)
        responses[name] = response
        if name in allowed:
            assert response.status_code in ok, (
                f"{name} should reach {method.upper()} {url}, got {response.status_code}"
            )
        elif name == "anonymous":
            expected = {401, 403} if api else {302}
            assert response.status_code in expected, (
                f"anonymous should be refused {url}, got {response.status_code}"
            )
            if not api:
                assert "/accounts/login/" in response["Location"]
        else:
            assert response.status_code == 404, (
                f"{name} must get 404 (as for a missing object) at {url}, "
                f"got {response.status_code}"
            )
    client.logout()
    return responses
