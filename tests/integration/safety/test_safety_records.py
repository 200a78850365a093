"""The recording half of the scadenzario (issue 16) on the services: safety roles replaced at once,
external attestati entered, corrected and deleted by the office, scans checked; who may do what; every
bad input a message on its field; a race of two role lists leaves one of them, whole."""

from __future__ import annotations

import asyncio
import json
from datetime import date

import pytest
from fpdf import FPDF

from tests.factories import make_cooperative, make_person
from tests.support import as_user
from training_hub.core.errors import NotFound, PermissionDenied, ValidationFailed
from training_hub.core.tables import AuditEvent
from training_hub.safety import external_trainings as trainings
from training_hub.safety import records
from training_hub.safety.external_trainings import ExternalTrainingInput, ScanUpload
from training_hub.safety.records import RoleInput
from training_hub.safety.tables import ExternalTraining, SafetyRole

# Born 01/01/1990 (tests/… demo worker's code).
CODICE_FISCALE = "RSSLCU90A01F205P"


def make_pdf(text: str = "Attestato di formazione") -> bytes:
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=12)
    pdf.cell(text=text)
    return bytes(pdf.output())


def attestato(**changes) -> ExternalTrainingInput:
    values = {"course_type": "antincendio_2", "completed_on": "2024-03-12", "hours": "8",
              "provider": "Vigili del fuoco di Milano", "certificate_number": "VVF-2024-118"}
    return ExternalTrainingInput(**{**values, **changes})


async def _cast():
    cooperative = await make_cooperative()
    person = await make_person(cooperative=cooperative, codice_fiscale=CODICE_FISCALE)
    office = as_user(await make_person("admin"))
    coordinator = as_user(await make_person("coordinator", cooperative=cooperative))
    return person, office, coordinator


async def test_roles_are_replaced_at_once_with_one_audit_row(admin):
    person, office, coordinator = await _cast()
    saved = await records.replace_safety_roles(coordinator, person.id, [
        RoleInput("worker", None, "2020-09-01"),
        RoleInput("antincendio", "2", "01/03/2025"),
        RoleInput("primo_soccorso", "B/C", "2025-04-01"),
    ])
    assert [(r["role"], r["level"], r["since"]) for r in saved] == [
        ("worker", None, date(2020, 9, 1)), ("antincendio", "2", date(2025, 3, 1)),
        ("primo_soccorso", "bc", date(2025, 4, 1))]
    assert saved[1]["label"] == "Addetto antincendio (livello 2)"
    saved = await records.replace_safety_roles(office, person.id, [RoleInput("preposto", None, "2025-06-10")])
    assert [r["role"] for r in saved] == ["preposto"]
    assert await SafetyRole.count().where(SafetyRole.person == person.id) == 1
    audit = await AuditEvent.select(AuditEvent.action, AuditEvent.person_id, AuditEvent.data) \
        .where(AuditEvent.action == "safety_roles.replaced")
    assert len(audit) == 2 and {row["person_id"] for row in audit} == {person.id}
    data = audit[1]["data"]
    assert (json.loads(data) if isinstance(data, str) else data)["to"] == ["preposto@2025-06-10"]
    # The same list again changes nothing and leaves no row.
    await records.replace_safety_roles(office, person.id, [RoleInput("preposto", None, "2025-06-10")])
    assert await AuditEvent.count().where(AuditEvent.action == "safety_roles.replaced") == 2
    assert await records.replace_safety_roles(office, person.id, []) == []


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        (RoleInput("preposto", None, "2027-01-10"), {"0.since": "La data di nomina non può essere nel futuro."}),
        (RoleInput("antincendio", None, "2025-01-10"), {"0.level": "Indica il livello antincendio (1, 2 o 3)."}),
        (RoleInput("antincendio", "4", "2025-01-10"), {"0.level": "Livello antincendio non valido: 1, 2 o 3."}),
        (RoleInput("primo_soccorso", "", "2025-01-10"),
         {"0.level": "Indica il gruppo di primo soccorso (A oppure B/C)."}),
        (RoleInput("preposto", "2", "2025-01-10"), {"0.level": "Questo ruolo non ha un livello."}),
        (RoleInput("astronauta", None, "2025-01-10"), {"0.role": "Ruolo sconosciuto."}),
        (RoleInput("preposto", None, "31/02/2025"), {"0.since": "Data non valida: usa il formato 25/11/2026."}),
        (RoleInput("preposto", None, ""), {"0.since": "Indica la data di nomina."}),
    ],
)
async def test_bad_roles_are_refused_field_by_field_and_change_nothing(role, expected):
    person, office, _ = await _cast()
    await records.replace_safety_roles(office, person.id, [RoleInput("worker", None, "2020-01-01")])
    with pytest.raises(ValidationFailed) as refused:
        await records.replace_safety_roles(office, person.id, [role])
    assert refused.value.field_errors == expected
    assert [r["role"] for r in await records.list_safety_roles(office, person.id)] == ["worker"]


