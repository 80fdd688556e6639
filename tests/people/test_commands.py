"""``twoway people import`` and ``twoway people export`` from the command line."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command

from tests.core.factories import OrganisationFactory
from tests.people.test_importing import ROWS, csv_bytes
from twoway.people.models import Person

pytestmark = pytest.mark.django_db


def test_import_then_export_round_trips(tmp_path):
    org = OrganisationFactory(slug="acme")
    path = tmp_path / "hris.csv"
    path.write_bytes(csv_bytes())
    out = io.StringIO()

    call_command("people_import", str(path), org="acme", stdout=out)

    assert "Imported 4 rows into acme" in out.getvalue() and "4 created" in out.getvalue()
    assert Person.objects.filter(organisation=org).count() == 4
    exported = tmp_path / "export.csv"
    call_command("people_export", str(exported), org="acme", stderr=io.StringIO())
    out = io.StringIO()
    call_command("people_import", str(exported), org="acme", stdout=out)
    assert "0 created, 0 updated, 4 unchanged" in out.getvalue()


def test_a_bad_file_prints_each_problem_and_fails(tmp_path):
    OrganisationFactory(slug="acme")
    rows = [*ROWS]
    rows[1] = rows[1].replace("grace@acme.test", "grace@")
    path = tmp_path / "hris.csv"
    path.write_bytes(csv_bytes(rows=rows))
    err = io.StringIO()

    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("people_import", str(path), org="acme", stderr=err)

    assert "row 3, email: invalid email address [grace@]" in err.getvalue()
    assert not Person.objects.exists()


def test_dry_run_and_mapping_options(tmp_path):
    OrganisationFactory(slug="acme")
    path = tmp_path / "hris.csv"
    path.write_text("Badge,Name\nB1,Ana\n")
    out = io.StringIO()
    call_command(
        "people_import",
        str(path),
        org="acme",
        dry_run=True,
        map=["employee_id=Badge", "first_name=Name"],
        stdout=out,
    )
    assert "Would import 1 rows" in out.getvalue()
    assert not Person.objects.exists()


def test_an_unknown_organisation_is_an_error(tmp_path):
    path = tmp_path / "hris.csv"
    path.write_bytes(csv_bytes())
    with pytest.raises(CommandError, match="No organisation with slug 'nope'"):
        call_command("people_import", str(path), org="nope")
