"""What a person sees on the catalogue's and the trainer's pages: phone layout, honest course states,
Italian wording, links where they are needed, the catalogue's edge cases and its HTMX answers."""

import json
import re
from datetime import date

from tests.factories import (
    make_cooperative,
    make_course,
    make_enrolment,
    make_location,
    make_path,
    make_person,
    make_session,
)
from tests.integration.catalogue.test_catalogue_pages import published_course as _published_course
from tests.support import login, post_form, rome
from training_hub.core.tables import Session


async def published_course(trainer, title="Comunicare i valori", day=date(2026, 12, 2), **values):
    """The catalogue pages' course, in a Brescia room whose address the tests read back."""
    if "location" not in values:
        values["location"] = await make_location(
            name="Aula La Bussola", address="Via Milano, 52", comune="Brescia", province="BS", capacity=30)
    return await _published_course(trainer, title, day, **values)


def session_table(html: str) -> str:
    start = html.index('<div class="table-wrap">')
    return html[start:html.index("</table>", start)]


# 1. Phone layout -----------------------------------------------------------------------------------


async def test_session_tables_stack_on_a_phone_and_keep_hidden_text_inside_their_box(client):
    trainer = await make_person("trainer", email="t@example.test")
    course = await published_course(trainer)
    await login(client, "t@example.test")

    public = session_table((await client.get(f"/courses/{course.id}")).text)
    assert '<table class="sessions stack">' in public
    assert 'data-label="Luogo"' in public and 'data-label="Calendario"' in public

    manage = session_table((await client.get(f"/trainer/courses/{course.id}")).text)
    assert '<table class="sessions stack">' in manage
    # On a phone each row is a block and every cell says which column it is: Stato and Azioni
    # are read without scrolling sideways.
    assert 'data-label="Stato"' in manage and 'data-label="Azioni"' in manage
    assert 'class="visually-hidden"> l\'incontro del 02/12/2026' in manage

    css = (await client.get("/static/css/app.css")).text
    assert re.search(r"\.table-wrap \{[^}]*position: relative", css), "hidden text would escape the scroll box"
    assert "table.stack td[data-label]::before" in css


# 2. Concluded and cancelled courses ----------------------------------------------------------------


async def test_a_concluded_course_says_so_and_offers_no_seats(client):
    coop = await make_cooperative()
    trainer = await make_person("trainer", email="t@example.test")
    await make_person("worker", cooperative=coop, email="w@example.test")
    path = await make_path("marketing")
    course = await published_course(trainer, title="Corso finito", day=date(2026, 11, 10), status="completed",
                                    path=path, position=1)
    await published_course(trainer, title="Corso aperto", path=path, position=2)

    await login(client, "w@example.test")
    text = (await client.get(f"/courses/{course.id}")).text
    assert "Il corso è concluso." in text
    assert "non è pubblicato" not in text
    assert "posti liberi" not in text and "posto libero" not in text
    assert "0 iscritti su 20 posti" in text

    path_page = (await client.get(f"/paths/{course.path}")).text
    finished = path_page[path_page.index("Corso finito"):path_page.index("Corso aperto")]
    assert "posti liberi" not in finished and "Concluso" in finished
    assert "20 posti liberi" in path_page[path_page.index("Corso aperto"):]  # the open course still shows them

    await client.post("/logout")
    await login(client, "t@example.test")
    manage = session_table((await client.get(f"/trainer/courses/{course.id}")).text)
    assert "Svolto" in manage and "In programma" not in manage


async def test_a_cancelled_course_counts_its_cancelled_sessions_and_says_why_enrolment_is_closed(client):
    coop = await make_cooperative()
    trainer = await make_person("trainer", email="t@example.test")
    await make_person("worker", cooperative=coop, email="w@example.test")
    course = await make_course(await make_path("marketing"), trainers=[trainer], title="Corso annullato",
                               status="cancelled", delivery_mode="online")
    for day in (10, 17, 24):
        await make_session(course, rome(date(2027, 1, day), 17), minutes=120, status="cancelled")

    await login(client, "w@example.test")
    text = (await client.get(f"/courses/{course.id}")).text
    assert "3 incontri annullati" in text
    assert "0 incontri" not in text
    assert "Il corso è stato annullato." in text and "non è pubblicato" not in text
    assert "posti liberi" not in text

    path_page = (await client.get(f"/paths/{course.path}")).text
    assert "Annullato" in path_page and "posti liberi" not in path_page


# 3. Italian wording ---------------------------------------------------------------------------------


