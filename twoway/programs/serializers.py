"""REST representations of programs (per-endpoint input and output serializers)."""

from __future__ import annotations

from rest_framework import serializers

from twoway.programs.lifecycle import TRANSITIONS_BY_NAME
from twoway.programs.models import Format, Playbook, Program
from twoway.programs.playbooks import BUILTIN_BY_KEY


class ProgramListFilterSerializer(serializers.Serializer):
    q = serializers.CharField(
        required=False, allow_blank=True, max_length=200, help_text="Part of the program name."
    )
    status = serializers.ChoiceField(choices=Program.Status.choices, required=False)
    # Not "format": the API reads ``?format=`` as the response format (json, api).
    program_format = serializers.ChoiceField(choices=Format.choices, required=False)


class ProgramListOutputSerializer(serializers.ModelSerializer):
    is_managed = serializers.BooleanField(
        read_only=True, help_text="Whether the viewer manages this program."
    )
    is_invited = serializers.BooleanField(
        read_only=True, help_text="Whether the viewer was invited to it."
    )
    has_applied = serializers.BooleanField(
        read_only=True, help_text="Whether the viewer applied to it."
    )

    class Meta:
        model = Program
        fields = [
            "id",
            "name",
            "format",
            "status",
            "application_opens",
            "application_closes",
            "kickoff_date",
            "is_managed",
            "is_invited",
            "has_applied",
        ]


class TopicRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class EligibilityOutputSerializer(serializers.Serializer):
    role = serializers.CharField()
    min_level = serializers.IntegerField(allow_null=True)
    max_level = serializers.IntegerField(allow_null=True)
    min_tenure_months = serializers.IntegerField(allow_null=True)


class ProgramDetailOutputSerializer(ProgramListOutputSerializer):
    key_areas = TopicRefSerializer(many=True, read_only=True)
    managers = serializers.SerializerMethodField()
    eligibility = EligibilityOutputSerializer(many=True, read_only=True)
    checklist = serializers.DictField(
        child=serializers.CharField(), help_text="Checklist step → when it was ticked (ISO 8601)."
    )

    class Meta(ProgramListOutputSerializer.Meta):
        fields = [
            *ProgramListOutputSerializer.Meta.fields,
            "description",
            "goals",
            "key_areas",
            "matching_date",
            "end_date",
            "cadence_weeks",
            "session_minutes",
            "confidentiality_guidelines",
            "mentees_per_mentor",
            "circle_min_size",
            "circle_max_size",
            "max_participants",
            "min_level_gap",
            "enrolment_mode",
            "requires_approval",
            "notify_applicant_manager",
            "playbook_key",
            "managers",
            "eligibility",
            "checklist",
            "created_at",
            "updated_at",
        ]

    def get_managers(self, program: Program) -> list[str]:
        return [str(user) for user in program.managers.all()]


class ProgramCreateInputSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    playbook = serializers.ChoiceField(
        choices=sorted(BUILTIN_BY_KEY),
        required=False,
        help_text="A built-in playbook to pre-fill the program from.",
    )
    playbook_id = serializers.IntegerField(
        required=False, help_text="One of the organisation's own playbooks."
    )
    format = serializers.ChoiceField(
        choices=Format.choices, required=False, help_text="Required without a playbook."
    )

    def validate(self, attrs: dict) -> dict:
        given = [k for k in ("playbook", "playbook_id", "format") if k in attrs]
        if len(given) != 1:
            raise serializers.ValidationError(
                "Give exactly one of: playbook, playbook_id, or format (a blank program)."
            )
        return attrs


class ProgramUpdateInputSerializer(serializers.Serializer):
    """Every field is optional; only the ones given change."""

    name = serializers.CharField(max_length=200, required=False)
    description = serializers.CharField(required=False, allow_blank=True)
    format = serializers.ChoiceField(choices=Format.choices, required=False)
    goals = serializers.CharField(required=False, allow_blank=True)
    key_areas = serializers.ListField(
        child=serializers.IntegerField(), required=False, help_text="Topic ids."
    )
    application_opens = serializers.DateField(required=False, allow_null=True)
    application_closes = serializers.DateField(required=False, allow_null=True)
    matching_date = serializers.DateField(required=False, allow_null=True)
    kickoff_date = serializers.DateField(required=False, allow_null=True)
    end_date = serializers.DateField(required=False, allow_null=True)
    cadence_weeks = serializers.IntegerField(required=False)
    session_minutes = serializers.IntegerField(required=False)
    confidentiality_guidelines = serializers.CharField(required=False, allow_blank=True)
    mentees_per_mentor = serializers.IntegerField(required=False)
    circle_min_size = serializers.IntegerField(required=False, allow_null=True)
    circle_max_size = serializers.IntegerField(required=False, allow_null=True)
    max_participants = serializers.IntegerField(required=False, allow_null=True)
    min_level_gap = serializers.IntegerField(required=False, min_value=0)
    enrolment_mode = serializers.ChoiceField(choices=Program.EnrolmentMode.choices, required=False)
    requires_approval = serializers.BooleanField(required=False)
    notify_applicant_manager = serializers.BooleanField(required=False)


