"""Mentorships in the admin: metadata only (who, when, status), never a room's content."""

from django.contrib import admin

from twoway.mentorships.models import Mentorship, MentorshipMember


class MemberInline(admin.TabularInline):
    model = MentorshipMember
    fields = ["person", "user", "role"]
    raw_id_fields = ["person", "user"]
    extra = 0


@admin.register(Mentorship)
class MentorshipAdmin(admin.ModelAdmin):
    list_display = ["id", "program", "kind", "status", "origin", "started_at"]
    list_filter = ["kind", "status", "origin"]
    list_select_related = ["program"]
    raw_id_fields = ["program"]
    inlines = [MemberInline]
