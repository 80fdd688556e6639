"""A program's dashboard figures, computed in the background and read by the dashboard.

Counting a large program live (a million sessions, fifty thousand pairs) takes seconds; the
dashboard instead reads the program's ``HealthSnapshot``, which the worker refreshes every
``SNAPSHOT_EVERY`` (and a page refreshes when it is older than ``SNAPSHOT_MAX_AGE``, or when a
manager asks). It holds aggregates that already went through the suppression, and the at-risk
list as mentorship ids with their reasons; nothing about a person.
"""

from __future__ import annotations

from django.db import models

from twoway.core.models import OrganisationScopedModel
from twoway.programs.models import Program


class HealthSnapshot(OrganisationScopedModel):
    program = models.OneToOneField(Program, on_delete=models.CASCADE, related_name="+")
    computed_at = models.DateTimeField()
    seconds = models.FloatField()  # how long computing it took
    # The pickled ``selectors.ProgramHealth``: written only by ``services`` from the database's
    # own counts, never from a request; an unreadable one (after an upgrade) is recomputed.
    health = models.BinaryField()
    # [[mentorship id, quiet, overdue actions, low pulse], …] in the list's order.
    at_risk = models.JSONField(default=list)
