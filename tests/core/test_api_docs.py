"""The API documentation works on a machine without internet access."""

from __future__ import annotations

import pytest
from django.contrib.staticfiles import finders

pytestmark = pytest.mark.django_db


def test_swagger_ui_is_served_from_our_own_static_files(client, actors):
    client.force_login(actors.participant)
    response = client.get("/api/docs/")
    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="en">' in html
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in html
    assert "cdn." not in html and "unpkg" not in html
    assert finders.find("drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js")


def test_the_schema_documents_the_directory_api(client, actors):
    client.force_login(actors.participant)
    schema = client.get("/api/schema/").content.decode()
    assert "/api/o/{org_slug}/people/" in schema
    assert "/api/o/{org_slug}/people/{person_id}/chain/" in schema
