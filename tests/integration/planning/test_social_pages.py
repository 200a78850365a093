"""The social report's page, XLSX and PDF (the same figures everywhere), who may open them, bad input,
and the public yearly account (aggregates of at least 5, no names)."""

from __future__ import annotations

import html as html_lib
import io
import re
from datetime import date

from openpyxl import load_workbook
from pypdf import PdfReader

from tests.factories import (
    make_cooperative,
    make_course,
    make_enrolment,
    make_path,
    make_person,
    make_session,
)
from tests.integration.planning import social_fixture
from tests.reports_fixture import attend
from tests.support import login, rome
from training_hub.inclusion.tables import InclusionPathway
from training_hub.planning.social_report import format_value

QUERY = "year=2025"


def _page_figures(page: str) -> dict[str, str]:
    return {key: html_lib.unescape(text) for key, text in re.findall(r'data-figure="([a-z_]+)">([^<]*)</td>', page)}


def _page_tables(page: str) -> dict[str, list[list[str]]]:
    tables = {}
    for key, body in re.findall(r'aria-labelledby="section-([a-z_]+)">.*?<tbody>(.*?)</tbody>', page, re.S):
        rows = re.findall(r"<tr>(.*?)</tr>", body, re.S)
        tables[key] = [[html_lib.unescape(cell.strip()) for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)]
                       for row in rows]
    return tables


def _from_sheet(value, unit: str, label: str) -> str:
    """An XLSX cell written back as the page prints it (hours → "h min", fractions → percent)."""
    if value is None:
        return "—"
    if isinstance(value, str):
        return format_value(value if value != "< 5" else "<5", "text")
    kinds = {"ore": "minutes", "numero": "int", "%": "percent", "media 1-5": "rating", "€": "euro"}
    kind = kinds[unit]
    if kind == "minutes":
        value = round(value * 60)
    return format_value(value, kind)


def _pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


async def test_page_xlsx_and_pdf_show_the_same_figures(client):
    data = await social_fixture.build()
    await login(client, data["admin"].email)
    response = await client.get(f"/reports/social-report?{QUERY}")
    assert response.status_code == 200
    page = response.text
    figures = _page_figures(page)
    assert figures["minutes"] == "27 h 20 min" and figures["cost"] == "200,00 €" and figures["people"] == "5"
    tables = _page_tables(page)
    assert tables["kind"][0][:3] == ["Marketing sociale", "22 h 20 min", "4"]

    xlsx = await client.get(f"/reports/social-report.xlsx?{QUERY}")
    assert xlsx.status_code == 200 and "attachment" in xlsx.headers["content-disposition"]
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    start = next(i for i, row in enumerate(rows) if row[0] == "Indicatore")
    sheet_figures = {}
    for row in rows[start + 1:start + 1 + len(figures)]:
        sheet_figures[row[0]] = _from_sheet(row[1], row[2], row[0])
    labels = dict(re.findall(r'<th scope="row">([^<]*)</th><td class="num" data-figure="([a-z_]+)">', page))
    assert len(sheet_figures) == len(figures) == len(labels)
    for label, key in labels.items():
        assert sheet_figures[html_lib.unescape(label)] == figures[key], label
    # Each table: its title, then headings with units, then the same rows as the page.
    for key, page_rows in tables.items():
        title_row = next(i for i, row in enumerate(rows) if row[0] and i > start and
                         html_lib.unescape(re.search(rf'<h2 id="section-{key}">([^<]*)</h2>', page).group(1)) == row[0])
        header_at = title_row + 1 if rows[title_row + 1][0] and "(" in "".join(str(c) for c in rows[title_row + 1] if c) \
            else title_row + 2
        units = [re.search(r"\(([^)]*)\)$", str(cell)) for cell in rows[header_at] if cell]
        for offset, page_row in enumerate(page_rows):
            sheet_row = [cell for cell in rows[header_at + 1 + offset]][:len(page_row)]
            shown = [page_row[0]] + [
                _from_sheet(cell, unit.group(1) if unit else "numero", "") for cell, unit in zip(sheet_row[1:], units[1:])]
            assert shown == page_row, (key, offset)

    pdf = await client.get(f"/reports/social-report.pdf?{QUERY}")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    text = _pdf_text(pdf.content)
    for label, key in labels.items():
        assert html_lib.unescape(label) in text.replace("\n", " ") or html_lib.unescape(label)[:30] in text
        assert figures[key] in text, (label, figures[key])
    for page_rows in tables.values():
        for page_row in page_rows:
            for cell in page_row[1:]:
                assert cell in text


async def test_charts_are_accessible_svg_each_followed_by_its_table(client):
    data = await social_fixture.build()
    await login(client, data["admin"].email)
    page = (await client.get(f"/reports/social-report?{QUERY}")).text
    charts = re.findall(r'<svg class="chart-svg" role="img" aria-labelledby="(chart-[a-z_]+)-title \1-desc"', page)
    assert {"chart-kind", "chart-area", "chart-mandatory", "chart-quarter", "chart-cooperatives"} <= set(charts)
    for chart in charts:
        after = page[page.index(f'<title id="{chart}-title">'):]
        assert f'<desc id="{chart}-desc">' in after
        assert after.index("</svg>") < after.index("<table") < after.index("</section>")
    assert "<script" not in page


