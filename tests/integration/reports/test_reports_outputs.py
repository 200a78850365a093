"""What the office takes away: pages (accessible charts), CSV, XLSX, the activity report in HTML and PDF,
and the public version with its small-group suppression."""

import io
import re
from datetime import date

from openpyxl import load_workbook
from pypdf import PdfReader

from tests import reports_fixture as fx
from tests.factories import (
    make_cooperative,
    make_course,
    make_enrolment,
    make_path,
    make_person,
    make_session,
)
from tests.support import login, rome
from training_hub.reports.activity import OTHER, public_activity_report
from training_hub.reports.period import parse_period

QUERY = "from=2025-01-01&to=2025-12-31"


def pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


async def test_dashboard_charts_are_accessible_svg_with_a_table_after_each(client):
    data = await fx.build()
    await login(client, "office@example.test")
    html = (await client.get(f"/reports?{QUERY}")).text
    charts = re.findall(r'<svg class="chart-svg" role="img" aria-labelledby="(chart-[a-z_]+)-title \1-desc"', html)
    assert {"chart-monthly", "chart-by_kind", "chart-by_province", "chart-by_area"} <= set(charts)
    for chart in charts:
        assert f'<title id="{chart}-title">' in html and f'<desc id="{chart}-desc">' in html
        after = html[html.index(f'<title id="{chart}-title">'):]
        assert after.index("</svg>") < after.index("<table>") < after.index("</section>")
    assert "style=" not in html and "<script>" not in html
    assert '<th scope="col"' in html and '<th scope="row">' in html
    assert "ottobre 2025" in html and "26 h 40 min" in html and "42,9%" in html  # Italian formats
    assert 'href="/reports/export.csv?from=2025-01-01&amp;to=2025-12-31&amp;table=by_kind"' in html
    # The office opens a cooperative's or a trainer's own page for the same period.
    assert f'href="/reports/cooperative?cooperative_id={data["beta"].id}&amp;from=2025-01-01&amp;to=2025-12-31"' in html
    assert f'href="/reports/trainer?trainer_id={data["t1"].id}&amp;from=2025-01-01&amp;to=2025-12-31"' in html


async def test_csv_and_xlsx_exports_hold_the_same_figures(client):
    await fx.build()
    await login(client, "office@example.test")
    csv = await client.get(f"/reports/export.csv?{QUERY}&table=by_kind")
    assert csv.status_code == 200 and csv.headers["content-type"].startswith("text/csv")
    assert 'filename="report-ufficio-2025-01-01-2025-12-31-by_kind.csv"' in csv.headers["content-disposition"]
    lines = csv.content.decode("utf-8-sig").splitlines()
    assert csv.content.startswith(b"\xef\xbb\xbf")
    assert lines[0] == ("Tipo di percorso;Corsi;Incontri;Ore erogate (h);Partecipanti;Ore di presenza (h);"
                        "Completamento (%);Abbandono (%)")
    assert "Marketing sociale;1;2;7;6;26,67;42,9;28,6" in lines
    assert "Formazione interna;1;1;4;2;0;;" in lines

    xlsx = await client.get(f"/reports/export.xlsx?{QUERY}")
    workbook = load_workbook(io.BytesIO(xlsx.content))
    assert workbook.sheetnames == ["Mesi", "Tipi di percorso", "Province", "Aree di lavoro", "Cooperative",
                                   "Liste d'attesa", "Questionari per corso", "Questionari per formatore"]
    monthly = workbook["Mesi"]
    rows = {row[0]: row for row in monthly.iter_rows(min_row=6, values_only=True)}
    assert rows["marzo 2025"][1:] == (1, 2, 7, 6, 26.67)
    assert monthly.cell(row=8, column=4).number_format == "#,##0.00"
    surveys = workbook["Questionari per corso"]
    assert any(row[0] == "Marketing sociale di base" and 4.2 in row for row in surveys.iter_rows(values_only=True))


async def test_coordinator_export_has_each_workers_hours(client):
    await fx.build()
    await login(client, "carla@example.test")
    csv = (await client.get(f"/reports/cooperative/export.csv?{QUERY}&table=workers")).content.decode("utf-8-sig")
    assert "Alfa Persona 1;Anziani;2;11;7;63,6" in csv.splitlines()
    assert "Beta" not in csv


async def test_activity_report_html_and_pdf(client):
    data = await fx.build()
    await make_course(await make_path("other"), title="Sicurezza «base» – l’obbligo… 20 €")
    await login(client, "office@example.test")
    html = (await client.get(f"/reports/activity?{QUERY}")).text
    assert "Rapporto di attività formativa" in html and "Periodo dal 01/01/2025 al 31/12/2025" in html
    assert "Marketing sociale di base" in html and "Gradimento per tipo di percorso" in html
    assert 'href="/reports/activity.pdf?from=2025-01-01&amp;to=2025-12-31"' in html
    assert fx.ACCESSIBILITY_NOTE not in html
    response = await client.get(f"/reports/activity.pdf?{QUERY}")
    assert response.status_code == 200 and response.headers["content-type"] == "application/pdf"
    text = pdf_text(response.content)
    assert "Rapporto di attività formativa" in text and "Via Tolmezzo, 3" in text
    assert "Marketing sociale di base" in text and "Pagina 1 di" in text
    assert "26 h 40 min" in text and "4,2" in text
    assert fx.ACCESSIBILITY_NOTE not in text
    assert data["c1"].full_name not in text


