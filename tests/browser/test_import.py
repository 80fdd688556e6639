"""Browser journey: an admin logs in, imports a CSV with one bad row, reads the report, fixes
the file and imports it."""

from __future__ import annotations

from typing import Any

import pytest
from allauth.account.models import EmailAddress
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, log_in
from tests.core.factories import PASSWORD, MembershipFactory
from tests.people.test_importing import ROWS, csv_bytes
from twoway.core.models import Role
from twoway.people.models import Person

pytestmark = pytest.mark.django_db(transaction=True)


def test_an_admin_imports_a_csv_reads_the_error_report_then_imports_the_fixed_file(
    page: Any, live_server: Any, tmp_path: Any
) -> None:
    membership = MembershipFactory(role=Role.ADMIN, organisation__slug="acme")
    user = membership.user
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    bad_rows = [*ROWS]
    bad_rows[2] = bad_rows[2].replace("alan@acme.test", "alan-at-acme")
    bad_file = tmp_path / "hris-bad.csv"
    bad_file.write_bytes(csv_bytes(rows=bad_rows))
    good_file = tmp_path / "hris.csv"
    good_file.write_bytes(csv_bytes())

    log_in(page, live_server, user.email, PASSWORD)
    page.get_by_role("navigation", name="Organisation").get_by_role(
        "link", name="Import people"
    ).click()
    expect(page.get_by_role("heading", name="Import people", level=1)).to_be_visible()
    assert_accessible(page)

    page.get_by_label("HRIS export (CSV or XLSX)").set_input_files(str(bad_file))
    page.get_by_role("button", name="Upload and map columns").click()
    expect(page.get_by_role("heading", name="Import hris-bad.csv")).to_be_visible()
    # The mapping was guessed from the headers.
    expect(page.get_by_label("Level (number)")).to_have_value("Grade")
    assert_accessible(page)

    page.get_by_role("button", name="Import", exact=True).click()
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("1 problem in the file; nothing was imported.")
    error_row = page.locator("table.errors tbody tr")
    expect(error_row).to_have_count(1)
    expect(error_row).to_contain_text("4")
    expect(error_row).to_contain_text("email")
    expect(error_row).to_contain_text("invalid email address")
    expect(error_row).to_contain_text("alan-at-acme")
    assert_accessible(page)
    assert not Person.objects.exists()

    # Fixed file: preview, then import.
    page.goto(f"{live_server.url}/o/acme/people/import/")
    page.get_by_label("HRIS export (CSV or XLSX)").set_input_files(str(good_file))
    page.get_by_role("button", name="Upload and map columns").click()
    page.get_by_role("button", name="Preview changes").click()
    expect(page.get_by_role("heading", name="Preview: what importing would do")).to_be_visible()
    expect(page.locator(".counts")).to_contain_text("4 to create")
    assert_accessible(page)
    assert not Person.objects.exists()
    page.get_by_role("button", name="Import", exact=True).click()
    expect(page.get_by_role("heading", name="Imported")).to_be_visible()
    expect(page.locator(".counts")).to_contain_text("4 created")
    assert Person.objects.filter(organisation=membership.organisation).count() == 4
