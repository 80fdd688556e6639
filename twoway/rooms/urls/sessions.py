"""Routes of the room's session pages, the calendar feed page and the agenda templates."""

from django.urls import path

from twoway.rooms.views import sessions as views

S = "<int:mentorship_id>/sessions/<int:session_id>/"

urlpatterns = [
    path("<int:mentorship_id>/sessions/", views.session_list, name="sessions"),
    path("<int:mentorship_id>/sessions/new/", views.session_new, name="session_new"),
    path(S, views.session_detail, name="session"),
    path(f"{S}edit/", views.session_edit, name="session_edit"),
    path(f"{S}cancel/", views.session_cancel, name="session_cancel"),
    path(f"{S}attendance/", views.session_attendance, name="session_attendance"),
    path(f"{S}agenda/attach/", views.agenda_attach, name="session_agenda_attach"),
    path(f"{S}agenda/items/", views.agenda_item_add, name="session_agenda_add"),
    path(
        f"{S}agenda/items/<int:item_id>/tick/", views.agenda_item_tick, name="session_agenda_tick"
    ),
    path(f"{S}session.ics", views.session_ics, name="session_ics"),
    path("calendar/", views.calendar, name="calendar"),
    path("calendar/revoke/", views.calendar_revoke, name="calendar_revoke"),
    path("agendas/", views.agenda_templates, name="agenda_templates"),
    path(
        "agendas/program/<int:program_id>/",
        views.agenda_templates_program,
        name="agenda_templates_program",
    ),
    path(
        "agendas/<int:template_id>/edit/", views.agenda_template_edit, name="agenda_template_edit"
    ),
    path(
        "agendas/<int:template_id>/delete/",
        views.agenda_template_delete,
        name="agenda_template_delete",
    ),
]
