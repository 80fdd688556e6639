"""REST routes of the room's sessions, agendas and agenda templates."""

from django.urls import path

from twoway.rooms.api import sessions as api

S = "<int:mentorship_id>/sessions/<int:session_id>/"

urlpatterns = [
    path("<int:mentorship_id>/sessions/", api.SessionListApi.as_view(), name="sessions"),
    path(S, api.SessionDetailApi.as_view(), name="session"),
    path(f"{S}cancel/", api.SessionCancelApi.as_view(), name="session_cancel"),
    path(f"{S}attendance/", api.SessionAttendanceApi.as_view(), name="session_attendance"),
    path(
        f"{S}agenda/templates/",
        api.SessionAgendaTemplatesApi.as_view(),
        name="session_agenda_templates",
    ),
    path(f"{S}agenda/attach/", api.SessionAgendaAttachApi.as_view(), name="session_agenda_attach"),
    path(f"{S}agenda/items/", api.SessionAgendaItemApi.as_view(), name="session_agenda_add"),
    path(
        f"{S}agenda/items/<int:item_id>/",
        api.SessionAgendaTickApi.as_view(),
        name="session_agenda_tick",
    ),
    path(f"{S}session.ics", api.SessionIcsApi.as_view(), name="session_ics"),
    path("agendas/", api.AgendaTemplateListApi.as_view(), name="agenda_templates"),
    path(
        "agendas/<int:template_id>/",
        api.AgendaTemplateDetailApi.as_view(),
        name="agenda_template",
    ),
]
