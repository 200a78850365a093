"""The safety record through HTTP: the API (roles, external attestati, scans, 422 problem+json with the
fields), the record page and its forms (CSRF), the cooperative's risk class and headcount per year, and
the statement count of the record page (constant whatever the number of attestati)."""

from __future__ import annotations

import asyncio
from datetime import date

from tests.factories import make_cooperative, make_person
from tests.integration.safety.test_safety_records import CODICE_FISCALE, make_pdf
from tests.support import bearer, login, post_form
from training_hub.core.tables import Cooperative, CooperativeHeadcount
from training_hub.safety.tables import ExternalTraining, SafetyRole

BODY = {"course_type": "preposto", "completed_on": "2025-06-10", "hours": 12, "provider": "Ente Bilaterale",
        "certificate_number": "EB-77"}


async def _cast():
    cooperative = await make_cooperative()
    person = await make_person(cooperative=cooperative, codice_fiscale=CODICE_FISCALE, full_name="Luca Rossi")
    office = await make_person("admin", email="ufficio@example.test")
    coordinator = await make_person("coordinator", cooperative=cooperative, email="coord@example.test")
    return cooperative, person, office, coordinator


async def test_roles_through_the_api(client):
    _, person, office, coordinator = await _cast()
    url = f"/api/people/{person.id}/safety-roles"
    body = [{"role": "antincendio", "level": "2", "since": "2025-02-01"}, {"role": "rls", "since": "2024-01-10"}]
    response = await client.put(url, json=body, headers=await bearer(coordinator))
    assert response.status_code == 200, response.text
    assert response.json() == [
        {"role": "rls", "level": None, "since": "2024-01-10",
         "label": "Rappresentante dei lavoratori per la sicurezza (RLS)"},
        {"role": "antincendio", "level": "2", "since": "2025-02-01", "label": "Addetto antincendio (livello 2)"},
    ]
    bad = await client.put(url, json=[{"role": "antincendio", "since": "2030-01-01"}], headers=await bearer(office))
    assert bad.status_code == 422 and bad.headers["content-type"].startswith("application/problem+json")
    assert {e["field"] for e in bad.json()["errors"]} == {"0.level", "0.since"}
    assert (await client.get(url, headers=await bearer(person))).status_code == 200
    assert (await client.put(url, json=[], headers=await bearer(person))).status_code == 403
    outsider = await make_person("coordinator", cooperative=await make_cooperative())
    assert (await client.put(url, json=[], headers=await bearer(outsider))).status_code == 404
    assert await SafetyRole.count().where(SafetyRole.person == person.id) == 2


async def test_a_race_of_two_role_lists_through_the_api_leaves_one(client):
    _, person, office, coordinator = await _cast()
    url = f"/api/people/{person.id}/safety-roles"
    first = [{"role": "worker", "since": "2020-01-01"}, {"role": "preposto", "since": "2025-01-01"}]
    second = [{"role": "primo_soccorso", "level": "A", "since": "2024-01-01"}]
    responses = await asyncio.gather(client.put(url, json=first, headers=await bearer(office)),
                                     client.put(url, json=second, headers=await bearer(coordinator)))
    assert [r.status_code for r in responses] == [200, 200]
    stored = {row["role"] for row in await SafetyRole.select(SafetyRole.role).where(SafetyRole.person == person.id)}
    assert stored in ({"worker", "preposto"}, {"primo_soccorso"})


