"""API output of calendars: the caller's feed links."""

from __future__ import annotations

import msgspec


class CalendarLinksOut(msgspec.Struct):
    calendar_url: str
    cooperative_calendar_url: str | None
