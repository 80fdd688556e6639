"""Uploaded imports as jobs: upload, map columns, preview (dry run), import — in the background.

Views and the CLI share ``directory_import``; the upload page adds a job around it so a large
file runs in the task worker while the page shows its progress.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.utils import timezone

from twoway.core.errors import ApplicationError, FileValidationError
from twoway.core.models import Organisation
from twoway.people.importing import (
    columns_guess,
    directory_import,
    rows_from_table,
    table_read,
)
from twoway.people.models import ImportJob

MAX_UPLOAD_BYTES = 50 * 1024 * 1024


def import_job_create(
    *, actor: Any, organisation: Organisation, filename: str, content: bytes
) -> ImportJob:
    """Keep an uploaded file and guess its column mapping. Refuses unreadable files."""
    if len(content) > MAX_UPLOAD_BYTES:
        raise ApplicationError(
            f"The file is {len(content) // (1024 * 1024)} MB; the limit is "
            f"{MAX_UPLOAD_BYTES // (1024 * 1024)} MB."
        )
    table = table_read(content=content, filename=filename)
    return ImportJob.objects.create(
        organisation=organisation,
        created_by=actor,
        filename=filename,
        content=content,
        headers=table.headers,
        row_count=len(table.rows),
        mapping=columns_guess(table.headers),
    )


def import_job_start(
    *,
    actor: Any,
    job: ImportJob,
    mapping: Mapping[str, str],
    dry_run: bool,
    deactivate_missing: bool,
) -> ImportJob:
    """Queue a preview or the real import of ``job`` with this column mapping."""
    from twoway.people.tasks import run_import_job

    if job.is_busy:
        raise ApplicationError("This import is already running.")
    if job.status == ImportJob.Status.IMPORTED:
        raise ApplicationError("This file has already been imported; upload it again to rerun.")
    clean = {column: header for column, header in mapping.items() if header}
    missing = [h for h in clean.values() if h not in job.headers]
    if missing:
        raise ApplicationError(f"The file has no column {missing[0]!r}.")
    job.mapping = clean
    job.dry_run = dry_run
    job.deactivate_missing = deactivate_missing
    job.status = ImportJob.Status.QUEUED
    job.stage = "queued"
    job.processed, job.total = 0, job.row_count
    job.message, job.result, job.errors, job.finished_at = "", {}, [], None
    job.save()
    transaction.on_commit(lambda: run_import_job.enqueue(job_id=job.pk))
    return job


def import_job_run(*, job_id: int) -> ImportJob:
    """Run a queued job (called by the task worker)."""
    job = ImportJob.objects.select_related("organisation").get(pk=job_id)
    ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.RUNNING, stage="reading")
    last = [0.0]

    def progress(stage: str, done: int, total: int) -> None:
        now = time.monotonic()
        if now - last[0] > 0.5 or done == total:
            last[0] = now
            ImportJob.objects.filter(pk=job.pk).update(stage=stage, processed=done, total=total)

    try:
        table = table_read(content=bytes(job.content), filename=job.filename)
        rows = rows_from_table(table, job.mapping)
        result = directory_import(
            actor=job.created_by,
            organisation=job.organisation,
            rows=rows,
            dry_run=job.dry_run,
            deactivate_missing=job.deactivate_missing,
            progress=progress,
        )
    except FileValidationError as error:
        job.status = ImportJob.Status.FAILED
        job.message = error.message
        job.errors = [vars(e) for e in error.report.errors]
    except Exception:
        # Never leave the page polling a job that died: say so, then let the worker log it.
        _finish(job, status=ImportJob.Status.FAILED)
        ImportJob.objects.filter(pk=job.pk).update(
            message="The import stopped on an unexpected error; nothing was imported. "
            "The error is in the worker's log."
        )
        raise
    else:
        job.status = ImportJob.Status.PREVIEWED if job.dry_run else ImportJob.Status.IMPORTED
        job.result = result.as_dict()
        job.message = ""
    _finish(job, status=job.status)
    return job


def _finish(job: ImportJob, *, status: str) -> None:
    job.status = status
    job.stage = "done"
    job.processed = job.total = job.row_count
    job.finished_at = timezone.now()
    job.save(
        update_fields=[
            "status",
            "message",
            "errors",
            "result",
            "stage",
            "processed",
            "total",
            "finished_at",
            "updated_at",
        ]
    )
