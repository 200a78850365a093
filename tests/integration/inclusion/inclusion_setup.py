"""Building blocks for the inclusion tests: the people around one pathway, and the pathway itself.

The eligibility and referring-service texts are distinctive, so a test can look for them in every
feed, e-mail, log and export and be sure a match is a leak, not a coincidence.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from tests.factories import make_cooperative, make_person
from tests.support import as_user
from training_hub.core.tables import Cooperative, Person, TutorLink
from training_hub.core.timeutil import to_rome, utcnow
from training_hub.inclusion.records import ObjectiveInput, PathwayInput, create_pathway

ELIGIBILITY_BODY = "Commissione Zeta Riservatissima"
ELIGIBILITY_PROTOCOL = "PROT-ZX-99173"
ELIGIBILITY_CATEGORY = "trattamento_psichiatrico"
ELIGIBILITY_LABEL = "Soggetti in trattamento psichiatrico"
REFERRING_SERVICE = "Centro Psicosociale Ovest Quattordici"
SECRETS = (ELIGIBILITY_BODY, ELIGIBILITY_PROTOCOL, ELIGIBILITY_LABEL, REFERRING_SERVICE, ELIGIBILITY_CATEGORY)


@dataclass
class Cast:
    """Everyone a pathway concerns, and everyone it must stay hidden from."""

    admin: Person
    person: Person
    home: Cooperative
    host: Cooperative
    promoter: Person  # follows the person (tutor_link) and promotes the pathway
    host_tutor: Person
    host_coordinator: Person
    trainer: Person
    other_tutor: Person  # follows the person too, but is not one of the pathway's tutors
    worker: Person

    def role(self, name: str) -> Person:
        return getattr(self, name)


async def make_cast() -> Cast:
    home = await make_cooperative(name="Cooperativa Casa")
    host = await make_cooperative(name="Cooperativa Ospitante", province="BG", comune="Bergamo")
    person = await make_person("worker", cooperative=home, full_name="Ilaria Moretti")
    promoter = await make_person("tutor", cooperative=home, full_name="Sara Ricci")
    other_tutor = await make_person("tutor", cooperative=home, full_name="Nadia Conti")
    for tutor in (promoter, other_tutor):
        await TutorLink.insert(TutorLink(tutor=tutor.id, person=person.id))
    return Cast(
        admin=await make_person("admin", full_name="Giulia Ferrari"),
        person=person, home=home, host=host, promoter=promoter,
        host_tutor=await make_person("tutor", cooperative=host, full_name="Paolo Sala"),
        host_coordinator=await make_person("coordinator", cooperative=host, full_name="Elena Colombo"),
        trainer=await make_person("trainer", full_name="Marco Bianchi"),
        other_tutor=other_tutor,
        worker=await make_person("worker", cooperative=home, full_name="Luca Rossi"),
    )


def today() -> date:
    return to_rome(utcnow()).date()


def pathway_values(cast: Cast, **overrides: Any) -> dict[str, Any]:
    """A valid body for POST /api/people/{id}/inclusion-pathways."""
    start = today() - timedelta(days=60)
    values: dict[str, Any] = {
        "pathway_type": "tirocinio_inclusione",
        "referring_service": REFERRING_SERVICE,
        "host_cooperative_id": cast.host.id,
        "host_site": "Laboratorio di via Roma",
        "promoter_tutor_id": cast.promoter.id,
        "host_tutor_id": cast.host_tutor.id,
        "eligibility_category": ELIGIBILITY_CATEGORY,
        "eligibility_body": ELIGIBILITY_BODY,
        "eligibility_protocol": ELIGIBILITY_PROTOCOL,
        "eligibility_date": (start - timedelta(days=30)).isoformat(),
        "weekly_hours": 20,
        "starts_on": start.isoformat(),
        "ends_on": (start + timedelta(days=364)).isoformat(),
        "allowance": "350,50",
        "next_review_on": (today() + timedelta(days=10)).isoformat(),
        "objectives": [
            {"description": "Rispettare gli orari del laboratorio", "indicator": "9 giornate puntuali su 10"},
            {"description": "Assemblare in autonomia", "indicator": "Nessun aiuto per due settimane"},
        ],
    }
    values.update(overrides)
    return values


async def make_pathway(cast: Cast, **overrides: Any) -> int:
    """A pathway created through the service, by the promoter tutor."""
    values = pathway_values(cast, **overrides)
    objectives = [ObjectiveInput(**item) for item in values.pop("objectives")]
    return await create_pathway(as_user(cast.promoter), cast.person.id, PathwayInput(**values, objectives=objectives))
