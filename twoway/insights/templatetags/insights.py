"""How a published figure reads on a page: a suppressed one (``None``) is "<5"."""

from __future__ import annotations

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

from twoway.insights.suppression import MIN_GROUP

register = template.Library()


@register.filter
def figure(value: object) -> SafeString | object:
    if value is None:
        return format_html(
            '<span class="suppressed" title="Suppressed: fewer than {} people, or recoverable '
            'by subtraction">&lt;{}<span class="visually-hidden"> (suppressed)</span></span>',
            MIN_GROUP,
            MIN_GROUP,
        )
    return value


@register.filter
def percent(value: object) -> object:
    return "—" if value is None else f"{value}%"


@register.filter
def label(value: str) -> str:
    return value.replace("_", " ").capitalize()
