"""Read-only REST representations of the people directory."""

from __future__ import annotations

from rest_framework import serializers

from twoway.people.models import Person


class PersonListFilterSerializer(serializers.Serializer):
    """Query parameters of the directory list (the same filters as the directory page)."""

    q = serializers.CharField(
        required=False, allow_blank=True, max_length=200, help_text="Words to search for."
    )
    department = serializers.IntegerField(required=False, min_value=1)
    team = serializers.IntegerField(required=False, min_value=1)
    level = serializers.IntegerField(required=False, min_value=1)
    topic = serializers.IntegerField(
        required=False, min_value=1, help_text="Someone linked to this topic in any way."
    )


class NamedRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class PersonRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    full_name = serializers.CharField()
    job_title = serializers.CharField()


class PersonListOutputSerializer(serializers.ModelSerializer):
    full_name = serializers.CharField(read_only=True)
    level_label = serializers.CharField(read_only=True, allow_null=True)
    department = NamedRefSerializer(read_only=True, allow_null=True)
    team = NamedRefSerializer(read_only=True, allow_null=True)
    manager = PersonRefSerializer(read_only=True, allow_null=True)
    shares = serializers.SerializerMethodField(help_text="Topics this person can share.")

    class Meta:
        model = Person
        fields = [
            "id",
            "employee_id",
            "first_name",
            "last_name",
            "full_name",
            "email",
            "job_title",
            "level",
            "level_label",
            "department",
            "team",
            "manager",
            "shares",
            "is_active",
        ]
        read_only_fields = fields

    def get_shares(self, person: Person) -> list[str]:
        return [link.topic.name for link in getattr(person, "shared_topic_links", [])]


class TopicsSerializer(serializers.Serializer):
    shares = serializers.ListField(child=serializers.CharField())
    learns = serializers.ListField(child=serializers.CharField())
    interest = serializers.ListField(child=serializers.CharField())


class PersonDetailOutputSerializer(PersonListOutputSerializer):
    shares = None  # type: ignore[assignment]  # the detail lists every topic under "topics"
    languages = serializers.ListField(child=serializers.CharField(), read_only=True)
    topics = TopicsSerializer(read_only=True)

    class Meta(PersonListOutputSerializer.Meta):
        fields = [
            *(
                f
                for f in PersonListOutputSerializer.Meta.fields
                if f not in {"shares", "is_active"}
            ),
            "location",
            "time_zone",
            "hire_date",
            "languages",
            "is_active",
            "topics",
        ]
        read_only_fields = fields


class PersonChainOutputSerializer(serializers.Serializer):
    person = PersonRefSerializer()
    managers = PersonRefSerializer(many=True, help_text="The person's managers, top first.")
    direct_reports_count = serializers.IntegerField()
    all_reports_count = serializers.IntegerField(help_text="Everyone below, at any depth.")
