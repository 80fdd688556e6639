"""Per-endpoint input and output serializers of the enrolment API. None of them has a field for
diversity answers: the API can neither return them nor be asked for them individually."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from twoway.enrolment.models import Application, CustomQuestion, Invitation, MeetingMode, Role


@extend_schema_field({"type": "array", "items": {"type": "string"}})
class TopicNames(serializers.Field):
    def to_representation(self, value: Any) -> list[str]:
        return [topic.name for topic in value.all()]


class PersonBrief(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField(source="full_name")
    email = serializers.EmailField()
    level = serializers.IntegerField(allow_null=True)
    department = serializers.CharField(source="department.name", default="")


class ApplicationManagerOutput(serializers.ModelSerializer):
    """What a program manager sees of an application."""

    person = PersonBrief()
    program = serializers.IntegerField(source="program_id")
    status_label = serializers.CharField(source="get_status_display")
    shares = TopicNames()
    learns = TopicNames()

    class Meta:
        model = Application
        fields = [
            "id",
            "program",
            "person",
            "role",
            "status",
            "status_label",
            "submitted_at",
            "decided_at",
            "promoted_at",
            "shares",
            "learns",
            "meeting_mode",
            "languages",
        ]


class StatusOutput(serializers.Serializer):
    title = serializers.CharField(source="label")
    explanation = serializers.CharField()
    next_step = serializers.CharField()


class ApplicationOwnOutput(serializers.ModelSerializer):
    """What an applicant sees of their own application (their questionnaire, not their optional
    diversity answers, which are not readable once given)."""

    program = serializers.IntegerField(source="program_id")
    program_name = serializers.CharField(source="program.name")
    status_label = serializers.CharField(source="get_status_display")
    status_text = StatusOutput(source="status_text_value")
    shares = TopicNames()
    learns = TopicNames()
    interests = TopicNames()
    availability = serializers.ListField(
        child=serializers.ListField(child=serializers.IntegerField()),
        source="availability_local",
        help_text="[day, hour] pairs in the applicant's time zone; day 0 is Monday.",
    )

    class Meta:
        model = Application
        fields = [
            "id",
            "program",
            "program_name",
            "role",
            "status",
            "status_label",
            "status_text",
            "submitted_at",
            "decided_at",
            "withdrawn_at",
            "promoted_at",
            "shares",
            "learns",
            "interests",
            "goals",
            "tipi_answers",
            "extraversion",
            "agreeableness",
            "conscientiousness",
            "emotional_stability",
            "openness",
            "availability",
            "time_zone",
            "meeting_mode",
            "languages",
        ]


class DiversityInputSerializer(serializers.Serializer):
    erg_memberships = serializers.ListField(
        child=serializers.CharField(max_length=100), required=False, default=list
    )
    gender = serializers.CharField(required=False, default="", allow_blank=True)
    age_band = serializers.CharField(required=False, default="", allow_blank=True)
    ethnicity = serializers.CharField(required=False, default="", allow_blank=True)
    consent_matching = serializers.BooleanField(required=False, default=False)
    consent_reporting = serializers.BooleanField(required=False, default=False)


class ApplicationSubmitInput(serializers.Serializer):
    program = serializers.IntegerField()
    role = serializers.ChoiceField(choices=Role.choices)
    goals = serializers.CharField(required=False, default="", allow_blank=True)
    shares = serializers.ListField(child=serializers.CharField(), required=False, default=list)
    learns = serializers.ListField(child=serializers.CharField(), required=False, default=list)
    interests = serializers.ListField(child=serializers.CharField(), required=False, default=list)
    tipi_answers = serializers.ListField(
        child=serializers.IntegerField(), help_text="Ten answers, each 1 to 7."
    )
    availability = serializers.ListField(
        child=serializers.ListField(child=serializers.IntegerField(), min_length=2, max_length=2),
        required=False,
        default=list,
        help_text="[day, hour] pairs in ``time_zone``; day 0 is Monday.",
    )
    time_zone = serializers.CharField(required=False, default="", allow_blank=True)
    meeting_mode = serializers.ChoiceField(
        choices=MeetingMode.choices, required=False, default=MeetingMode.EITHER
    )
    languages = serializers.ListField(child=serializers.CharField(), required=False, default=list)
    answers = serializers.DictField(
        child=serializers.JSONField(),
        required=False,
        default=dict,
        help_text="Custom question id → answer (string, list of strings, or integer).",
    )
    diversity = DiversityInputSerializer(required=False, allow_null=True, default=None)


class InvitationOwnOutput(serializers.ModelSerializer):
    program = serializers.IntegerField(source="program_id")
    program_name = serializers.CharField(source="program.name")

    class Meta:
        model = Invitation
        fields = ["id", "program", "program_name", "status", "created_at", "responded_at"]


class InvitationManagerOutput(serializers.ModelSerializer):
    person = serializers.IntegerField(source="person_id")
    name = serializers.CharField(source="person.full_name")

    class Meta:
        model = Invitation
        fields = ["id", "person", "name", "email", "status", "sent_at", "created_at"]


class InvitationSendInput(serializers.Serializer):
    person_ids = serializers.ListField(child=serializers.IntegerField(), required=False)
    emails = serializers.ListField(child=serializers.CharField(), required=False)
    q = serializers.CharField(required=False, default="", allow_blank=True)
    department = serializers.IntegerField(required=False, allow_null=True, default=None)
    team = serializers.IntegerField(required=False, allow_null=True, default=None)
    level = serializers.IntegerField(required=False, allow_null=True, default=None)
    topic = serializers.IntegerField(required=False, allow_null=True, default=None)


class InvitationBatchOutput(serializers.Serializer):
    invited = serializers.IntegerField()
    already_invited = serializers.IntegerField()
    already_applied = serializers.IntegerField()
    without_email = serializers.IntegerField()


class ApplicationListFilter(serializers.Serializer):
    status = serializers.ChoiceField(choices=Application.Status.choices, required=False)
    role = serializers.ChoiceField(choices=Role.choices, required=False)
    q = serializers.CharField(required=False, default="", allow_blank=True)


class BulkDecisionInput(serializers.Serializer):
    action = serializers.ChoiceField(choices=["approve", "decline"])
    application_ids = serializers.ListField(child=serializers.IntegerField(), allow_empty=False)


class BulkDecisionOutput(serializers.Serializer):
    changed = serializers.IntegerField()


class FunnelOutput(serializers.Serializer):
    invited = serializers.IntegerField()
    applied = serializers.IntegerField()
    approved = serializers.IntegerField()
    matched = serializers.IntegerField()
    active = serializers.IntegerField()
    waitlisted = serializers.IntegerField()
    declined = serializers.IntegerField()
    withdrawn = serializers.IntegerField()


class EnrolmentErrorOutput(serializers.Serializer):
    detail = serializers.CharField()
    reasons = serializers.ListField(child=serializers.CharField(), required=False)
    rows = serializers.ListField(child=serializers.DictField(), required=False)


class QuestionOutput(serializers.ModelSerializer):
    class Meta:
        model = CustomQuestion
        fields = [
            "id",
            "text",
            "help_text",
            "kind",
            "choices",
            "scale_min",
            "scale_max",
            "required",
            "used_for_matching",
            "weight",
            "position",
        ]


class QuestionUpdateInput(serializers.Serializer):
    """Every field optional; the kind of a question cannot change."""

    text = serializers.CharField(max_length=300, required=False)
    # DRF's metaclass pops declared fields off the class, so these names do not shadow the
    # Field attributes of the same name that the stubs see.
    help_text = serializers.CharField(max_length=300, required=False, allow_blank=True)  # type: ignore[assignment]
    choices = serializers.ListField(
        child=serializers.CharField(max_length=200), required=False, max_length=50
    )
    scale_min = serializers.IntegerField(required=False, min_value=-100, max_value=100)
    scale_max = serializers.IntegerField(required=False, min_value=-100, max_value=100)
    required = serializers.BooleanField(required=False)  # type: ignore[assignment]
    used_for_matching = serializers.BooleanField(required=False)
    weight = serializers.ChoiceField(choices=CustomQuestion.Weight.choices, required=False)
    position = serializers.IntegerField(
        required=False,
        min_value=0,
        help_text="0 is first; a larger number than there are "
        "questions puts it last. The others keep their order.",
    )


class QuestionCreateInput(QuestionUpdateInput):
    text = serializers.CharField(max_length=300)
    kind = serializers.ChoiceField(choices=CustomQuestion.Kind.choices)
    position = None  # type: ignore[assignment]  # a new question goes last
