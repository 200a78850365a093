"""Issue 14 item 3: people import from CSV or XLSX, dry run first, then all or nothing."""

from __future__ import annotations

import io
import re
import zipfile

from openpyxl import Workbook

from tests.factories import make_cooperative, make_person
from tests.support import bearer, login, post_form
from training_hub.accounts.tables import AccountLink
from training_hub.core.tables import Outbox, Person

HEADER = "nome e cognome;e-mail;codice fiscale;cooperativa;area;ruoli\n"
CF_1 = "RSSMRA80A01F205X"
CF_2 = "BNCLRA85C41F205P"


def csv_file(*lines: str, header: str = HEADER, encoding: str = "utf-8") -> bytes:
    return (header + "\n".join(lines) + "\n").encode(encoding)


def xlsx_file(rows: list[list]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


async def upload(client, headers, content: bytes, *, dry_run: bool, name: str = "persone.csv"):
    return await client.post(f"/api/people/import?dry_run={'true' if dry_run else 'false'}", headers=headers,
                             files={"file": (name, content, "application/octet-stream")})


async def test_the_dry_run_lists_every_row_and_every_error_and_writes_nothing(client, admin):
    cooperative = await make_cooperative(name="Cooperativa Il Sole", tax_code="12345678903")
    await make_person(email="gia@example.test", cooperative=cooperative)
    content = csv_file(
        f"Maria Rossi;maria@example.test;{CF_1};Cooperativa Il Sole;anziani;lavoratore",
        "Già Presente;GIA@example.test;;12345678903;;",
        "Codice Sbagliato;sbagliato@example.test;RSSMRA80A01F205Y;Cooperativa Il Sole;;",
        "Senza Cooperativa;nessuna@example.test;;Cooperativa Inesistente;;",
        "Doppia Maria;maria@example.test;;Cooperativa Il Sole;;",
        "=HYPERLINK(\"http://x\");formula@example.test;;Cooperativa Il Sole;;",
    )
    people_before = await Person.count()
    response = await upload(client, await bearer(admin), content, dry_run=True)
    assert response.status_code == 200
    result = response.json()
    assert (result["created"], result["updated"]) == (1, 1)
    assert [(row["row"], row["action"]) for row in result["rows"]] == [
        (2, "create"), (3, "update"), (4, "create"), (5, "create"), (6, "create"), (7, "create")]
    errors = {(e["row"], e["field"]): e["message"] for e in result["errors"]}
    assert errors[(4, "codice_fiscale")] == "Il carattere di controllo del codice fiscale non è corretto."
    assert errors[(5, "cooperative")].startswith("Cooperativa sconosciuta")
    assert errors[(6, "email")] == "Questo indirizzo e-mail è già alla riga 2 del file."
    assert errors[(7, "full_name")] == "Le formule non sono ammesse: scrivi il valore."
    assert len(errors) == 4
    assert await Person.count() == people_before

    refused = await upload(client, await bearer(admin), content, dry_run=False)
    assert refused.status_code == 422
    assert {(e["row"], e["field"]) for e in refused.json()["errors"]} == set(errors)
    assert await Person.count() == people_before and await Outbox.count() == 0


async def test_a_valid_file_is_imported_in_one_go_and_everyone_new_is_invited(client, admin):
    cooperative = await make_cooperative(name="Cooperativa Il Sole", tax_code="12345678903")
    existing = await make_person(email="gia@example.test", cooperative=cooperative, full_name="Vecchio Nome")
    content = xlsx_file([
        ["Nome e cognome", "E-mail", "Codice fiscale", "Cooperativa", "Area", "Ruoli"],
        ["Maria Rossi", "maria@example.test", CF_1, "cooperativa il sole", "Anziani", "lavoratore, tutor"],
        ["Laura Bianchi", "laura@example.test", CF_2, "12345678903", None, None],
        ["Nome Nuovo", "gia@example.test", None, "Cooperativa Il Sole", None, None],
    ])
    response = await upload(client, await bearer(admin), content, dry_run=False, name="persone.xlsx")
    assert response.status_code == 200, response.text
    assert (response.json()["created"], response.json()["updated"]) == (2, 1)
    maria = await Person.select().where(Person.email == "maria@example.test").first()
    assert maria["cooperative"] == cooperative.id and maria["area"] == "anziani"
    assert set(maria["roles"].split(",")) == {"worker", "tutor"} and maria["password_hash"] is None
    assert (await Person.select(Person.full_name).where(Person.id == existing.id).first())["full_name"] == "Nome Nuovo"
    invited = await Outbox.select(Outbox.to_email).where(Outbox.kind == "invitation")
    assert sorted(m["to_email"] for m in invited) == ["laura@example.test", "maria@example.test"]
    assert await AccountLink.count().where(AccountLink.purpose == "invitation") == 2


async def test_a_coordinator_imports_into_her_own_cooperative_only_and_learns_nothing_of_others(client):
    mine, other = await make_cooperative(), await make_cooperative(name="Altra Cooperativa")
    coordinator = await make_person("coordinator", cooperative=mine)
    await make_person(email="altrove@example.test", cooperative=other)
    content = csv_file(
        "Nuova Persona;nuova@example.test;;;;",
        "Altra Persona;altra@example.test;;Altra Cooperativa;;",
        "Persona Altrove;altrove@example.test;;;;",
        "Nuova Formatrice;formatrice@example.test;;;;formatore",
    )
    result = (await upload(client, await bearer(coordinator), content, dry_run=True)).json()
    errors = {(e["row"], e["field"]): e["message"] for e in result["errors"]}
    assert errors[(3, "cooperative")] == "Puoi importare solo persone della tua cooperativa."
    assert errors[(4, "email")].startswith("Non è possibile registrare questa persona")
    assert errors[(5, "roles")].startswith("Un coordinatore può assegnare solo")
    assert (2, "email") not in errors and (2, "cooperative") not in errors


async def test_windows_1252_csv_with_commas_keeps_accented_names(client, admin):
    cooperative = await make_cooperative(name="Cooperativa Città")
    content = ("nome e cognome,e-mail,cooperativa\n"
               "Niccolò Sforzà,niccolo@example.test,Cooperativa Città\n").encode("cp1252")
    response = await upload(client, await bearer(admin), content, dry_run=False)
    assert response.status_code == 200, response.text
    row = await Person.select(Person.full_name, Person.cooperative).where(Person.email == "niccolo@example.test").first()
    assert row == {"full_name": "Niccolò Sforzà", "cooperative": cooperative.id}


async def test_bad_uploads_get_a_clear_message_and_write_nothing(client, admin):
    headers = await bearer(admin)
    before = await Person.count()
    # A zip bomb renamed .xlsx: a few KB that expand to hundreds of MB.
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"0" * (60 * 1024 * 1024))
    response = await upload(client, headers, bomb.getvalue(), dry_run=False, name="persone.xlsx")
    assert response.status_code == 422
    assert "decompresso, è troppo grande" in response.json()["errors"][0]["message"]
    # Not a spreadsheet at all.
    garbage = await upload(client, headers, b"PK\x03\x04 not really a zip", dry_run=True, name="x.xlsx")
    assert garbage.status_code == 422 and "non è un foglio Excel" in garbage.json()["errors"][0]["message"]
    # Missing columns.
    headless = await upload(client, headers, b"nome;cognome\nMaria;Rossi\n", dry_run=True)
    assert "Mancano le colonne obbligatorie" in headless.json()["errors"][0]["message"]
    # A 6 MB file: refused before it is read, by the size of the request.
    big = await upload(client, headers, csv_file(*["Persona Prova;p@example.test;;;;"] * 200_000), dry_run=False)
    assert big.status_code == 413 and big.headers["content-type"] == "application/problem+json"
    # Control characters in a cell.
    control = await upload(client, headers, csv_file("Maria\x1bRossi;m@example.test;;;;"), dry_run=True)
    assert control.json()["errors"][0]["field"] == "full_name"
    assert await Person.count() == before