class TransitionNameSerializer(serializers.Serializer):
    name = serializers.ChoiceField(choices=sorted(TRANSITIONS_BY_NAME))


class ErrorOutputSerializer(serializers.Serializer):
    detail = serializers.CharField()
    problems = serializers.ListField(child=serializers.CharField(), required=False)
    field = serializers.CharField(required=False, help_text="The input the refusal is about.")


# --- Eligibility ---------------------------------------------------------------------------------


class DepartmentRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class EligiblePersonSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    employee_id = serializers.CharField()
    name = serializers.CharField(source="full_name")


class EligibilityRuleOutputSerializer(serializers.Serializer):
    """Who may take one role; empty values mean "no limit"."""

    role = serializers.CharField(help_text="mentor or mentee")
    min_level = serializers.IntegerField(allow_null=True)
    max_level = serializers.IntegerField(allow_null=True)
    min_tenure_months = serializers.IntegerField(allow_null=True)
    departments = DepartmentRefSerializer(many=True)
    included = EligiblePersonSerializer(
        many=True, help_text="Eligible whatever the other fields say."
    )
    excluded = EligiblePersonSerializer(many=True, help_text="Never eligible.")


class EligibilityInputSerializer(serializers.Serializer):
    """The whole rule for one role (PUT replaces it; a field left out means "no limit")."""

    min_level = serializers.IntegerField(required=False, allow_null=True, default=None)
    max_level = serializers.IntegerField(required=False, allow_null=True, default=None)
    min_tenure_months = serializers.IntegerField(required=False, allow_null=True, default=None)
    departments = serializers.ListField(
        child=serializers.IntegerField(), required=False, default=list, help_text="Department ids."
    )
    included = serializers.ListField(
        child=serializers.IntegerField(),
        required=False,
        default=list,
        help_text="Person ids eligible whatever the other fields say.",
    )
    excluded = serializers.ListField(
        child=serializers.IntegerField(),
        required=False,
        default=list,
        help_text="Person ids never eligible.",
    )


# --- Checklist -----------------------------------------------------------------------------------


class ChecklistStepOutputSerializer(serializers.Serializer):
    key = serializers.CharField(source="step.key")
    title = serializers.CharField(source="step.title")
    explanation = serializers.CharField(source="step.explanation")
    done = serializers.BooleanField()
    done_at = serializers.DateTimeField(allow_null=True)
    url = serializers.CharField(help_text="The page where the step is done; empty if none yet.")


class ChecklistTickInputSerializer(serializers.Serializer):
    done = serializers.BooleanField(
        required=False, default=True, help_text="False takes the tick back."
    )


# --- Managers ------------------------------------------------------------------------------------


class ProgramManagerOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField(source="__str__")
    email = serializers.EmailField()


class ManagersInputSerializer(serializers.Serializer):
    managers = serializers.ListField(
        child=serializers.IntegerField(),
        help_text="User ids: active members with the program manager role or above.",
    )


# --- Playbooks -----------------------------------------------------------------------------------


class PlaybookSaveInputSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200)


class PlaybookOutputSerializer(serializers.ModelSerializer):
    """One of the organisation's own playbooks (create a program from it with ``playbook_id``)."""

    class Meta:
        model = Playbook
        fields = ["id", "name", "description", "format", "created_at"]


class BuiltinPlaybookOutputSerializer(serializers.Serializer):
    """A built-in playbook (create a program from it with ``playbook``)."""

    key = serializers.CharField()
    name = serializers.CharField()
    summary = serializers.CharField()
    format = serializers.ChoiceField(choices=Format.choices)


class PlaybookListOutputSerializer(serializers.Serializer):
    builtin = BuiltinPlaybookOutputSerializer(many=True)
    organisation = PlaybookOutputSerializer(many=True)
