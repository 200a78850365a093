"""Who may see and change a cooperative's training year.

* **admins** (the training office) see and change every cooperative's needs and plan lines, approve
  plans and keep the budgets;
* a **coordinator** sees and changes her own cooperative's needs and plan lines, and sees its budgets;
  another cooperative does not exist for her ("not found", as everywhere else);
* anyone else is refused (403): the training year is the office's and the coordinators' tool.
"""

from __future__ import annotations

from typing import Any

from training_hub.core.db import fetch_one, is_possible_id
from training_hub.core.errors import NotFound, PermissionDenied
from training_hub.core.i18n import N_
from training_hub.core.identity import CurrentUser
from training_hub.core.tables import Role

NO_ACCESS = N_("Fabbisogni, piano formativo e budget sono gestiti dai coordinatori e dall'ufficio formazione.")
OFFICE_ONLY = N_("Solo l'ufficio formazione può farlo.")
COOPERATIVE_NOT_FOUND = N_("Cooperativa non trovata.")


def require_planner(user: CurrentUser) -> None:
    if not (user.is_admin or user.has_role(Role.COORDINATOR)):
        raise PermissionDenied(NO_ACCESS)


def require_office(user: CurrentUser) -> None:
    if not user.is_admin:
        raise PermissionDenied(OFFICE_ONLY)


def may_open(user: CurrentUser, cooperative_id: int | None) -> bool:
    return user.is_admin or (cooperative_id is not None and user.has_role(Role.COORDINATOR)
                             and user.cooperative_id == cooperative_id)


async def open_cooperative(user: CurrentUser, cooperative_id: int) -> dict[str, Any]:
    """The cooperative (id, name) whose training year the user may see and change; 403 or 404 otherwise."""
    require_planner(user)
    if not may_open(user, cooperative_id) or not is_possible_id(cooperative_id):
        raise NotFound(COOPERATIVE_NOT_FOUND)
    row = await fetch_one("SELECT id, name FROM cooperative WHERE id = {}", cooperative_id)
    if row is None:
        raise NotFound(COOPERATIVE_NOT_FOUND)
    return row
