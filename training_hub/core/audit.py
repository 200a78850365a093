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
) -> None:
    await AuditEvent.insert(
        AuditEvent(
            actor=actor_id or None,  # 0: the command line, acting as the system
            action=action,
            entity=entity,
            entity_id=entity_id,
            data=data or {},
            reason=reason,
        )
    )