async def test_coordinator_sees_their_cooperative_and_is_refused_another(client):
    data = await social_fixture.build()
    await login(client, data["coordinator"].email)
    page = await client.get(f"/reports/social-report?{QUERY}")
    assert page.status_code == 200 and "Cooperativa Alfa" in page.text
    assert _page_figures(page.text)["minutes"] == "19 h"
    assert 'data-figure="cost"' not in page.text
    assert 'href="/reports/social-report' in (await client.get("/reports/cooperative")).text
    for suffix in ("", ".xlsx", ".pdf"):
        refused = await client.get(f"/reports/social-report{suffix}?{QUERY}&cooperative_id={data['beta'].id}")
        assert refused.status_code == 403, suffix


async def test_workers_and_anonymous_visitors_cannot_open_it(client):
    data = await social_fixture.build()
    anonymous = await client.get(f"/reports/social-report.xlsx?{QUERY}")
    assert anonymous.status_code in (401, 303)
    await login(client, data["a"][0].email)
    assert (await client.get(f"/reports/social-report?{QUERY}")).status_code == 403


async def test_a_bad_year_is_shown_next_to_the_field(client):
    data = await social_fixture.build()
    await login(client, data["admin"].email)
    for raw in ("20x5", "1999", "3000"):
        response = await client.get(f"/reports/social-report?year={raw}")
        assert response.status_code == 422
        assert 'id="year"' in response.text and 'aria-invalid="true"' in response.text
        assert "Anno non valido" in response.text
    assert (await client.get("/reports/social-report.xlsx?year=abc")).status_code == 422
    assert (await client.get("/reports/social-report?year=2025&cooperative_id=x")).status_code == 422


async def test_public_account_merges_small_groups_and_shows_no_names(client):
    cooperative = await make_cooperative(name="Cooperativa Riservata")
    other = await make_cooperative(name="Cooperativa Seconda")
    course = await make_course(await make_path("marketing"), title="Corso dal titolo riservato")
    session = await make_session(course, rome(date(2025, 5, 6), 9), 120)
    people = ([await make_person(cooperative=cooperative, area="anziani", full_name=f"Nome Riservato {n}")
               for n in range(7)]
              + [await make_person(cooperative=other, area="disabili", full_name=f"Nome Riservato D{n}") for n in range(3)]
              + [await make_person(cooperative=other, area="minori", full_name=f"Nome Riservato M{n}") for n in range(2)])
    for person in people:
        await attend(session, await make_enrolment(person, course), 120)
    for person in people[:5]:
        await InclusionPathway.insert(InclusionPathway(
            person=person.id, pathway_type="dote", host_cooperative=cooperative.id,
            eligibility_category="invalidi_fisici", starts_on=date(2025, 1, 10)))
    response = await client.get("/public/account?year=2025")
    assert response.status_code == 200
    page = response.text
    for secret in ("Nome Riservato", "Cooperativa Riservata", "Cooperativa Seconda", "Corso dal titolo riservato",
                   "invalidi", "Invalidi", "Costo"):
        assert secret not in page, secret
    areas = _page_tables(page)["area"]
    assert areas == [["Anziani", "14 h", "7", "58,3%"], ["Altri", "10 h", "5", "41,7%"]]
    figures = _page_figures(page)
    assert figures["people"] == "12" and figures["inclusion_people"] == "5" and figures["inclusion_minutes"] == "10 h"
    quarter = await client.get("/public/account?year=2025&quarter=2")
    assert quarter.status_code == 200 and _page_figures(quarter.text)["minutes"] == "24 h"
    q1 = await client.get("/public/account?year=2025&quarter=1")
    assert _page_figures(q1.text)["people"] == "0"
    pdf = await client.get("/public/account.pdf?year=2025")
    assert pdf.status_code == 200 and "Nome Riservato" not in _pdf_text(pdf.content)


async def test_public_account_small_totals_and_bad_periods(client):
    cooperative = await make_cooperative()
    course = await make_course(await make_path("inclusion"))
    session = await make_session(course, rome(date(2025, 11, 6), 9), 60)
    for n in range(3):
        await attend(session, await make_enrolment(await make_person(cooperative=cooperative), course), 60)
    page = (await client.get("/public/account?year=2025")).text
    figures = _page_figures(page)
    assert figures["people"] == "&lt; 5" or figures["people"] == "< 5"
    assert _page_tables(page)["quarter"][3] == ["4° trimestre", "< 5", "< 5"]
    assert (await client.get("/public/account?year=2025&quarter=7")).status_code == 422
    assert (await client.get("/public/account?year=2027")).status_code == 422
    assert (await client.get("/public/account?year=2026&quarter=4")).status_code == 200  # begun in October
    activity = (await client.get("/public/activity?from=2025-01-01&to=2025-12-31")).text
    assert 'href="/public/account"' in activity