async def test_a_role_twice_is_refused():
    person, office, _ = await _cast()
    with pytest.raises(ValidationFailed) as refused:
        await records.replace_safety_roles(office, person.id, [RoleInput("rls", None, "2024-01-01"),
                                                                RoleInput("rls", None, "2025-01-01")])
    assert refused.value.field_errors == {"1.role": "Ruolo indicato due volte."}


async def test_who_may_record_roles():
    person, office, coordinator = await _cast()
    other_coordinator = as_user(await make_person("coordinator", cooperative=await make_cooperative()))
    worker_alone = as_user(await make_person("worker", cooperative=person.cooperative))
    trainer = as_user(await make_person("trainer"))
    roles = [RoleInput("worker", None, "2020-01-01")]
    for outsider in (other_coordinator, worker_alone, trainer):
        with pytest.raises(NotFound):
            await records.replace_safety_roles(outsider, person.id, roles)
        with pytest.raises(NotFound):
            await records.list_safety_roles(outsider, person.id)
    # The person sees her roles and cannot change them.
    with pytest.raises(PermissionDenied):
        await records.replace_safety_roles(as_user(person), person.id, roles)
    await records.replace_safety_roles(coordinator, person.id, roles)
    assert [r["role"] for r in await records.list_safety_roles(as_user(person), person.id)] == ["worker"]
    with pytest.raises(NotFound):
        await records.list_safety_roles(office, 10**12)
    assert await SafetyRole.count() == 1


async def test_two_role_lists_at_the_same_instant_leave_one_of_them_whole():
    person, office, coordinator = await _cast()
    first = [RoleInput("worker", None, "2020-01-01"), RoleInput("rls", None, "2024-05-01")]
    second = [RoleInput("preposto", None, "2025-06-10"), RoleInput("antincendio", "1", "2023-02-01"),
              RoleInput("aspp", None, "2022-01-01")]
    for _ in range(3):
        await asyncio.gather(records.replace_safety_roles(office, person.id, first),
                             records.replace_safety_roles(coordinator, person.id, second))
        stored = {row["role"] for row in await SafetyRole.select(SafetyRole.role).where(SafetyRole.person == person.id)}
        assert stored in ({"worker", "rls"}, {"preposto", "antincendio", "aspp"})


async def test_the_office_records_corrects_and_deletes_an_external_attestato():
    person, office, coordinator = await _cast()
    created = await trainings.record_external_training(office, person.id, attestato(hours="8,5"))
    assert created["course_title"] == "Antincendio — livello 2" or created["course_type"] == "antincendio_2"
    assert created["hours"] == 8.5 and created["completed_on"] == date(2024, 3, 12) and not created["has_scan"]
    assert (await ExternalTraining.select(ExternalTraining.minutes).first())["minutes"] == 510
    listed = await trainings.list_external_trainings(coordinator, person.id)
    assert [row["id"] for row in listed] == [created["id"]]
    assert [row["id"] for row in await trainings.list_external_trainings(as_user(person), person.id)] == [created["id"]]
    fixed = await trainings.update_external_training(office, person.id, created["id"],
                                                     attestato(completed_on="2024-03-13", hours=5))
    assert fixed["completed_on"] == date(2024, 3, 13) and fixed["hours"] == 5
    await trainings.delete_external_training(office, person.id, created["id"])
    assert await trainings.list_external_trainings(office, person.id) == []
    actions = [row["action"] for row in await AuditEvent.select(AuditEvent.action)
               .where(AuditEvent.entity == "external_training").order_by(AuditEvent.id)]
    assert actions == ["external_training.created", "external_training.updated", "external_training.deleted"]
    assert await AuditEvent.count().where((AuditEvent.entity == "external_training")
                                          & (AuditEvent.person_id == person.id)) == 3


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"hours": "0"}, {"hours": "Le ore devono essere più di zero."}),
        ({"hours": "-2"}, {"hours": "Le ore devono essere più di zero."}),
        ({"hours": "0,001"}, {"hours": "Le ore devono essere più di zero."}),
        ({"hours": "tante"}, {"hours": "Ore non valide: scrivi un numero, per esempio 4 o 4,5."}),
        ({"hours": ""}, {"hours": "Indica le ore riportate sull'attestato."}),
        ({"hours": "480"}, {"hours": "Al massimo 200 ore: controlla le ore riportate sull'attestato."}),
        ({"completed_on": "1989-12-31"}, {"completed_on": "La data di fine corso è precedente alla data di nascita."}),
        ({"completed_on": "2027-01-01"}, {"completed_on": "La data di fine corso non può essere nel futuro."}),
        ({"completed_on": ""}, {"completed_on": "Indica la data di fine corso riportata sull'attestato."}),
        ({"completed_on": "ieri"}, {"completed_on": "Data non valida: usa il formato 25/11/2026."}),
        ({"course_type": "pilota"}, {"course_type": "Tipo di corso sconosciuto."}),
        ({"provider": "Ente\nfalso"}, {"provider": "Il testo contiene caratteri di controllo non ammessi "
                                                   "(a capo, tabulazioni o simili)."}),
        ({"certificate_number": "X" * 61}, {"certificate_number": "Il testo è troppo lungo: al massimo 60 caratteri."}),
    ],
)
async def test_bad_attestati_are_refused_field_by_field(changes, expected):
    person, office, _ = await _cast()
    with pytest.raises(ValidationFailed) as refused:
        await trainings.record_external_training(office, person.id, attestato(**changes))
    assert refused.value.field_errors == expected
    assert await ExternalTraining.count() == 0


