"""The people directory: who works where, at what level, reporting to whom, knowing what.

Reporting lines are kept as a materialised path on every person (``chain_path``: the ids of
their managers, top first, fixed width) so that "is X anywhere in Y's chain?" is a prefix test
and a subtree is one indexed query (``subtree_filter``). See ``reporting_lines.py`` and ADR 0002.
"""

from __future__ import annotations

from django.conf import settings
from django.db import connection, models
from django.db.models import Q
from django.db.models.functions import Lower

from twoway.core.models import OrganisationScopedModel
from twoway.people import reporting_lines


class Level(OrganisationScopedModel):
    """An organisation's label for a level number (1 = Associate … 8 = Executive)."""

    number = models.PositiveSmallIntegerField()
    label = models.CharField(max_length=100)

    class Meta:
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "number"], name="unique_level_number"),
        ]

    def __str__(self) -> str:
        return f"{self.number} — {self.label}"


class Department(OrganisationScopedModel):
    name = models.CharField(max_length=200)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="unique_department"),
        ]

    def __str__(self) -> str:
        return self.name


class Team(OrganisationScopedModel):
    name = models.CharField(max_length=200)
    department = models.ForeignKey(
        Department, null=True, blank=True, on_delete=models.SET_NULL, related_name="teams"
    )

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="unique_team"),
        ]

    def __str__(self) -> str:
        return self.name


class Topic(OrganisationScopedModel):
    """An entry of the organisation's skill/topic taxonomy, or a free tag (``is_curated=False``).

    Interests beyond work ("cycling", "jazz") are topics of kind ``interest``.
    """

    class Kind(models.TextChoices):
        SKILL = "skill", "Skill or topic"
        INTEREST = "interest", "Interest"

    name = models.CharField(max_length=100)
    key = models.CharField(max_length=100, editable=False)  # casefolded name, for uniqueness
    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.SKILL)
    category = models.CharField(max_length=100, blank=True)
    is_curated = models.BooleanField(default=False)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "kind", "key"], name="unique_topic"),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: object, **kwargs: object) -> None:
        self.key = topic_key(self.name)
        super().save(*args, **kwargs)  # type: ignore[arg-type]


def subtree_filter(prefix: str) -> Q:
    """Everyone whose ``chain_path`` starts with ``prefix`` (a subtree), written so that the
    (organisation, chain_path) index serves it: on SQLite a byte-wise range (its BINARY collation
    orders "/" and digits below "~", and LIKE with ESCAPE is never indexed); on PostgreSQL
    LIKE 'prefix%' through the pattern-ops index (a range would follow the locale collation)."""
    if connection.vendor == "sqlite":
        return Q(chain_path__gte=prefix, chain_path__lt=prefix + "~")
    return Q(chain_path__startswith=prefix)


def topic_key(name: str) -> str:
    return " ".join(name.split()).casefold()


class Person(OrganisationScopedModel):
    employee_id = models.CharField(max_length=64)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="people",
    )
    first_name = models.CharField(max_length=100)
    last_name = models.CharField(max_length=100, blank=True)
    email = models.EmailField(blank=True)
    job_title = models.CharField(max_length=200, blank=True)
    level = models.PositiveSmallIntegerField(null=True, blank=True)
    department = models.ForeignKey(
        Department, null=True, blank=True, on_delete=models.SET_NULL, related_name="people"
    )
    team = models.ForeignKey(
        Team, null=True, blank=True, on_delete=models.SET_NULL, related_name="people"
    )
    manager = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="direct_reports"
    )
    # The ids of this person's managers, top first (see reporting_lines.py). Maintained by the
    # services on every change of a reporting line; never edited by hand.
    chain_path = models.CharField(max_length=2000, blank=True, default="", editable=False)
    location = models.CharField(max_length=200, blank=True)
    time_zone = models.CharField(max_length=64, default="UTC")
    hire_date = models.DateField(null=True, blank=True)
    languages = models.JSONField(default=list, blank=True)  # language codes, e.g. ["en", "fr"]
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["last_name", "first_name", "id"]
        verbose_name_plural = "people"
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "employee_id"], name="unique_employee_id"
            ),
            models.UniqueConstraint(
                fields=["organisation", "user"],
                condition=models.Q(user__isnull=False),
                name="unique_person_per_user",
            ),
        ]
        indexes = [
            # varchar_pattern_ops (PostgreSQL only; ignored elsewhere) lets LIKE 'prefix%' use
            # the index whatever the database's collation; see ``subtree_filter``.
            models.Index(
                fields=["organisation", "chain_path"],
                name="person_chain_idx",
                opclasses=["int8_ops", "varchar_pattern_ops"],
            ),
            models.Index(
                "organisation", Lower("last_name"), Lower("first_name"), name="person_name_idx"
            ),
            models.Index(fields=["organisation", "email"], name="person_email_idx"),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def subtree_prefix(self) -> str:
        """The ``chain_path`` prefix shared by everyone who reports to this person, at any depth."""
        return self.chain_path + reporting_lines.segment(self.pk)

    @property
    def depth(self) -> int:
        return reporting_lines.depth(self.chain_path)


class PersonTopic(OrganisationScopedModel):
    """What a person can share, wants to learn, or is interested in."""

    class Relation(models.TextChoices):
        SHARES = "shares", "Can share"
        LEARNS = "learns", "Wants to learn"
        INTEREST = "interest", "Interest"

    # No single-column indexes: the unique constraint (person, …) and the (topic, relation) index
    # serve those lookups, and every extra index slows an import of a million links.
    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="topic_links", db_index=False
    )
    topic = models.ForeignKey(
        Topic, on_delete=models.CASCADE, related_name="person_links", db_index=False
    )
    relation = models.CharField(max_length=16, choices=Relation.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["person", "relation", "topic"], name="unique_person_topic"
            ),
        ]
        indexes = [models.Index(fields=["topic", "relation"], name="persontopic_topic_idx")]


class ImportJob(OrganisationScopedModel):
    """One uploaded HRIS file on its way into the directory: mapped, previewed, imported.

    The file is kept in the database (imports are a few MB at most) so that the worker that
    runs the import needs no shared file storage. Progress fields are written by the task
    outside its write transaction, so the page polling them sees them move.
    """

    class Status(models.TextChoices):
        UPLOADED = "uploaded", "Uploaded"
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        PREVIEWED = "previewed", "Preview ready"
        IMPORTED = "imported", "Imported"
        FAILED = "failed", "Refused"

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    filename = models.CharField(max_length=255)
    content = models.BinaryField()
    headers = models.JSONField(default=list)
    row_count = models.PositiveIntegerField(default=0)
    mapping = models.JSONField(default=dict)  # canonical column → file header
    deactivate_missing = models.BooleanField(default=False)
    dry_run = models.BooleanField(default=True)  # of the current or last run
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.UPLOADED)
    stage = models.CharField(max_length=32, blank=True)
    processed = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    message = models.TextField(blank=True)
    result = models.JSONField(default=dict, blank=True)
    errors = models.JSONField(default=list, blank=True)  # [{row, column, reason, value}]
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.filename} ({self.get_status_display()})"

    @property
    def is_busy(self) -> bool:
        return self.status in {self.Status.QUEUED, self.Status.RUNNING}

    @property
    def percent(self) -> int:
        return int(100 * self.processed / self.total) if self.total else 0
