"""Small helpers for the reports' hand-written SQL, portable between SQLite and PostgreSQL.

Placeholders are Piccolo's ``{}``; :class:`Sql` keeps text and arguments in step while a query is
assembled from optional pieces (filters), so the order of the arguments always matches.

Durations come from the stored instants (UTC): ``julianday`` on SQLite, ``EXTRACT(EPOCH …)`` on
PostgreSQL, in whole minutes rounded down as ``timeutil.minutes_between`` does. A lesson across a DST
change counts the time that really passed.

Months are Europe/Rome calendar months. Rather than a dialect-specific ``strftime``/``to_char`` (and
SQLite knows no time zones), the month boundaries are computed in Python (:func:`rome_months`, UTC
instants of each Rome midnight starting a month) and passed as parameters to a ``CASE`` expression:
the same SQL on both engines, exact for a lesson at 23:30 UTC on 31 October (00:30 on 1 November in
Rome), and the parameters take their type from the compared column on PostgreSQL.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from training_hub.core.db import fetch_all, is_sqlite
from training_hub.core.timeutil import rome_day_bounds


@dataclass
class Sql:
    parts: list[str] = field(default_factory=list)
    args: list[Any] = field(default_factory=list)

    def add(self, text: str, *args: Any) -> Sql:
        assert text.count("{}") == len(args), text
        self.parts.append(text)
        self.args.extend(args)
        return self

    def extend(self, other: Sql) -> Sql:
        self.parts.extend(other.parts)
        self.args.extend(other.args)
        return self

    @property
    def text(self) -> str:
        return " ".join(self.parts)

    async def fetch(self) -> list[dict[str, Any]]:
        return await fetch_all(self.text, *self.args)


def minutes_between_sql(start: str, end: str) -> str:
    """Whole minutes between two timestamp columns, rounded down like ``timeutil.minutes_between`` (what
    attendance counts a session as, and certificates are decided on): a lesson of 100 minutes and 40
    seconds is 100 minutes in both places. On SQLite the seconds are rounded first, because
    ``julianday`` is a float (an hour could come out as 59.99999 minutes)."""
    if is_sqlite():
        return f"(CAST(ROUND((julianday({end}) - julianday({start})) * 86400) AS INTEGER) / 60)"
    return f"CAST(FLOOR(EXTRACT(EPOCH FROM ({end} - {start})) / 60) AS INTEGER)"


def month_start(day: date) -> date:
    return day.replace(day=1)


def next_month(day: date) -> date:
    return date(day.year + (day.month == 12), day.month % 12 + 1, 1)


def rome_months(first: date, last: date) -> list[tuple[str, datetime, datetime]]:
    """``(YYYY-MM, start, end)`` for every Rome month touching ``first``..``last`` (UTC instants)."""
    months = []
    current = month_start(first)
    while current <= last:
        following = next_month(current)
        months.append((f"{current.year:04d}-{current.month:02d}", rome_day_bounds(current)[0],
                       rome_day_bounds(following)[0]))
        current = following
    return months


def month_case(column: str, months: list[tuple[str, datetime, datetime]]) -> Sql:
    """``CASE WHEN column < end_of_month_1 THEN 'YYYY-MM' …`` for values already inside the months."""
    sql = Sql().add("CASE")
    for label, _start, end in months:
        # The label is generated above from integers, never from input: safe to inline.
        sql.add(f"WHEN {column} < {{}} THEN '{label}'", end)
    return sql.add("END")


@dataclass(frozen=True)
class Period:
    """Europe/Rome calendar days ``first``..``last``, both included (a report's period, see reports/period.py)."""

    first: date
    last: date

    @property
    def start(self) -> datetime:
        """UTC instant of Rome midnight starting ``first``."""
        return rome_day_bounds(self.first)[0]

    @property
    def end(self) -> datetime:
        """UTC instant of Rome midnight after ``last`` (exclusive)."""
        return rome_day_bounds(self.last)[1]

    def months(self) -> list[tuple[str, datetime, datetime]]:
        return rome_months(self.first, self.last)

    def as_dict(self) -> dict[str, str]:
        return {"from": self.first.isoformat(), "to": self.last.isoformat()}