async def test_the_enrolment_panel_puts_a_space_between_its_sentences(client, trainer):
    coop = await make_cooperative()
    await make_person("worker", cooperative=coop, email="w@example.test")
    course = await published_course(trainer, capacity=1)
    await make_enrolment(await make_person(cooperative=coop), course)
    for _ in range(3):
        await make_enrolment(await make_person(cooperative=coop), course, status="waitlisted")
    await login(client, "w@example.test")
    text = (await client.get(f"/courses/{course.id}")).text
    assert "Il corso è al completo. 3 persone in lista d'attesa." in text


async def test_the_manage_page_counts_seats_in_good_italian_and_hides_the_calendar_sequence(client):
    trainer = await make_person("trainer", email="t@example.test")
    course = await published_course(trainer, capacity=15)
    await make_enrolment(await make_person(), course)
    await make_session(course, rome(date(2026, 12, 9), 9, 30), status="cancelled", sequence=1)
    scheduled = await make_session(course, rome(date(2026, 12, 16), 9, 30))
    await login(client, "t@example.test")
    text = (await client.get(f"/trainer/courses/{course.id}")).text
    assert "1 confermato su 15" in text and "1 confermati" not in text
    assert "Annullato" in session_table(text)
    assert "modifica</span>" not in text and "1 modifica" not in text

    cancel = (await client.get(f"/trainer/sessions/{scheduled.id}/cancel")).text
    assert "sparisce" not in cancel
    assert "resta nell'elenco e nei calendari, segnato come annullato" in cancel


async def test_the_enrol_page_gives_the_cancellation_deadline_with_alle(client, trainer):
    coop = await make_cooperative()
    await make_person("worker", cooperative=coop, email="w@example.test")
    course = await published_course(trainer, cancellation_deadline=rome(date(2026, 12, 8), 9, 30))
    await login(client, "w@example.test")
    text = (await client.get(f"/courses/{course.id}/enrol")).text
    assert "Si può annullare" in text and "fino all'8/12/2026 alle 09:30" in text


async def test_checking_a_form_with_a_bad_field_does_not_claim_a_failed_save(client):
    trainer = await make_person("trainer", email="t@example.test")
    room = await make_location()
    course = await make_course(trainers=[trainer], status="draft", location=room.id)
    await login(client, "t@example.test")
    fields = {"day": "", "start_time": "09:00", "end_time": "12:00", "location_id": str(room.id)}
    url = f"/trainer/courses/{course.id}/sessions/new"

    checked = await post_form(client, url, {**fields, "action": "check"})
    assert checked.status_code == 422
    assert "Controlla i campi evidenziati" in checked.text and "Non è stato possibile salvare" not in checked.text
    assert 'id="day-error"' in checked.text

    saved = await post_form(client, url, {**fields, "action": "save"})
    assert saved.status_code == 422 and "Non è stato possibile salvare" in saved.text

    series = await post_form(client, f"/trainer/courses/{course.id}/sessions/series", {
        "first_day": "", "start_time": "14:00", "end_time": "16:00", "location_id": str(room.id), "action": "check"})
    assert series.status_code == 422
    assert "Controlla i campi evidenziati" in series.text and "Non è stato possibile salvare" not in series.text


# 4. The manage page links to participants, attendance and registers ---------------------------------


async def test_the_manage_page_links_to_participants_attendance_and_registers(client):
    trainer = await make_person("trainer", email="t@example.test")
    course = await published_course(trainer)
    session = await Session.select(Session.id).where(Session.course == course.id).first()
    await login(client, "t@example.test")
    text = (await client.get(f"/trainer/courses/{course.id}")).text
    links = [f"/courses/{course.id}/participants", f"/courses/{course.id}/attendance",
             f"/courses/{course.id}/register.pdf", f"/courses/{course.id}/register.csv",
             f"/courses/{course.id}/register.xlsx", f"/sessions/{session['id']}/attendance"]
    for link in links:
        assert f'href="{link}"' in text, link
        assert (await client.get(link)).status_code == 200, link


async def test_a_coordinator_managing_an_internal_course_gets_the_participants_but_not_the_registers(client):
    coop = await make_cooperative()
    await make_person("coordinator", cooperative=coop, email="c@example.test")
    path = await make_path("internal_training", owner_cooperative=coop.id)
    course = await published_course(await make_person("trainer", cooperative=coop), path=path)
    await login(client, "c@example.test")
    text = (await client.get(f"/trainer/courses/{course.id}")).text
    assert f'href="/courses/{course.id}/participants"' in text
    assert (await client.get(f"/courses/{course.id}/participants")).status_code == 200
    assert "register.pdf" not in text and "/attendance" not in text


# 5. Past the last page of the catalogue -------------------------------------------------------------


