"""Background tasks of the people directory (django-tasks; the worker is ``twoway worker``)."""

from __future__ import annotations

from django_tasks import task


@task()
def run_import_job(job_id: int) -> None:
    from twoway.people.import_jobs import import_job_run

    import_job_run(job_id=job_id)