async def test_without_a_codice_fiscale_the_birth_is_not_checked():
    cooperative = await make_cooperative()
    person = await make_person(cooperative=cooperative)
    office = as_user(await make_person("admin"))
    created = await trainings.record_external_training(office, person.id, attestato(completed_on="1985-01-01"))
    assert created["completed_on"] == date(1985, 1, 1)


async def test_only_the_office_enters_attestati_the_coordinator_and_the_person_read_them():
    person, office, coordinator = await _cast()
    created = await trainings.record_external_training(office, person.id, attestato(),
                                                       ScanUpload(make_pdf(), "scansione attestato.pdf"))
    for reader in (coordinator, as_user(person)):
        with pytest.raises(PermissionDenied):
            await trainings.record_external_training(reader, person.id, attestato())
        with pytest.raises(PermissionDenied):
            await trainings.update_external_training(reader, person.id, created["id"], attestato())
        with pytest.raises(PermissionDenied):
            await trainings.delete_external_training(reader, person.id, created["id"])
        content, filename = await trainings.read_scan(reader, person.id, created["id"])
        assert content.startswith(b"%PDF-") and filename == "scansione-attestato.pdf"
    other_coordinator = as_user(await make_person("coordinator", cooperative=await make_cooperative()))
    for outsider in (other_coordinator, as_user(await make_person("worker", cooperative=person.cooperative))):
        with pytest.raises(NotFound):
            await trainings.read_scan(outsider, person.id, created["id"])
        with pytest.raises(NotFound):
            await trainings.list_external_trainings(outsider, person.id)
    # An attestato of someone else through this person's address is not found.
    stranger = await make_person(cooperative=person.cooperative)
    with pytest.raises(NotFound):
        await trainings.delete_external_training(office, stranger.id, created["id"])
    assert await ExternalTraining.count() == 1


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"", "Il file è vuoto: scegli la scansione PDF dell'attestato."),
        (b"\x89PNG\r\n\x1a\n" + b"0" * 100, "Il file non è un PDF leggibile: carica la scansione in formato PDF."),
        (b"%PDF-1.4\nnot really\n%%EOF", "Il file non è un PDF leggibile: carica la scansione in formato PDF."),
        (make_pdf()[:300], "Il file non è un PDF leggibile: carica la scansione in formato PDF."),
        (make_pdf() + b"%" * (5 * 1024 * 1024), "Il file è troppo grande: al massimo 5 MB."),
    ],
)
async def test_a_scan_must_be_a_readable_pdf_of_at_most_5_mb(content, expected):
    person, office, _ = await _cast()
    with pytest.raises(ValidationFailed) as refused:
        await trainings.record_external_training(office, person.id, attestato(), ScanUpload(content, "a.pdf"))
    assert refused.value.field_errors == {"scan": expected}
    created = await trainings.record_external_training(office, person.id, attestato())
    with pytest.raises(ValidationFailed):
        await trainings.attach_scan(office, person.id, created["id"], ScanUpload(content, "a.pdf"))
    with pytest.raises(NotFound):
        await trainings.read_scan(office, person.id, created["id"])


async def test_a_scan_is_replaced_and_removed_and_never_in_the_audit():
    person, office, _ = await _cast()
    created = await trainings.record_external_training(office, person.id, attestato())
    await trainings.attach_scan(office, person.id, created["id"], ScanUpload(make_pdf("uno"), "../../etc/passwd"))
    assert (await trainings.read_scan(office, person.id, created["id"]))[1] == "passwd.pdf"
    updated = await trainings.update_external_training(office, person.id, created["id"], attestato(), remove_scan=True)
    assert not updated["has_scan"] and updated["scan_filename"] == ""
    assert b"%PDF" not in str(await AuditEvent.select(AuditEvent.data)).encode()
