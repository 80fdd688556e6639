from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from twoway.people.models import Department, Level, Person, Team, Topic
from twoway.people.services import person_set_manager


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ["employee_id", "first_name", "last_name", "organisation", "level", "is_active"]
    list_filter = ["organisation", "is_active"]
    search_fields = ["employee_id", "first_name", "last_name", "email"]
    raw_id_fields = ["manager", "user", "department", "team"]
    readonly_fields = ["chain_path"]
    list_select_related = ["organisation"]

    def save_model(self, request: HttpRequest, obj: Person, form: Any, change: bool) -> None:
        # A reporting line moves a whole subtree's chain paths: only the service does that.
        new_manager = obj.manager
        if change and "manager" in form.changed_data:
            obj.manager = Person.objects.get(pk=obj.pk).manager
            super().save_model(request, obj, form, change)
            person_set_manager(actor=request.user, person=obj, manager=new_manager)
            return
        if not change:
            obj.chain_path = new_manager.subtree_prefix if new_manager else ""
        super().save_model(request, obj, form, change)


for model in (Level, Department, Team, Topic):
    admin.site.register(
        model, list_display=["__str__", "organisation"], list_filter=["organisation"]
    )
