"""Who may export or erase a person's data (one rule, used by the API, the pages and the PDF)."""

from __future__ import annotations

from training_hub.core.errors import NotFound, PermissionDenied
from training_hub.core.i18n import N_
from training_hub.core.identity import CurrentUser
from training_hub.core.tables import Person


async def ensure_may_export(actor: CurrentUser, person_id: int) -> None:
    """The person themself, or the training office. Anyone else: 404, as for a person that does not exist."""
    if actor.id != person_id and not actor.is_admin:
        raise NotFound(N_("Persona non trovata."))
    if not await Person.exists().where(Person.id == person_id):
        raise NotFound(N_("Persona non trovata."))


def may_manage_personal_data(actor: CurrentUser) -> bool:
    """Whether ``actor`` exports anyone's data and erases people: the training office."""
    return actor.is_admin


async def ensure_may_erase(actor: CurrentUser, person_id: int) -> None:
    """The training office only, and not on themself (someone else must be able to check the request)."""
    if not may_manage_personal_data(actor):
        raise PermissionDenied(N_("Solo l'ufficio formazione può cancellare i dati di una persona."))
    if actor.id == person_id:
        raise PermissionDenied(N_("Non puoi cancellare i tuoi stessi dati: chiedilo a un'altra persona dell'ufficio."))
    if not await Person.exists().where(Person.id == person_id):
        raise NotFound(N_("Persona non trovata."))