async def test_external_training_through_the_api(client):
    _, person, office, coordinator = await _cast()
    url = f"/api/people/{person.id}/external-training"
    headers = await bearer(office)
    created = await client.post(url, json=BODY, headers=headers)
    assert created.status_code == 201, created.text
    record = created.json()
    assert record["hours"] == 12 and record["completed_on"] == "2025-06-10" and record["has_scan"] is False
    assert record["recorded_at"].endswith(("+01:00", "+02:00"))
    training_url = f"{url}/{record['id']}"
    patched = await client.patch(training_url, json={"hours": "6"}, headers=headers)
    assert patched.status_code == 200 and patched.json()["hours"] == 6 and patched.json()["provider"] == "Ente Bilaterale"
    bad = await client.post(url, json={**BODY, "hours": 0, "completed_on": "1980-05-05"}, headers=headers)
    assert bad.status_code == 422
    assert {e["field"]: e["message"] for e in bad.json()["errors"]} == {
        "hours": "Le ore devono essere più di zero.",
        "completed_on": "La data di fine corso è precedente alla data di nascita.",
    }
    scan = await client.put(f"{training_url}/scan", files={"data": ("scan.pdf", make_pdf(), "application/pdf")},
                            headers=headers)
    assert scan.status_code == 200, scan.text
    assert scan.json()["has_scan"] is True
    not_pdf = await client.put(f"{training_url}/scan", files={"data": ("scan.pdf", b"GIF89a....", "application/pdf")},
                               headers=headers)
    assert not_pdf.status_code == 422 and not_pdf.json()["errors"][0]["field"] == "scan"
    # The coordinator and the person read, and download the scan; they do not write.
    for reader in (coordinator, person):
        reader_headers = await bearer(reader)
        listed = await client.get(url, headers=reader_headers)
        assert [row["id"] for row in listed.json()] == [record["id"]]
        pdf = await client.get(f"/people/{person.id}/safety-record/attestati/{record['id']}/scan.pdf", headers=reader_headers)
        assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF-")
        assert pdf.headers["content-type"] == "application/pdf" and "no-store" in pdf.headers["cache-control"]
        assert (await client.post(url, json=BODY, headers=reader_headers)).status_code == 403
        assert (await client.delete(training_url, headers=reader_headers)).status_code == 403
    outsider = await bearer(await make_person("coordinator", cooperative=await make_cooperative()))
    assert (await client.get(url, headers=outsider)).status_code == 404
    assert (await client.get(f"/people/{person.id}/safety-record/attestati/{record['id']}/scan.pdf",
                             headers=outsider)).status_code == 404
    assert (await client.delete(training_url, headers=headers)).status_code == 204
    assert await ExternalTraining.count() == 0
    assert (await client.get(training_url, headers=headers)).status_code == 404


async def test_the_record_page_and_its_forms(client):
    _, person, office, coordinator = await _cast()
    await login(client, "coord@example.test")
    page = await client.get(f"/people/{person.id}/safety-record")
    assert page.status_code == 200
    assert "Ruoli per la sicurezza" in page.text and "Registra un attestato" not in page.text
    saved = await post_form(client, f"/people/{person.id}/safety-record/roles",
                            {"held": ["preposto", "antincendio"], "since_preposto": "2025-06-10",
                             "since_antincendio": "2025-03-01", "level_antincendio": ""})
    assert saved.status_code == 422
    assert "Indica il livello antincendio (1, 2 o 3)." in saved.text and 'aria-invalid="true"' in saved.text
    assert await SafetyRole.count() == 0
    saved = await post_form(client, f"/people/{person.id}/safety-record/roles",
                            {"held": ["preposto", "antincendio"], "since_preposto": "2025-06-10",
                             "since_antincendio": "2025-03-01", "level_antincendio": "2"})
    assert saved.status_code == 303
    page = await client.get(f"/people/{person.id}/safety-record")
    assert "Ruoli per la sicurezza salvati." in page.text
    assert await SafetyRole.count().where(SafetyRole.person == person.id) == 2
    # The coordinator cannot enter an attestato even by forging the form.
    forged = await post_form(client, f"/people/{person.id}/safety-record/attestati", {**BODY, "hours": "12"})
    assert forged.status_code == 403 and await ExternalTraining.count() == 0


