"""The weekly availability grid: 168 hours stored in UTC, shown in the person's own time zone.

The stored week starts on Monday 00:00 UTC. Local hours are converted with the zone's offset on
the Monday of the week in question (the week the grid is filled in, or the week it is shown), one
offset for the whole week so that the conversion is a rotation and no hour is lost or doubled;
zones with a half-hour offset round to the hour. The grid keeps its meaning in UTC: someone in
London who ticks "Monday 09:00" in winter (09:00 UTC) sees "Monday 10:00" once summer time has
begun, because that is when the hour they offered now falls on their clock.
"""

from __future__ import annotations

import datetime as dt
import math
import zoneinfo
from collections.abc import Iterable

DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
HOURS = 24
WEEK = len(DAYS) * HOURS


def _zone(time_zone: str) -> zoneinfo.ZoneInfo:
    try:
        return zoneinfo.ZoneInfo(time_zone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo("UTC")


def offset_hours(time_zone: str, today: dt.date) -> int:
    """Hours to add to UTC to get local time, on the Monday of ``today``'s week at noon."""
    monday = today - dt.timedelta(days=today.weekday())
    noon = dt.datetime.combine(monday, dt.time(12), tzinfo=_zone(time_zone))
    offset = noon.utcoffset() or dt.timedelta(0)
    return math.ceil(offset.total_seconds() / 3600)


def local_slots_to_utc(slots: Iterable[tuple[int, int]], time_zone: str, today: dt.date) -> str:
    """Local (day 0-6 from Monday, hour 0-23) slots → the 168-character UTC string."""
    shift = offset_hours(time_zone, today)
    bits = ["0"] * WEEK
    for day, hour in slots:
        if not (0 <= day < len(DAYS) and 0 <= hour < HOURS):
            raise ValueError(f"No such hour of the week: day {day}, hour {hour}.")
        bits[(day * HOURS + hour - shift) % WEEK] = "1"
    return "".join(bits)


def utc_to_local_slots(utc: str, time_zone: str, today: dt.date) -> set[tuple[int, int]]:
    """The local (day, hour) slots of a stored UTC string, for showing the grid."""
    shift = offset_hours(time_zone, today)
    slots = set()
    for index, bit in enumerate(utc[:WEEK]):
        if bit == "1":
            local = (index + shift) % WEEK
            slots.add((local // HOURS, local % HOURS))
    return slots
