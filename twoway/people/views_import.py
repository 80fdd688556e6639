"""Import and export pages of the directory. Thin: the work is in ``import_jobs``/``exporting``."""

from __future__ import annotations

import csv
import io

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.text import slugify
from django.views.decorators.http import require_http_methods

from twoway.core.access import organisation_view
from twoway.core.errors import ApplicationError, FileValidationError
from twoway.core.models import Role
from twoway.people.exporting import directory_export_csv_lines
from twoway.people.forms import ImportMappingForm, ImportUploadForm
from twoway.people.import_jobs import import_job_create, import_job_start
from twoway.people.models import ImportJob

ERRORS_PER_PAGE = 50


def _job_get(request: HttpRequest, job_id: int) -> ImportJob:
    return get_object_or_404(
        ImportJob.objects.for_organisation(request.organisation),  # type: ignore[attr-defined]
        pk=job_id,
    )


@organisation_view(Role.ADMIN)
@require_http_methods(["GET", "POST"])
def person_import(request: HttpRequest) -> HttpResponse:
    """Upload a file; it is kept as a job and the mapping page opens."""
    organisation = request.organisation  # type: ignore[attr-defined]
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    upload_error: FileValidationError | None = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            job = import_job_create(
                actor=request.user,
                organisation=organisation,
                filename=upload.name,
                content=upload.read(),
            )
        except FileValidationError as error:
            upload_error = error
        except ApplicationError as error:
            form.add_error("file", error.message)
        else:
            return redirect("people:import_job", org_slug=organisation.slug, job_id=job.pk)
    jobs = ImportJob.objects.for_organisation(organisation).defer("content")[:10]
    return render(
        request,
        "people/import.html",
        {"form": form, "jobs": jobs, "upload_error": upload_error},
        status=422 if upload_error or form.errors else 200,
    )


@organisation_view(Role.ADMIN)
@require_http_methods(["GET", "POST"])
def import_job(request: HttpRequest, job_id: int) -> HttpResponse:
    """Map the columns, preview, import; shows progress, the result or the error report."""
    job = _job_get(request, job_id)
    form = ImportMappingForm(
        request.POST or None,
        headers=job.headers,
        initial=ImportMappingForm.initial_for(job.mapping, job.deactivate_missing),
    )
    if request.method == "POST" and form.is_valid():
        try:
            import_job_start(
                actor=request.user,
                job=job,
                mapping=form.mapping(),
                dry_run=request.POST.get("action") != "import",
                deactivate_missing=form.cleaned_data["deactivate_missing"],
            )
        except ApplicationError as error:
            messages.error(request, error.message)
        return redirect("people:import_job", org_slug=job.organisation.slug, job_id=job.pk)
    job.refresh_from_db()
    errors_page = Paginator(job.errors, ERRORS_PER_PAGE).get_page(request.GET.get("page"))
    unused = [h for h in job.headers if h and h not in job.mapping.values()]
    context = {"job": job, "form": form, "errors_page": errors_page, "unused_headers": unused}
    if request.htmx:  # type: ignore[attr-defined]
        if not job.is_busy:  # finished: reload the page to show the result or the report
            response = HttpResponse("")
            response["HX-Refresh"] = "true"
            return response
        return render(request, "people/_import_status.html", context)
    return render(request, "people/import_job.html", context)


@organisation_view(Role.ADMIN)
def import_job_errors(request: HttpRequest, job_id: int) -> HttpResponse:
    """The whole error report as CSV (row, column, reason, value)."""
    job = _job_get(request, job_id)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["row", "column", "reason", "value"])
    for error in job.errors:
        writer.writerow([error["row"], error["column"], error["reason"], error["value"]])
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    name = slugify(job.filename.rsplit(".", 1)[0]) or "import"
    response["Content-Disposition"] = f'attachment; filename="{name}-errors.csv"'
    return response


@organisation_view(Role.PROGRAM_MANAGER)
def person_export(request: HttpRequest) -> StreamingHttpResponse:
    organisation = request.organisation  # type: ignore[attr-defined]
    response = StreamingHttpResponse(
        directory_export_csv_lines(organisation=organisation),
        content_type="text/csv; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="{organisation.slug}-people.csv"'
    return response