async def test_the_office_adds_corrects_and_deletes_an_attestato_on_the_page(client):
    _, person, office, _ = await _cast()
    await login(client, "ufficio@example.test")
    base = f"/people/{person.id}/safety-record"
    bad = await post_form(client, f"{base}/attestati", {**BODY, "hours": "0"},
                          files={"scan": ("a.pdf", b"not a pdf", "application/pdf")})
    assert bad.status_code == 422
    assert "Le ore devono essere più di zero." in bad.text and "Il file non è un PDF leggibile" in bad.text
    added = await post_form(client, f"{base}/attestati", {**BODY, "hours": "12"},
                            files={"scan": ("Attestato Rossi.pdf", make_pdf(), "application/pdf")})
    assert added.status_code == 303, added.text
    row = await ExternalTraining.select(ExternalTraining.id, ExternalTraining.scan_filename).first()
    assert row["scan_filename"] == "Attestato-Rossi.pdf"
    page = await client.get(base)
    assert "10/06/2025" in page.text and "12 h" in page.text and f"{base}/attestati/{row['id']}/scan.pdf" in page.text
    form = await client.get(f"{base}/attestati/{row['id']}")
    assert form.status_code == 200 and 'value="12"' in form.text and "Togli la scansione" in form.text
    fixed = await post_form(client, f"{base}/attestati/{row['id']}", {**BODY, "hours": "6", "remove_scan": "on"})
    assert fixed.status_code == 303
    stored = await ExternalTraining.select(ExternalTraining.minutes, ExternalTraining.scan_filename).first()
    assert stored == {"minutes": 360, "scan_filename": ""}
    deleted = await post_form(client, f"{base}/attestati/{row['id']}/delete")
    assert deleted.status_code == 303 and await ExternalTraining.count() == 0


async def test_the_person_sees_the_record_read_only_and_others_do_not(client):
    _, person, office, _ = await _cast()
    await login(client, person.email)
    page = await client.get(f"/people/{person.id}/safety-record")
    assert page.status_code == 200 and "Salva i ruoli" not in page.text and "Registra un attestato" not in page.text
    other = await make_person(cooperative=person.cooperative)
    assert (await client.get(f"/people/{other.id}/safety-record")).status_code == 404


async def test_the_record_page_costs_the_same_whatever_the_attestati(client, count_queries):
    _, person, office, _ = await _cast()
    await login(client, "ufficio@example.test")
    url = f"/people/{person.id}/safety-record"
    await client.get(url)
    with count_queries() as one:
        assert (await client.get(url)).status_code == 200
    for day in range(1, 13):
        await ExternalTraining.insert(ExternalTraining(person=person.id, course_type="antincendio_1",
                                                       completed_on=date(2024, 1, day), minutes=240))
    await SafetyRole.insert(SafetyRole(person=person.id, role="worker", since=date(2020, 1, 1)))
    with count_queries() as many:
        response = await client.get(url)
    assert response.status_code == 200 and response.text.count("<td>04/01/2024</td>") == 1
    assert many.count == one.count <= 4, many.statements  # session and user, person, roles, attestati


async def test_cooperative_risk_class_by_hand_and_from_ateco(client):
    cooperative, _, office, coordinator = await _cast()
    headers = await bearer(office)
    url = f"/api/cooperatives/{cooperative.id}"
    response = await client.patch(url, json={"risk_class": "alto"}, headers=headers)
    assert response.status_code == 200
    assert (response.json()["risk_class"], response.json()["risk_class_source"]) == ("alto", "manual")
    assert (await client.patch(url, json={"risk_class": "altissimo"}, headers=headers)).json()["errors"][0]["field"] \
        == "risk_class"
    # The fund data set ATECO 88: the class is now derived, and a different one by hand is refused.
    saved = await client.put(f"/api/cooperatives/{cooperative.id}/fund-data", json={"ateco": "88.10.00"},
                             headers=headers)
    assert saved.status_code == 200, saved.text
    data = (await client.patch(url, json={"comune": "Monza"}, headers=headers)).json()
    assert (data["risk_class"], data["risk_class_source"], data["ateco"]) == ("medio", "ateco", "88.10.00")
    refused = await client.patch(url, json={"risk_class": "basso"}, headers=headers)
    assert refused.status_code == 422
    assert refused.json()["errors"] == [{"field": "risk_class", "message": "La classe di rischio è stabilita dal "
                                         "codice ATECO 88.10.00: rischio medio."}]
    assert (await Cooperative.select(Cooperative.risk_class).where(Cooperative.id == cooperative.id).first()) \
        == {"risk_class": "medio"}
    # 87 (residential care) is not classified: the office sets it by hand again.
    await client.put(f"/api/cooperatives/{cooperative.id}/fund-data", json={"ateco": "87.30.00"}, headers=headers)
    data = (await client.patch(url, json={"risk_class": "alto"}, headers=headers)).json()
    assert (data["risk_class"], data["risk_class_source"]) == ("alto", "manual")
    await login(client, "ufficio@example.test")
    page = await client.get(f"/admin/cooperatives/{cooperative.id}")
    assert page.status_code == 200 and "Classe di rischio" in page.text and "87.30.00" in page.text