async def test_the_page_previews_then_imports_the_same_file(client, coordinator):
    await login(client, coordinator.email)
    page = await client.get("/admin/people/import")
    assert page.status_code == 200 and 'enctype="multipart/form-data"' in page.text
    content = csv_file("Piero Neri;piero@example.test;;;;", "Anna Verdi;anna@example.test;;;;")
    preview = await post_form(client, "/admin/people/import", files={"file": ("persone.csv", content, "text/csv")})
    assert preview.status_code == 200
    assert "Piero Neri" in preview.text and "Nuova persona" in preview.text
    assert not await Person.exists().where(Person.email == "piero@example.test")
    stash = re.search(r'name="stash" value="([^"]+)"', preview.text).group(1)
    done = await post_form(client, "/admin/people/import/confirm", {"stash": stash})
    assert done.status_code == 303
    rows = await Person.select(Person.cooperative).where(Person.email.is_in(["piero@example.test", "anna@example.test"]))
    assert [r["cooperative"] for r in rows] == [coordinator.cooperative] * 2
    again = await post_form(client, "/admin/people/import/confirm", {"stash": stash})
    assert again.status_code == 422 and "carica di nuovo il file" in again.text
    bad = await post_form(client, "/admin/people/import",
                          files={"file": ("persone.csv", csv_file("Piero;non-una-mail;;;;"), "text/csv")})
    assert bad.status_code == 422 and 'class="field-error"' in bad.text and 'name="stash"' not in bad.text
