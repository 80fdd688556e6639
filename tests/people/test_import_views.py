"""The upload page: who may use it, the preview → import flow, and the error report."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.authz import Actors, assert_access
from tests.people.test_importing import ROWS, csv_bytes
from twoway.people.models import ImportJob, Person

pytestmark = pytest.mark.django_db


def upload(client, actors: Actors, content: bytes, name: str = "hris.csv"):
    client.force_login(actors.admin)
    url = reverse("people:import", args=[actors.organisation.slug])
    return client.post(url, {"file": SimpleUploadedFile(name, content)})


def job_url(job: ImportJob) -> str:
    return reverse("people:import_job", args=[job.organisation.slug, job.pk])


def test_only_organisation_admins_may_import(client, actors):
    url = reverse("people:import", args=[actors.organisation.slug])
    assert_access(client, actors, url, allowed={"admin"})


def test_an_import_job_is_visible_only_to_admins_of_its_organisation(client, actors):
    upload(client, actors, csv_bytes())
    job = ImportJob.objects.get()
    assert_access(client, actors, job_url(job), allowed={"admin"})
    errors_url = reverse("people:import_errors", args=[actors.organisation.slug, job.pk])
    assert_access(client, actors, errors_url, allowed={"admin"})
    # The other organisation's admin, at their own organisation's URL, still gets a 404.
    client.force_login(actors.outsider)
    foreign = reverse("people:import_job", args=[actors.other_organisation.slug, job.pk])
    assert client.get(foreign).status_code == 404


def test_export_is_for_program_managers_and_admins(client, actors):
    url = reverse("people:export", args=[actors.organisation.slug])
    assert_access(client, actors, url, allowed={"program_manager", "admin"})


def test_upload_guesses_the_mapping_then_preview_then_import(
    client, actors, django_capture_on_commit_callbacks
):
    response = upload(client, actors, csv_bytes())
    job = ImportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == job_url(job)
    assert job.mapping["level"] == "Grade" and job.mapping["manager_employee_id"] == "Manager ID"
    page = client.get(job_url(job)).content.decode()
    assert '<option value="Grade" selected>Grade</option>' in page

    form = {f"map_{c}": h for c, h in job.mapping.items()}
    with django_capture_on_commit_callbacks(execute=True):
        client.post(job_url(job), {**form, "action": "preview"})
    job.refresh_from_db()
    assert job.status == ImportJob.Status.PREVIEWED and job.result["created"] == 4
    assert not Person.objects.exists()
    assert "Preview: what importing would do" in client.get(job_url(job)).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        client.post(job_url(job), {**form, "action": "import"})
    job.refresh_from_db()
    assert job.status == ImportJob.Status.IMPORTED
    assert Person.objects.filter(organisation=actors.organisation).count() == 4


def test_a_bad_row_shows_a_report_and_imports_nothing(
    client, actors, django_capture_on_commit_callbacks
):
    rows = [*ROWS]
    rows[2] = rows[2].replace(",E2,London", ",E404,London")
    upload(client, actors, csv_bytes(rows=rows))
    job = ImportJob.objects.get()
    form = {f"map_{c}": h for c, h in job.mapping.items()}
    with django_capture_on_commit_callbacks(execute=True):
        client.post(job_url(job), {**form, "action": "import"})

    job.refresh_from_db()
    assert job.status == ImportJob.Status.FAILED
    assert not Person.objects.exists()
    page = client.get(job_url(job)).content.decode()
    assert "1 problem in the file; nothing was imported." in page
    assert "<td>4</td><td>manager_employee_id</td>" in page and "E404" in page
    errors_url = reverse("people:import_errors", args=[actors.organisation.slug, job.pk])
    lines = client.get(errors_url).content.decode().splitlines()
    assert lines[0] == "row,column,reason,value"
    assert lines[1].startswith("4,manager_employee_id,unknown manager")


def test_an_unreadable_file_is_refused_at_upload(client, actors):
    response = upload(client, actors, b"\x00\x01 not a workbook", name="hris.xlsx")
    assert response.status_code == 422
    assert "not a readable .xlsx workbook" in response.content.decode()
    assert not ImportJob.objects.exists()


def test_columns_the_mapping_leaves_out_are_listed(client, actors):
    upload(client, actors, csv_bytes(header="Employee ID,First Name,Shoe size", rows=["E1,Ada,38"]))
    job = ImportJob.objects.get()
    assert (
        "Columns of the file that are not used: Shoe size."
        in client.get(job_url(job)).content.decode()
    )


def test_unmapping_a_required_column_is_refused(client, actors):
    upload(client, actors, csv_bytes())
    job = ImportJob.objects.get()
    form = {f"map_{c}": h for c, h in job.mapping.items() if c != "first_name"}
    response = client.post(job_url(job), {**form, "action": "import"})
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    job.refresh_from_db()
    assert job.status == ImportJob.Status.UPLOADED


def test_the_progress_partial_polls_while_busy_and_refreshes_when_done(client, actors):
    upload(client, actors, csv_bytes())
    job = ImportJob.objects.get()
    ImportJob.objects.filter(pk=job.pk).update(
        status=ImportJob.Status.RUNNING, stage="checking", processed=2, total=4
    )
    response = client.get(job_url(job), HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert 'hx-trigger="every 1s"' in body and 'value="50"' in body and "Checking rows" in body
    ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.PREVIEWED)
    response = client.get(job_url(job), HTTP_HX_REQUEST="true")
    assert response["HX-Refresh"] == "true"


def test_the_export_is_csv_in_the_import_format(client, actors):
    upload(client, actors, csv_bytes())
    job = ImportJob.objects.get()
    from twoway.people.import_jobs import import_job_run

    ImportJob.objects.filter(pk=job.pk).update(dry_run=False)
    import_job_run(job_id=job.pk)
    client.force_login(actors.program_manager)
    response = client.get(reverse("people:export", args=[actors.organisation.slug]))
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    lines = text.splitlines()
    assert lines[0].startswith("employee_id,first_name,last_name,email")
    assert len(lines) == 5 and lines[4].startswith("E4,Lin,Chen,lin@acme.test")


def test_a_job_that_crashes_is_marked_failed_not_left_running(client, actors, monkeypatch):
    from twoway.people import import_jobs

    upload(client, actors, csv_bytes())
    job = ImportJob.objects.get()

    def explode(**kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(import_jobs, "directory_import", explode)
    with pytest.raises(RuntimeError):
        import_jobs.import_job_run(job_id=job.pk)

    job.refresh_from_db()
    assert job.status == ImportJob.Status.FAILED and not job.is_busy
    assert "unexpected error; nothing was imported" in job.message
