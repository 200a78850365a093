"""msgspec structs of the safety record's API (roles and external attestati).

Kept beside ``schemas.py`` rather than in it: the recording half of the scadenzario (issue 16) was built
at the same time as the status half, which extends ``schemas.py``.
"""

from __future__ import annotations

import datetime

import msgspec

from training_hub.core.schemas import Instant

UNSET = msgspec.UNSET
UnsetType = msgspec.UnsetType


class SafetyRoleIn(msgspec.Struct):
    """``level``: antincendio "1"/"2"/"3", primo soccorso "A" or "B/C"; null for the other roles.
    ``since``: the date appointed, ``YYYY-MM-DD``."""

    role: str
    since: str | None = None
    level: str | int | None = None


class SafetyRoleOut(msgspec.Struct):
    role: str
    level: str | None
    since: datetime.date
    label: str


class ExternalTrainingIn(msgspec.Struct):
    course_type: str
    completed_on: str | None = None
    hours: float | str | None = None
    provider: str = ""
    certificate_number: str = ""


class ExternalTrainingPatch(msgspec.Struct):
    course_type: str | UnsetType = UNSET
    completed_on: str | None | UnsetType = UNSET
    hours: float | str | None | UnsetType = UNSET
    provider: str | UnsetType = UNSET
    certificate_number: str | UnsetType = UNSET


class ExternalTrainingOut(msgspec.Struct):
    id: int
    person_id: int
    course_type: str
    course_title: str
    completed_on: datetime.date
    hours: float
    provider: str
    certificate_number: str
    has_scan: bool
    scan_filename: str
    recorded_at: Instant