async def test_headcount_through_the_api_with_every_bad_input(client):
    cooperative, _, office, coordinator = await _cast()
    headers = await bearer(office)
    url = f"/api/cooperatives/{cooperative.id}/headcount"
    ok = await client.put(f"{url}/2025", json={"total": 40, "women": 25, "men": 15, "disadvantaged": 12}, headers=headers)
    assert ok.status_code == 200, ok.text
    assert ok.json() == {"cooperative_id": cooperative.id, "year": 2025, "total": 40, "women": 25, "men": 15,
                         "disadvantaged": 12}
    again = await client.put(f"{url}/2025", json={"total": 41, "women": 25, "men": 16}, headers=headers)
    assert again.json()["total"] == 41 and again.json()["disadvantaged"] == 0
    cases = [
        (2026, {"total": -1}, {"total": "Scrivi un numero intero, zero o più."}),
        (2026, {"total": 10, "women": -2}, {"women": "Scrivi un numero intero, zero o più."}),
        (2026, {"total": 10, "women": 6, "men": 5}, {"men": "Donne e uomini insieme (11) sono più del totale (10)."}),
        (2026, {"total": 10, "disadvantaged": 11}, {"disadvantaged": "I lavoratori svantaggiati non possono essere "
                                                                     "più del totale."}),
        (1850, {"total": 10}, {"year": "Indica un anno dal 1990 al 2027."}),
        (2031, {"total": 10}, {"year": "Indica un anno dal 1990 al 2027."}),
        (2026, {"total": 1}, {"total": "Il totale è inferiore alle persone attive registrate per la cooperativa (2)."}),
    ]
    for year, body, expected in cases:
        response = await client.put(f"{url}/{year}", json=body, headers=headers)
        assert response.status_code == 422, (body, response.text)
        assert {e["field"]: e["message"] for e in response.json()["errors"]} == expected
    # A past year is not compared with the people recorded today.
    assert (await client.put(f"{url}/2020", json={"total": 1}, headers=headers)).status_code == 200
    assert (await client.put(f"{url}/2026", json={"total": 9}, headers=await bearer(coordinator))).status_code == 403
    listed = await client.get(url, headers=await bearer(coordinator))
    assert [row["year"] for row in listed.json()] == [2025, 2020]
    other = await bearer(await make_person("coordinator", cooperative=await make_cooperative()))
    assert (await client.get(url, headers=other)).status_code == 404
    assert await CooperativeHeadcount.count() == 2


async def test_headcount_on_the_office_page(client):
    cooperative, _, office, _ = await _cast()
    await login(client, "ufficio@example.test")
    form = await client.get(f"/admin/cooperatives/{cooperative.id}/headcount?year=2026")
    assert form.status_code == 200 and 'name="total"' in form.text
    bad = await post_form(client, f"/admin/cooperatives/{cooperative.id}/headcount",
                          {"year": "2026", "total": "20", "women": "15", "men": "10", "disadvantaged": "0"})
    assert bad.status_code == 422 and "Donne e uomini insieme (25) sono più del totale (20)." in bad.text
    saved = await post_form(client, f"/admin/cooperatives/{cooperative.id}/headcount",
                            {"year": "2026", "total": "20", "women": "12", "men": "8", "disadvantaged": "3"})
    assert saved.status_code == 303
    page = await client.get(f"/admin/cooperatives/{cooperative.id}")
    assert "Personale del 2026 salvato." in page.text and "<td>2026</td><td>20</td>" in page.text
