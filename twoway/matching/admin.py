"""Read-mostly admin for matching: runs and their proposals are written by the services only."""

from django.contrib import admin

from twoway.matching.models import MatchingSettings, MatchRun, PairExclusion


@admin.register(MatchingSettings)
class MatchingSettingsAdmin(admin.ModelAdmin):
    list_display = ["program", "organisation", "min_shared_hours", "self_service"]
    list_select_related = ["program", "organisation"]
    raw_id_fields = ["program"]


@admin.register(MatchRun)
class MatchRunAdmin(admin.ModelAdmin):
    list_display = ["id", "program", "kind", "status", "matched", "unmatched", "created_at"]
    list_filter = ["status", "kind"]
    list_select_related = ["program"]
    readonly_fields = [f.name for f in MatchRun._meta.fields]

    def has_add_permission(self, request: object) -> bool:
        return False


@admin.register(PairExclusion)
class PairExclusionAdmin(admin.ModelAdmin):
    list_display = ["program", "person_a", "person_b", "reason"]
    list_select_related = ["program", "person_a", "person_b"]
    raw_id_fields = ["program", "person_a", "person_b", "created_by"]
