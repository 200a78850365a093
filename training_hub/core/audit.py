"""Audit trail: who changed what, when and why. Never special-category data in ``data``."""

from __future__ import annotations

from typing import Any

from training_hub.core.tables import AuditEvent


async def record_audit_event(
    action: str,
    *,
    actor_id: int | None,
    entity: str,
    entity_id: int | None = None,
    data: dict[str, Any] | None = None,
    reason: str = "",
    person_id: int | None = None,
    course_id: int | None = None,
) -> None:
    """One row of the trail. ``person_id`` and ``course_id`` (whom and which course it concerns, for
    the office's filters) default to the entity itself when it is a person or a course, else to the
    ``person_id`` / ``course_id`` (or ``course``) named in ``data``."""
    data = data or {}
    if person_id is None:
        person_id = entity_id if entity == "person" else _int(data.get("person_id"))
    if course_id is None:
        course_id = entity_id if entity == "course" else _int(data.get("course_id", data.get("course")))
    await AuditEvent.insert(
        AuditEvent(
            actor=actor_id or None,  # 0: the command line, acting as the system
            action=action,
            entity=entity,
            entity_id=entity_id,
            data=data,
            reason=reason,
            person_id=person_id,
            course_id=course_id,
        )
    )


def _int(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None
