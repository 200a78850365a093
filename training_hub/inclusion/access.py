"""Who may see and change an inclusion pathway: the one access function every route goes through.

* **Full view** (everything, eligibility included): admins, and the pathway's promoter tutor and host
  tutor while they hold the tutor role.
* **Own view**: the person themself sees their project, objectives, courses, competences and outcome
  kind, never the eligibility (category and document), the referring service (its name can reveal the
  condition), the reasons (derogation, interruption) or the reviews.
* **Everyone else gets 404**, not 403: the host cooperative's coordinator, the trainers of the person's
  courses, other tutors, other workers must not even learn that a pathway exists.
* **Changing** a pathway (edit, reviews, competences, outcome): whoever has the full view.
* **Creating** one: admins, and tutors for the people they follow (``tutor_link``).

Every read and every change by someone other than the person leaves an audit row: who, when, which
record (``entity_id``), the action — never the content or the category (``data`` stays empty).
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from training_hub.core.audit import record_audit_event
from training_hub.core.db import fetch_one, is_possible_id
from training_hub.core.errors import NotFound
from training_hub.core.i18n import N_
from training_hub.core.identity import CurrentUser
from training_hub.core.tables import Role

AUDIT_ENTITY = "inclusion_pathway"
PATHWAY_NOT_FOUND = N_("Percorso di inclusione non trovato.")
PERSON_NOT_FOUND = N_("Persona non trovata.")


class Access(StrEnum):
    FULL = "full"
    OWN = "own"


class Action(StrEnum):
    """Audit actions (``audit_event.action``)."""

    READ = "inclusion.read"
    LISTED = "inclusion.listed"
    DOCUMENT = "inclusion.document"
    CREATED = "inclusion.created"
    UPDATED = "inclusion.updated"
    REVIEW_ADDED = "inclusion.review_added"
    COMPETENCE_ADDED = "inclusion.competence_added"
    OUTCOME_RECORDED = "inclusion.outcome_recorded"
    COUNTS_VIEWED = "inclusion.counts_viewed"


# The pathway with the names it shows, in one statement.
PATHWAY_SQL = (
    "SELECT ip.*, p.full_name AS person_name, p.email AS person_email, c.name AS host_cooperative_name, "
    "c.province AS host_province, pt.full_name AS promoter_tutor_name, ht.full_name AS host_tutor_name "
    "FROM inclusion_pathway ip JOIN person p ON p.id = ip.person "
    "LEFT JOIN cooperative c ON c.id = ip.host_cooperative "
    "LEFT JOIN person pt ON pt.id = ip.promoter_tutor LEFT JOIN person ht ON ht.id = ip.host_tutor "
    "WHERE ip.id = {}"
)


def access_level(actor: CurrentUser, pathway: dict[str, Any]) -> Access | None:
    """What ``actor`` may see of ``pathway`` (a row with ``person``, ``promoter_tutor``, ``host_tutor``)."""
    if actor.is_admin:
        return Access.FULL
    if actor.has_role(Role.TUTOR) and actor.id in (pathway["promoter_tutor"], pathway["host_tutor"]):
        return Access.FULL
    if actor.id == pathway["person"]:
        return Access.OWN
    return None


async def audit(actor: CurrentUser, action: str, pathway_id: int | None, *, person_id: int | None,
                data: dict[str, Any] | None = None) -> None:
    """Who, when, which record; nothing when the person reads their own."""
    if actor.id == person_id:
        return
    await record_audit_event(action, actor_id=actor.id, entity=AUDIT_ENTITY, entity_id=pathway_id, data=data,
                             person_id=person_id)


async def open_pathway(
    actor: CurrentUser, pathway_id: int, action: str = Action.READ, *, need: Access = Access.OWN
) -> tuple[dict[str, Any], Access]:
    """The pathway's row and what ``actor`` may see of it, audited; NotFound for anyone else.

    ``need=Access.FULL`` for changes and for what only full readers get (the individual record): the
    person asking for those gets the same 404 as a stranger.
    """
    row = await fetch_one(PATHWAY_SQL, pathway_id) if is_possible_id(pathway_id) else None
    level = access_level(actor, row) if row is not None else None
    if row is None or level is None or (need is Access.FULL and level is not Access.FULL):
        raise NotFound(PATHWAY_NOT_FOUND)
    await audit(actor, action, pathway_id, person_id=row["person"])
    return row, level


async def follows(tutor_id: int, person_id: int) -> bool:
    row = await fetch_one("SELECT 1 AS yes FROM tutor_link WHERE tutor = {} AND person = {}", tutor_id, person_id)
    return row is not None


async def check_may_create(actor: CurrentUser, person_id: int) -> dict[str, Any]:
    """The person a pathway is being created for; NotFound unless admin or a tutor following them."""
    person = (
        await fetch_one("SELECT id, full_name, cooperative, active FROM person WHERE id = {}", person_id)
        if is_possible_id(person_id) else None
    )
    allowed = person is not None and (
        actor.is_admin or (actor.has_role(Role.TUTOR) and actor.id != person_id and await follows(actor.id, person_id))
    )
    if not allowed:
        raise NotFound(PERSON_NOT_FOUND)
    return person  # type: ignore[return-value]
