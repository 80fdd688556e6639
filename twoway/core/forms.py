"""Helpers shared by the forms of every app."""

from __future__ import annotations

from django import forms

from twoway.core.errors import ApplicationError


def add_refusal(form: forms.Form, error: ApplicationError) -> None:
    """Show a service's refusal next to the field it names (``error.extra["field"]``), or above
    the form when it names none or a hidden one."""
    field = error.extra.get("field")
    visible = field in form.fields and not form.fields[field].widget.is_hidden
    form.add_error(field if visible else None, error.message)