async def test_public_report_aggregates_only_and_suppresses_small_groups(client):
    data = await fx.build()
    html = (await client.get(f"/public/activity?{QUERY}")).text  # no login
    assert "Rapporto pubblico di attività formativa" in html
    names = [p.full_name for p in data["participants"]] + ["Tina Formatrice", "Ugo Formatore", "Carla Coordinatrice"]
    titles = ["Marketing sociale di base", "Inclusione lavorativa", "Formare i formatori"]
    cooperatives = ["Cooperativa Alfa", "Cooperativa Beta", "Cooperativa Gamma"]
    pdf = pdf_text((await client.get(f"/public/activity.pdf?{QUERY}")).content)
    for text in (html, pdf):
        for forbidden in names + titles + cooperatives + [fx.ACCESSIBILITY_NOTE, "interprete"]:
            assert forbidden not in text, forbidden
        assert "Altri gruppi (meno di 5 persone ciascuno)" in text
    report = await public_activity_report(parse_period("2025-01-01", "2025-12-31"))
    provinces = report.table("by_province").rows
    assert [(row["province"], row["participants"]) for row in provinces] == [(OTHER, 8)]
    assert report.summary["participants"] == 8
    kinds = report.table("by_kind")
    assert [c.key for c in kinds.columns] == ["kind", "courses", "sessions", "delivered_minutes"]
    satisfaction = report.table("satisfaction").rows
    assert [(row["kind"], row["responses"]) for row in satisfaction] == [("marketing", 5)]  # K2 had 2 answers


async def _course_with(people_by_cooperative, year=2024):
    course = await make_course(await make_path("marketing"), title="Corso pubblico")
    await make_session(course, rome(date(year, 5, 6), 9), 120)
    for cooperative, count in people_by_cooperative:
        for _ in range(count):
            await make_enrolment(await make_person(cooperative=cooperative, area="varie"), course)


async def test_public_groups_shown_have_at_least_five_people():
    milano = await make_cooperative(province="MI")
    como = await make_cooperative(province="CO")
    bergamo = await make_cooperative(province="BG")
    pavia = await make_cooperative(province="PV")
    await _course_with([(milano, 6), (como, 5), (bergamo, 2), (pavia, 1)])
    report = await public_activity_report(parse_period("2024-01-01", "2024-12-31"))
    rows = [(row["province"], row["participants"]) for row in report.table("by_province").rows]
    assert rows == [("MI", 6), (OTHER, 8)]  # BG 2 + PV 1 is still < 5: Como joins them
    assert [(row["area"], row["participants"]) for row in report.table("by_area").rows] == [("varie", 14)]


async def test_public_report_with_fewer_than_five_people_withholds_them(client):
    await _course_with([(await make_cooperative(province="CR"), 3)], year=2023)
    report = await public_activity_report(parse_period("2023-01-01", "2023-12-31"))
    assert report.summary["participants"] == "<5" and report.summary["attended_minutes"] == "<5"
    assert report.table("by_province").rows == [] and report.table("by_area").rows == []
    html = (await client.get("/public/activity?from=2023-01-01&to=2023-12-31")).text
    assert "&lt; 5" in html and "Nessun dato pubblicabile: meno di 5 partecipanti." in html
    assert "Cremona" not in html.split("<main")[1]


async def test_public_report_is_cached_rate_limited_and_capped(client, count_queries, monkeypatch):
    """No login: a computed report is reused for a few minutes per period, computations are limited per
    minute and client (periods already computed are still served), and only whole months, quarters and
    years are published."""
    from training_hub.reports import activity

    monkeypatch.setattr(activity, "public_cache_seconds", lambda: 300)
    monkeypatch.setattr(activity, "PUBLIC_COMPUTATIONS_PER_MINUTE", 3)
    monkeypatch.setattr(activity, "_public_computed", {})
    activity.PUBLIC_REPORTS.clear()
    try:
        await _course_with([(await make_cooperative(province="MI"), 6)], year=2024)
        first = await client.get("/public/activity?from=2024-01-01&to=2024-12-31")
        assert first.status_code == 200
        with count_queries() as queries:
            again = await client.get("/public/activity?from=2024-01-01&to=2024-12-31")
            pdf = await client.get("/public/activity.pdf?from=2024-01-01&to=2024-12-31")
            pdf_again = await client.get("/public/activity.pdf?from=2024-01-01&to=2024-12-31")
        assert again.status_code == pdf.status_code == 200 and pdf.content == pdf_again.content
        assert queries.count == 0
        assert (await client.get("/public/activity?from=2024-01-01&to=2024-03-31")).status_code == 200
        assert (await client.get("/public/activity?from=2024-04-01&to=2024-06-30")).status_code == 200
        refused = await client.get("/public/activity?from=2024-07-01&to=2024-09-30")
        assert refused.status_code == 429 and int(refused.headers["retry-after"]) > 0
        assert "Troppe richieste: riprova tra poco." in refused.text
        assert (await client.get("/public/activity?from=2024-01-01&to=2024-12-31")).status_code == 200
        too_long = await client.get("/public/activity?from=2021-01-01&to=2024-12-31")
        assert too_long.status_code == 422 and "un mese, un trimestre o un anno interi" in too_long.text
        assert 'aria-invalid="true"' in too_long.text
        assert (await client.get("/public/activity.pdf?from=2021-01-01&to=2024-12-31")).status_code == 422
        assert (await client.get("/public/activity.pdf?from=2024-10-01&to=2024-12-31")).status_code == 429
    finally:
        activity.PUBLIC_REPORTS.clear()
