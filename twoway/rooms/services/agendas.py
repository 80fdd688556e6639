"""Agendas: the organisation's and programs' agenda templates, and a session's agenda.

Organisation templates (no program) are managed by the organisation's admins; a program's by
its managers and the admins. A session's members attach a template (a copy of its items, so a
later edit of the template does not change past agendas), add items and tick them off.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db import transaction
from django.db.models import Count, Max

from twoway.core.errors import ApplicationError
from twoway.core.models import Membership, Role
from twoway.programs.models import Program
from twoway.programs.selectors import program_list_managed
from twoway.rooms.access import Seat, require_live
from twoway.rooms.agendas import BUILTIN_BY_KEY
from twoway.rooms.models import AgendaItem, AgendaTemplate, Session

NAME_MAX = 120
DESCRIPTION_MAX = 300
ITEM_MAX = 300
TEMPLATE_MAX_ITEMS = 20
SESSION_MAX_ITEMS = 50


def can_manage_templates(*, membership: Membership, program: Program | None) -> bool:
    if program is None:
        return membership.has_role(Role.ADMIN)
    if program.organisation_id != membership.organisation_id:
        return False
    return program_list_managed(membership=membership).filter(pk=program.pk).exists()


def _check_permission(membership: Membership, program: Program | None) -> None:
    if not can_manage_templates(membership=membership, program=program):
        if program is None:
            raise ApplicationError("Only the organisation's admins manage its agenda templates.")
        raise ApplicationError(
            "Only this program's managers and the organisation's admins manage its agenda "
            "templates."
        )


def _clean(name: str, description: str, items: Sequence[str]) -> tuple[str, str, list[str]]:
    name, description = name.strip(), description.strip()
    if not name:
        raise ApplicationError("Name: give the template a name.")
    if len(name) > NAME_MAX:
        raise ApplicationError(f"Name: at most {NAME_MAX} characters; this one has {len(name)}.")
    if len(description) > DESCRIPTION_MAX:
        raise ApplicationError(
            f"Description: at most {DESCRIPTION_MAX} characters; this one has {len(description)}."
        )
    cleaned = [item.strip() for item in items if item.strip()]
    if not 1 <= len(cleaned) <= TEMPLATE_MAX_ITEMS:
        raise ApplicationError(
            f"Items: a template has 1 to {TEMPLATE_MAX_ITEMS} items; this one has {len(cleaned)}."
        )
    for number, item in enumerate(cleaned, start=1):
        if len(item) > ITEM_MAX:
            raise ApplicationError(
                f"Items: item {number} has {len(item)} characters; each may have at most "
                f"{ITEM_MAX}."
            )
    return name, description, cleaned


@transaction.atomic
def agenda_template_create(
    *,
    membership: Membership,
    program: Program | None,
    name: str,
    description: str = "",
    items: Sequence[str],
) -> AgendaTemplate:
    _check_permission(membership, program)
    name, description, cleaned = _clean(name, description, items)
    return AgendaTemplate.objects.create(
        organisation=membership.organisation,
        program=program,
        name=name,
        description=description,
        items=cleaned,
    )


@transaction.atomic
def agenda_template_update(
    *,
    membership: Membership,
    template: AgendaTemplate,
    name: str,
    description: str = "",
    items: Sequence[str],
) -> AgendaTemplate:
    _check_permission(membership, template.program)
    template.name, template.description, template.items = _clean(name, description, items)
    template.save(update_fields=["name", "description", "items", "updated_at"])
    return template


@transaction.atomic
def agenda_template_delete(*, membership: Membership, template: AgendaTemplate) -> None:
    _check_permission(membership, template.program)
    template.delete()


def _template_items(seat: Seat, template_key: str) -> list[str]:
    kind, _, value = template_key.partition(":")
    missing = ApplicationError("Agenda: this template does not exist; choose one from the list.")
    if kind == "builtin":
        agenda = BUILTIN_BY_KEY.get(value)
        if agenda is None:
            raise missing
        return list(agenda.items)
    if kind == "template" and value.isdigit():
        mentorship = seat.mentorship
        template = (
            AgendaTemplate.objects.for_organisation(mentorship.organisation)
            .filter(pk=int(value))
            .first()
        )
        # Another program's template answers like a missing one.
        if template is None or template.program_id not in (None, mentorship.program_id):
            raise missing
        return list(template.items)
    raise missing


def _check_session(seat: Seat, session: Session) -> None:
    require_live(seat)
    if session.mentorship_id != seat.mentorship.pk:
        raise ApplicationError("This session does not exist.")
    if session.status != Session.Status.SCHEDULED:
        raise ApplicationError("This session was cancelled; its agenda can no longer change.")


@transaction.atomic
def agenda_attach(*, seat: Seat, session: Session, template_key: str) -> list[AgendaItem]:
    """Replace the session's agenda with a copy of a template's items."""
    _check_session(seat, session)
    texts = _template_items(seat, template_key)
    AgendaItem.objects.filter(session=session).delete()
    return AgendaItem.objects.bulk_create(
        [
            AgendaItem(
                organisation=seat.mentorship.organisation,
                session=session,
                position=position,
                text=text[:ITEM_MAX],
            )
            for position, text in enumerate(texts, start=1)
        ]
    )


@transaction.atomic
def agenda_item_add(*, seat: Seat, session: Session, text: str) -> AgendaItem:
    _check_session(seat, session)
    text = text.strip()
    if not text:
        raise ApplicationError("Item: write what the item is about.")
    if len(text) > ITEM_MAX:
        raise ApplicationError(f"Item: at most {ITEM_MAX} characters; this one has {len(text)}.")
    existing = AgendaItem.objects.filter(session=session).aggregate(
        last=Max("position"), count=Count("id")
    )
    if existing["count"] >= SESSION_MAX_ITEMS:
        raise ApplicationError(f"Item: an agenda has at most {SESSION_MAX_ITEMS} items.")
    return AgendaItem.objects.create(
        organisation=seat.mentorship.organisation,
        session=session,
        position=(existing["last"] or 0) + 1,
        text=text,
    )


@transaction.atomic
def agenda_item_tick(*, seat: Seat, item: AgendaItem, done: bool) -> AgendaItem:
    require_live(seat)
    if item.session.mentorship_id != seat.mentorship.pk:
        raise ApplicationError("This agenda item does not exist.")
    item.done = done
    item.done_by = seat.member if done else None
    item.save(update_fields=["done", "done_by", "updated_at"])
    return item