async def test_a_page_past_the_last_one_says_so_and_leads_back_to_the_first(client, trainer):
    coop = await make_cooperative()
    await make_person("worker", cooperative=coop, email="w@example.test")
    path = await make_path("marketing")
    room = await make_location()
    for n in range(11):
        await published_course(trainer, title=f"Corso {n}", path=path, location=room)
    await login(client, "w@example.test")

    text = (await client.get("/courses?kind=marketing&page=2")).text
    assert "11 corsi trovati" in text
    assert "Nessun corso corrisponde ai filtri" not in text
    assert "La pagina 2 non esiste: i risultati stanno in 1 pagina." in text
    assert 'href="/courses?kind=marketing">Vai alla prima pagina dei risultati</a>' in text

    paged = (await client.get("/courses?page_size=5&page=9")).text
    assert "La pagina 9 non esiste: i risultati stanno in 3 pagine." in paged
    assert 'href="/courses?page_size=5">Vai alla prima pagina dei risultati</a>' in paged
    assert "Pagina 9 di 3" not in paged and 'rel="prev"' not in paged

    htmx = (await client.get("/courses?kind=marketing&page=2", headers={"HX-Request": "true"})).text
    assert "Vai alla prima pagina dei risultati" in htmx


# 6. The catalogue's filter of path kinds ------------------------------------------------------------


async def test_the_path_kind_filter_is_labelled_as_a_kind(client):
    coop = await make_cooperative()
    await make_person("worker", cooperative=coop, email="w@example.test")
    await login(client, "w@example.test")
    text = (await client.get("/courses")).text
    assert '<label for="kind">Tipo di percorso</label>' in text
    assert '<option value="">Tutti i tipi</option>' in text
    assert '<label for="kind">Percorso</label>' not in text


# 7. The catalogue with HTMX ---------------------------------------------------------------------------


async def test_htmx_results_carry_the_filters_errors(client):
    coop = await make_cooperative()
    await make_person("worker", cooperative=coop, email="w@example.test")
    await published_course(await make_person("trainer"))
    await login(client, "w@example.test")
    url = "/courses?starts_after=2026-12-20&starts_before=2026-12-01"

    htmx = await client.get(url, headers={"HX-Request": "true"})
    assert htmx.text.lstrip().startswith('<section id="catalogue-results"')
    start = htmx.text.index('<div class="error-summary" role="alert" id="filter-errors">')
    summary = htmx.text[start:htmx.text.index("</div>", start)]
    assert '<a href="#starts_before">La fine dell&#39;intervallo deve venire dopo l&#39;inizio.</a>' in summary

    full = (await client.get(url)).text  # without JavaScript: the summary and the message by the field
    assert 'id="filter-errors"' in full and 'id="starts_before-error"' in full

    fine = await client.get("/courses?starts_after=2026-12-01", headers={"HX-Request": "true"})
    assert 'id="filter-errors"' not in fine.text


async def test_with_htmx_history_navigation_reloads_from_the_server(client, app, monkeypatch):
    from training_hub.catalogue import pages
    from training_hub.web.shell import SHELLS

    def forget_rendered_pages():
        SHELLS._items.clear()
        pages.catalogue_pages().clear()

    environment = app.template_engine.engine
    coop = await make_cooperative()
    await make_person("worker", cooperative=coop, email="w@example.test")
    await login(client, "w@example.test")
    forget_rendered_pages()
    monkeypatch.setitem(environment.globals, "htmx_available", True)
    try:
        text = (await client.get("/courses?kind=marketing")).text
    finally:
        forget_rendered_pages()
    config = re.search(r"<meta name=\"htmx-config\" content='([^']+)'>", text)
    assert config, "no htmx-config"
    settings = json.loads(config.group(1))
    assert settings["historyCacheSize"] == 0 and settings["refreshOnHistoryMiss"] is True
    assert settings["includeIndicatorStyles"] is False  # no inline <style>, which the CSP refuses
    assert 'hx-push-url="true"' in text and '<script src="/static/vendor/htmx.min.js" defer></script>' in text


# 8. One order for addresses ---------------------------------------------------------------------------


async def test_the_course_page_writes_every_address_in_the_same_order(client):
    trainer = await make_person("trainer", email="t@example.test")
    course = await published_course(trainer)
    await login(client, "t@example.test")
    text = (await client.get(f"/courses/{course.id}")).text
    details = text[text.index('<dl class="details">'):text.index("</dl>")]
    assert "Aula La Bussola, Via Milano, 52, Brescia (BS)" in details
    assert "Aula La Bussola, Via Milano, 52, Brescia (BS)" in session_table(text)
    assert "Brescia (BS), Via Milano" not in text
    assert not re.search(r"Via Milano, 52, Brescia(?! \(BS\))", text)
